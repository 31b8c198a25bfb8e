import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/app-client-callback-urls.js';

const CHECK = 'app-client-callback-urls';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const custom = loadFixture('healthy/custom-endpoint.json');
const legacy = loadFixture('healthy/legacy-es-kibana.json');
const groups = loadFixture('healthy/token-groups.json');

const UP = 'eu-west-1_Xk2LmQp7A';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const EP = 'search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com';
const DASH = `https://${EP}/_dashboards/app/home`;
const VPC_EP = 'vpc-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com';
const LOGS_EP = 'search-logs-7m2xk4q9w1e5r8t3y6u0i2o4pa.eu-west-1.es.amazonaws.com';

const client = (s: Snapshot): UserPoolClientType => s.userPoolClients![0]!;

function handMade(callback: string, extra: Partial<UserPoolClientType> = {}): UserPoolClientType {
  return {
    UserPoolId: UP,
    ClientName: 'logs-prod-opensearch',
    ClientId: '7hk3m9p2q5r8t1v4w6y0z3b5d7',
    CallbackURLs: [callback],
    LogoutURLs: [callback],
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    AllowedOAuthFlowsUserPoolClient: true,
    SupportedIdentityProviders: ['COGNITO'],
    ...extra,
  };
}

/** Domain `logs` next to `logs-prod` in the same pool: each has its own service-created client. */
function logsBesideLogsProd(logsCallback: string): Snapshot {
  return variant(fgac, (s) => {
    s.domain.DomainName = 'logs';
    s.domain.ARN = 'arn:aws:es:eu-west-1:123456789012:domain/logs';
    s.domain.Endpoint = LOGS_EP;
    s.userPoolClients = [
      client(s),
      {
        ...client(s),
        ClientName: 'AmazonOpenSearchService-logs-eu-west-1-7m2xk4q9w1e5r8t3y6u0i2o4pa',
        ClientId: '1a3c5e7g9i2k4m6o8q0s2u4w6y',
        CallbackURLs: [logsCallback],
        LogoutURLs: [logsCallback],
      },
    ];
  });
}

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain', fgac],
  ['healthy custom endpoint registered', custom],
  ['healthy legacy Elasticsearch domain with /_plugin/kibana/app/kibana', legacy],
  ['healthy token-based mapping', groups],
  [
    'an OpenSearch domain read through the legacy API (ElasticsearchVersion OpenSearch_2.11): Dashboards, not Kibana',
    variant(fgac, (s) => {
      const { EngineVersion: _engine, ClusterConfig, ...rest } = s.domain;
      s.domain = { ...rest, ElasticsearchVersion: 'OpenSearch_2.11', ElasticsearchClusterConfig: ClusterConfig } as Snapshot['domain'];
    }),
  ],
  ['a hand-made client with the same callback next to the service client', variant(fgac, (s) => s.userPoolClients!.unshift(handMade(DASH)))],
  [
    'several app clients, a hand-made one first with another URL',
    variant(fgac, (s) => {
      s.userPoolClients!.unshift(handMade('https://app.example.com/callback', { ClientName: 'web-app', ClientId: '2b4d6f8h0j2l4n6p8r0t2v4x6z' }));
    }),
  ],
  [
    'VPC domain with only Endpoints.vpc and its callback registered',
    variant(fgac, (s) => {
      delete s.domain.Endpoint;
      s.domain.Endpoints = { vpc: VPC_EP };
      s.domain.VPCOptions = { VPCId: 'vpc-0a1b2c3d4e5f60718' };
      client(s).CallbackURLs = [`https://${VPC_EP}/_dashboards/app/home`];
      client(s).LogoutURLs = [`https://${VPC_EP}/_dashboards/app/home`];
    }),
  ],
  [
    'custom endpoint configured but disabled, not registered',
    variant(fgac, (s) => {
      s.domain.DomainEndpointOptions = { ...s.domain.DomainEndpointOptions, CustomEndpointEnabled: false, CustomEndpoint: 'logs.example.com' };
    }),
  ],
  ['domain logs beside logs-prod, each client registered for its own endpoint', logsBesideLogsProd(`https://${LOGS_EP}/_dashboards/app/home`)],
  [
    'pools in another Region than the domain',
    variant(fgac, (s) => {
      const pool = 'eu-central-1_Xk2LmQp7A';
      s.domain.CognitoOptions!.UserPoolId = pool;
      s.userPool!.Id = pool;
      delete s.userPool!.Arn;
      client(s).UserPoolId = pool;
    }),
  ],
  ['no OpenSearch client at all (opensearch-app-client reports it)', variant(fgac, (s) => (s.userPoolClients = [handMade('https://app.example.com/cb')]))],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

