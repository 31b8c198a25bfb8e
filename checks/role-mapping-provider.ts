import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import {
  defineCheck,
  identityPoolArnOf,
  identityPoolRolesRoundTrip,
  identityPoolRoundTrip,
  openSearchClientIdOrGap,
  providerNameOf,
  roleBearingGroups,
  roleMappingKeyOf,
  userPoolGroupsOrGap,
  type GroupType,
  type IdentityPool,
  type MessagesOf,
  type ProblemOf,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
];

/** The RoleMappings keys the identity pool's configured providers allow. */
function configuredKeys(pool: IdentityPool): Set<string> {
  const keys = new Set<string>();
  for (const p of pool.CognitoIdentityProviders ?? []) if (p.ProviderName && p.ClientId) keys.add(`${p.ProviderName}:${p.ClientId}`);
  for (const name of Object.keys(pool.SupportedLoginProviders ?? {})) keys.add(name);
  for (const arn of pool.OpenIdConnectProviderARNs ?? []) keys.add(arn.slice(arn.indexOf('oidc-provider/') + 'oidc-provider/'.length));
  for (const arn of pool.SamlProviderARNs ?? []) keys.add(arn);
  return keys;
}

/** A RoleMappings key that matches no provider the identity pool has configured, so its mapping never applies. */
interface UnappliedMapping {
  identityPoolId: string;
  userPoolId: string;
  mappingKey: string;
  mapping: RoleMapping;
  configuredProviders: string[];
  openSearchKey?: string;
  /** The OpenSearch app client, when it is known. */
  openSearchClientId?: string;
  /**
   * openSearchProviderGone: the key is the OpenSearch provider's, which the pool no longer lists;
   * otherClient: another app client of this user pool; otherProvider: any other provider.
   */
  keyedOn: 'openSearchProviderGone' | 'otherClient' | 'otherProvider';
  /** Where the fix moves the mapping: the OpenSearch provider's key, which has no mapping of its own. */
  moveTo?: string;
}

/** Groups carry roles, but the mapping of the OpenSearch provider (absent, or Type Rules without their roles) never hands them out. */
interface IgnoredGroupRoles {
  identityPoolId: string;
  openSearchKey: string;
  openSearchClientId: string;
  mapping: RoleMapping | null;
  ignoredGroups: GroupType[];
  otherMappingKeys: string[];
}

