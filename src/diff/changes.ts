import { createHash } from 'node:crypto';
// Field-by-field comparison of two snapshots, on the parts that matter to login. Each snapshot is first
// projected onto those fields, with lists of AWS objects keyed by their id (so a path reads
// `userPoolClients[<ClientId>].CallbackURLs`) and policies reduced to their statements; lists whose
// order means nothing are compared as sets.
import { parsePolicy } from '../policy/index.js';
import type { Snapshot } from '../snapshot/types.js';
import { compareText } from '../util/order.js';

/** One field that differs between the old and the new snapshot. */
export interface ConfigChange {
  /** Where, e.g. `userPoolClients[4q8v…].CallbackURLs`, `domain.CognitoOptions.IdentityPoolId`. */
  path: string;
  /** The snapshot part (a check's `reads`) or `errors` (a read that failed). */
  part: string;
  /** The most specific field name in the path, e.g. `CallbackURLs`. */
  field: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  /** For lists: the entries only the old side has, and only the new side has. */
  lost?: unknown[];
  gained?: unknown[];
}

/** Entries of an AWS list, or rules whose position matters, by key. */
class Keyed extends Map<string, unknown> {}

type Segment = { prop: string } | { key: string };

function keyed<T>(items: readonly T[] | null | undefined, key: (item: T) => string | undefined, value: (item: T) => unknown): Keyed | undefined {
  if (!items) return undefined;
  const map = new Keyed();
  for (const item of items) map.set(key(item) ?? '?', value(item));
  return map;
}

/** A policy's statements (decoded, a set); the raw text when it is not a policy. */
function statements(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return undefined;
  try {
    return parsePolicy(raw).Statement;
  } catch {
    return raw;
  }
}

function pick<T extends object>(source: T | null | undefined, keys: Array<keyof T>): Partial<T> | undefined {
  if (!source) return undefined;
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]])) as Partial<T>;
}

const CLIENT_FIELDS = [
  'ClientName',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'SupportedIdentityProviders',
  'ExplicitAuthFlows',
  'WriteAttributes',
  'ReadAttributes',
  'RefreshTokenValidity',
  'IdTokenValidity',
  'AccessTokenValidity',
  'TokenValidityUnits',
] as const;

function project(s: Snapshot): Record<string, unknown> {
  const d = s.domain;
  const pool = s.identityPool;
  const roles = s.identityPoolRoles;
  return {
    domain: {
      DomainName: d.DomainName,
      ARN: d.ARN,
      EngineVersion: d.EngineVersion ?? d.ElasticsearchVersion,
      Endpoint: d.Endpoint,
      Endpoints: d.Endpoints,
      EndpointV2: d.EndpointV2,
      CognitoOptions: d.CognitoOptions,
      AdvancedSecurityOptions: d.AdvancedSecurityOptions,
      DomainEndpointOptions: d.DomainEndpointOptions,
      AccessPolicies: statements(d.AccessPolicies),
    },
    userPool: s.userPool
      ? {
          ...pick(s.userPool, [
            'Id',
            'Arn',
            'Domain',
            'CustomDomain',
            'MfaConfiguration',
            'DeletionProtection',
            'AutoVerifiedAttributes',
            'UserAttributeUpdateSettings',
            'LambdaConfig',
          ]),
          AllowAdminCreateUserOnly: s.userPool.AdminCreateUserConfig?.AllowAdminCreateUserOnly,
          PasswordPolicy: s.userPool.Policies?.PasswordPolicy,
          SchemaAttributes: keyed(
            s.userPool.SchemaAttributes ?? [],
            (a) => a.Name,
            (a) => pick(a, ['AttributeDataType', 'Mutable', 'Required']),
          ),
        }
      : undefined,
    userPoolDomain: pick(s.userPoolDomain, ['Domain', 'Status', 'CustomDomainConfig', 'ManagedLoginVersion']),
    // Snapshots keep the ClientSecret key as "<redacted>": what matters is whether there is one.
    userPoolClients: keyed(
      s.userPoolClients,
      (c) => c.ClientId,
      (c) => ({ ...pick(c, [...CLIENT_FIELDS]), HasClientSecret: c.ClientSecret !== undefined }),
    ),
    userPoolGroups: keyed(
      s.userPoolGroups,
      (g) => g.GroupName,
      (g) => pick(g, ['RoleArn', 'Precedence']),
    ),
    identityProviders: keyed(
      s.identityProviders,
      (p) => p.ProviderName,
      (p) => ({
        ...pick(p, ['ProviderType', 'AttributeMapping']),
        MetadataURL: p.ProviderDetails?.['MetadataURL'],
        // The metadata document itself is long: a change shows as a changed fingerprint.
        MetadataFile: p.ProviderDetails?.['MetadataFile']
          ? createHash('sha256').update(p.ProviderDetails['MetadataFile']).digest('hex').slice(0, 16)
          : undefined,
      }),
    ),
    principalTagAttributeMaps: keyed(
      s.principalTagAttributeMaps ?? [],
      (m) => m.IdentityProviderName,
      (m) => pick(m, ['UseDefaults', 'PrincipalTags']),
    ),
    managedLoginBranding: s.managedLoginBranding
      ? keyed(
          s.managedLoginBranding,
          (b) => b.ManagedLoginBrandingId,
          (b) => pick(b, ['UseCognitoProvidedValues']),
        )
      : undefined,
    userPoolWebAcl: s.userPoolWebAcl === undefined ? undefined : (s.userPoolWebAcl?.ARN ?? null),
    identityPool: pool
      ? {
          IdentityPoolId: pool.IdentityPoolId,
          AllowUnauthenticatedIdentities: pool.AllowUnauthenticatedIdentities,
          AllowClassicFlow: pool.AllowClassicFlow,
          CognitoIdentityProviders: keyed(
            pool.CognitoIdentityProviders ?? [],
            (p) => `${p.ProviderName ?? ''} ${p.ClientId ?? ''}`.trim(),
            (p) => pick(p, ['ServerSideTokenCheck']),
          ),
          SupportedLoginProviders: pool.SupportedLoginProviders,
          SamlProviderARNs: pool.SamlProviderARNs,
          OpenIdConnectProviderARNs: pool.OpenIdConnectProviderARNs,
        }
      : undefined,
    identityPoolRoles: roles
      ? {
          Roles: roles.Roles,
          RoleMappings: keyed(
            Object.entries(roles.RoleMappings ?? {}),
            ([key]) => key,
            ([, mapping]) => ({
              Type: mapping.Type,
              AmbiguousRoleResolution: mapping.AmbiguousRoleResolution,
              // Rules are tried in order: compared by position.
              Rules: keyed(
                (mapping.RulesConfiguration?.Rules ?? []).map((rule, i) => [i + 1, rule] as const),
                ([n]) => String(n),
                ([, rule]) => rule,
              ),
            }),
          ),
        }
      : undefined,
    roles: keyed(
      s.roles,
      (r) => r.RoleName,
      (r) => ({ Arn: r.Arn, AssumeRolePolicyDocument: statements(r.AssumeRolePolicyDocument) }),
    ),
    rolePolicies: s.rolePolicies
      ? keyed(
          Object.entries(s.rolePolicies),
          ([arn]) => arn,
          ([, p]) => ({
            attached: keyed(
              p.attached ?? [],
              (a) => a.PolicyArn ?? a.PolicyName,
              (a) => statements(a.Document),
            ),
            inline: keyed(
              p.inline ?? [],
              (i) => i.PolicyName,
              (i) => statements(i.PolicyDocument),
            ),
            boundary: statements(p.boundary?.Document),
          }),
        )
      : undefined,
    securityPlugin: s.securityPlugin?.rolesMapping
      ? {
          rolesMapping: keyed(
            Object.entries(s.securityPlugin.rolesMapping),
            ([name]) => name,
            ([, m]) => pick(m, ['backend_roles', 'users', 'and_backend_roles', 'hosts']),
          ),
        }
      : undefined,
    errors: keyed(
      s.errors ?? [],
      (e) => `${e.operation} ${e.resource ?? ''}`.trim(),
      (e) => e.code,
    ),
  };
}

