// The failure modes of a user pool app client that both `cogdoctor check` (the OpenSearch app client:
// Dashboards is the relying party) and `cogdoctor client` (any relying party) detect: declared once
// here and imported by the checks of both, so both commands explain an id with the same words.
import type { FailureMode } from '../engine/types.js';

const OAUTH_DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints-oauth-grants.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html',
];

export const OAUTH_FLOWS_NOT_ENABLED: FailureMode = Object.freeze({
  id: 'oauth-flows-not-enabled',
  severity: 'error',
  title: 'The app client does not allow the OAuth flow its relying party uses (the authorization code flow for Dashboards)',
  symptom:
    'Redirect back with ?error=unauthorized_client (or unsupported_response_type), or the hosted UI page "An error was encountered with the requested page."; the token endpoint answers {"error":"unauthorized_client"}.',
  cause:
    'AllowedOAuthFlowsUserPoolClient is false or the flow (code for Dashboards) is not in AllowedOAuthFlows, typically after an update-user-pool-client call that omitted them (they reset to defaults) or IaC that manages the client.',
  fix: 'Set AllowedOAuthFlowsUserPoolClient to true and add the flow (code for Dashboards) to AllowedOAuthFlows with a describe → edit → update round trip.',
  docs: OAUTH_DOCS,
});

export const OAUTH_SCOPES_MISSING: FailureMode = Object.freeze({
  id: 'oauth-scopes-missing',
  severity: 'error',
  title: 'The app client lacks a scope its relying party requests (openid or email for Dashboards)',
  symptom:
    '?error=invalid_scope, or the login appears to succeed at Cognito but the relying party gets no ID token (no openid) or a token without the scope it checks; Dashboards then cannot obtain credentials.',
  cause:
    'The scope is not in AllowedOAuthScopes of the app client (Dashboards requests scope=openid+email). Cognito returns an ID token only when openid is requested and allowed; without an ID token the identity pool cannot hand out credentials.',
  fix: 'Add the scopes to AllowedOAuthScopes with a describe → edit → update round trip (for Dashboards restore email, openid, phone, profile; a custom scope must exist on a resource server first).',
  docs: OAUTH_DOCS,
});

export const REDIRECT_MISMATCH: FailureMode = Object.freeze({
  id: 'redirect-mismatch',
  severity: 'error',
  title: 'The redirect_uri is not a registered callback URL of the app client (the Dashboards URL for OpenSearch)',
  symptom: 'An error was encountered with the requested page. (…/error?error=redirect_mismatch&client_id=…)',
  cause:
    'Cognito accepts only a redirect_uri that is exactly one of the CallbackURLs of the app client (a different port, a trailing slash or another case is a different URL). For Dashboards: the callback was edited or removed (a partial update-user-pool-client, IaC), or the engine moved from Elasticsearch to OpenSearch and the path changed.',
  fix: 'Register the exact redirect_uri (for Dashboards its URL, in CallbackURLs and LogoutURLs) with a describe → edit → update round trip, or make the relying party send the registered one.',
  docs: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
    'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
    'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
  ],
});

export const HTTP_CALLBACK_REJECTED: FailureMode = Object.freeze({
  id: 'http-callback-rejected',
  severity: 'error',
  title: 'A callback or sign-out URL of the app client uses plain HTTP',
  symptom: 'InvalidParameterException: http://<host>/ cannot use the HTTP protocol.',
  cause: 'Amazon Cognito requires HTTPS for callback and sign-out URLs, except http://localhost (and the loopback address).',
  fix: 'Serve the URL over HTTPS and register the https:// form, or remove it, with a describe → edit → update round trip.',
  docs: [
    'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
    'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
  ],
});

export const IDP_NOT_ENABLED_ON_APP_CLIENT: FailureMode = Object.freeze({
  id: 'idp-not-enabled-on-app-client',
  severity: 'error',
  title: 'An identity provider is not enabled on the app client',
  symptom: 'Login option is not available. Please try another one (or the login page does not show the expected identity providers).',
  cause:
    'SupportedIdentityProviders of the app client is empty, lacks the provider users sign in with, or names a provider the user pool does not have; a partial update-user-pool-client (for example one that only set callback URLs) resets it to nothing.',
  fix: 'Put COGNITO and every identity provider users sign in with in SupportedIdentityProviders with a describe → edit → update round trip.',
  docs: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
    'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
    'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html',
  ],
});

export const USER_POOL_DOMAIN_MISSING: FailureMode = Object.freeze({
  id: 'user-pool-domain-missing',
  severity: 'error',
  title: 'The user pool has no (active) domain for its login page and OAuth endpoints',
  symptom:
    'ValidationException ... Domain needs to be specified for user pool (when the domain is removed later, the hosted login page can no longer be served); a relying party cannot reach <domain>/oauth2/authorize: DNS does not resolve, or the OIDC discovery document names no authorization_endpoint.',
  cause:
    'The user pool has no prefix or custom domain, or its domain is not ACTIVE; the login page and the OAuth 2.0 endpoints (authorize, token, logout) exist only on a user pool domain, and OpenSearch Service redirects users to it to sign in.',
  fix: 'Create a user pool domain (classic hosted UI) with create-user-pool-domain, or wait for / repair the existing one.',
  docs: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
    'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain.html',
  ],
});
