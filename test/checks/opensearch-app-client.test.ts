import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/opensearch-app-client.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'opensearch-app-client';
const ID = 'opensearch-app-client-deleted-or-bypassed';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const custom = loadFixture('healthy/custom-endpoint.json');
const legacy = loadFixture('healthy/legacy-es-kibana.json');
const groups = loadFixture('healthy/token-groups.json');

const UP = 'eu-west-1_Xk2LmQp7A';
const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const HAND = '7hk3m9p2q5r8t1v4w6y0z3b5d7';
const PROVIDER = `cognito-idp.eu-west-1.amazonaws.com/${UP}`;
const DASH = 'https://search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com/_dashboards/app/home';

const client = (s: Snapshot): UserPoolClientType => s.userPoolClients![0]!;

function handMade(extra: Partial<UserPoolClientType> = {}): UserPoolClientType {
  return {
    UserPoolId: UP,
    ClientName: 'logs-prod-opensearch',
    ClientId: HAND,
    CallbackURLs: [DASH],
    LogoutURLs: [DASH],
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    AllowedOAuthFlowsUserPoolClient: true,
    SupportedIdentityProviders: ['COGNITO'],
    ...extra,
  };
}

const logsProdClient = (s: Snapshot): UserPoolClientType => ({
  ...client(s),
  ClientName: 'AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham',
});