interface Invalid {
  name: string;
  snapshot: Snapshot;
  id: string;
  severity: 'error' | 'warning';
  evidence: Record<string, unknown>;
}

const invalid: Invalid[] = [
  {
    name: 'callback replaced by IaC (fixture)',
    snapshot: loadFixture('fail/redirect-mismatch.json'),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { clientId: CID, missing: DASH, missingFrom: ['CallbackURLs'], endpointKind: 'endpoint' },
  },
  {
    name: 'callback removed, sign-out URL kept',
    snapshot: variant(fgac, (s) => (client(s).CallbackURLs = [])),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { missingFrom: ['CallbackURLs'] },
  },
  {
    name: 'only the sign-out URL missing: a warning',
    snapshot: variant(fgac, (s) => (client(s).LogoutURLs = [])),
    id: 'redirect-mismatch',
    severity: 'warning',
    evidence: { missingFrom: ['LogoutURLs'] },
  },
  {
    name: 'Elasticsearch → OpenSearch upgrade leaves /_plugin/kibana/app/kibana (fixture)',
    snapshot: loadFixture('fail/redirect-mismatch--es-upgrade.json'),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: {
      missing: 'https://search-kibana-legacy-x7lq3m2n5p8r1t4v6w9y0z2b4d.eu-west-1.es.amazonaws.com/_dashboards/app/home',
      missingFrom: ['CallbackURLs', 'LogoutURLs'],
    },
  },
  {
    name: 'trailing slash (fixture)',
    snapshot: loadFixture('fail/redirect-mismatch--trailing-slash.json'),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { missing: DASH, CallbackURLs: [`${DASH}/`] },
  },
  {
    name: 'case difference (fixture)',
    snapshot: loadFixture('fail/redirect-mismatch--case.json'),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { missing: DASH, missingFrom: ['CallbackURLs'] },
  },
  {
    name: 'upper-case host in the callback',
    snapshot: variant(fgac, (s) => (client(s).CallbackURLs = [DASH.replace('search-logs-prod', 'Search-Logs-Prod')])),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { missing: DASH },
  },
  {
    name: 'VPC domain with only Endpoints.vpc, callback missing (fixture)',
    snapshot: loadFixture('fail/redirect-mismatch--vpc.json'),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { endpoint: VPC_EP, endpointKind: 'vpc', missing: `https://${VPC_EP}/_dashboards/app/home` },
  },
  {
    name: 'dual-stack EndpointV2 not registered: a warning',
    snapshot: variant(fgac, (s) => (s.domain.EndpointV2 = 'search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.on.aws')),
    id: 'redirect-mismatch',
    severity: 'warning',
    evidence: { endpointKind: 'dual-stack' },
  },
  {
    name: 'custom endpoint enabled after Cognito (fixture)',
    snapshot: loadFixture('fail/custom-endpoint-not-in-callback.json'),
    id: 'custom-endpoint-not-in-callback',
    severity: 'error',
    evidence: {
      endpoint: 'logs.example.com',
      endpointKind: 'custom',
      missing: 'https://logs.example.com/_dashboards/app/home',
      missingFrom: ['CallbackURLs', 'LogoutURLs'],
    },
  },
  {
    name: "domain logs beside logs-prod: the logs client lacks its callback, logs-prod's client is not taken for it",
    snapshot: logsBesideLogsProd('https://logs.example.com/_dashboards/app/home'),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { clientId: '1a3c5e7g9i2k4m6o8q0s2u4w6y', missing: `https://${LOGS_EP}/_dashboards/app/home` },
  },
  {
    name: 'the service client is checked even when a hand-made client has the right callback',
    snapshot: variant(fgac, (s) => {
      client(s).CallbackURLs = ['https://dashboards.example.com/_dashboards/app/home'];
      s.userPoolClients!.unshift(handMade(DASH));
    }),
    id: 'redirect-mismatch',
    severity: 'error',
    evidence: { clientId: CID },
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([c.id]);
    expect(r.findings[0]!.severity).toBe(c.severity);
    expect(r.findings[0]!.evidence).toMatchObject(c.evidence);
  });

  it('the fix is a round trip on the real pool and client, with the URL quoted', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/custom-endpoint-not-in-callback.json')).findings;
    const commands = finding!.fix.commands!;
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(commands).toHaveLength(3);
    expect(commands[0]).toBe(
      `aws cognito-idp describe-user-pool-client --region eu-west-1 --user-pool-id ${UP} --client-id ${CID} --query UserPoolClient > client.json`,
    );
    expect(commands[1]).toContain(`--argjson url '"https://logs.example.com/_dashboards/app/home"'`);
    expect(commands[2]).toBe('aws cognito-idp update-user-pool-client --region eu-west-1 --cli-input-json file://client-fixed.json');
  });

  it('reports each endpoint once: the AWS endpoint and the custom one both missing', () => {
    const r = runCheck(
      CHECK,
      variant(custom, (s) => (client(s).CallbackURLs = [])),
    );
    expect(r.ids.sort()).toEqual(['custom-endpoint-not-in-callback', 'redirect-mismatch']);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListUserPoolClients denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException', message: 'not authorized' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListUserPoolClients');
  });

  it('DescribeUserPool denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPool;
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('clients absent without a recorded error → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => delete s.userPoolClients),
    );
    expect(r.status).toBe('unknown');
  });

  const otherDenied = { operation: 'cognito-idp:DescribeUserPoolClient', resource: `${UP}/9z8y7x6w5v4u3t2s1r0q9p8o7n`, code: 'AccessDeniedException' };

  it('DescribeUserPoolClient denied on another client, the service client read: decides (fixture)', () => {
    expect(runCheck(CHECK, loadFixture('partial/describe-other-client-denied.json'))).toMatchObject({ status: 'pass', ids: [] });
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.errors = [otherDenied];
        client(s).CallbackURLs = [`${DASH}/`];
      }),
    );
    expect(r).toMatchObject({ status: 'fail', ids: ['redirect-mismatch'] });
  });

  it("DescribeUserPoolClient denied on another client and the read client is not beyond doubt the service's → unknown", () => {
    // Only the prefix and no Region/hash: an unreadable client may be the real one.
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.errors = [otherDenied];
        client(s).ClientName = 'AmazonOpenSearchService-logs-prod-copy';
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPoolClient');
  });

  it('Cognito off → not applicable', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.domain.CognitoOptions = { Enabled: false })),
    );
    expect(r.status).toBe('not-applicable');
  });
});

