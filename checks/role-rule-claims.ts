import type { MappingRule } from '@aws-sdk/client-cognito-identity';
import {
  DEFAULT_WRITE_ATTRIBUTES,
  defineCheck,
  identityPoolArnOf,
  openSearchRoleMapping,
  roleNameOf,
  schemaAttribute,
  userPoolClientRoundTrip,
  userWritePaths,
  type MessagesOf,
  type ProblemOf,
  type WritePath,
} from '../src/check-kit.js';

/** A rule of the OpenSearch provider's Rules mapping whose Claim end users can write themselves. */
interface RuleOnUserWrittenClaim {
  identityPoolId: string;
  userPoolId: string;
  mappingKey: string;
  ruleIndex: number;
  rule: MappingRule;
  attribute: { Name: string; Mutable: boolean | null };
  writePaths: WritePath[];
  AllowAdminCreateUserOnly: boolean | null;
  /** App clients whose WriteAttributes the fix takes the claim out of. */
  removableFrom: string[];
  /** App clients that must keep writing it: an identity provider there maps it (or its mappings were not read). */
  federatedWriters: string[];
}

const messages = {
  'role-rules-on-mutable-claims': {
    message: (d: RuleOnUserWrittenClaim) => {
      const via = d.writePaths.map((p) => `${p.how} through ${p.clientName ?? p.clientId}`);
      return `Rule ${d.ruleIndex + 1} of the role mapping ${d.mappingKey} gives ${roleNameOf(d.rule.RoleARN ?? '')} to users whose ${d.attribute.Name} ${d.rule.MatchType} ${d.rule.Value}, and users can set ${d.attribute.Name} themselves (${via.join('; ')}).`;
    },
    fix: (d: RuleOnUserWrittenClaim) => {
      const claim = d.attribute.Name;
      const rule = d.ruleIndex + 1;
      const removable = d.removableFrom;
      const federatedWriters = d.federatedWriters;
      return {
        summary:
          removable.length > 0
            ? `Match rule ${rule} on cognito:groups (only administrators change group membership), or take ${claim} out of WriteAttributes of ${removable.join(', ')} (the commands set an explicit list without it).${federatedWriters.length > 0 ? ` Keep it writable on ${federatedWriters.join(', ')}: an identity provider there maps ${claim} (or its mappings were not read), and Cognito writes mapped attributes through the client.` : ''}`
            : `Match rule ${rule} on cognito:groups (only administrators change group membership): ${claim} must stay writable on ${federatedWriters.join(', ')}, because an identity provider there maps it (or its mappings were not read) and Cognito writes mapped attributes through the client.`,
        steps: [
          `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → the user pool provider → Edit → Role settings: rule ${rule}.`,
          ...(removable.length > 0
            ? [
                `Or: User pools → ${d.userPoolId} → App clients → each of ${removable.join(', ')} → Attribute read and write permissions → Edit: clear ${claim} under write.`,
              ]
            : []),
        ],
        commands: removable.flatMap((clientId) =>
          userPoolClientRoundTrip(d.userPoolId, clientId, '.WriteAttributes = ((.WriteAttributes // $default) - [$attribute])', {
            default: DEFAULT_WRITE_ATTRIBUTES,
            attribute: claim,
          }),
        ),
      };
    },
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'role-rule-claims',
  title: 'Rule-based role mapping does not rest on attributes users can set themselves',
  description:
    "For a Rules role mapping on the OpenSearch provider (GetIdentityPoolRoles), takes each rule's Claim that is a user pool attribute and asks whether an end user can give their own account a chosen value: through an app client of the pool that may write it (WriteAttributes; when not set, every attribute counts as writable) and lets the user hold a token with aws.cognito.signin.user.admin (a public client with a user sign-in flow, or managed login handing that scope to the browser), for a mutable attribute; or by signing up through such a public client when self sign-up is on (immutable attributes too). Email and phone number changes that must be verified first are left out. Claims Cognito sets (cognito:groups, sub, ...) never count.",
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityPoolRoles'],
  modes: [
    {
      id: 'role-rules-on-mutable-claims',
      severity: 'warning',
      title: 'A role mapping rule tests an attribute users can change',
      symptom: "Any user can obtain the rule's role by setting the attribute to the value the rule matches.",
      cause:
        'The rule compares a user attribute that an app client lets end users write. "If the claim that you are mapping to a role can be modified by the end user, any end user can assume your role."',
      fix: "Base the rule on an attribute users cannot write (cognito:groups, or an attribute removed from every client's WriteAttributes).",
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html',
      ],
    },
  ],
  messages,
  run(ctx) {
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!userPoolId || !identityPoolId) return [];
    const entry = openSearchRoleMapping(ctx);
    if (entry?.mapping.Type !== 'Rules') return [];
    const pool = ctx.userPool();
    const clients = ctx.userPoolClients();
    const problems: ProblemOf<typeof messages>[] = [];
    (entry.mapping.RulesConfiguration?.Rules ?? []).forEach((rule, index) => {
      const claim = rule.Claim ?? '';
      const paths = userWritePaths(claim, pool, clients);
      if (paths.length === 0) return;
      const clientIds = [...new Set(paths.map((p) => p.clientId))];
      // Cognito writes an identity provider's mapped attributes through the app client: taking write
      // access away would break those sign-ins (federated-attribute-mapping-error). Unknown mappings count as mapping it.
      const federatedWriters = clientIds.filter((clientId) => {
        const offered = (clients.find((c) => c.ClientId === clientId)?.SupportedIdentityProviders ?? []).filter((name) => name !== 'COGNITO');
        if (offered.length === 0) return false;
        const providers = ctx.snapshot.identityProviders;
        return !providers || providers.some((p) => offered.includes(p.ProviderName ?? '') && p.AttributeMapping?.[claim] !== undefined);
      });
      const evidence = {
        mappingKey: entry.key,
        ruleIndex: index,
        rule,
        attribute: { Name: claim, Mutable: schemaAttribute(pool, claim)?.Mutable ?? null },
        writePaths: paths,
        AllowAdminCreateUserOnly: pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? null,
      };
      problems.push({
        mode: 'role-rules-on-mutable-claims',
        resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
        data: {
          ...evidence,
          identityPoolId,
          userPoolId,
          removableFrom: clientIds.filter((clientId) => !federatedWriters.includes(clientId)),
          federatedWriters,
        },
        evidence,
      });
    });
    return problems;
  },
});
