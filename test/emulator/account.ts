// A small, realistic account for the emulator tests: an OpenSearch 2.11 domain with Cognito login
// and fine-grained access control, and a legacy Elasticsearch 7.10 domain with its own user pool.
import type { Snapshot } from '../../src/snapshot/types.js';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export const DOMAIN = 'logs-prod';
export const ENDPOINT = 'search-logs-prod-abc123def456ghi789.eu-west-1.es.amazonaws.com';
export const CUSTOM_ENDPOINT = 'logs.example.com';
export const USER_POOL = 'eu-west-1_AbCdEf123';
export const CLIENT_ID = '1example23456789abcdefghij';
export const OTHER_CLIENT_ID = '2example23456789abcdefghij';
export const IDENTITY_POOL = 'eu-west-1:11111111-2222-3333-4444-555555555555';
export const PROVIDER = `cognito-idp.eu-west-1.amazonaws.com/${USER_POOL}`;

export const LEGACY_DOMAIN = 'kibana-legacy';
export const LEGACY_ENDPOINT = 'search-kibana-legacy-xyz789xyz789xyz789.eu-west-1.es.amazonaws.com';
export const LEGACY_USER_POOL = 'eu-west-1_LeGaCy456';
export const LEGACY_CLIENT_ID = '3legacy3456789abcdefghijkl';
export const LEGACY_IDENTITY_POOL = 'eu-west-1:99999999-8888-7777-6666-555555555555';

const role = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:role${path}${name}`;
export const AUTH_ROLE = role('Cognito_logsAuth_Role');
export const UNAUTH_ROLE = role('Cognito_logsUnauth_Role');
export const ADMIN_ROLE = role('logs-admin');
export const READER_ROLE = role('logs-reader');
export const SERVICE_ROLE = role('CognitoAccessForAmazonOpenSearch', '/service-role/');
export const CUSTOM_POLICY = `arn:aws:iam::${ACCOUNT}:policy/logs-es-http`;
export const CI_USER = `arn:aws:iam::${ACCOUNT}:user/ci/ci-deployer`;
export const CI_GROUP = `arn:aws:iam::${ACCOUNT}:group/search-writers`;
export const AWS_COGNITO_POLICY = 'arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess';

/** The trust policy the console writes for identity pool roles. */
export function cognitoTrust(amr: 'authenticated' | 'unauthenticated', identityPool = IDENTITY_POOL) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPool },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
        },
      },
    ],
  };
}

export const SERVICE_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export const ES_HTTP_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['es:ESHttpGet', 'es:ESHttpPost'], Resource: `arn:aws:es:${REGION}:${ACCOUNT}:domain/${DOMAIN}/*` }],
};

export const WEB_ACL_ARN = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/cognito-login-protection/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222`;

/** What `aws wafv2 get-web-acl-for-resource` prints for the user pool: a blob (SearchString) in base64. */
export const WEB_ACL = {
  Name: 'cognito-login-protection',
  Id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE22222',
  ARN: WEB_ACL_ARN,
  DefaultAction: { Allow: {} },
  Description: '',
  Rules: [
    {
      Name: 'block-bad-agents',
      Priority: 0,
      Statement: {
        ByteMatchStatement: {
          SearchString: 'YmFkYm90', // "badbot"
          FieldToMatch: { SingleHeader: { Name: 'user-agent' } },
          TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
          PositionalConstraint: 'CONTAINS',
        },
      },
      Action: { Block: {} },
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'block-bad-agents' },
    },
  ],
  VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'cognito-login-protection' },
  Capacity: 12,
  ManagedByFirewallManager: false,
  LabelNamespace: `awswaf:${ACCOUNT}:webacl:cognito-login-protection:`,
} as unknown as NonNullable<Snapshot['userPoolWebAcl']>;

export const COGNITO_ACCESS_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['cognito-idp:DescribeUserPool', 'cognito-idp:CreateUserPoolClient', 'cognito-identity:DescribeIdentityPool'],
      Resource: '*',
    },
  ],
};

export const ACCESS_POLICIES = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: AUTH_ROLE }, Action: 'es:ESHttp*', Resource: `arn:aws:es:${REGION}:${ACCOUNT}:domain/${DOMAIN}/*` }],
});

/** snapshot.md: a trust policy may be held as the decoded object, though the SDK type says string. */
const decoded = (document: object) => document as unknown as string;

const dashboards = `https://${ENDPOINT}/_dashboards/app/home`;
const customDashboards = `https://${CUSTOM_ENDPOINT}/_dashboards/app/home`;

