// The relying-party cases every `cogdoctor client` rule is proven on: each makes ids fire or keeps them quiet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report, Snapshot } from '../../src/index.js';
import { relyingPartyOf, type ClientCommandOptions } from '../../src/cli/client.js';
import { runClientChecks } from '../../src/client/run.js';
import { clientReadsFromSnapshot } from '../../src/client/snapshot.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { ROOT, variant } from '../helpers.js';

export const CLIENT_FIXTURES = join(ROOT, 'test', 'fixtures', 'client');
export const POOL = 'eu-west-1_GwPool7Kq';
export const KONG = '1kong4gateway8client2abcd';
export const ALB = '2alb6loadbalancer3client9';
export const ALB_NO_SECRET = '3alb6nosecret4client7wxyz';
export const SPA_WITH_SECRET = '4spa2singlepage5app8mnopq';
export const SPA = '5spa9public1client3rstuv';
export const WORKER = '6m2m4machine7client1efgh';
export const MIXED = '7mix3mixedflows8client2ij';
export const OKTA_NOT_ENABLED = '8idp5okta2disabled6clnt4k';
export const HTTP_CALLBACK = '9http1intranet4client6lmn';
export const ALB_URL = 'https://internal-web-1234567890.eu-west-1.elb.amazonaws.com/oauth2/idpresponse';

export function clientFixture(name: string): Snapshot {
  return parseSnapshot(readFileSync(join(CLIENT_FIXTURES, name), 'utf8'));
}

export type Flags = Partial<Omit<ClientCommandOptions, 'flow'>> & { flow?: ClientCommandOptions['flow'] };

export interface ClientCase {
  name: string;
  fixture: string;
  /** Edits the fixture for this case only. */
  edit?: (s: Snapshot) => void;
  clientId: string;
  flags: Flags;
  /** Every failure id the case must produce, and nothing else. */
  expect: string[];
}

export function runCase(c: ClientCase): Report {
  const base = clientFixture(c.fixture);
  const snapshot = c.edit ? variant(base, c.edit) : base;
  const party = relyingPartyOf({ flow: 'code', failOn: 'error', ...c.flags } as ClientCommandOptions);
  return runClientChecks(clientReadsFromSnapshot(snapshot, undefined, c.clientId), party, { version: '0.0.0-test', source: 'snapshot', file: c.fixture });
}

const clientOf = (s: Snapshot, id: string) => s.userPoolClients!.find((c) => c.ClientId === id)!;
const kongExact = { redirectUri: ['https://api.example.com:8443/callback'], logoutUri: ['https://api.example.com:8443/logout'] };

