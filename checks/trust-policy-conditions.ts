import {
  cognitoConditions,
  cognitoWebIdentityAllows,
  defineCheck,
  identityPoolRoleUses,
  identityTrustVerdict,
  literalAudPools,
  regionOfPoolId,
  repairedIdentityTrust,
  repairedServiceRoleTrust,
  roleNameOf,
  TRUST_IAC_HINT,
  trustPolicyOf,
  trustPolicySteps,
  trustPolicyUpdate,
  webIdentityEvaluations,
  type IdentityPoolRoleUse,
  type MessagesOf,
  type PolicyDocument,
  type ProblemOf,
  type WebIdentityKind,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html',
];

/** One way a Cognito statement of the trust lets more identities in than it should. */
type TrustGap = { statement?: string | number } & (
  | { kind: 'no-aud' }
  | { kind: 'aud-only-excludes'; operators: string[] }
  | { kind: 'aud-wildcard'; values: string[] }
  | { kind: 'amr-star' }
  /** A role for signed-in users that guests can assume too: no amr condition, or one that matches unauthenticated. */
  | { kind: 'guests-allowed'; amr: string[] }
);

function describeTrustGap(gap: TrustGap): string {
  const where = gap.statement === undefined ? '' : `statement ${gap.statement}: `;
  switch (gap.kind) {
    case 'no-aud':
      return `${where}no aud condition, so any identity pool can hand it out`;
    case 'aud-only-excludes':
      return `${where}aud only excludes identity pools (${gap.operators.join(', ')}), so every other pool can hand it out`;
    case 'aud-wildcard':
      return `${where}aud is the wildcard ${gap.values.join(', ')}, so any matching identity pool can hand it out`;
    case 'amr-star':
      return `${where}amr is "*", so unauthenticated as well as authenticated identities can assume it`;
    case 'guests-allowed':
      return gap.amr.length === 0
        ? 'it has no amr condition, so unauthenticated (guest) identities can assume it as well'
        : `its amr condition (${gap.amr.join(', ')}) also matches unauthenticated (guest) identities`;
  }
}

/** A role on the login path whose trust of the Cognito identity service is not pinned to the pool or the kind of identity. */
interface LooseTrust {
  identityPoolId: string;
  role: string;
  usedAs: string[];
  gaps: TrustGap[];
  /** Only CognitoOptions.RoleArn: a service role that should not trust Cognito identities at all. */
  serviceOnly: boolean;
  kinds: WebIdentityKind[];
  repairedTrust: PolicyDocument;
}

/** A role whose aud condition lists several identity pools. */
interface SharedRole {
  role: string;
  usedAs: string[];
  identityPools: string[];
  thisIdentityPool: string;
  otherIdentityPools: string[];
}