export const openSearchSnapshot: Snapshot = {
  schema: 'cogdoctor/snapshot/v1',
  capturedAt: '2026-11-22T10:00:00Z',
  region: REGION,
  accountId: ACCOUNT,
  domain: {
    DomainId: `${ACCOUNT}/${DOMAIN}`,
    DomainName: DOMAIN,
    ARN: `arn:aws:es:${REGION}:${ACCOUNT}:domain/${DOMAIN}`,
    Created: true,
    Deleted: false,
    Processing: false,
    UpgradeProcessing: false,
    Endpoint: ENDPOINT,
    EngineVersion: 'OpenSearch_2.11',
    ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 2, DedicatedMasterEnabled: false, ZoneAwarenessEnabled: true },
    EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 100 },
    AccessPolicies: ACCESS_POLICIES,
    CognitoOptions: { Enabled: true, UserPoolId: USER_POOL, IdentityPoolId: IDENTITY_POOL, RoleArn: SERVICE_ROLE },
    AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false, AnonymousAuthEnabled: false },
    DomainEndpointOptions: {
      EnforceHTTPS: true,
      TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07',
      CustomEndpointEnabled: true,
      CustomEndpoint: CUSTOM_ENDPOINT,
      CustomEndpointCertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
    },
    EncryptionAtRestOptions: { Enabled: true },
    NodeToNodeEncryptionOptions: { Enabled: true },
  },
  userPool: {
    Id: USER_POOL,
    Name: 'logs-users',
    Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${USER_POOL}`,
    Domain: 'logs-prod-login',
    MfaConfiguration: 'OFF',
    DeletionProtection: 'ACTIVE',
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    Policies: { PasswordPolicy: { MinimumLength: 12, TemporaryPasswordValidityDays: 7 } },
    CreationDate: new Date('2024-03-01T09:00:00Z'),
    LastModifiedDate: new Date('2026-10-01T12:30:00Z'),
  },
  userPoolClients: [
    {
      UserPoolId: USER_POOL,
      ClientName: 'AmazonOpenSearchService-logs-prod-eu-west-1-abc123def456ghi789',
      ClientId: CLIENT_ID,
      ClientSecret: '<redacted>',
      CallbackURLs: [dashboards, customDashboards],
      LogoutURLs: [dashboards, customDashboards],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['email', 'openid', 'phone', 'profile'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO', 'CorpSAML'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      CreationDate: new Date('2024-03-01T09:05:00Z'),
      LastModifiedDate: new Date('2026-10-01T12:35:00Z'),
    },
    {
      UserPoolId: USER_POOL,
      ClientName: 'internal-tools',
      ClientId: OTHER_CLIENT_ID,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['https://tools.example.com/callback'],
      SupportedIdentityProviders: ['COGNITO'],
      CreationDate: new Date('2025-01-10T08:00:00Z'),
      LastModifiedDate: new Date('2025-01-10T08:00:00Z'),
    },
  ],
  userPoolGroups: [
    { GroupName: 'admins', UserPoolId: USER_POOL, RoleArn: ADMIN_ROLE, Precedence: 1, Description: 'Dashboards administrators' },
    { GroupName: 'readers', UserPoolId: USER_POOL, RoleArn: READER_ROLE, Precedence: 10 },
  ],
  userPoolDomain: {
    Domain: 'logs-prod-login',
    UserPoolId: USER_POOL,
    AWSAccountId: ACCOUNT,
    CloudFrontDistribution: 'd111111abcdef8.cloudfront.net',
    Version: '20240301090000',
    Status: 'ACTIVE',
    ManagedLoginVersion: 2,
  },
  identityProviders: [
    {
      UserPoolId: USER_POOL,
      ProviderName: 'CorpSAML',
      ProviderType: 'SAML',
      ProviderDetails: { MetadataURL: 'https://idp.example.com/metadata.xml' },
      AttributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
      IdpIdentifiers: ['example.com'],
    },
  ],
  identityPool: {
    IdentityPoolId: IDENTITY_POOL,
    IdentityPoolName: 'logs_identity_pool',
    AllowUnauthenticatedIdentities: false,
    AllowClassicFlow: false,
    CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: CLIENT_ID, ServerSideTokenCheck: true }],
  },
  identityPoolRoles: {
    IdentityPoolId: IDENTITY_POOL,
    Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE },
    RoleMappings: { [`${PROVIDER}:${CLIENT_ID}`]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
  },
  roles: [
    {
      Path: '/',
      RoleName: 'Cognito_logsAuth_Role',
      RoleId: 'AROAEXAMPLEAUTH000001',
      Arn: AUTH_ROLE,
      CreateDate: new Date('2024-03-01T09:10:00Z'),
      AssumeRolePolicyDocument: decoded(cognitoTrust('authenticated')),
      MaxSessionDuration: 3600,
    },
    {
      Path: '/',
      RoleName: 'logs-admin',
      RoleId: 'AROAEXAMPLEADMIN00001',
      Arn: ADMIN_ROLE,
      CreateDate: new Date('2024-03-01T09:11:00Z'),
      // As IAM returns it: already URL-encoded.
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(cognitoTrust('authenticated'))),
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'team', Value: 'search & <logs>' }],
    },
    {
      Path: '/',
      RoleName: 'logs-reader',
      RoleId: 'AROAEXAMPLEREADER0001',
      Arn: READER_ROLE,
      CreateDate: new Date('2024-03-01T09:12:00Z'),
      // Decoded JSON text, with the spacing of a hand-written policy.
      AssumeRolePolicyDocument: JSON.stringify(cognitoTrust('authenticated'), null, 2),
      MaxSessionDuration: 3600,
    },
    {
      Path: '/service-role/',
      RoleName: 'CognitoAccessForAmazonOpenSearch',
      RoleId: 'AROAEXAMPLESERVICE001',
      Arn: SERVICE_ROLE,
      CreateDate: new Date('2024-03-01T09:00:00Z'),
      AssumeRolePolicyDocument: decoded(SERVICE_TRUST),
      MaxSessionDuration: 3600,
    },
  ],
  rolePolicies: {
    [AUTH_ROLE]: {
      attached: [{ PolicyArn: CUSTOM_POLICY, PolicyName: 'logs-es-http', Document: ES_HTTP_POLICY }],
      inline: [
        { PolicyName: 'es-http-get', PolicyDocument: ES_HTTP_POLICY },
        { PolicyName: 'deny-delete', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'es:ESHttpDelete', Resource: '*' }] } },
      ],
    },
    [SERVICE_ROLE]: {
      attached: [
        { PolicyArn: AWS_COGNITO_POLICY, PolicyName: 'AmazonOpenSearchServiceCognitoAccess', Document: COGNITO_ACCESS_POLICY },
        { PolicyArn: CUSTOM_POLICY, PolicyName: 'logs-es-http', Document: ES_HTTP_POLICY },
      ],
      inline: [],
    },
  },
  securityPlugin: {
    rolesMapping: {
      all_access: { backend_roles: [ADMIN_ROLE], users: [], hosts: [], reserved: false },
      readall: { backend_roles: [READER_ROLE, AUTH_ROLE], users: [], hosts: [], reserved: false },
      security_manager: { backend_roles: [ADMIN_ROLE], users: [], hosts: [], reserved: false },
    },
  },
  users: [
    {
      Username: 'alice',
      UserStatus: 'CONFIRMED',
      Enabled: true,
      UserCreateDate: '2024-03-02T10:00:00Z',
      UserLastModifiedDate: '2026-09-30T10:00:00Z',
      UserAttributes: [
        { Name: 'sub', Value: 'a1b2c3d4-0000-1111-2222-333344445555' },
        { Name: 'email', Value: 'alice@example.com' },
      ],
      Groups: ['admins', 'readers'],
    },
    { Username: 'bob', UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true, UserCreateDate: '2026-11-20T10:00:00Z', Groups: [] },
  ],
  managedLoginBranding: [
    {
      ManagedLoginBrandingId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      UserPoolId: USER_POOL,
      ClientId: CLIENT_ID,
      UseCognitoProvidedValues: true,
      CreationDate: '2026-01-05T10:00:00Z',
      LastModifiedDate: '2026-01-05T10:00:00Z',
    },
  ],
  principalTagAttributeMaps: [
    { IdentityPoolId: IDENTITY_POOL, IdentityProviderName: PROVIDER, UseDefaults: true, PrincipalTags: { username: 'sub', client: 'aud' } },
  ],
  userPoolWebAcl: WEB_ACL,
  iamUsers: [{ UserName: 'ci-deployer', Arn: CI_USER, Path: '/ci/', UserId: 'AIDACIDEPLOYER000001', CreateDate: new Date('2024-02-01T09:00:00Z') }],
  userPolicies: {
    [CI_USER]: {
      attached: [{ PolicyArn: CUSTOM_POLICY, PolicyName: 'logs-es-http', Document: ES_HTTP_POLICY }],
      inline: [{ PolicyName: 'ci-es-get', PolicyDocument: JSON.stringify(ES_HTTP_POLICY) }],
      groups: [{ GroupName: 'search-writers', Arn: CI_GROUP, attached: [], inline: [{ PolicyName: 'opensearch-write', PolicyDocument: ES_HTTP_POLICY }] }],
    },
  },
  errors: [
    {
      operation: 'iam:GetRole',
      resource: UNAUTH_ROLE,
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT}:user/collector is not authorized to perform: iam:GetRole on resource: role Cognito_logsUnauth_Role because no identity-based policy allows the iam:GetRole action`,
    },
  ],
};

