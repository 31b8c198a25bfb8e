// What the user sees at each failure of the login, with the real values filled in. The texts
// follow the failure-mode catalog; CATALOG_TEXT holds, per id, the part quoted word for word
// from the catalog's symptom, which a test keeps in step with it.

const HOSTED_UI_ERROR = 'An error was encountered with the requested page.';
const UNSUPPORTED_PROVIDER = 'Token is not from a supported provider of this identity pool.';
const INVALID_POOL =
  'com.amazonaws.services.cognitoidentity.model.InvalidIdentityPoolConfigurationException: Invalid identity pool configuration. Check assigned IAM roles for this pool.';
const NOT_AUTHORIZED = 'is not authorized to perform: es:ESHttpGet';

export const CATALOG_TEXT: Record<string, string> = {
  'redirect-mismatch': HOSTED_UI_ERROR,
  'custom-endpoint-not-in-callback': HOSTED_UI_ERROR,
  'oauth-flows-not-enabled': 'error=unauthorized_client',
  'oauth-scopes-missing': 'error=invalid_scope',
  'idp-not-enabled-on-app-client': 'Login option is not available. Please try another one',
  'user-pool-domain-missing': 'the hosted login page can no longer be served',
  'opensearch-app-client-deleted-or-bypassed': UNSUPPORTED_PROVIDER,
  'token-not-from-supported-provider': UNSUPPORTED_PROVIDER,
  'pool-region-mismatch': UNSUPPORTED_PROVIDER,
  'ambiguous-role-mapping-denied': 'denied this request.',
  'identity-pool-trust-invalid': INVALID_POOL,
  'group-role-trust-invalid': INVALID_POOL,
  'auth-role-not-in-access-policy': NOT_AUTHORIZED,
  'access-policy-resource-or-action-too-narrow': NOT_AUTHORIZED,
  'explicit-deny-blocks-auth-role': `${NOT_AUTHORIZED} with an explicit deny`,
  'missing-role': 'Missing Role: No roles available for this user, please contact your system administrator.',
  'dashboards-permissions-not-mapped': 'no permissions for [indices:data/read/search]',
};

/** Ids of the design catalog that no check reports, so the code catalog does not list them. */
export const DESIGN_CATALOG_ONLY = ['managed-login-branding-missing', 'principal-tags-trust-missing-tagsession'];

export const userSees = {
  redirectMismatch: (hostedUi: string, clientId: string) => `${HOSTED_UI_ERROR} (${hostedUi}/error?error=redirect_mismatch&client_id=${clientId})`,
  unauthorizedClient: (redirectUri: string) => `${redirectUri}?error=unauthorized_client`,
  invalidScope: (redirectUri: string) => `${redirectUri}?error=invalid_scope`,
  loginOptionUnavailable: () => 'Login option is not available. Please try another one',
  noLoginPage: (why: string) => `the hosted login page can no longer be served (${why})`,
  loginPagesUnavailable: () => 'Login pages unavailable',
  userPoolNotFound: (userPoolId: string) => `the hosted login page can no longer be served: User pool ${userPoolId} does not exist.`,
  cognitoOff: () => 'no Cognito login page: Dashboards does not send the user to Cognito',
  samlInstead: () => 'the SAML sign-in page, not the Cognito one',
  userDisabled: () => 'User is disabled.',
  userNotConfirmed: () => 'User is not confirmed.',
  // The catalog says "the same text as a wrong password"; Cognito's NotAuthorizedException for this
  // state reads as below (widely quoted by applications that special-case it).
  temporaryPasswordExpired: () => 'NotAuthorizedException: Temporary password has expired and must be reset by an administrator.',
  unsupportedProvider: () => `NotAuthorizedException: ${UNSUPPORTED_PROVIDER}`,
  issuerMismatch: () => "NotAuthorizedException: Invalid login token. Issuer doesn't match providerName",
  identityPoolNotFound: (identityPoolId: string) => `ResourceNotFoundException: IdentityPool '${identityPoolId}' not found.`,
  ambiguousDenied: (provider: string) => `NotAuthorizedException: The ambiguous role mapping rules for: ${provider} denied this request.`,
  invalidPool: () => INVALID_POOL,
  accessDenied: (sessionArn: string, explicit: boolean) => `{"Message":"User: ${sessionArn} ${NOT_AUTHORIZED}${explicit ? ' with an explicit deny' : ''}"}`,
  missingRole: () => CATALOG_TEXT['missing-role']!,
  noDashboardsPermissions: (sessionArn: string, backendRole: string) =>
    `{"statusCode":403,"error":"Forbidden","message":"no permissions for [indices:data/read/search] and User [name=${sessionArn}, backend_roles=[${backendRole}], requestedTenant=null]: security_exception"}`,
};