const messages = {
  'role-mapping-key-mismatch': {
    message: (d: UnappliedMapping) => {
      if (d.keyedOn === 'openSearchProviderGone') {
        return `The role mapping ${d.mappingKey} is keyed on the OpenSearch app client, but identity pool ${d.identityPoolId} no longer lists that client as a provider, so the mapping does not apply.`;
      }
      return d.keyedOn === 'otherClient'
        ? `The role mapping ${d.mappingKey} names app client ${namedClientOf(d)}, which is not a provider of identity pool ${d.identityPoolId}${d.openSearchClientId ? ` (the OpenSearch app client is ${d.openSearchClientId})` : ''}, so it never applies.`
        : `The role mapping ${d.mappingKey} matches no provider configured on identity pool ${d.identityPoolId}, so it never applies.`;
    },
    fix: (d: UnappliedMapping) => {
      if (d.keyedOn === 'openSearchProviderGone') {
        const provider = { ProviderName: providerNameOf(d.userPoolId), ClientId: d.openSearchClientId, ServerSideTokenCheck: true };
        return {
          summary: `Add ${provider.ProviderName} with client ${d.openSearchClientId} back to the identity pool's providers; the mapping itself is right.`,
          steps: [
            `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → Add identity provider → Amazon Cognito user pool ${d.userPoolId}, app client ${d.openSearchClientId}.`,
          ],
          commands: identityPoolRoundTrip(
            d.identityPoolId,
            '.CognitoIdentityProviders = (((.CognitoIdentityProviders // []) + [$provider]) | unique_by([.ProviderName, .ClientId]))',
            { provider },
          ),
          iac: 'If Terraform manages the identity pool, add cognito_identity_providers to lifecycle.ignore_changes; otherwise the next apply removes the provider again.',
        };
      }
      const key = d.mappingKey;
      return {
        summary: d.moveTo
          ? `Move the mapping from ${key} to ${d.moveTo}, keeping every other mapping and the roles.`
          : `Remove the stale mapping ${key} (or add its provider back to the identity pool), keeping every other mapping and the roles.`,
        steps: [
          `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → Identity providers.`,
          d.moveTo
            ? `Edit the role settings of the user pool provider with app client ${d.openSearchClientId} and recreate the mapping there (${d.mapping.Type}); remove the provider entry of app client ${namedClientOf(d)} if it is left over.`
            : `Remove the mapping for ${key}, or add that provider to the identity pool if it is still in use.`,
        ],
        commands: d.moveTo
          ? identityPoolRolesRoundTrip(d.identityPoolId, '.RoleMappings[$to] = .RoleMappings[$from] | del(.RoleMappings[$from])', { from: key, to: d.moveTo })
          : identityPoolRolesRoundTrip(d.identityPoolId, 'del(.RoleMappings[$from])', { from: key }),
        iac: 'Key the mapping on the app client OpenSearch Service created (its id is not exported by CloudFormation or DescribeDomain: read it from ListUserPoolClients).',
      };
    },
  },
  'group-roles-ignored': {
    message: (d: IgnoredGroupRoles) => {
      const names = d.ignoredGroups.map((g) => g.GroupName ?? '');
      return d.mapping
        ? `The role mapping for the OpenSearch provider is Type ${d.mapping.Type}, so the roles of group${names.length > 1 ? 's' : ''} ${names.join(', ')} are never handed out.`
        : `${names.length > 1 ? `Groups ${names.join(', ')} carry roles` : `Group ${names[0]} carries a role`}, but identity pool ${d.identityPoolId} has no role mapping for the OpenSearch provider ${d.openSearchKey}, so every user gets the default authenticated role.`;
    },
    fix: (d: IgnoredGroupRoles) => {
      const rules = d.mapping?.Type === 'Rules' ? (d.mapping.RulesConfiguration?.Rules ?? []) : [];
      const edit = `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → the user pool provider with app client ${d.openSearchClientId} → Edit.`;
      if (rules.length > 0) {
        // Switching to Token would drop rules that hand out roles (and that rules-mapping-no-match may be asking to repair).
        return {
          summary: `Keep the ${rules.length} rule${rules.length > 1 ? 's' : ''} of ${d.openSearchKey} and add one for each ignored group (Claim cognito:groups, Contains the group name, its role), or switch the mapping to Type Token, which hands out the group roles but drops the rules.`,
          steps: [
            edit,
            `Role settings: Choose role with rules; add, after the existing rules, ${d.ignoredGroups.map((g) => `cognito:groups Contains ${g.GroupName} → ${g.RoleArn}`).join('; ')}, then Save. Rules are evaluated in order, so a user matching an earlier rule keeps that rule's role.`,
            'Or Role settings: Choose role from token, which replaces every rule with the group roles (and their precedence).',
          ],
        };
      }
      return {
        summary: `Set the role mapping of ${d.openSearchKey} to Type Token ("Choose role from token"), keeping every other mapping and the roles.`,
        steps: [edit, 'Role settings: Choose role from token; Role resolution: Use default authenticated role (or Deny), then Save.'],
        commands: identityPoolRolesRoundTrip(
          d.identityPoolId,
          '.RoleMappings = ((.RoleMappings // {}) | .[$key] = ((.[$key] // {AmbiguousRoleResolution: "AuthenticatedRole"}) | .Type = "Token" | del(.RulesConfiguration)))',
          { key: d.openSearchKey },
        ),
      };
    },
  },
} satisfies MessagesOf;

/** The app client a mapping key of this user pool names. */
function namedClientOf(d: UnappliedMapping): string {
  return d.mappingKey.slice(providerNameOf(d.userPoolId).length + 1);
}

