// aws_cognito_identity_pool with its aws_cognito_identity_pool_roles_attachment (roles and role mappings).
import { roleMappingKeyOf } from '../../model/pools.js';
import type { Snapshot } from '../../snapshot/types.js';
import { noRoleAttachment, setIdentityPool, setIdentityPoolRoles, type DeclaredProvider } from '../builder.js';
import { isObject, type Json } from '../common.js';
import { Unresolved, firstUnresolved } from '../resolve.js';
import { at, type Builder, type Plan, type PlanResource } from './plan.js';

/** Which key of an identity pool's roles map a role fills, from the amr its trust policy admits. */
function amrOf(p: Plan, roleArn: string): 'authenticated' | 'unauthenticated' | undefined {
  const role = p.ofType('aws_iam_role').find((r) => p.attribute(r, 'arn') === roleArn);
  const trust = role ? p.value(role, ['assume_role_policy']) : undefined;
  if (typeof trust !== 'string') return undefined;
  const amr = /cognito-identity\.amazonaws\.com:amr"\s*:\s*(?:\[\s*)?"(authenticated|unauthenticated)"/.exec(trust);
  return amr ? (amr[1] as 'authenticated' | 'unauthenticated') : undefined;
}

/**
 * The attachment's roles map. On a first deploy the provider marks the whole map known only after
 * apply, so the plan shows neither keys nor values; the configuration still names the roles, and
 * each one's trust policy says which key it fills (amr authenticated / unauthenticated). A single
 * role whose trust does not say is taken as the authenticated one (inferred: an identity pool
 * used for Dashboards logins has an authenticated role).
 */
function rolesMapOf(p: Plan, b: Builder, attachment: PlanResource): Json | undefined {
  const linked = p.value(attachment, ['roles']);
  if (linked === undefined || (isObject(linked) && !firstUnresolved(linked))) return linked as Json | undefined;
  const arns = p.referencedValues(attachment, 'roles').filter((v): v is string => typeof v === 'string' && /^arn:[\w-]+:iam::/.test(v));
  const keyed: Json = {};
  for (const arn of arns) {
    const key = amrOf(p, arn) ?? (arns.length === 1 ? 'authenticated' : undefined);
    if (!key || key in keyed) return b.notA('map', attachment, ['roles']);
    keyed[key] = arn;
  }
  if (arns.length === 0 || (isObject(linked) && Object.keys(linked).some((k) => !(k in keyed)))) return b.notA('map', attachment, ['roles']);
  return keyed;
}

/**
 * The role_mapping blocks; undefined when one is undecided. An identity_provider known only after
 * apply (a client id read by a data source at apply) can only name the service's client, whose id
 * no plan knows: the mapping is keyed on it.
 */
function roleMappingsOf(p: Plan, b: Builder, attachment: PlanResource, serviceKey: string | undefined): Json[] | undefined {
  const merged = p.value(attachment, ['role_mapping']);
  if (merged === undefined) return [];
  if (!Array.isArray(merged)) {
    b.unresolvable(`${attachment.address}.role_mapping`, firstUnresolved(merged)?.reason ?? 'not a list');
    return undefined;
  }
  const out: Json[] = [];
  for (const m of merged.filter(isObject)) {
    const provider = m['identity_provider'];
    const keyed = provider instanceof Unresolved && serviceKey ? { ...m, identity_provider: serviceKey } : m;
    const unresolved = firstUnresolved(keyed);
    if (unresolved) {
      b.unresolvable(`${attachment.address}.role_mapping`, unresolved.reason);
      return undefined;
    }
    out.push(keyed);
  }
  return out;
}

function providerOf(x: Json): DeclaredProvider {
  return {
    ...(typeof x['provider_name'] === 'string' ? { ProviderName: x['provider_name'] } : {}),
    ...(typeof x['client_id'] === 'string' ? { ClientId: x['client_id'] } : {}),
    ServerSideTokenCheck: x['server_side_token_check'] === true,
  };
}

/**
 * The identity pool's providers as the plan leaves them, each element on its own: a client id known
 * only after apply is linked to the configured block that gives it, so one unknown element leaves
 * the rest known. Also which provider the plan removes (in `before`, not in `after`) whose client
 * the plan does not define: OpenSearch Service added it for its own client.
 */
