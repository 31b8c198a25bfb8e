import {
  defineCheck,
  identityTrustVerdict,
  principalTagMapsOf,
  principalTagsOn,
  providerNameOf,
  roleNameOf,
  rolesUsersGet,
  TRUST_IAC_HINT,
  trustPolicyOf,
  trustPolicySteps,
  trustPolicyUpdate,
  trustWithTagSession,
  webIdentityEvaluations,
  fixForRole,
  placeOf,
  type DomainPlace,
  type MessagesOf,
  type PolicyDocument,
  type ProblemOf,
} from '../src/check-kit.js';

/** A role users get whose trust lets the identity pool assume it, but not tag the session, while principal tags are on. */
interface MissingTagSession {
  identityPoolId: string;
  identityProviderName: string;
  UseDefaults: boolean;
  PrincipalTags: Record<string, string>;
  role: string;
  receivedBy: string[];
  trustPolicy: PolicyDocument;
  tagSession: 'denied' | 'not allowed';
  place: DomainPlace;
  /** The trust with sts:TagSession added to its Cognito statement, when one can be built. */
  repairedTrust?: PolicyDocument;
}

const messages = {
  'principal-tags-trust-missing-tagsession': {
    message: (d: MissingTagSession) => {
      const tags = d.UseDefaults ? 'the default mappings' : `the tags ${Object.keys(d.PrincipalTags).join(', ')}`;
      return `Identity pool ${d.identityPoolId} passes principal tags (${tags}) for ${d.identityProviderName}, but the trust of ${roleNameOf(d.role)} (received by ${d.receivedBy.join(' and ')}) ${d.tagSession === 'denied' ? 'denies' : 'does not allow'} sts:TagSession, so their logins are likely refused.`;
    },
    fix: (d: MissingTagSession) => {
      const name = roleNameOf(d.role);
      const denied = d.tagSession === 'denied';
      return fixForRole(d.place, d.role, {
        summary: denied
          ? `Remove the Deny on sts:TagSession from the trust of ${name} and add sts:TagSession to its Cognito statement, or turn attributes for access control off.`
          : `Add sts:TagSession to the Cognito statement of the trust of ${name} (other statements and conditions are kept), or turn attributes for access control off if nothing uses the tags.`,
        steps: trustPolicySteps(d.role, 'the Cognito statement with "sts:TagSession" added to its Action'),
        ...(d.repairedTrust && !denied ? { commands: [trustPolicyUpdate(d.role, d.repairedTrust)] } : {}),
        iac: TRUST_IAC_HINT,
      });
    },
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'principal-tags-trust',
  title: 'Roles users get allow sts:TagSession when the identity pool passes principal tags',
  description:
    'With the optional GetPrincipalTagAttributeMap result for the identity pool and the OpenSearch provider (cognito-idp.<region>.amazonaws.com/<UserPoolId>): when "attributes for access control" is on (UseDefaults true, or PrincipalTags not empty), Cognito passes session tags to STS, so each role users get (decision rule 3) whose trust already lets the pool assume it must also allow sts:TagSession for the same principal and conditions. The trust is evaluated as for the login (Federated cognito-identity principal, aud = the identity pool, amr = authenticated). That the tagged request fails without sts:TagSession is inferred from IAM\'s session-tag rules, not stated for Cognito, so this is a warning.',
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles', 'principalTagAttributeMaps'],
  modes: [
    {
      id: 'principal-tags-trust-missing-tagsession',
      severity: 'warning',
      inferred: true,
      title: "A role's trust lacks sts:TagSession while the identity pool passes principal tags",
      symptom:
        'Right after "attributes for access control" is turned on: InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool.',
      cause:
        'With principal tags, Cognito asks STS to tag the session; a role trust that allows only sts:AssumeRoleWithWebIdentity does not allow sts:TagSession, so the request is refused.',
      fix: 'Add "sts:TagSession" to the Action of the trust statement that lets the identity pool assume the role.',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/using-attributes-for-access-control-policy-example.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html',
      ],
    },
  ],
  messages,
  run(ctx) {
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!identityPoolId || !userPoolId) return [];
    const maps = principalTagMapsOf(ctx);
    if (!maps) return [];
    const provider = providerNameOf(userPoolId);
    const map = maps.find((m) => m.IdentityProviderName === provider && (!m.IdentityPoolId || m.IdentityPoolId === identityPoolId));
    if (!principalTagsOn(map)) return [];
    const place = placeOf(ctx.snapshot);
    const problems: ProblemOf<typeof messages>[] = [];
    for (const grant of rolesUsersGet(ctx, { partial: true })) {
      const lookup = ctx.lookupRole(grant.roleArn);
      if (lookup.state === 'unreadable') {
        ctx.note(lookup.gap);
        continue;
      }
      if (lookup.state === 'not-found') continue; // missing roles are the trust checks' findings
      // A trust that refuses the login itself is identity-pool-trust-invalid / group-role-trust-invalid.
      if (!identityTrustVerdict(lookup.role, identityPoolId, userPoolId, 'authenticated').allowed) continue;
      const policy = trustPolicyOf(lookup.role).policy;
      if (!policy) continue;
      const evaluations = webIdentityEvaluations(policy, grant.roleArn, identityPoolId, userPoolId, 'authenticated', 'sts:TagSession');
      if (evaluations.some((e) => e.decision === 'Allow')) continue;
      const unsupported = [...new Set(evaluations.flatMap((e) => e.unsupported))];
      if (unsupported.length > 0 && evaluations.every((e) => e.denies.length === 0)) {
        ctx.note({
          kind: 'unknown',
          reason: `the trust policy of ${grant.roleArn} uses condition operators cogdoctor cannot evaluate (${unsupported.join(', ')}); check sts:TagSession by hand`,
        });
        continue;
      }
      const evidence = {
        identityPoolId,
        identityProviderName: provider,
        UseDefaults: map?.UseDefaults ?? false,
        PrincipalTags: map?.PrincipalTags ?? {},
        role: grant.roleArn,
        receivedBy: grant.who,
        trustPolicy: policy,
        tagSession: evaluations.some((e) => e.denies.length > 0) ? ('denied' as const) : ('not allowed' as const),
      };
      const repairedTrust = trustWithTagSession(lookup.role);
      problems.push({
        mode: 'principal-tags-trust-missing-tagsession',
        resource: grant.roleArn,
        data: { ...evidence, place, ...(repairedTrust ? { repairedTrust } : {}) },
        evidence,
      });
    }
    return problems;
  },
});
