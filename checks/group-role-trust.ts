import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import {
  createRoleCommand,
  defineCheck,
  identityTrustVerdict,
  openSearchRoleMapping,
  repairedIdentityTrust,
  roleNameOf,
  TRUST_IAC_HINT,
  trustPolicySteps,
  trustPolicyUpdate,
  fixForRole,
  placeOf,
  type DomainPlace,
  type MessagesOf,
  type PolicyDocument,
  type ProblemOf,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html',
];

/** A role that groups (Token) or rules hand out and the identity pool cannot. */
type UnusableGroupRole = {
  place: DomainPlace;
  identityPoolId: string;
  userPoolId?: string;
  mappingType: RoleMapping['Type'];
  role: string;
  /** The groups or rules that hand the role out, as `group <name>` / `rule <n> (<claim> <match> <value>)`. */
  holders: string[];
} & ({ kind: 'not-found'; getRole: { code: string; message?: string } } | { kind: 'trust-refuses'; problem: string; repairedTrust: PolicyDocument });

function affectedOf(d: UnusableGroupRole): string {
  return d.mappingType === 'Token' ? `members of ${d.holders.join(', ')}` : `users matching ${d.holders.join(', ')}`;
}

const messages = {
  'group-role-trust-invalid': {
    message: (d: UnusableGroupRole) =>
      d.kind === 'not-found'
        ? `The role ${d.role} of ${d.holders.join(', ')} does not exist (${d.getRole.code}), so ${affectedOf(d)} cannot get credentials after signing in.`
        : `Identity pool ${d.identityPoolId} cannot hand the role ${roleNameOf(d.role)} to ${affectedOf(d)}: ${d.problem}.`,
    fix: (d: UnusableGroupRole) => {
      const name = roleNameOf(d.role);
      if (d.kind === 'not-found') {
        return fixForRole(d.place, d.role, {
          summary: `Re-create ${name} with a trust policy for ${d.identityPoolId} (and its permissions), or point ${d.holders.join(', ')} at an existing role.`,
          steps: [
            `IAM console → Roles → Create role → Web identity → Amazon Cognito, Identity pool ID ${d.identityPoolId}; name it ${name}.`,
            d.mappingType === 'Token'
              ? `Or: Amazon Cognito console → User pools → ${d.userPoolId} → Groups → ${d.holders.join(', ')} → Edit, and choose an existing IAM role.`
              : `Or: Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → the user pool provider → Edit role settings, and choose an existing role for the rule.`,
          ],
          commands: [createRoleCommand(d.role, repairedIdentityTrust(undefined, d.role, d.identityPoolId))],
        });
      }
      return fixForRole(d.place, d.role, {
        summary: `Replace the trust policy of ${name} so that ${d.identityPoolId} can assume it for authenticated identities; other statements and the identity pools it already trusted are kept.`,
        steps: trustPolicySteps(d.role, `aud ${d.identityPoolId}, amr authenticated`),
        commands: [trustPolicyUpdate(d.role, d.repairedTrust)],
        iac: TRUST_IAC_HINT,
      });
    },
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'group-role-trust',
  title: 'The identity pool can hand out every group and rule role',
  description:
    "When the role mapping for the OpenSearch provider is Token, takes the RoleArn of every user pool group; when it is Rules, the RoleARN of every rule. Evaluates each role's trust policy (URL-encoded or decoded) for sts:AssumeRoleWithWebIdentity by the Federated identity-pool principal with aud = the identity pool id and amr = authenticated, and names the groups or rules whose users cannot get their role. A role that does not exist (iam:GetRole NoSuchEntity) also fails. The authenticated role itself is left to auth-role-trust when users also get it by default.",
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles'],
  modes: [
    {
      id: 'group-role-trust-invalid',
      severity: 'error',
      title: 'A group or rule role cannot be handed out by the identity pool',
      symptom:
        'com.amazonaws.services.cognitoidentity.model.InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool. (Service: AmazonCognitoIdentity; Status Code: 400; Error Code: InvalidIdentityPoolConfigurationException ...)',
      cause:
        'Just like the default role, each role a group or a rule hands out must trust the identity pool (Federated cognito-identity.amazonaws.com, aud = the pool, amr authenticated, sts:AssumeRoleWithWebIdentity); a group role copied from another stack or a role reused across pools often does not. Only the members of those groups, or users matching those rules, hit the error.',
      fix: 'Give each affected role a trust policy that lets this identity pool assume it; a role shared by several pools lists every pool id in aud.',
      docs: DOCS,
    },
  ],
  messages,
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!identityPoolId) return [];
    const entry = openSearchRoleMapping(ctx);
    if (!entry) return []; // no mapping: group roles are not handed out (role-mapping-provider reports ignored group roles)
    const { mapping } = entry;
    const authenticated = ctx.identityPoolRoles().Roles?.['authenticated'];
    const defaultHandedOut = mapping.AmbiguousRoleResolution !== 'Deny';

    // role ARN → who gets it through this mapping
    const holders = new Map<string, string[]>();
    const add = (arn: string | undefined, who: string) => {
      if (arn) holders.set(arn, [...(holders.get(arn) ?? []), who]);
    };
    if (mapping.Type === 'Token') {
      for (const group of ctx.userPoolGroups()) add(group.RoleArn, `group ${group.GroupName}`);
    } else if (mapping.Type === 'Rules') {
      (mapping.RulesConfiguration?.Rules ?? []).forEach((rule, index) =>
        add(rule.RoleARN, `rule ${index + 1} (${rule.Claim} ${rule.MatchType} ${rule.Value})`),
      );
    }

    const place = placeOf(ctx.snapshot);
    const problems: ProblemOf<typeof messages>[] = [];
    for (const [roleArn, who] of holders) {
      if (roleArn === authenticated && defaultHandedOut) continue; // auth-role-trust evaluates it
      const lookup = ctx.lookupRole(roleArn);
      if (lookup.state === 'unreadable') {
        ctx.note(lookup.gap);
        continue;
      }
      const found = { place, identityPoolId, ...(userPoolId ? { userPoolId } : {}), mappingType: mapping.Type, role: roleArn, holders: who };
      const base = { identityPoolId, mappingKey: entry.key, mappingType: mapping.Type, role: roleArn, [mapping.Type === 'Token' ? 'groups' : 'rules']: who };
      if (lookup.state === 'not-found') {
        const getRole = { code: lookup.error.code, message: lookup.error.message };
        problems.push({ mode: 'group-role-trust-invalid', resource: roleArn, data: { ...found, kind: 'not-found', getRole }, evidence: { ...base, getRole } });
        continue;
      }
      const verdict = identityTrustVerdict(lookup.role, identityPoolId, userPoolId, 'authenticated');
      if (verdict.allowed) continue;
      if (verdict.uncertain) {
        ctx.note({ kind: 'unknown', reason: verdict.uncertain });
        continue;
      }
      problems.push({
        mode: 'group-role-trust-invalid',
        resource: roleArn,
        data: {
          ...found,
          kind: 'trust-refuses',
          problem: verdict.problem ?? '',
          repairedTrust: repairedIdentityTrust(lookup.role, roleArn, identityPoolId, 'authenticated', userPoolId),
        },
        evidence: { ...base, ...verdict.evidence, problem: verdict.problem },
      });
    }
    return problems;
  },
});