const messages = {
  'trust-policy-missing-conditions': {
    message: (d: LooseTrust) =>
      `The trust policy of ${roleNameOf(d.role)} (${d.usedAs.join(' and ')}) trusts the Cognito identity service too broadly: ${d.gaps.map(describeTrustGap).join('; ')}.`,
    fix: (d: LooseTrust) => {
      const name = roleNameOf(d.role);
      return {
        summary: d.serviceOnly
          ? `${name} is the Cognito access role: drop its statements trusting the Cognito identity service and keep only opensearchservice.amazonaws.com.`
          : `Pin the trust of ${name} to ${d.identityPoolId} (and the identity pools it already names) and to ${d.kinds.join(' and ')} identities; add other pools that should use this role to the aud list.`,
        steps: trustPolicySteps(d.role, d.serviceOnly ? 'Service opensearchservice.amazonaws.com only' : `aud ${d.identityPoolId}, amr ${d.kinds.join(', ')}`),
        commands: [trustPolicyUpdate(d.role, d.repairedTrust)],
        iac: TRUST_IAC_HINT,
      };
    },
  },
  'trust-policy-multi-pool-aud': {
    message: (d: SharedRole) =>
      `The trust policy of ${roleNameOf(d.role)} (${d.usedAs.join(' and ')}) lets ${d.identityPools.length} identity pools hand it out: ${d.identityPools.join(', ')}.`,
    fix: (d: SharedRole) => ({
      summary: `Check that the users of ${d.otherIdentityPools.join(', ')} should get ${roleNameOf(d.role)}; remove those that should not from the aud condition.`,
      steps: trustPolicySteps(d.role, 'edit the cognito-identity.amazonaws.com:aud list'),
    }),
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'trust-policy-conditions',
  title: 'Identity-pool role trusts are pinned to the identity pool and the kind of identity',
  description:
    'For every role on the login path whose trust policy lets the Federated cognito-identity.amazonaws.com principal (or its GovCloud/China name) call sts:AssumeRoleWithWebIdentity: the authenticated and unauthenticated roles, every group RoleArn, every rule RoleARN and CognitoOptions.RoleArn when its trust names Cognito. Flags a statement without an aud condition or with an exclusion-only aud (unless a Deny statement refuses every other identity pool, e.g. StringNotEquals on aud), a wildcard aud, an amr of "*", and roles handed to signed-in users whose trust also accepts unauthenticated identities; reports roles whose aud lists several identity pools.',
  reads: ['domain', 'userPool', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles'],
  modes: [
    {
      id: 'trust-policy-missing-conditions',
      severity: 'warning',
      title: 'An identity-pool role trust lacks its aud or amr restriction',
      symptom: 'Identities from other identity pools, or unauthenticated (guest) identities, can assume a role meant for signed-in Dashboards users.',
      cause:
        'The role trusts cognito-identity.amazonaws.com without pinning cognito-identity.amazonaws.com:aud to the identity pool (or with a wildcard), or with an amr of "*", or an authenticated role\'s amr also allows unauthenticated identities. IAM now refuses new identity-pool trusts without conditions, and STS requires both aud and amr for cross-account basic-flow requests, but older roles keep their open trust.',
      fix: 'Add StringEquals cognito-identity.amazonaws.com:aud = the identity pool id and ForAnyValue:StringLike cognito-identity.amazonaws.com:amr = authenticated (unauthenticated for the guest role).',
      docs: DOCS,
    },
    {
      id: 'trust-policy-multi-pool-aud',
      severity: 'info',
      title: 'A role is trusted by several identity pools',
      symptom: 'Users of every identity pool the trust lists can receive this role.',
      cause:
        "The role's aud condition lists more than one identity pool. Reusing a role across pools is supported, but every listed pool's users get its permissions: review that each pool should.",
      fix: 'Remove identity pools that should not hand out this role from the aud list.',
      docs: DOCS,
    },
  ],
  messages,
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!identityPoolId) return [];
    const uses: IdentityPoolRoleUse[] = identityPoolRoleUses(ctx);
    const serviceRole = ctx.domain.CognitoOptions?.RoleArn;
    if (serviceRole && !uses.some((u) => u.roleArn === serviceRole)) {
      uses.push({ roleArn: serviceRole, uses: ['CognitoOptions.RoleArn'], authenticated: false, unauthenticated: false });
    }
    const problems: ProblemOf<typeof messages>[] = [];
    for (const use of uses) {
      const lookup = ctx.lookupRole(use.roleArn);
      if (lookup.state === 'unreadable') {
        ctx.note(lookup.gap);
        continue;
      }
      if (lookup.state === 'not-found') continue; // the trust checks report a missing role
      const { policy } = trustPolicyOf(lookup.role);
      if (!policy) continue;
      const statements = cognitoWebIdentityAllows(policy);
      if (statements.length === 0) continue; // decision rule 17: only roles whose trust names Cognito
      // An Allow without aud is still pinned when a Deny refuses every other identity pool (StringNotEquals aud).
      const otherPool = `${regionOfPoolId(identityPoolId)}:00000000-0000-0000-0000-000000000000`;
      const otherPoolsDenied = (['authenticated', 'unauthenticated'] as const).every((kind) =>
        webIdentityEvaluations(policy, use.roleArn, otherPool, ctx.domain.CognitoOptions?.UserPoolId, kind).every((e) => e.denies.length > 0),
      );
      const gaps: TrustGap[] = [];
      let amrStar = false;
      statements.forEach((statement) => {
        const where = statements.length > 1 ? { statement: statement.Sid ?? policy.Statement.indexOf(statement) } : {};
        const aud = cognitoConditions(statement, 'aud');
        const positive = aud.filter((c) => !c.negated);
        if (aud.length === 0) {
          if (!otherPoolsDenied) gaps.push({ ...where, kind: 'no-aud' });
        } else if (positive.length === 0) {
          if (!otherPoolsDenied) gaps.push({ ...where, kind: 'aud-only-excludes', operators: aud.map((c) => c.operator) });
        } else {
          const wildcards = positive.filter((c) => c.like).flatMap((c) => c.values.filter((v) => /[*?]/.test(v)));
          if (wildcards.length > 0) gaps.push({ ...where, kind: 'aud-wildcard', values: wildcards });
        }
        const amr = cognitoConditions(statement, 'amr');
        if (amr.some((c) => c.like && !c.negated && c.values.includes('*'))) {
          amrStar = true;
          gaps.push({ ...where, kind: 'amr-star' });
        }
      });
      // A role for signed-in users that guests could also assume (no amr, or an amr that matches unauthenticated).
      if (use.authenticated && !use.unauthenticated && !amrStar) {
        const pools = statements.flatMap(literalAudPools);
        const pool = pools.includes(identityPoolId) || pools.length === 0 ? identityPoolId : pools[0]!;
        // "Also": a role that only guests can assume is miswired, which the trust checks report.
        const guests = identityTrustVerdict(lookup.role, pool, undefined, 'unauthenticated').allowed;
        if (guests && identityTrustVerdict(lookup.role, pool, ctx.domain.CognitoOptions?.UserPoolId, 'authenticated').allowed) {
          gaps.push({ kind: 'guests-allowed', amr: statements.flatMap((s) => cognitoConditions(s, 'amr').flatMap((c) => c.values)) });
        }
      }
      const kinds: WebIdentityKind[] =
        use.authenticated && use.unauthenticated ? ['authenticated', 'unauthenticated'] : use.unauthenticated ? ['unauthenticated'] : ['authenticated'];
      const serviceOnly = !use.authenticated && !use.unauthenticated;
      if (gaps.length > 0) {
        const aud = statements.flatMap((s) => cognitoConditions(s, 'aud'));
        const amr = statements.flatMap((s) => cognitoConditions(s, 'amr'));
        problems.push({
          mode: 'trust-policy-missing-conditions',
          resource: use.roleArn,
          data: {
            identityPoolId,
            role: use.roleArn,
            usedAs: use.uses,
            gaps,
            serviceOnly,
            kinds,
            repairedTrust: serviceOnly
              ? repairedServiceRoleTrust(lookup.role)
              : repairedIdentityTrust(lookup.role, use.roleArn, identityPoolId, kinds, ctx.domain.CognitoOptions?.UserPoolId),
          },
          evidence: { role: use.roleArn, usedAs: use.uses, problems: gaps.map(describeTrustGap), aud, amr, trustPolicy: policy },
        });
      }
      const pools = [...new Set(statements.flatMap(literalAudPools))];
      if (pools.length > 1) {
        problems.push({
          mode: 'trust-policy-multi-pool-aud',
          resource: use.roleArn,
          data: {
            role: use.roleArn,
            usedAs: use.uses,
            identityPools: pools,
            thisIdentityPool: identityPoolId,
            otherIdentityPools: pools.filter((p) => p !== identityPoolId),
          },
        });
      }
    }
    return problems;
  },
});