export default defineCheck({
  id: 'role-mapping-provider',
  title: "The identity pool's role mapping applies to the OpenSearch app client",
  description:
    'Compares every key of GetIdentityPoolRoles.RoleMappings with the providers the identity pool has configured (CognitoIdentityProviders ProviderName:ClientId, SupportedLoginProviders, OIDC and SAML providers): a key that matches none never applies. Then, when user pool groups carry a RoleArn, requires a RoleMappings entry of Type Token for cognito-idp.<region>.amazonaws.com/<UserPoolId>:<OpenSearch client id>; without it the group roles are ignored.',
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles'],
  modes: [
    {
      id: 'role-mapping-key-mismatch',
      severity: 'error',
      title: 'A role mapping is keyed on a provider the identity pool does not have',
      symptom:
        'Group or rule roles are ignored and everyone gets the default authenticated role (often ending in "Missing Role"); IaC deployments fail with: ... is not a valid RoleMapping ProviderName or is not a configured provider.',
      cause:
        'RoleMappings keys must be cognito-idp.<region>.amazonaws.com/<UserPoolId>:<AppClientId> of a configured provider; a mapping keyed on a self-made app client, an old client id or a removed provider never applies.',
      fix: 'Re-key the mapping on the OpenSearch app client (or remove the stale mapping) with a get → edit → set round trip that keeps every other mapping.',
      docs: DOCS,
    },
    {
      id: 'group-roles-ignored',
      severity: 'error',
      title: 'User pool group roles are ignored (no "Choose role from token")',
      symptom:
        'A user in a group that carries the FGAC master or limited role still lands in Dashboards with the default authenticated role (often "Missing Role").',
      cause:
        'Group roles reach the identity pool through the ID token, and the identity pool uses them only when the role mapping for the OpenSearch provider is Type Token ("Choose role from token"). Without that mapping, or with Rules that do not hand out the group roles, every user gets the default role.',
      fix: 'Set the role mapping for the OpenSearch provider to Type Token, keeping the other mappings.',
      docs: DOCS,
    },
  ],
  messages,
  run(ctx) {
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!userPoolId || !identityPoolId) return [];
    const pool = ctx.identityPool();
    const mappings = ctx.identityPoolRoles().RoleMappings ?? {};
    const poolArn = identityPoolArnOf(ctx.snapshot, identityPoolId);
    const clientId = openSearchClientIdOrGap(ctx);
    const osKey = clientId ? roleMappingKeyOf(userPoolId, clientId) : undefined;
    const keys = configuredKeys(pool);
    const ourProvider = `${providerNameOf(userPoolId)}:`;
    const problems: ProblemOf<typeof messages>[] = [];

    // The mapping meant for Dashboards applies when a valid key for this user pool carries it.
    const dashboardsMapped = osKey ? osKey in mappings && keys.has(osKey) : Object.keys(mappings).some((k) => k.startsWith(ourProvider) && keys.has(k));
    for (const [key, mapping] of Object.entries(mappings)) {
      if (keys.has(key)) continue;
      const evidence = { mappingKey: key, mapping, configuredProviders: [...keys].sort(), ...(osKey ? { openSearchKey: osKey } : {}) };
      const found = { ...evidence, identityPoolId, userPoolId, ...(clientId ? { openSearchClientId: clientId } : {}) };
      if (key === osKey && clientId) {
        // The mapping is right; the provider it names is gone (token-not-from-supported-provider).
        problems.push({ mode: 'role-mapping-key-mismatch', resource: poolArn, data: { ...found, keyedOn: 'openSearchProviderGone' }, evidence });
        continue;
      }
      const forOurPool = key.startsWith(ourProvider);
      const moveTo = forOurPool && osKey && !(osKey in mappings) ? osKey : undefined;
      problems.push({
        mode: 'role-mapping-key-mismatch',
        severity: forOurPool && !dashboardsMapped ? 'error' : 'warning',
        resource: poolArn,
        data: { ...found, keyedOn: forOurPool ? 'otherClient' : 'otherProvider', ...(moveTo ? { moveTo } : {}) },
        evidence,
      });
    }

    if (!osKey || !clientId) return problems; // a missing client is opensearch-app-client-deleted-or-bypassed
    const mapping = mappings[osKey];
    // With Token the group roles are handed out whatever the groups are: no need to read them.
    if (mapping?.Type === 'Token') return problems;
    const groups = roleBearingGroups(userPoolGroupsOrGap(ctx));
    if (groups.length === 0) return problems;
    const rules = mapping?.Type === 'Rules' ? (mapping.RulesConfiguration?.Rules ?? []) : [];
    const ruleRoles = new Set(rules.map((r) => r.RoleARN));
    const ignored = mapping?.Type === 'Rules' ? groups.filter((g) => !ruleRoles.has(g.RoleArn)) : groups;
    if (ignored.length === 0) return problems;
    const otherMappingKeys = Object.keys(mappings).filter((k) => k !== osKey);
    problems.push({
      mode: 'group-roles-ignored',
      resource: poolArn,
      data: { identityPoolId, openSearchKey: osKey, openSearchClientId: clientId, mapping: mapping ?? null, ignoredGroups: ignored, otherMappingKeys },
      evidence: {
        openSearchKey: osKey,
        mapping: mapping ?? null,
        ignoredGroups: ignored.map((g) => ({ GroupName: g.GroupName, RoleArn: g.RoleArn, Precedence: g.Precedence })),
        otherMappingKeys,
      },
    });
    return problems;
  },
});
