// AWS::Cognito::IdentityPool with its IdentityPoolRoleAttachment (roles and role mappings) and principal tags.
import type { Snapshot } from '../../snapshot/types.js';
import { noRoleAttachment, setIdentityPool, setIdentityPoolRoles, type DeclaredProvider } from '../builder.js';
import { isObject, type Json } from '../common.js';
import { firstUnresolved } from '../resolve.js';
import type { Builder, Template } from './template.js';

type CognitoOptions = NonNullable<Snapshot['domain']['CognitoOptions']>;

/** The identity pool's providers as the template declares them, each client id resolved on its own. */
export function declaredProviders(b: Builder, identityPoolId: string): DeclaredProvider[] | undefined {
  const raw = b.t.props(identityPoolId)['CognitoIdentityProviders'];
  if (raw === undefined) return [];
  const list = b.t.resolver.resolve(raw);
  if (!Array.isArray(list)) {
    b.unresolvable(`${identityPoolId}.CognitoIdentityProviders`, firstUnresolved(list)?.reason ?? 'not a list');
    return undefined;
  }
  return list.filter(isObject).map((p) => ({
    ...(typeof p['ProviderName'] === 'string' ? { ProviderName: p['ProviderName'] } : {}),
    ...(typeof p['ClientId'] === 'string' ? { ClientId: p['ClientId'] } : {}),
    ServerSideTokenCheck: p['ServerSideTokenCheck'] === true || p['ServerSideTokenCheck'] === 'true',
  }));
}

/**
 * A role mapping's IdentityProvider: `<provider name>:<client id>`. A client id only known at deploy
 * (read by a custom resource, imported from another stack) can only be the service's client, whose
 * id no template knows: the mapping is keyed on it.
 */
function mappingProvider(t: Template, raw: unknown, serviceClientId: string | undefined): unknown {
  const value = t.resolver.resolve(raw);
  if (!serviceClientId || !firstUnresolved(value)) return raw;
  const parts =
    isObject(raw) && Array.isArray(raw['Fn::Join']) && raw['Fn::Join'][0] === '' && Array.isArray(raw['Fn::Join'][1])
      ? (raw['Fn::Join'][1] as unknown[])
      : undefined;
  const resolvedParts = parts?.map((part) => t.resolver.resolve(part));
  const prefix = resolvedParts?.slice(0, -1);
  if (prefix?.every((part) => typeof part === 'string') && firstUnresolved(resolvedParts!.at(-1))) {
    const head = (prefix as string[]).join('');
    if (head.startsWith('cognito-idp.') && head.endsWith(':')) return `${head}${serviceClientId}`;
  }
  return raw;
}

/**
 * The identity pool the domain names, when the template defines it; gives the logical id of the
 * resource that attaches its roles. `providersAfterDeploy` comes from the user pool's reader.
 */