describe(`${CHECK}: problems and their wording`, () => {
  it('redirect-mismatch: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/redirect-mismatch.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'redirect-mismatch')).toMatchObject({
      data: { endpointKind: 'endpoint', missingFrom: ['CallbackURLs'] },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'redirect-mismatch')!.message).toBe(
      'The app client AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham has no CallbackURLs entry for https://search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com/_dashboards/app/home.',
    );
  });
  it('custom-endpoint-not-in-callback: the data the message is worded from', () => {
    const snapshot = loadFixture('fail/custom-endpoint-not-in-callback.json');
    expect(problemsOf(check, snapshot).find((p) => p.mode === 'custom-endpoint-not-in-callback')).toMatchObject({
      data: { endpointKind: 'custom', missing: 'https://logs.example.com/_dashboards/app/home', missingFrom: ['CallbackURLs', 'LogoutURLs'] },
    });
    expect(runCheck(CHECK, snapshot).findings.find((f) => f.id === 'custom-endpoint-not-in-callback')!.message).toBe(
      'The app client AmazonOpenSearchService-logs-prod-eu-west-1-4kq2vqyzt7bxnnyfxm2lyu3ham has no CallbackURLs or LogoutURLs entry for https://logs.example.com/_dashboards/app/home.',
    );
  });
});
