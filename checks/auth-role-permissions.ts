import {
  broadGrants,
  dashboardsOnlyPolicy,
  defineCheck,
  domainArnOf,
  identityPoliciesOf,
  partitionOf,
  roleNameOf,
  rolesUsersGet,
  sh,
  fixForRole,
  placeOf,
  type BroadGrant,
  type DomainPlace,
  type MessagesOf,
  type ProblemOf,
} from '../src/check-kit.js';

const GUESTS = 'unauthenticated (guest) identities';

/** Who can take the role's credentials out of Dashboards, by who receives it. */
function whoCanUse(who: string[], classicFlow: boolean): string {
  if (who.includes(GUESTS)) {
    const signedIn = who.length > 1 ? ', and so can whoever signs in' : '';
    // The enhanced flow scopes guest sessions down to AmazonCognitoUnAuthedIdentitiesSessionPolicy; the basic flow does not.
    const scope = classicFlow
      ? 'the basic (classic) flow is on, so they get its full permissions'
      : 'the enhanced flow limits guest sessions to the services of AmazonCognitoUnAuthedIdentitiesSessionPolicy, but turning on the basic flow would hand out all of it';
    return `anyone who knows the identity pool id can get these credentials without signing in (${scope})${signedIn}`;
  }
  if (who.length === 1 && who[0] === 'every user') return 'anyone who signs in can use these credentials outside Dashboards';
  return `${who.join(' and ')} can use these credentials outside Dashboards`;
}

/** A role users get whose own policies grant far more than Dashboards needs. */
interface OverprivilegedRole {
  place: DomainPlace;
  role: string;
  receivedBy: string[];
  /** The broad grants to show (only "everything on everything" when the role has it). */
  grants: BroadGrant[];
  /** The policies those grants come from: managed (attached by ARN) or inline. */
  grantedBy: Array<{ policy: string; managed: boolean }>;
  AllowClassicFlow: boolean;
}