/** Plain JSON with keys sorted, so equal values print equal. */
function canonical(value: unknown): string {
  return JSON.stringify(plain(value, true));
}

/** Keyed maps become objects; `sorted` also orders object keys. */
function plain(value: unknown, sorted = false): unknown {
  if (value instanceof Keyed) return Object.fromEntries([...value].map(([k, v]) => [k, plain(v, sorted)]));
  if (Array.isArray(value)) return value.map((v) => plain(v, sorted));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (sorted) entries.sort(([a], [b]) => compareText(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, plain(v, sorted)]));
  }
  return value;
}

function render(path: Segment[]): string {
  return path.map((s, i) => ('key' in s ? `[${s.key}]` : i === 0 ? s.prop : `.${s.prop}`)).join('');
}

function change(path: Segment[], fields: Omit<ConfigChange, 'path' | 'part' | 'field'>): ConfigChange {
  const props = path.filter((s): s is { prop: string } => 'prop' in s);
  return { path: render(path), part: props[0]?.prop ?? '', field: props[props.length - 1]?.prop ?? '', ...fields };
}

function walk(path: Segment[], before: unknown, after: unknown, out: ConfigChange[]): void {
  const a = before ?? undefined;
  const b = after ?? undefined;
  if (canonical(a) === canonical(b)) return;
  if (Array.isArray(a) || Array.isArray(b)) {
    const left = (a ?? []) as unknown[];
    const right = (b ?? []) as unknown[];
    const leftKeys = new Set(left.map((v) => canonical(v)));
    const rightKeys = new Set(right.map((v) => canonical(v)));
    const lost = left.filter((v) => !rightKeys.has(canonical(v))).map((v) => plain(v));
    const gained = right.filter((v) => !leftKeys.has(canonical(v))).map((v) => plain(v));
    if (lost.length || gained.length) out.push(change(path, { kind: 'changed', ...(lost.length ? { lost } : {}), ...(gained.length ? { gained } : {}) }));
    return;
  }
  if (a === undefined) return void out.push(change(path, { kind: 'added', after: plain(b) }));
  if (b === undefined) return void out.push(change(path, { kind: 'removed', before: plain(a) }));
  if (a instanceof Keyed && b instanceof Keyed) {
    for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) walk([...path, { key }], a.get(key), b.get(key), out);
    return;
  }
  if (typeof a === 'object' && typeof b === 'object' && !(a instanceof Keyed) && !(b instanceof Keyed)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    for (const key of keys) walk([...path, { prop: key }], (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], out);
    return;
  }
  out.push(change(path, { kind: 'changed', before: plain(a), after: plain(b) }));
}

/** The login-relevant fields that differ, in a stable order (snapshot part, then path). */
export function configChanges(before: Snapshot, after: Snapshot): ConfigChange[] {
  const a = project(before);
  const b = project(after);
  const out: ConfigChange[] = [];
  for (const part of Object.keys(a)) walk([{ prop: part }], a[part], b[part], out);
  return out;
}