export function readIdentityPool(
  b: Builder,
  snapshot: Snapshot,
  domainId: string,
  cognito: CognitoOptions,
  user: { poolId: string | undefined; providersAfterDeploy: DeclaredProvider[] | undefined },
): string | undefined {
  const t = b.t;
  const { poolId, providersAfterDeploy } = user;
  let roleAttachment: string | undefined;
  const identityPoolId = b.find('AWS::Cognito::IdentityPool', cognito.IdentityPoolId);
  if (identityPoolId) {
    const p = b.fields(identityPoolId, ['CognitoIdentityProviders']);
    const providers =
      providersAfterDeploy ?? (poolId ? undefined : b.field(identityPoolId, 'CognitoIdentityProviders', t.props(identityPoolId)['CognitoIdentityProviders']));
    setIdentityPool(snapshot, {
      IdentityPoolId: cognito.IdentityPoolId as string,
      IdentityPoolName: typeof p['IdentityPoolName'] === 'string' ? p['IdentityPoolName'] : identityPoolId,
      AllowUnauthenticatedIdentities: p['AllowUnauthenticatedIdentities'] === true,
      AllowClassicFlow: p['AllowClassicFlow'] === true,
      CognitoIdentityProviders: Array.isArray(providers) ? providers : undefined,
      SupportedLoginProviders: isObject(p['SupportedLoginProviders']) ? (p['SupportedLoginProviders'] as Record<string, string>) : undefined,
      SamlProviderARNs: Array.isArray(p['SamlProviderARNs']) ? (p['SamlProviderARNs'] as string[]) : undefined,
      OpenIdConnectProviderARNs: Array.isArray(p['OpenIdConnectProviderARNs']) ? (p['OpenIdConnectProviderARNs'] as string[]) : undefined,
    });
    if (!Array.isArray(providers) && poolId)
      b.unresolvable(`${identityPoolId}.CognitoIdentityProviders`, 'the providers of the identity pool are only known at deploy');
    // "Attributes for access control": a template without the resource sets no map.
    snapshot.principalTagAttributeMaps = t
      .ofType('AWS::Cognito::IdentityPoolPrincipalTag')
      .filter((id) => b.field(id, 'IdentityPoolId', t.props(id)['IdentityPoolId']) === cognito.IdentityPoolId)
      .map((id) => {
        const tag = b.fields(id);
        return {
          IdentityPoolId: cognito.IdentityPoolId as string,
          ...(typeof tag['IdentityProviderName'] === 'string' ? { IdentityProviderName: tag['IdentityProviderName'] } : {}),
          ...(typeof tag['UseDefaults'] === 'boolean' ? { UseDefaults: tag['UseDefaults'] } : {}),
          ...(isObject(tag['PrincipalTags']) ? { PrincipalTags: tag['PrincipalTags'] as Record<string, string> } : {}),
        };
      });
    const attachment = t
      .ofType('AWS::Cognito::IdentityPoolRoleAttachment')
      .find((id) => b.field(id, 'IdentityPoolId', t.props(id)['IdentityPoolId']) === cognito.IdentityPoolId);
    roleAttachment = attachment;
    if (attachment) {
      const a = t.props(attachment);
      const roles = b.field(attachment, 'Roles', a['Roles']);
      const mappingsRaw = isObject(a['RoleMappings']) ? a['RoleMappings'] : {};
      const RoleMappings: Json = {};
      let complete = roles !== undefined || a['Roles'] === undefined;
      for (const [key, raw] of Object.entries(mappingsRaw)) {
        const mapping = isObject(raw) ? { ...raw, IdentityProvider: mappingProvider(t, raw['IdentityProvider'], snapshot.serviceClientAtDeploy) } : raw;
        const resolved = b.field(attachment, `RoleMappings.${key}`, mapping);
        if (!isObject(resolved)) {
          complete = false;
          continue;
        }
        // CloudFormation keys the mappings by any name and names the provider inside; the API keys them by provider.
        const { IdentityProvider, ...rest } = resolved;
        RoleMappings[typeof IdentityProvider === 'string' ? IdentityProvider : key] = rest;
      }
      if (!complete) b.undecided('cognito-identity:GetIdentityPoolRoles', String(cognito.IdentityPoolId), attachment);
      else {
        setIdentityPoolRoles(snapshot, cognito.IdentityPoolId as string, (roles ?? {}) as Record<string, string>, RoleMappings);
      }
    } else {
      noRoleAttachment(b, `${domainId}.CognitoOptions.IdentityPoolId`, 'AWS::Cognito::IdentityPoolRoleAttachment', String(cognito.IdentityPoolId));
    }
  } else if (cognito.IdentityPoolId !== undefined) {
    b.notInCode(
      `${domainId}.CognitoOptions.IdentityPoolId`,
      `identity pool ${String(cognito.IdentityPoolId)}`,
      'cognito-identity:DescribeIdentityPool',
      String(cognito.IdentityPoolId),
    );
  }
  return roleAttachment;
}