export const CASES: ClientCase[] = [
  {
    name: 'Kong on port 8443, the exact URLs and its Okta provider',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { ...kongExact, identityProvider: 'Okta', scopes: ['openid', 'email', 'profile'] },
    expect: [],
  },
  {
    name: 'Kong sends the URL without the port',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { redirectUri: ['https://api.example.com/callback'] },
    expect: ['redirect-mismatch'],
  },
  {
    name: 'Kong sends a trailing slash',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { redirectUri: ['https://api.example.com:8443/callback/'] },
    expect: ['redirect-mismatch'],
  },
  {
    name: 'Kong sends another host case',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { redirectUri: ['https://API.example.com:8443/callback'] },
    expect: ['redirect-mismatch'],
  },
  {
    name: 'Kong signs out to an unregistered URL',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { ...kongExact, logoutUri: ['https://api.example.com:8443/signout'] },
    expect: ['logout-url-not-registered'],
  },
  {
    name: 'Kong behind plain HTTP on a real host',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { redirectUri: ['http://api.example.com:8443/callback'] },
    expect: ['http-callback-rejected'],
  },
  {
    name: 'Kong asks for a scope the client lacks',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { ...kongExact, scopes: ['openid', 'phone'] },
    expect: ['oauth-scopes-missing'],
  },
  {
    name: 'Kong names a provider the pool does not have',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { ...kongExact, identityProvider: 'Google' },
    expect: ['idp-not-enabled-on-app-client'],
  },
  {
    name: 'Kong with OAuth turned off on the client',
    fixture: 'gateways.json',
    edit: (s) => void (clientOf(s, KONG).AllowedOAuthFlowsUserPoolClient = false),
    clientId: KONG,
    flags: kongExact,
    expect: ['oauth-flows-not-enabled'],
  },
  {
    name: 'ALB with a secret, the code flow and openid',
    fixture: 'gateways.json',
    clientId: ALB,
    flags: { redirectUri: [ALB_URL], app: 'server' },
    expect: [],
  },
  {
    name: 'ALB on a client without a secret',
    fixture: 'gateways.json',
    clientId: ALB_NO_SECRET,
    flags: { redirectUri: [ALB_URL], app: 'server' },
    expect: ['client-secret-missing'],
  },
  {
    name: 'ALB on a client without openid',
    fixture: 'gateways.json',
    edit: (s) => void (clientOf(s, ALB).AllowedOAuthScopes = ['email']),
    clientId: ALB,
    flags: { redirectUri: [ALB_URL] },
    expect: ['oauth-scopes-missing'],
  },
  {
    name: 'an SPA on a client with a secret',
    fixture: 'gateways.json',
    clientId: SPA_WITH_SECRET,
    flags: { redirectUri: ['https://app.example.com/'], app: 'browser' },
    expect: ['client-secret-on-public-client'],
  },
  {
    name: 'an SPA on a public client, developed on http://localhost',
    fixture: 'gateways.json',
    clientId: SPA,
    flags: {
      redirectUri: ['https://app.example.com/', 'http://localhost:3000/'],
      logoutUri: ['https://app.example.com/'],
      app: 'browser',
      scopes: ['openid', 'email'],
    },
    expect: [],
  },
  {
    name: 'an implicit-flow SPA (a browser app by default) on a code-only client',
    fixture: 'gateways.json',
    clientId: SPA,
    flags: { redirectUri: ['https://app.example.com/'], flow: 'implicit' },
    expect: ['oauth-flows-not-enabled'],
  },
  {
    name: 'a client_credentials worker with its custom scope',
    fixture: 'gateways.json',
    clientId: WORKER,
    flags: { flow: 'client_credentials', scopes: ['orders-api/read'] },
    expect: [],
  },
  { name: 'a client_credentials worker without --scopes', fixture: 'gateways.json', clientId: WORKER, flags: { flow: 'client_credentials' }, expect: [] },
  {
    name: 'a client_credentials worker asking for openid',
    fixture: 'gateways.json',
    clientId: WORKER,
    flags: { flow: 'client_credentials', scopes: ['openid', 'orders-api/read'] },
    expect: ['client-credentials-user-scope'],
  },
  {
    name: 'a client_credentials worker asking for a scope the client lacks',
    fixture: 'gateways.json',
    clientId: WORKER,
    flags: { flow: 'client_credentials', scopes: ['orders-api/admin'] },
    expect: ['oauth-scopes-missing'],
  },
  {
    name: 'a client_credentials worker on a client with no resource-server scope',
    fixture: 'gateways.json',
    edit: (s) => void (clientOf(s, WORKER).AllowedOAuthScopes = []),
    clientId: WORKER,
    flags: { flow: 'client_credentials' },
    expect: ['oauth-scopes-missing'],
  },
  {
    name: 'a worker on a client without a secret',
    fixture: 'gateways.json',
    edit: (s) => void delete clientOf(s, WORKER).ClientSecret,
    clientId: WORKER,
    flags: { flow: 'client_credentials' },
    expect: ['client-secret-missing'],
  },
  {
    name: 'a client that mixes client_credentials and code',
    fixture: 'gateways.json',
    clientId: MIXED,
    flags: { redirectUri: ['https://svc.example.com/callback'] },
    expect: ['client-credentials-mixed-with-user-flows'],
  },
  {
    name: 'a machine client that also allows openid (only in IaC: Cognito refuses it)',
    fixture: 'gateways.json',
    clientId: MIXED,
    flags: { flow: 'client_credentials', scopes: ['orders-api/read'] },
    expect: ['client-credentials-mixed-with-user-flows', 'client-credentials-user-scope'],
  },
  {
    name: 'a gateway that needs client_credentials on the Kong client',
    fixture: 'gateways.json',
    clientId: KONG,
    flags: { flow: 'client_credentials' },
    expect: ['client-credentials-mixed-with-user-flows', 'oauth-scopes-missing'],
  },
  {
    name: 'the Okta provider not enabled on the client',
    fixture: 'gateways.json',
    clientId: OKTA_NOT_ENABLED,
    flags: { redirectUri: ['https://portal.example.com/oauth/callback'], identityProvider: 'Okta' },
    expect: ['idp-not-enabled-on-app-client'],
  },
  {
    name: "the same client for the pool's own users",
    fixture: 'gateways.json',
    clientId: OKTA_NOT_ENABLED,
    flags: { redirectUri: ['https://portal.example.com/oauth/callback'], identityProvider: 'COGNITO' },
    expect: [],
  },
  {
    name: 'a client with no identity provider at all',
    fixture: 'gateways.json',
    edit: (s) => void (clientOf(s, ALB).SupportedIdentityProviders = []),
    clientId: ALB,
    flags: { redirectUri: [ALB_URL] },
    expect: ['idp-not-enabled-on-app-client'],
  },
  {
    name: 'a client with a plain-HTTP callback registered',
    fixture: 'gateways.json',
    clientId: HTTP_CALLBACK,
    flags: { redirectUri: ['http://intranet.example.com/callback'] },
    expect: ['http-callback-rejected'],
  },
  { name: 'a user pool without a domain', fixture: 'no-domain.json', clientId: KONG, flags: kongExact, expect: ['user-pool-domain-missing'] },
  {
    name: 'a user pool domain that FAILED',
    fixture: 'gateways.json',
    edit: (s) => void (s.userPoolDomain!.Status = 'FAILED'),
    clientId: KONG,
    flags: kongExact,
    expect: ['user-pool-domain-missing'],
  },
  {
    name: 'a user pool domain that no longer exists',
    fixture: 'gateways.json',
    edit: (s) => void (s.userPoolDomain = {}),
    clientId: KONG,
    flags: kongExact,
    expect: ['user-pool-domain-missing'],
  },
];
