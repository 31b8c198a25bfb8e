// Step 1. Hosted UI: in the order Cognito's authorize endpoint checks a request
import { accessPolicyOf, unsignedDashboardsStatements } from '../../model/access-policy/index.js';
import { DASHBOARDS_REQUESTED_SCOPES, domainClientOf, httpUrls, optionalPart, requireWellFormedUserPoolId } from '../../model/client.js';
import { cognitoEnabled, dashboardsPath, endpointHosts, fgacEnabled, samlEnabled } from '../../model/domain.js';
import { regionOfPoolId } from '../../model/pools.js';
import type { PolicyDocument } from '../../policy/index.js';
import { signInProviderOf } from '../claims.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { read, Step, type State } from './step.js';

export function hostedUi(state: State): TraceStep {
  const { snapshot, ctx, identity, url } = state;
  const domain = snapshot.domain;
  const step = new Step(1);
  if (!cognitoEnabled(domain)) {
    if (samlEnabled(domain)) {
      step.fail(
        'saml-and-cognito-conflict',
        `Cognito authentication is off on ${domain.DomainName} and SAML is on: Dashboards signs users in with SAML`,
        userSees.samlInstead(),
      );
    } else {
      step.fail(
        'dashboards-auth-missing',
        `Cognito authentication is off on ${domain.DomainName} (CognitoOptions.Enabled is not true): there is no Cognito login to follow`,
        userSees.cognitoOff(),
      );
    }
    return step.done();
  }
  if (samlEnabled(domain)) step.note('SAML is on as well as Cognito: Dashboards may show the SAML sign-in instead', 'saml-and-cognito-conflict');

  const userPoolId = domain.CognitoOptions?.UserPoolId ?? '';
  step.evidence['userPoolId'] = userPoolId || null;
  const pool = read(() => {
    requireWellFormedUserPoolId(ctx);
    return ctx.userPool();
  });
  if (pool.gap) {
    if (pool.gap.kind === 'not-applicable')
      step.fail('user-pool-not-found', `user pool ${userPoolId} does not exist (${pool.gap.reason})`, userSees.userPoolNotFound(userPoolId));
    else step.unknown(pool.gap.reason);
    return step.done();
  }

  // The user pool domain that serves the login page.
  const names = [pool.value.Domain, pool.value.CustomDomain].filter((d): d is string => typeof d === 'string' && d !== '');
  const loginHost = pool.value.Domain
    ? `https://${pool.value.Domain}.auth.${regionOfPoolId(userPoolId)}.amazoncognito.com`
    : names[0]
      ? `https://${names[0]}`
      : undefined;
  step.evidence['hostedUi'] = loginHost ?? null;
  if (!loginHost) {
    step.fail(
      'user-pool-domain-missing',
      `user pool ${userPoolId} has no hosted-UI domain (UserPool.Domain and UserPool.CustomDomain are empty)`,
      userSees.noLoginPage('the user pool has no domain'),
    );
    return step.done();
  }
  const before = ctx.gaps.length;
  const description = optionalPart(ctx, snapshot.userPoolDomain, {
    operations: ['cognito-idp:DescribeUserPoolDomain'],
    resource: names[0],
    notCollected: `the status of the user pool domain ${names.join(' / ')} was not read (cognito-idp:DescribeUserPoolDomain would read it)`,
  });
  const gap = ctx.gaps[before];
  const described = description && (!description.Domain || names.includes(description.Domain)) ? description : undefined;
  if (described) {
    const name = described.Domain ?? names[0]!;
    step.evidence['domainStatus'] = described.Status ?? null;
    if (described.Status === 'ACTIVE') step.ok(`the login page is served at ${loginHost}`);
    else if (described.Status === 'UPDATING') step.note(`the user pool domain ${name} is UPDATING: the login page may not reflect its latest settings`);
    else if (names.length > 1)
      step.note(`the user pool domain ${name} is ${described.Status ?? 'gone'}; the pool has another domain`, 'user-pool-domain-missing');
    else {
      const what = described.Status ? `is ${described.Status}, not ACTIVE` : 'does not exist (DescribeUserPoolDomain returned an empty description)';
      step.fail('user-pool-domain-missing', `the user pool domain ${name} of ${userPoolId} ${what}`, userSees.noLoginPage(`${loginHost} does not answer`));
      return step.done();
    }
  } else if (gap?.kind === 'unknown') step.unknown(gap.reason);
  else {
    step.ok(`the login page is served at ${loginHost}`);
    if (gap) step.note(gap.reason);
  }

  // The app client Dashboards sends users with.
  const client = read(() => domainClientOf(ctx));
  if (client.gap) {
    step.unknown(client.gap.reason);
    return step.done();
  }
  if (!client.value) {
    step.fail(
      'opensearch-app-client-deleted-or-bypassed',
      `user pool ${userPoolId} has no app client that OpenSearch Service created for ${domain.DomainName} (AWSElasticsearch-${domain.DomainName}-… or AmazonOpenSearchService-${domain.DomainName}-…): Dashboards still sends users with the client id it was given`,
      userSees.unsupportedProvider(),
    );
    return step.done();
  }
  const app = client.value;
  state.client = app;
  const clientLabel = `${app.ClientId}${app.ClientName ? ` (${app.ClientName})` : ''}`;
  step.evidence['appClient'] = { ClientId: app.ClientId, ClientName: app.ClientName };

  // redirect_uri: Dashboards sends its own path on the host the browser opened.
  if (!url) step.unknown('the snapshot names no endpoint for the domain: pass --url with the address users open');
  else {
    const opened = new URL(url);
    const scheme = opened.protocol === 'http:' && domain.DomainEndpointOptions?.EnforceHTTPS === true ? 'https:' : opened.protocol;
    const redirectUri = `${scheme}//${opened.host}${dashboardsPath(domain)}`;
    state.redirectUri = redirectUri;
    const callbacks = app.CallbackURLs ?? [];
    step.evidence['redirect_uri'] = redirectUri;
    step.evidence['CallbackURLs'] = callbacks;
    if (callbacks.includes(redirectUri)) step.ok(`the client registers the callback ${redirectUri}`);
    else {
      const kind = endpointHosts(domain).find((h) => h.host.toLowerCase() === opened.host.toLowerCase())?.kind;
      const near = callbacks.find((c) => c.toLowerCase().replace(/\/+$/, '') === redirectUri.toLowerCase().replace(/\/+$/, ''));
      const why = [
        near ? `it has ${near}, and callback URLs must match exactly` : undefined,
        kind === undefined ? `${opened.host} is not an endpoint of the domain: a proxy's address must be registered too` : undefined,
        httpUrls([redirectUri]).length > 0 ? 'Cognito accepts http:// callback URLs only for localhost: open Dashboards over https' : undefined,
      ].filter(Boolean);
      step.fail(
        kind === 'custom' ? 'custom-endpoint-not-in-callback' : 'redirect-mismatch',
        `the app client ${clientLabel} has no callback URL ${redirectUri}${why.length > 0 ? ` (${why.join('; ')})` : ''}`,
        userSees.redirectMismatch(loginHost, app.ClientId ?? ''),
      );
    }
  }
  const back = state.redirectUri ?? '<redirect_uri>';

  if (app.AllowedOAuthFlowsUserPoolClient !== true || !(app.AllowedOAuthFlows ?? []).includes('code')) {
    step.fail(
      'oauth-flows-not-enabled',
      `the app client ${clientLabel} does not allow the authorization code flow (AllowedOAuthFlowsUserPoolClient ${String(app.AllowedOAuthFlowsUserPoolClient ?? false)}, AllowedOAuthFlows ${JSON.stringify(app.AllowedOAuthFlows ?? [])})`,
      userSees.unauthorizedClient(back),
    );
  } else step.ok('the client allows the code flow');

  // Managed login (version 2) shows no login page to a client without a branding style.
  if (described?.ManagedLoginVersion === 2) {
    const before = ctx.gaps.length;
    const brandings = optionalPart(ctx, snapshot['managedLoginBranding'] as Array<{ UserPoolId?: string; ClientId?: string }> | null | undefined, {
      operations: ['cognito-idp:DescribeManagedLoginBrandingByClient'],
      resource: userPoolId,
      notCollected: `the user pool domain uses managed login (version 2), which shows no login page to a client without a branding style, and the branding of ${clientLabel} was not read (cognito-idp:DescribeManagedLoginBrandingByClient would read it)`,
    });
    if (!brandings) step.unknown(ctx.gaps[before]?.reason ?? 'the managed login branding was not read');
    else if (brandings.some((b) => (b.UserPoolId ?? userPoolId) === userPoolId && (b.ClientId === undefined || b.ClientId === app.ClientId))) {
      step.ok('the client has a managed login branding style');
    } else {
      step.fail(
        'managed-login-branding-missing',
        `the user pool domain uses managed login (version 2) and the app client ${clientLabel} has no branding style`,
        userSees.loginPagesUnavailable(),
      );
    }
  }

  const supported = app.SupportedIdentityProviders ?? [];
  // A what-if user signs in the way the client offers: with the user pool when it can, else its first provider.
  const provider =
    identity.source === 'groups' && identity.claims['identities'] === undefined && supported.length > 0 && !supported.includes('COGNITO')
      ? supported[0]!
      : signInProviderOf(identity.claims);
  step.evidence['identityProvider'] = provider;
  step.evidence['SupportedIdentityProviders'] = supported;
  if (identity.unknown.attributes && identity.claims['identities'] === undefined) {
    step.unknown(`which identity provider the user signs in with is not known: ${identity.unknown.attributes}`);
  } else if (!supported.includes(provider)) {
    step.fail(
      'idp-not-enabled-on-app-client',
      `the user signs in with ${provider}, which the app client ${clientLabel} does not list in SupportedIdentityProviders (${supported.join(', ') || 'none'})`,
      userSees.loginOptionUnavailable(),
    );
  } else if (provider !== 'COGNITO' && snapshot.identityProviders && !snapshot.identityProviders.some((p) => p.ProviderName === provider)) {
    step.fail(
      'idp-not-enabled-on-app-client',
      `the app client ${clientLabel} lists ${provider}, but user pool ${userPoolId} has no such identity provider any more`,
      userSees.loginOptionUnavailable(),
    );
  } else step.ok(`the client offers ${provider}`);

  const scopes = app.AllowedOAuthScopes ?? [];
  const missing = DASHBOARDS_REQUESTED_SCOPES.filter((scope) => !scopes.includes(scope));
  step.evidence['AllowedOAuthScopes'] = scopes;
  if (missing.length > 0) {
    step.fail(
      'oauth-scopes-missing',
      `the app client ${clientLabel} does not allow ${missing.join(' and ')}, which Dashboards requests (scope=${DASHBOARDS_REQUESTED_SCOPES.join('+')})`,
      userSees.invalidScope(back),
    );
  } else step.ok(`the client allows the scopes ${DASHBOARDS_REQUESTED_SCOPES.join(' and ')}`);

  if (!fgacEnabled(domain)) {
    let policy: PolicyDocument | undefined;
    try {
      policy = accessPolicyOf(snapshot);
    } catch {
      policy = undefined; // step 6 reports a policy it cannot parse
    }
    if (policy && unsignedDashboardsStatements(snapshot, policy).length > 0) {
      step.note(
        'the access policy lets unsigned requests reach Dashboards, so the browser may open it without this login at all',
        'login-page-bypassed-open-policy',
      );
    }
  }
  return step.done();
}