export function declaredProviders(
  p: Plan,
  b: Builder,
  identity: PlanResource,
): { after: DeclaredProvider[] | undefined; removed: (own: Set<string>) => DeclaredProvider | undefined } {
  const merged = p.value(identity, ['cognito_identity_providers']);
  let after: DeclaredProvider[] | undefined;
  if (Array.isArray(merged)) {
    after = merged.filter(isObject).map((x) => providerOf(x));
    const known = new Set(after.map((x) => x.ClientId).filter((id): id is string => id !== undefined));
    const open = after.filter((x) => x.ClientId === undefined);
    const configured = p.blockValues(identity, 'cognito_identity_providers', 'client_id').filter((v): v is string => typeof v === 'string' && !known.has(v));
    if (open.length > 0 && open.length === configured.length) open.forEach((x, i) => (x.ClientId = configured[i]));
    if (open.some((x) => x.ProviderName === undefined)) {
      const names = p.blockValues(identity, 'cognito_identity_providers', 'provider_name');
      const name = names.length > 0 && names.every((n) => n === names[0]) && typeof names[0] === 'string' ? names[0] : undefined;
      for (const x of open) if (x.ProviderName === undefined && name) x.ProviderName = name;
    }
  } else if (merged === undefined) after = [];
  else b.unresolvable(`${identity.address}.cognito_identity_providers`, firstUnresolved(merged)?.reason ?? 'not a list');
  const change = p.changes.get(identity.address);
  const list = (value: unknown) => (Array.isArray(value) ? value.filter(isObject).map(providerOf) : []);
  const before = list(at(change, ['before', 'cognito_identity_providers']));
  return {
    after,
    removed: (own) => {
      if (!after || after.some((x) => x.ClientId === undefined)) return undefined;
      const kept = new Set(after.map((x) => x.ClientId));
      return before.find((x) => x.ClientId !== undefined && !own.has(x.ClientId) && !kept.has(x.ClientId));
    },
  };
}

/**
 * The identity pool the domain names, when the plan manages it; gives the address of the resource
 * that attaches its roles. `providersAfterDeploy` comes from the user pool's reader.
 */
export function readIdentityPool(
  b: Builder,
  snapshot: Snapshot,
  d: PlanResource,
  pools: { userPoolId: string | undefined; identityPoolId: string | undefined },
  user: { pool: PlanResource | undefined; providersAfterDeploy: DeclaredProvider[] | undefined },
): string | undefined {
  const p = b.p;
  const { userPoolId, identityPoolId } = pools;
  const { pool, providersAfterDeploy } = user;
  let roleAttachment: string | undefined;
  const identity = identityPoolId ? p.ofType('aws_cognito_identity_pool').find((r) => p.attribute(r, 'id') === identityPoolId) : undefined;
  if (identity && identityPoolId) {
    const providers = providersAfterDeploy ?? (pool ? undefined : declaredProviders(p, b, identity).after);
    if (!providers && pool) b.unresolvable(`${identity.address}.cognito_identity_providers`, 'the providers of the identity pool are known only after apply');
    const login = b.field(identity, 'supported_login_providers');
    const saml = b.field(identity, 'saml_provider_arns');
    const oidc = b.field(identity, 'openid_connect_provider_arns');
    setIdentityPool(snapshot, {
      IdentityPoolId: identityPoolId,
      IdentityPoolName: b.string(identity, 'identity_pool_name') ?? identity.name,
      AllowUnauthenticatedIdentities: p.value(identity, ['allow_unauthenticated_identities']) === true,
      AllowClassicFlow: p.value(identity, ['allow_classic_flow']) === true,
      CognitoIdentityProviders: providers,
      SupportedLoginProviders: isObject(login) ? (login as Record<string, string>) : undefined,
      SamlProviderARNs: Array.isArray(saml) && saml.length > 0 ? (saml as string[]) : undefined,
      OpenIdConnectProviderARNs: Array.isArray(oidc) && oidc.length > 0 ? (oidc as string[]) : undefined,
    });
    const attachment = b.where('aws_cognito_identity_pool_roles_attachment', 'identity_pool_id', identityPoolId)[0];
    roleAttachment = attachment?.address;
    if (attachment) {
      const roles = rolesMapOf(p, b, attachment);
      const mappings = roleMappingsOf(
        p,
        b,
        attachment,
        snapshot.serviceClientAtDeploy && userPoolId ? roleMappingKeyOf(userPoolId, snapshot.serviceClientAtDeploy) : undefined,
      );
      if (!isObject(roles) || mappings === undefined) b.undecided('cognito-identity:GetIdentityPoolRoles', identityPoolId, attachment.address);
      else {
        const RoleMappings: Json = {};
        for (const m of (Array.isArray(mappings) ? mappings : []).filter(isObject)) {
          const rules = (Array.isArray(m['mapping_rule']) ? m['mapping_rule'] : [])
            .filter(isObject)
            .map((rule) => ({ Claim: rule['claim'], MatchType: rule['match_type'], Value: rule['value'], RoleARN: rule['role_arn'] }));
          RoleMappings[String(m['identity_provider'])] = {
            Type: m['type'],
            ...(typeof m['ambiguous_role_resolution'] === 'string' ? { AmbiguousRoleResolution: m['ambiguous_role_resolution'] } : {}),
            ...(rules.length > 0 ? { RulesConfiguration: { Rules: rules } } : {}),
          };
        }
        setIdentityPoolRoles(snapshot, identityPoolId, roles as Record<string, string>, RoleMappings);
      }
    } else {
      noRoleAttachment(b, `${d.address}.cognito_options.identity_pool_id`, 'aws_cognito_identity_pool_roles_attachment', identityPoolId);
    }
  } else if (identityPoolId) {
    b.notInCode(`${d.address}.cognito_options.identity_pool_id`, `identity pool ${identityPoolId}`, 'cognito-identity:DescribeIdentityPool', identityPoolId);
  }
  return roleAttachment;
}