/** Domain `logs` sharing the pools with `logs-prod`. */
function asLogs(s: Snapshot): void {
  s.domain.DomainName = 'logs';
  s.domain.ARN = 'arn:aws:es:eu-west-1:123456789012:domain/logs';
  s.domain.Endpoint = 'search-logs-7m2xk4q9w1e5r8t3y6u0i2o4pa.eu-west-1.es.amazonaws.com';
}

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain (AmazonOpenSearchService- name)', fgac],
  ['healthy custom endpoint', custom],
  ['healthy legacy domain (AWSElasticsearch- name)', legacy],
  ['healthy token-based mapping keyed on the service client', groups],
  ['a hand-made client with the same callback next to the service client', variant(fgac, (s) => s.userPoolClients!.unshift(handMade()))],
  [
    'the hand-made client is also a provider, beside the service client',
    variant(groups, (s) => {
      s.userPoolClients!.push(handMade());
      s.identityPool!.CognitoIdentityProviders!.push({ ProviderName: PROVIDER, ClientId: HAND, ServerSideTokenCheck: false });
    }),
  ],
  [
    'identity pool shared with domain logs-prod: its service client is a provider and has a role mapping too',
    variant(groups, (s) => {
      asLogs(s);
      const logs = {
        ...client(s),
        ClientName: 'AmazonOpenSearchService-logs-eu-west-1-7m2xk4q9w1e5r8t3y6u0i2o4pa',
        ClientId: '1a3c5e7g9i2k4m6o8q0s2u4w6y',
        CallbackURLs: [`https://${s.domain.Endpoint}/_dashboards/app/home`],
      };
      s.userPoolClients = [logsProdClient(s), logs];
      s.identityPool!.CognitoIdentityProviders!.push({ ProviderName: PROVIDER, ClientId: logs.ClientId, ServerSideTokenCheck: true });
      s.identityPoolRoles!.RoleMappings![`${PROVIDER}:${logs.ClientId}`] = { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' };
    }),
  ],
  [
    'a renamed service client that the identity pool lists and that points at the domain (rule 6 fallback)',
    variant(fgac, (s) => (client(s).ClientName = 'dashboards-login')),
  ],
  [
    "a shared pool: another app's client (URLs elsewhere) is a provider with the only role mapping",
    variant(groups, (s) => {
      s.userPoolClients!.push(
        handMade({ ClientName: 'logs-portal-web', CallbackURLs: ['https://portal.example.com/callback'], LogoutURLs: ['https://portal.example.com/'] }),
      );
      s.identityPool!.CognitoIdentityProviders!.push({ ProviderName: PROVIDER, ClientId: HAND, ServerSideTokenCheck: false });
      s.identityPoolRoles!.RoleMappings = { [`${PROVIDER}:${HAND}`]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } };
    }),
  ],
  [
    'providers of another user pool in a shared identity pool',
    variant(fgac, (s) => {
      s.identityPool!.CognitoIdentityProviders!.push({
        ProviderName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab9Cd8Ef7',
        ClientId: HAND,
        ServerSideTokenCheck: false,
      });
    }),
  ],
  [
    'callbacks broken but the name matches: the client exists (redirect-mismatch is another check)',
    variant(fgac, (s) => {
      client(s).CallbackURLs = [];
      client(s).LogoutURLs = [];
    }),
  ],
  [
    'pools in another Region than the domain',
    variant(fgac, (s) => {
      const pool = 'eu-central-1_Xk2LmQp7A';
      s.domain.CognitoOptions!.UserPoolId = pool;
      s.userPool!.Id = pool;
      delete s.userPool!.Arn;
      s.identityPool!.CognitoIdentityProviders![0]!.ProviderName = `cognito-idp.eu-central-1.amazonaws.com/${pool}`;
    }),
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

const invalid: Array<{ name: string; snapshot: Snapshot; evidence: Record<string, unknown>; resource: string }> = [
  {
    name: 'service client deleted (fixture)',
    snapshot: loadFixture('fail/opensearch-app-client-deleted-or-bypassed.json'),
    evidence: { userPoolId: UP, clientsInPool: [], clientsPointingAtDomain: [], identityPoolClientIds: [CID] },
    resource: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`,
  },
  {
    name: 'service client deleted, a hand-made twin with the same callback is not it (fixture)',
    snapshot: loadFixture('fail/opensearch-app-client-deleted-or-bypassed--hand-made-twin.json'),
    evidence: {
      clientsInPool: ['logs-prod-opensearch'],
      clientsPointingAtDomain: [{ ClientId: HAND, ClientName: 'logs-prod-opensearch', CallbackURLs: [DASH] }],
    },
    resource: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`,
  },
  {
    name: "domain logs lost its client; logs-prod's client is not taken for it (fixture)",
    snapshot: loadFixture('fail/opensearch-app-client-deleted-or-bypassed--prefix-sibling.json'),
    evidence: { domainName: 'logs', clientsInPool: ['AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham'], clientsPointingAtDomain: [] },
    resource: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`,
  },
  {
    name: 'legacy AWSElasticsearch client deleted',
    snapshot: variant(legacy, (s) => (s.userPoolClients = [])),
    evidence: { domainName: 'kibana-legacy' },
    resource: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`,
  },
  {
    name: 'role mapping moved to a hand-made client (fixture)',
    snapshot: loadFixture('fail/opensearch-app-client-deleted-or-bypassed--role-mappings.json'),
    evidence: {
      openSearchClient: { ClientId: CID },
      roleMappingKeys: [`${PROVIDER}:${HAND}`],
      expectedRoleMappingKey: `${PROVIDER}:${CID}`,
      handMadeClients: [{ ClientId: HAND, ClientName: 'logs-prod-opensearch', CallbackURLs: [DASH] }],
    },
    resource: `arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`,
  },
  {
    name: 'providers and role mapping replaced by a hand-made client (fixture)',
    snapshot: loadFixture('fail/opensearch-app-client-deleted-or-bypassed--providers.json'),
    evidence: { identityPoolProviderClientIds: [HAND], roleMappingKeys: [`${PROVIDER}:${HAND}`] },
    resource: `arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`,
  },
  {
    name: 'provider replaced by a hand-made client that points elsewhere, no role mappings',
    snapshot: variant(fgac, (s) => {
      s.userPoolClients!.push(handMade({ CallbackURLs: ['https://proxy.example.com/oauth2/idpresponse'], LogoutURLs: [] }));
      s.identityPool!.CognitoIdentityProviders = [{ ProviderName: PROVIDER, ClientId: HAND, ServerSideTokenCheck: false }];
    }),
    evidence: { identityPoolProviderClientIds: [HAND], roleMappingKeys: [] },
    resource: `arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`,
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.resource).toBe(c.resource);
    expect(r.findings[0]!.evidence).toMatchObject(c.evidence);
  });

  it('a deleted client: the fix re-creates it with a Cognito off/on deployment carrying the real ids', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/opensearch-app-client-deleted-or-bypassed.json')).findings;
    expect(finding!.fix.commands).toEqual([
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":false}'`,
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":true,"UserPoolId":"${UP}","IdentityPoolId":"${IP}","RoleArn":"arn:aws:iam::123456789012:role/service-role/CognitoAccessForAmazonOpenSearch"}'`,
    ]);
  });

  it('a bypass: the fix round-trips the provider and re-keys the role mapping onto the service client', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/opensearch-app-client-deleted-or-bypassed--providers.json')).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toBe(`aws cognito-identity describe-identity-pool --region eu-west-1 --identity-pool-id ${IP} > identity-pool.json`);
    expect(commands[1]).toContain(`--argjson client '"${CID}"'`);
    expect(commands[3]).toBe(`aws cognito-identity get-identity-pool-roles --region eu-west-1 --identity-pool-id ${IP} > identity-pool-roles.json`);
    expect(commands[4]).toContain(`--argjson to '"${PROVIDER}:${CID}"'`);
    expect(commands[4]).toContain(`--argjson from '"${PROVIDER}:${HAND}"'`);
    const updates = commands.filter((c) => /update-identity-pool|set-identity-pool-roles/.test(c));
    expect(updates).toHaveLength(2);
    for (const update of updates) expect(update).toContain('--cli-input-json file://');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListUserPoolClients denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListUserPoolClients');
  });

  it('DescribeUserPoolClient denied for the missing client → unknown, not "deleted"', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.userPoolClients = [];
        s.errors = [{ operation: 'cognito-idp:DescribeUserPoolClient', resource: `${UP}/${CID}`, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPoolClient');
  });

  it('DescribeUserPoolClient denied on another client, the identity pool names the service client: decides', () => {
    const denied = { operation: 'cognito-idp:DescribeUserPoolClient', resource: `${UP}/${HAND}`, code: 'AccessDeniedException' };
    expect(
      runCheck(
        CHECK,
        variant(fgac, (s) => (s.errors = [denied])),
      ),
    ).toMatchObject({ status: 'pass', ids: [] });
    // The identity pool names only the unreadable client: it may be a hand-made one that bypasses the service's.
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.errors = [denied];
        s.identityPool!.CognitoIdentityProviders = [{ ProviderName: PROVIDER, ClientId: HAND, ServerSideTokenCheck: false }];
      }),
    );
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPoolClient');
  });

  it('no named client, a client points at the domain, identity pool unreadable → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        client(s).ClientName = 'dashboards-login';
        delete s.identityPool;
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:DescribeIdentityPool');
  });

  it('service client found, role mappings unreadable → unknown (the bypass cannot be ruled out)', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:GetIdentityPoolRoles');
  });

  it('client deleted and identity pool gone too → still reported', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.userPoolClients = [];
        delete s.identityPool;
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:DescribeIdentityPool', resource: IP, code: 'ResourceNotFoundException' }];
      }),
    );
    expect(r.ids).toEqual([ID]);
  });

  it('malformed user pool id → not applicable (cognito-pools-exist reports it)', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.domain.CognitoOptions!.UserPoolId = 'logs-prod-users')),
    );
    expect(r.status).toBe('not-applicable');
  });

  it('reports a deleted client and a bypass as two kinds of data, each worded its own way', () => {
    const [deleted] = problemsOf(check, loadFixture('fail/opensearch-app-client-deleted-or-bypassed--hand-made-twin.json'));
    expect(deleted).toMatchObject({
      mode: ID,
      data: { kind: 'deleted', userPoolId: UP, domainName: 'logs-prod', domainRegion: 'eu-west-1', clientsPointingAtDomain: [{ ClientId: HAND }] },
    });
    expect(runCheck(CHECK, loadFixture('fail/opensearch-app-client-deleted-or-bypassed--hand-made-twin.json')).findings[0]!.message).toBe(
      `User pool ${UP} has no app client AWSElasticsearch-logs-prod-… or AmazonOpenSearchService-logs-prod-…; logs-prod-opensearch points at the domain but is not the client the domain signs users in with.`,
    );

    const [bypassed] = problemsOf(check, loadFixture('fail/opensearch-app-client-deleted-or-bypassed--providers.json'));
    expect(bypassed).toMatchObject({
      mode: ID,
      data: {
        kind: 'bypassed',
        IdentityPoolId: IP,
        openSearchClient: { ClientId: CID },
        providerClients: ['logs-prod-opensearch'],
        roleMappings: [{ key: `${PROVIDER}:${HAND}`, client: 'logs-prod-opensearch' }],
      },
    });
    expect(runCheck(CHECK, loadFixture('fail/opensearch-app-client-deleted-or-bypassed--providers.json')).findings[0]!.message).toMatch(
      /^The identity pool's authentication providers and role mappings for eu-west-1_Xk2LmQp7A name logs-prod-opensearch, not .* \(4q8v2n6k1m3p5r7t9w0y2a4c6e\), the client the domain signs users in with/,
    );
  });
});
