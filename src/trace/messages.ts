// What the user sees at each failure of the login, with the real values filled in. The words come
// from the failure-mode catalog: each constant is the part of one mode's symptom that the user sees
// word for word, read by id, so a reworded symptom is what trace prints too.
import { modeOf } from '../catalog/index.js';

/** The symptom of a catalog id, or the part of it `part` matches; a missing id or part stops the load. */
function quote(id: string, part?: RegExp): string {
  const symptom = modeOf(id)?.symptom;
  if (symptom === undefined) throw new Error(`trace quotes ${id}, which the catalog does not have`);
  const quoted = part ? part.exec(symptom)?.[0] : symptom;
  if (quoted === undefined) throw new Error(`trace quotes ${part} of the symptom of ${id}, which does not have it`);
  return quoted;
}

/** A symptom up to its parenthesised remark: the page or error text alone. */
const BEFORE_REMARK = /^.*?(?= \(|$)/;

const HOSTED_UI_ERROR = quote('redirect-mismatch', BEFORE_REMARK);
const UNSUPPORTED_PROVIDER = quote('opensearch-app-client-deleted-or-bypassed', BEFORE_REMARK);
const INVALID_POOL = quote('identity-pool-trust-invalid', BEFORE_REMARK);
const NOT_AUTHORIZED = quote('auth-role-not-in-access-policy', /is not authorized to perform: es:ESHttpGet/);
const AMBIGUOUS_DENIED = quote('ambiguous-role-mapping-denied');
const NO_PERMISSIONS = quote('dashboards-permissions-not-mapped', /no permissions for \[[^\]]*\]/);
const NO_LOGIN_PAGE = quote('user-pool-domain-missing', /the hosted login page can no longer be served/);
const MISSING_ROLE = quote('missing-role');
const UNAUTHORIZED_CLIENT = quote('oauth-flows-not-enabled', /error=unauthorized_client/);
const INVALID_SCOPE = quote('oauth-scopes-missing', /error=invalid_scope/);
const LOGIN_OPTION_UNAVAILABLE = quote('idp-not-enabled-on-app-client', BEFORE_REMARK);
const ISSUER_MISMATCH = quote('pool-region-mismatch', /Invalid login token\. Issuer doesn't match providerName/);
const USER_DISABLED = quote('user-not-confirmed-or-disabled', /User is disabled\./);
const USER_NOT_CONFIRMED = quote('user-not-confirmed-or-disabled', /User is not confirmed\./);
const TEMPORARY_PASSWORD_EXPIRED = quote('temporary-password-expired');

/** Per id, the part of its catalog symptom that trace prints; a test checks each is in the symptom of its id. */
export const CATALOG_TEXT: Record<string, string> = {
  'redirect-mismatch': HOSTED_UI_ERROR,
  'custom-endpoint-not-in-callback': HOSTED_UI_ERROR,
  'oauth-flows-not-enabled': UNAUTHORIZED_CLIENT,
  'oauth-scopes-missing': INVALID_SCOPE,
  'idp-not-enabled-on-app-client': LOGIN_OPTION_UNAVAILABLE,
  'user-pool-domain-missing': NO_LOGIN_PAGE,
  'opensearch-app-client-deleted-or-bypassed': UNSUPPORTED_PROVIDER,
  'token-not-from-supported-provider': UNSUPPORTED_PROVIDER,
  'pool-region-mismatch': UNSUPPORTED_PROVIDER,
  'ambiguous-role-mapping-denied': AMBIGUOUS_DENIED,
  'identity-pool-trust-invalid': INVALID_POOL,
  'group-role-trust-invalid': INVALID_POOL,
  'auth-role-not-in-access-policy': NOT_AUTHORIZED,
  'access-policy-resource-or-action-too-narrow': NOT_AUTHORIZED,
  'explicit-deny-blocks-auth-role': `${NOT_AUTHORIZED} with an explicit deny`,
  'missing-role': MISSING_ROLE,
  'dashboards-permissions-not-mapped': NO_PERMISSIONS,
};

export const userSees = {
  redirectMismatch: (hostedUi: string, clientId: string) => `${HOSTED_UI_ERROR} (${hostedUi}/error?error=redirect_mismatch&client_id=${clientId})`,
  unauthorizedClient: (redirectUri: string) => `${redirectUri}?${UNAUTHORIZED_CLIENT}`,
  invalidScope: (redirectUri: string) => `${redirectUri}?${INVALID_SCOPE}`,
  loginOptionUnavailable: () => LOGIN_OPTION_UNAVAILABLE,
  noLoginPage: (why: string) => `${NO_LOGIN_PAGE} (${why})`,
  loginPagesUnavailable: () => 'Login pages unavailable',
  userPoolNotFound: (userPoolId: string) => `${NO_LOGIN_PAGE}: User pool ${userPoolId} does not exist.`,
  cognitoOff: () => 'no Cognito login page: Dashboards does not send the user to Cognito',
  samlInstead: () => 'the SAML sign-in page, not the Cognito one',
  userDisabled: () => USER_DISABLED,
  userNotConfirmed: () => USER_NOT_CONFIRMED,
  temporaryPasswordExpired: () => TEMPORARY_PASSWORD_EXPIRED,
  unsupportedProvider: () => `NotAuthorizedException: ${UNSUPPORTED_PROVIDER}`,
  issuerMismatch: () => `NotAuthorizedException: ${ISSUER_MISMATCH}`,
  identityPoolNotFound: (identityPoolId: string) => `ResourceNotFoundException: IdentityPool '${identityPoolId}' not found.`,
  ambiguousDenied: (provider: string) => AMBIGUOUS_DENIED.replace('<provider>', provider),
  invalidPool: () => INVALID_POOL,
  accessDenied: (sessionArn: string, explicit: boolean) => `{"Message":"User: ${sessionArn} ${NOT_AUTHORIZED}${explicit ? ' with an explicit deny' : ''}"}`,
  missingRole: () => MISSING_ROLE,
  noDashboardsPermissions: (sessionArn: string, backendRole: string) =>
    `{"statusCode":403,"error":"Forbidden","message":"${NO_PERMISSIONS} and User [name=${sessionArn}, backend_roles=[${backendRole}], requestedTenant=null]: security_exception"}`,
};