/** A legacy Elasticsearch Service domain, in the shape DescribeElasticsearchDomain returns. */
export const legacySnapshot: Snapshot = {
  schema: 'cogdoctor/snapshot/v1',
  region: REGION,
  accountId: ACCOUNT,
  domain: {
    DomainId: `${ACCOUNT}/${LEGACY_DOMAIN}`,
    DomainName: LEGACY_DOMAIN,
    ARN: `arn:aws:es:${REGION}:${ACCOUNT}:domain/${LEGACY_DOMAIN}`,
    Created: true,
    Deleted: false,
    Processing: false,
    Endpoint: LEGACY_ENDPOINT,
    ElasticsearchVersion: '7.10',
    ElasticsearchClusterConfig: { InstanceType: 'm5.large.elasticsearch', InstanceCount: 1, DedicatedMasterEnabled: false },
    AccessPolicies: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'es:*',
          Resource: `arn:aws:es:${REGION}:${ACCOUNT}:domain/${LEGACY_DOMAIN}/*`,
        },
      ],
    }),
    CognitoOptions: { Enabled: true, UserPoolId: LEGACY_USER_POOL, IdentityPoolId: LEGACY_IDENTITY_POOL, RoleArn: SERVICE_ROLE },
    AdvancedSecurityOptions: { Enabled: false, InternalUserDatabaseEnabled: false },
  } as Snapshot['domain'],
  userPool: {
    Id: LEGACY_USER_POOL,
    Name: 'kibana-users',
    Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${LEGACY_USER_POOL}`,
    Domain: 'kibana-legacy-login',
  },
  userPoolClients: [
    {
      UserPoolId: LEGACY_USER_POOL,
      ClientName: 'AWSElasticsearch-kibana-legacy-eu-west-1-xyz789xyz789xyz789',
      ClientId: LEGACY_CLIENT_ID,
      CallbackURLs: [`https://${LEGACY_ENDPOINT}/_plugin/kibana/app/kibana`],
      LogoutURLs: [`https://${LEGACY_ENDPOINT}/_plugin/kibana/app/kibana`],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    },
  ],
  userPoolGroups: [],
  identityPool: {
    IdentityPoolId: LEGACY_IDENTITY_POOL,
    IdentityPoolName: 'kibana_identity_pool',
    AllowUnauthenticatedIdentities: false,
    CognitoIdentityProviders: [
      { ProviderName: `cognito-idp.eu-west-1.amazonaws.com/${LEGACY_USER_POOL}`, ClientId: LEGACY_CLIENT_ID, ServerSideTokenCheck: true },
    ],
  },
  identityPoolRoles: { IdentityPoolId: LEGACY_IDENTITY_POOL, Roles: { authenticated: AUTH_ROLE } },
  // Read, and none is associated.
  userPoolWebAcl: null,
  // Read: attributes for access control were never turned on (AWS answers ResourceNotFoundException).
  principalTagAttributeMaps: [],
  // The login path shares the service role with the OpenSearch domain: merged by id.
  roles: [
    {
      Path: '/service-role/',
      RoleName: 'CognitoAccessForAmazonOpenSearch',
      RoleId: 'AROAEXAMPLESERVICE001',
      Arn: SERVICE_ROLE,
      CreateDate: new Date('2024-03-01T09:00:00Z'),
      AssumeRolePolicyDocument: decoded(SERVICE_TRUST),
      MaxSessionDuration: 3600,
    },
  ],
  errors: [
    {
      operation: 'cognito-idp:ListGroups',
      resource: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${LEGACY_USER_POOL}`,
      code: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/collector is not authorized to perform: cognito-idp:ListGroups on resource: arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${LEGACY_USER_POOL}`,
    },
  ],
};