const messages = {
  'auth-role-overprivileged': {
    message: (d: OverprivilegedRole) =>
      `${roleNameOf(d.role)} (received by ${d.receivedBy.join(' and ')}) allows ${d.grants.map((g) => g.label).join(', ')}, granted by ${d.grantedBy.map((s) => s.policy).join(', ')}; ${whoCanUse(d.receivedBy, d.AllowClassicFlow)}.`,
    fix: (d: OverprivilegedRole) => {
      const name = roleNameOf(d.role);
      const sources = d.grantedBy.map((s) => s.policy).join(', ');
      return fixForRole(d.place, d.role, {
        summary: `Give ${name} only es:ESHttp* on the domain, then remove ${sources} once you have checked that nothing else relies on ${d.grantedBy.length > 1 ? 'them' : 'it'} (the first command keeps Dashboards working).`,
        steps: [
          `IAM console → Roles → ${name} → Permissions: add an inline policy allowing es:ESHttp* on ${domainArnOf(d.place)}/*.`,
          `Remove (or narrow) ${sources}.`,
        ],
        commands: [
          sh(
            'aws',
            'iam',
            'put-role-policy',
            '--role-name',
            name,
            '--policy-name',
            'DashboardsAccess',
            '--policy-document',
            JSON.stringify(dashboardsOnlyPolicy(d.place)),
          ),
          ...d.grantedBy.map(({ policy, managed }) =>
            managed
              ? sh('aws', 'iam', 'detach-role-policy', '--role-name', name, '--policy-arn', policy)
              : sh('aws', 'iam', 'delete-role-policy', '--role-name', name, '--policy-name', policy),
          ),
        ],
        iac: 'If CloudFormation, CDK or Terraform defines the role, change its policies there, or the next deployment puts them back.',
      });
    },
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'auth-role-permissions',
  title: 'The roles Dashboards users get carry no broad permissions',
  description:
    "For each role users get at login (decision rule 3), and the unauthenticated role when the identity pool allows guests, evaluates the role's own permission policies (the optional rolePolicies part: attached and inline, with its permissions boundary) as IAM does for a Cognito session of the role, so Deny statements, NotAction/NotResource and wildcards count: it reports the role when they allow every action on every resource (*), es:* on every domain of the account in the domain's Region, cognito-identity:* or cognito-sync:* on the identity pool, iam:* on the role itself, or sts:AssumeRole on every role of the account. Grants behind conditions that a Cognito session does not meet are not reported. When the user pool groups of a Token mapping cannot be listed, the default role (and the guest role) are still judged and the check stays unknown for the group roles.",
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles', 'rolePolicies'],
  modes: [
    {
      id: 'auth-role-overprivileged',
      severity: 'warning',
      title: 'A role Dashboards users get is over-privileged',
      symptom:
        "Every user who can sign in to Dashboards can use the role's credentials directly (AWS CLI or SDK with the identity pool), with permissions far beyond Dashboards.",
      cause:
        'The identity-pool credentials of the authenticated (or group, rule, guest) role are not limited to Dashboards: anyone who signs in can call GetCredentialsForIdentity and use every permission of the role. Broad grants (es:*, cognito-identity:*, iam:*, *) usually come from copy-pasted examples.',
      fix: 'Scope the role to es:ESHttp* on <domain ARN>/* and remove the broad policies.',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
      ],
    },
  ],
  messages,
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!identityPoolId) return [];
    const targets = rolesUsersGet(ctx, { partial: true }).map((g) => ({ roleArn: g.roleArn, who: g.who }));
    const unauthenticated = ctx.identityPoolRoles().Roles?.['unauthenticated'];
    if (ctx.identityPool().AllowUnauthenticatedIdentities === true && unauthenticated) {
      const existing = targets.find((t) => t.roleArn === unauthenticated);
      if (existing) existing.who.push(GUESTS);
      else targets.push({ roleArn: unauthenticated, who: [GUESTS] });
    }
    const problems: ProblemOf<typeof messages>[] = [];
    for (const { roleArn, who } of targets) {
      const gapsBefore = ctx.gaps.length;
      const policies = ctx.rolePolicies(roleArn);
      if (!policies) {
        if (ctx.gaps.length === gapsBefore) {
          ctx.note({
            kind: 'not-evaluated',
            reason: `the permission policies of ${roleArn} were not collected: iam:ListAttachedRolePolicies, iam:GetPolicyVersion, iam:ListRolePolicies and iam:GetRolePolicy would read them`,
            permission: 'iam:ListRolePolicies',
          });
        }
        continue;
      }
      const lookup = ctx.lookupRole(roleArn);
      const broad = broadGrants(ctx.snapshot, roleArn, policies, lookup.state === 'found' ? lookup.role : undefined);
      if (broad.length === 0) {
        // A policy without its document may grant anything: no verdict on this role, not a pass.
        const { unread } = identityPoliciesOf(policies, partitionOf(ctx.snapshot));
        if (unread.length > 0) ctx.note({ kind: 'unknown', reason: `${roleArn}: ${unread.join(', ')}`, permission: 'iam:GetPolicyVersion' });
        continue;
      }
      // Everything on everything says it all.
      const shown = broad.some((g) => g.action === '*') ? broad.filter((g) => g.action === '*') : broad;
      const attached = new Set((policies.attached ?? []).map((p) => p.PolicyArn ?? p.PolicyName ?? ''));
      const grantedBy = [...new Set(shown.flatMap((g) => g.statements.map((s) => s.policy)))].map((policy) => ({
        policy,
        managed: attached.has(policy) && policy.startsWith('arn:'),
      }));
      problems.push({
        mode: 'auth-role-overprivileged',
        resource: roleArn,
        data: {
          place: placeOf(ctx.snapshot),
          role: roleArn,
          receivedBy: who,
          grants: shown,
          grantedBy,
          AllowClassicFlow: ctx.identityPool().AllowClassicFlow === true,
        },
        evidence: {
          role: roleArn,
          receivedBy: who,
          grants: shown.map((g) => ({
            grant: g.label,
            action: g.action,
            resource: g.resource,
            statements: g.statements.map((s) => ({ policy: s.policy, ...(s.sid ? { sid: s.sid } : {}), index: s.index, statement: s.statement })),
          })),
        },
      });
    }
    return problems;
  },
});
