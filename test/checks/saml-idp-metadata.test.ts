import { afterEach, describe, expect, it, vi } from 'vitest';
import { samlSigningCertificates, type Snapshot } from '../../src/check-kit.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/saml-idp-metadata.js';

const CHECK = 'saml-idp-metadata';
const ID = 'saml-idp-signature-invalid';
const UP = 'eu-west-1_Xk2LmQp7A';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const expired = loadFixture('fail/saml-idp-signature-invalid.json');
const rotation = loadFixture('fail/saml-idp-signature-invalid--rotation-missed.json');

const details = (s: Snapshot): Record<string, string> => s.identityProviders![0]!.ProviderDetails!;
const metadataOf = (s: Snapshot): string => details(s)['MetadataFile']!;
const certsOf = (s: Snapshot): string[] => [...metadataOf(s).matchAll(/<X509Certificate>([^<]+)</g)].map((m) => m[1]!);
const NEWER = certsOf(expired)[0]!; // valid to 2025-12-31
const OLDER = certsOf(rotation)[0]!; // valid to 2023-03-15
/** The snapshot taken at `at`, to place the certificates' expiry relative to it. */
const at = (s: Snapshot, time: string) => variant(s, (c) => (c.capturedAt = time));

function keyDescriptor(cert: string, use: string | undefined, prefix = ''): string {
  const p = prefix ? `${prefix}:` : '';
  return `<${p}KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>\n${cert.replace(/(.{64})/g, '$1\n')}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></${p}KeyDescriptor>`;
}

function withMetadata(keys: string, prefix = ''): Snapshot {
  const p = prefix ? `${prefix}:` : '';
  return variant(expired, (s) => {
    details(s)['MetadataFile'] =
      `<${p}EntityDescriptor entityID="https://idp.example.com"><${p}IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}</${p}IDPSSODescriptor></${p}EntityDescriptor>`;
  });
}

const valid: Array<[string, Snapshot, string]> = [
  ['healthy: no identity provider on the client', fgac, 'pass'],
  ['healthy legacy domain', loadFixture('healthy/legacy-es-kibana.json'), 'pass'],
  [
    'a SAML provider with a MetadataURL (Cognito follows rotations)',
    variant(expired, (s) => {
      details(s)['MetadataURL'] = 'https://login.microsoftonline.com/0b8f6c2e-4d1a-4f7b-9e3c-5a2d8b7f1c60/federationmetadata/2007-06/federationmetadata.xml';
    }),
    'pass',
  ],
  ['the certificate, more than 14 days before it expires', at(expired, '2025-12-16T00:00:00Z'), 'pass'],
  ['rotation: an expired and a current certificate', at(rotation, '2024-06-01T00:00:00Z'), 'pass'],
  [
    'an expired encryption certificate next to a current signing one',
    at(withMetadata(keyDescriptor(OLDER, 'encryption') + keyDescriptor(NEWER, 'signing')), '2024-06-01T00:00:00Z'),
    'pass',
  ],
  [
    'the provider is configured but not offered on the OpenSearch client',
    variant(expired, (s) => (s.userPoolClients![0]!.SupportedIdentityProviders = ['COGNITO'])),
    'pass',
  ],
  ['an OIDC provider', variant(expired, (s) => (s.identityProviders![0]!.ProviderType = 'OIDC')), 'pass'],
  ['a provider on the client, providers not collected', variant(expired, (s) => delete s.identityProviders), 'not-evaluated'],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe(status);
  });
});

// A snapshot without capturedAt is judged at the time of the run: the tests set that clock.
describe(`${CHECK}: a snapshot without capturedAt is judged now`, () => {
  afterEach(() => vi.useRealTimers());
  const undated = variant(expired, (s) => delete s.capturedAt);

  it('now after the newest certificate expired: fires', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-02-01T00:00:00Z') });
    const r = runCheck(CHECK, undated);
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence).toMatchObject({ expired: true });
  });

  it('now a month before it expires: quiet', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-12-01T00:00:00Z') });
    expect(runCheck(CHECK, undated)).toMatchObject({ status: 'pass', ids: [] });
  });
});

describe(`${CHECK}: fires`, () => {
  it.each([
    ['expired (fixture)', expired, { expired: true, newestValidTo: '2025-12-31T00:00:00.000Z' }],
    ['two expired certificates: the rotation after them was missed (fixture)', rotation, { expired: true, newestValidTo: '2025-12-31T00:00:00.000Z' }],
    ['expires 8 days after the snapshot', at(expired, '2025-12-23T00:00:00Z'), { expired: false }],
    ['expires on the day after the snapshot', at(expired, '2025-12-30T00:00:00Z'), { expired: false }],
    ['a KeyDescriptor without use, md: and ds: prefixes, wrapped base64', withMetadata(keyDescriptor(NEWER, undefined, 'md'), 'md'), { expired: true }],
  ] as const)('%s', (_name, snapshot, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.evidence).toMatchObject({ userPoolId: UP, provider: 'CorpEntraID', ...evidence });
  });

  it('reports whether the newest certificate expired, and the whole days left', () => {
    expect(problemsOf(check, expired)).toMatchObject([
      { mode: ID, data: { provider: 'CorpEntraID', newestValidTo: expect.stringMatching(/^2025-12-31/), expired: true } },
    ]);
    expect(problemsOf(check, at(expired, '2025-12-23T00:00:00Z'))).toMatchObject([{ mode: ID, data: { expired: false, daysLeft: 8 } }]);
  });

  it('the message gives the expiry date, and the days left when it has not expired yet', () => {
    expect(runCheck(CHECK, expired).findings[0]!.message).toContain('expired (the newest on 2025-12-31)');
    expect(runCheck(CHECK, at(expired, '2025-12-23T00:00:00Z')).findings[0]!.message).toContain('expires on 2025-12-31 (in 8 days)');
  });

  it('the fix round-trips the provider, switching to the metadata URL in $METADATA_URL', () => {
    const [finding] = runCheck(CHECK, expired).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toContain(`--user-pool-id ${UP} --provider-name CorpEntraID`);
    expect(commands[1]).toContain('del(.MetadataFile) | .MetadataURL = $ENV.METADATA_URL');
    expect(commands[2]).toContain('update-identity-provider');
    expect(finding!.fix.summary).toContain('METADATA_URL');
  });
});

describe(`${CHECK}: partial reads and unreadable metadata`, () => {
  it('DescribeIdentityProvider denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(expired, (s) => {
        delete s.identityProviders;
        s.errors = [{ operation: 'cognito-idp:DescribeIdentityProvider', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeIdentityProvider');
  });

  it('a metadata file without a readable certificate → unknown, to check by hand', () => {
    const r = runCheck(CHECK, withMetadata(keyDescriptor('bm90IGEgY2VydGlmaWNhdGU=', 'signing')));
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('CorpEntraID');
  });

  it('samlSigningCertificates reads subject and validity', () => {
    const { certificates } = samlSigningCertificates(metadataOf(rotation));
    expect(certificates.map((c) => c.validTo)).toEqual(['2023-03-15T00:00:00.000Z', '2025-12-31T00:00:00.000Z']);
    expect(certificates[0]).toMatchObject({ subject: 'CN=Microsoft Azure Federated SSO Certificate', validFrom: '2020-03-15T00:00:00.000Z' });
  });
});
