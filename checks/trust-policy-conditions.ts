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
  type FindingInput,
  type IdentityPoolRoleUse,
  type WebIdentityKind,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools-security-best-practices.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html',
];

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
      cause: 'The role\'s aud condition lists more than one identity pool. Reusing a role across pools is supported, but every listed pool\'s users get its permissions: review that each pool should.',
      fix: 'Remove identity pools that should not hand out this role from the aud list.',
      docs: DOCS,
    },
  ],
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!identityPoolId) return [];
    const uses: IdentityPoolRoleUse[] = identityPoolRoleUses(ctx);
    const serviceRole = ctx.domain.CognitoOptions?.RoleArn;
    if (serviceRole && !uses.some((u) => u.roleArn === serviceRole)) {
      uses.push({ roleArn: serviceRole, uses: ['CognitoOptions.RoleArn'], authenticated: false, unauthenticated: false });
    }
    const findings: FindingInput[] = [];
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
      const name = roleNameOf(use.roleArn);
      // An Allow without aud is still pinned when a Deny refuses every other identity pool (StringNotEquals aud).
      const otherPool = `${regionOfPoolId(identityPoolId)}:00000000-0000-0000-0000-000000000000`;
      const otherPoolsDenied = (['authenticated', 'unauthenticated'] as const).every((kind) =>
        webIdentityEvaluations(policy, use.roleArn, otherPool, ctx.domain.CognitoOptions?.UserPoolId, kind).every((e) => e.denies.length > 0),
      );
      const problems: string[] = [];
      let amrStar = false;
      statements.forEach((statement) => {
        const where = statements.length > 1 ? `statement ${statement.Sid ?? policy.Statement.indexOf(statement)}: ` : '';
        const aud = cognitoConditions(statement, 'aud');
        const positive = aud.filter((c) => !c.negated);
        if (aud.length === 0) {
          if (!otherPoolsDenied) problems.push(`${where}no aud condition, so any identity pool can hand it out`);
        } else if (positive.length === 0) {
          if (!otherPoolsDenied) problems.push(`${where}aud only excludes identity pools (${aud.map((c) => c.operator).join(', ')}), so every other pool can hand it out`);
        } else {
          const wildcards = positive.filter((c) => c.like).flatMap((c) => c.values.filter((v) => /[*?]/.test(v)));
          if (wildcards.length > 0) problems.push(`${where}aud is the wildcard ${wildcards.join(', ')}, so any matching identity pool can hand it out`);
        }
        const amr = cognitoConditions(statement, 'amr');
        if (amr.some((c) => c.like && !c.negated && c.values.includes('*'))) {
          amrStar = true;
          problems.push(`${where}amr is "*", so unauthenticated as well as authenticated identities can assume it`);
        }
      });
      // A role for signed-in users that guests could also assume (no amr, or an amr that matches unauthenticated).
      if (use.authenticated && !use.unauthenticated && !amrStar) {
        const pools = statements.flatMap(literalAudPools);
        const pool = pools.includes(identityPoolId) || pools.length === 0 ? identityPoolId : pools[0]!;
        // "Also": a role that only guests can assume is miswired, which the trust checks report.
        const guests = identityTrustVerdict(lookup.role, pool, undefined, 'unauthenticated').allowed;
        if (guests && identityTrustVerdict(lookup.role, pool, ctx.domain.CognitoOptions?.UserPoolId, 'authenticated').allowed) {
          const amrValues = statements.flatMap((s) => cognitoConditions(s, 'amr').flatMap((c) => c.values));
          problems.push(
            amrValues.length === 0
              ? 'it has no amr condition, so unauthenticated (guest) identities can assume it as well'
              : `its amr condition (${amrValues.join(', ')}) also matches unauthenticated (guest) identities`,
          );
        }
      }
      const kinds: WebIdentityKind[] = use.authenticated && use.unauthenticated ? ['authenticated', 'unauthenticated'] : use.unauthenticated ? ['unauthenticated'] : ['authenticated'];
      const serviceOnly = !use.authenticated && !use.unauthenticated;
      const what = use.uses.join(' and ');
      if (problems.length > 0) {
        const repaired = serviceOnly ? repairedServiceRoleTrust(lookup.role) : repairedIdentityTrust(lookup.role, use.roleArn, identityPoolId, kinds, ctx.domain.CognitoOptions?.UserPoolId);
        findings.push({
          id: 'trust-policy-missing-conditions',
          message: `The trust policy of ${name} (${what}) trusts the Cognito identity service too broadly: ${problems.join('; ')}.`,
          resource: use.roleArn,
          evidence: {
            role: use.roleArn,
            usedAs: use.uses,
            problems,
            aud: statements.flatMap((s) => cognitoConditions(s, 'aud')),
            amr: statements.flatMap((s) => cognitoConditions(s, 'amr')),
            trustPolicy: policy,
          },
          fix: {
            summary: serviceOnly
              ? `${name} is the Cognito access role: drop its statements trusting the Cognito identity service and keep only opensearchservice.amazonaws.com.`
              : `Pin the trust of ${name} to ${identityPoolId} (and the identity pools it already names) and to ${kinds.join(' and ')} identities; add other pools that should use this role to the aud list.`,
            steps: trustPolicySteps(use.roleArn, serviceOnly ? 'Service opensearchservice.amazonaws.com only' : `aud ${identityPoolId}, amr ${kinds.join(', ')}`),
            commands: [trustPolicyUpdate(use.roleArn, repaired)],
            iac: TRUST_IAC_HINT,
          },
        });
      }
      const pools = [...new Set(statements.flatMap(literalAudPools))];
      if (pools.length > 1) {
        findings.push({
          id: 'trust-policy-multi-pool-aud',
          message: `The trust policy of ${name} (${what}) lets ${pools.length} identity pools hand it out: ${pools.join(', ')}.`,
          resource: use.roleArn,
          evidence: { role: use.roleArn, usedAs: use.uses, identityPools: pools, thisIdentityPool: identityPoolId, otherIdentityPools: pools.filter((p) => p !== identityPoolId) },
          fix: {
            summary: `Check that the users of ${pools.filter((p) => p !== identityPoolId).join(', ')} should get ${name}; remove those that should not from the aud condition.`,
            steps: trustPolicySteps(use.roleArn, 'edit the cognito-identity.amazonaws.com:aud list'),
          },
        });
      }
    }
    return findings;
  },
});
