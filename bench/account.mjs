// Generates an account of N domains in one Region that share (up to) 10 user pools, 10 identity pools and 30 roles,
// for the account-scale benchmark. Each domain is one snapshot; the emulator merges them. Every part
// a live run reads is there, so a scan that reads it all leaves no check unknown.
const enc = (o) => encodeURIComponent(JSON.stringify(o));
const trust = (ip) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': ip },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      },
    },
  ],
});
const hex = (n, len) => n.toString(16).padStart(len, '0');

/** `domainCount` domains of one account and Region (a sweep's benchmark makes many, each in its own account and Region). */
export function generateAccount(domainCount, { accountId = '123456789012', region = 'eu-west-1' } = {}) {
  const ACCT = accountId;
  const R = region;
  const poolCount = Math.min(10, domainCount);
  const pools = Array.from({ length: poolCount }, (_, p) => ({
    up: `${R}_Pool${hex(p, 5)}A`,
    ip: `${R}:${hex(p, 8)}-0000-4000-8000-${hex(p, 12)}`,
    auth: `arn:aws:iam::${ACCT}:role/Cognito_${R}_pool${p}Auth_Role`,
    groups: [0, 1].map((g) => ({ GroupName: `pool${p}-group${g}`, RoleArn: `arn:aws:iam::${ACCT}:role/${R}-pool${p}-group${g}-role`, Precedence: g + 1 })),
    domains: [],
  }));
  const domains = Array.from({ length: domainCount }, (_, d) => {
    const pool = pools[d % poolCount];
    const name = `logs-${hex(d, 3)}`;
    const hash = `h${hex(d * 7919, 24)}`;
    const clientId = `c${hex(d, 25)}`;
    pool.domains.push({ name, hash, clientId });
    return { name, hash, clientId, pool };
  });
  const access = {
    Path: '/service-role/',
    RoleName: 'CognitoAccessForAmazonOpenSearch',
    Arn: `arn:aws:iam::${ACCT}:role/service-role/CognitoAccessForAmazonOpenSearch`,
    AssumeRolePolicyDocument: enc({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  };
  return domains.map(({ name, hash, pool }) => {
    const endpoint = `search-${name}-${hash}.${R}.es.amazonaws.com`;
    const arn = `arn:aws:es:${R}:${ACCT}:domain/${name}`;
    const roles = [pool.auth, ...pool.groups.map((g) => g.RoleArn)];
    return {
      schema: 'cogdoctor/snapshot/v1',
      region: R,
      accountId: ACCT,
      domain: {
        DomainId: `${ACCT}/${name}`,
        DomainName: name,
        ARN: arn,
        Endpoint: endpoint,
        EngineVersion: 'OpenSearch_2.13',
        AccessPolicies: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:ESHttp*', Resource: `${arn}/*` }],
        }),
        CognitoOptions: { Enabled: true, UserPoolId: pool.up, IdentityPoolId: pool.ip, RoleArn: access.Arn },
        DomainEndpointOptions: { EnforceHTTPS: true, CustomEndpointEnabled: false },
        AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false },
      },
      userPool: {
        Id: pool.up,
        Name: `pool-${pool.up}`,
        Arn: `arn:aws:cognito-idp:${R}:${ACCT}:userpool/${pool.up}`,
        Domain: `login-${pool.up.toLowerCase().replace('_', '-')}`,
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        SchemaAttributes: [],
      },
      userPoolClients: pool.domains.map((d) => {
        const url = `https://search-${d.name}-${d.hash}.${R}.es.amazonaws.com/_dashboards/app/home`;
        return {
          UserPoolId: pool.up,
          ClientId: d.clientId,
          ClientName: `AmazonOpenSearchService-${d.name}-${R}-${d.hash}`,
          ClientSecret: '<redacted>',
          CallbackURLs: [url],
          LogoutURLs: [url],
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['email', 'openid', 'phone', 'profile'],
          AllowedOAuthFlowsUserPoolClient: true,
          SupportedIdentityProviders: ['COGNITO'],
        };
      }),
      userPoolGroups: pool.groups.map((g) => ({ ...g, UserPoolId: pool.up })),
      identityPool: {
        IdentityPoolId: pool.ip,
        IdentityPoolName: `pool_${pool.ip.slice(10, 18)}`,
        AllowUnauthenticatedIdentities: false,
        AllowClassicFlow: false,
        CognitoIdentityProviders: pool.domains.map((d) => ({
          ProviderName: `cognito-idp.${R}.amazonaws.com/${pool.up}`,
          ClientId: d.clientId,
          ServerSideTokenCheck: true,
        })),
      },
      identityPoolRoles: {
        IdentityPoolId: pool.ip,
        Roles: { authenticated: pool.auth },
        RoleMappings: Object.fromEntries(
          pool.domains.map((d) => [`cognito-idp.${R}.amazonaws.com/${pool.up}:${d.clientId}`, { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' }]),
        ),
      },
      identityProviders: [],
      userPoolDomain: {
        UserPoolId: pool.up,
        AWSAccountId: ACCT,
        Domain: `login-${pool.up.toLowerCase().replace('_', '-')}`,
        Status: 'ACTIVE',
        Version: '1',
        ManagedLoginVersion: 1,
      },
      userPoolWebAcl: null,
      principalTagAttributeMaps: [],
      roles: [access, ...roles.map((r) => ({ Path: '/', RoleName: r.split('/').pop(), Arn: r, AssumeRolePolicyDocument: enc(trust(pool.ip)) }))],
      rolePolicies: {
        [access.Arn]: {
          attached: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess', PolicyName: 'AmazonOpenSearchServiceCognitoAccess' }],
          inline: [],
        },
        ...Object.fromEntries(
          roles.map((r) => [
            r,
            {
              attached: [],
              inline: [
                {
                  PolicyName: 'identity',
                  PolicyDocument: {
                    Version: '2012-10-17',
                    Statement: [{ Effect: 'Allow', Action: 'cognito-identity:GetCredentialsForIdentity', Resource: '*' }],
                  },
                },
              ],
            },
          ]),
        ),
      },
      securityPlugin: { rolesMapping: { all_access: { backend_roles: roles, users: [] }, opensearch_dashboards_user: { backend_roles: roles, users: [] } } },
      errors: [],
    };
  });
}

/** The organization a sweep benchmark reads: a management account and `accounts` members, each with its role and Regions. */
export function generateOrganization(accounts, regions, domainsPerRegion) {
  const management = '100000000000';
  const members = Array.from({ length: accounts }, (_, a) => `2${String(a).padStart(11, '0')}`);
  const snapshots = members.flatMap((accountId) => regions.flatMap((region) => generateAccount(domainsPerRegion, { accountId, region })));
  const trust = encodeURIComponent(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${management}:root` }, Action: 'sts:AssumeRole' }],
    }),
  );
  const organization = {
    schema: 'cogdoctor/organization/v1',
    managementAccountId: management,
    accounts: [management, ...members].map((Id, i) => ({
      Id,
      Arn: `arn:aws:organizations::${management}:account/o-bench00000/${Id}`,
      Name: i === 0 ? 'management' : `member-${i}`,
      Email: `aws+${Id}@example.com`,
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: i === 0 ? 'INVITED' : 'CREATED',
    })),
    // The member role is deployed in the management account too (a StackSet with it included); no domains there.
    roles: [management, ...members].map((accountId) => ({
      Path: '/',
      RoleName: 'cogdoctor-read',
      RoleId: `AROA${accountId}READ`,
      Arn: `arn:aws:iam::${accountId}:role/cogdoctor-read`,
      CreateDate: '2026-01-01T00:00:00Z',
      AssumeRolePolicyDocument: trust,
    })),
    regions: Object.fromEntries(
      [management, ...members].map((accountId) => [accountId, regions.map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED_BY_DEFAULT' }))]),
    ),
  };
  return { snapshots, organization, members };
}
