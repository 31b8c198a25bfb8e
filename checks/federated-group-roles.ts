import {
  defineCheck,
  federatedAutoGroups,
  openSearchRoleMapping,
  regionOfPoolId,
  roleNameOf,
  sh,
  userPoolArnOf,
  type MessagesOf,
  type ProblemOf,
} from '../src/check-kit.js';

/** A group Cognito fills with every user of an identity provider, carrying a role of its own. */
interface RoleOnAutoGroup {
  userPoolId: string;
  group: { GroupName: string; RoleArn: string; Precedence: number | null; Description: string | null };
  providerName: string;
  /** Whether an identity provider of that name exists; null when the providers were not read. */
  providerConfigured: boolean | null;
  mappingKey: string;
  Type: 'Token';
  AmbiguousRoleResolution: string | null;
  authenticatedRole: string | null;
}

const messages = {
  'group-role-escalation': {
    message: (d: RoleOnAutoGroup) =>
      `Group ${d.group.GroupName} is the group Cognito puts every user of the identity provider ${d.providerName} in, and it carries ${roleNameOf(d.group.RoleArn)}: ` +
      (d.providerConfigured === false
        ? `no provider ${d.providerName} is configured today, but one created under that name would hand the role to all its users.`
        : `every user ${d.providerName} vouches for gets that role at Dashboards login.`),
    fix: (d: RoleOnAutoGroup) => {
      const { GroupName, Description, Precedence } = d.group;
      return {
        summary: `Take the role off ${GroupName} (update-group resets what it is not given: the command passes the description and precedence again and leaves the role out), and put the role on a group whose members administrators add.`,
        steps: [
          `Amazon Cognito console → User pools → ${d.userPoolId} → Groups → ${GroupName} → Edit: clear the IAM role; Save.`,
          'Review who may call cognito-idp:CreateGroup, UpdateGroup and AdminAddUserToGroup on this pool.',
        ],
        commands: [
          sh(
            'aws',
            'cognito-idp',
            'update-group',
            '--region',
            regionOfPoolId(d.userPoolId),
            '--user-pool-id',
            d.userPoolId,
            '--group-name',
            GroupName,
            // A hand-written snapshot may carry anything there; only a string is a description.
            ...(typeof Description === 'string' && Description ? ['--description', Description] : []),
            ...(typeof Precedence === 'number' ? ['--precedence', String(Precedence)] : []),
          ),
        ],
      };
    },
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'federated-group-roles',
  title: 'No federated auto-group hands a role to every user of an identity provider',
  description:
    'With a Token role mapping on the OpenSearch provider, a user pool group named <UserPoolId>_<ProviderName> (the group Cognito puts every user of that identity provider in at sign-in) that carries a RoleArn other than the authenticated role (or any RoleArn when AmbiguousRoleResolution is Deny) gives that role to everyone the identity provider vouches for, with no administrator adding them; whoever can create or update groups can pre-create it. Role-bearing groups in general are not reported (who holds cognito-idp:AdminAddUserToGroup, CreateGroup or UpdateGroup is not in the snapshot). The auto-group trick comes from a secondary source (a third-party drift tool), so this is a warning.',
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'identityProviders'],
  modes: [
    {
      id: 'group-role-escalation',
      severity: 'warning',
      inferred: true,
      title: 'A federated auto-group carries an IAM role',
      symptom:
        "Every user who signs in through the identity provider gets the group's IAM role (and its Dashboards permissions), without anyone adding them to the group.",
      cause:
        "Cognito adds each federated user to the group <UserPoolId>_<ProviderName> at sign-in. With token-based role mapping the group's RoleArn reaches cognito:roles / cognito:preferred_role, so a RoleArn on that group (set by mistake, or pre-created by someone who may create groups) hands the role to the whole identity provider.",
      fix: 'Remove the RoleArn from the auto-group and give the role through a group whose membership administrators control.',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
      ],
    },
  ],
  messages,
  run(ctx) {
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!userPoolId) return [];
    const entry = openSearchRoleMapping(ctx);
    if (entry?.mapping.Type !== 'Token') return [];
    const authenticated = ctx.identityPoolRoles().Roles?.['authenticated'];
    const deny = entry.mapping.AmbiguousRoleResolution === 'Deny';
    const providers = ctx.snapshot.identityProviders?.filter((p) => !p.UserPoolId || p.UserPoolId === userPoolId);
    const problems: ProblemOf<typeof messages>[] = [];
    for (const { group, providerName } of federatedAutoGroups(ctx.userPoolGroups(), userPoolId)) {
      const roleArn = group.RoleArn;
      if (!roleArn || (roleArn === authenticated && !deny)) continue;
      problems.push({
        mode: 'group-role-escalation',
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        data: {
          userPoolId,
          group: { GroupName: group.GroupName ?? '', RoleArn: roleArn, Precedence: group.Precedence ?? null, Description: group.Description ?? null },
          providerName,
          providerConfigured: providers ? providers.some((p) => p.ProviderName === providerName) : null,
          mappingKey: entry.key,
          Type: 'Token',
          AmbiguousRoleResolution: entry.mapping.AmbiguousRoleResolution ?? null,
          authenticatedRole: authenticated ?? null,
        },
      });
    }
    return problems;
  },
});
