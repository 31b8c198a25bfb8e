import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactDeep, redactReport, redactText, REDACTED } from '../../src/redact.js';
import { MODEL_SENSITIVE_MEMBERS } from '../../src/sensitive-members.js';
import type { Snapshot } from '../../src/index.js';
// @ts-expect-error: a plain build script, without type declarations
import { OUTPUT, sensitiveMembersSource } from '../../scripts/sensitive-members.mjs';
import { loadFixture, report, variant } from '../helpers.js';
import { collector, withEmulator } from '../live/harness.js';
import { renderAll } from '../report/formats.js';
import { Clients } from '../../src/collect/clients.js';

const OIDC_SECRET = 'CANARY-oidc-client-secret-41b7';
const APPLE_KEY = '-----BEGIN PRIVATE KEY-----CANARY-apple-private-key-9d2e';
const FUTURE_SECRET = 'CANARY-a-key-added-later-3c8a';

/** The SAML fixture with an OIDC and a Sign in with Apple provider beside it, secrets in ProviderDetails. */
const withProviderSecrets = (): Snapshot =>
  variant(loadFixture('fail/idp-not-enabled-on-app-client--saml.json'), (s) => {
    const base = s.identityProviders![0]!;
    s.identityProviders!.push(
      {
        ...base,
        ProviderName: 'CorpOIDC',
        ProviderType: 'OIDC',
        ProviderDetails: {
          client_id: 'corp-oidc-client',
          client_secret: OIDC_SECRET,
          oidc_issuer: 'https://idp.example.com',
          authorize_scopes: 'openid email',
          future_setting: FUTURE_SECRET,
        },
      },
      {
        ...base,
        ProviderName: 'SignInWithApple',
        ProviderType: 'SignInWithApple',
        ProviderDetails: { client_id: 'com.example.web', team_id: 'TEAM123456', key_id: 'KEY1234567', private_key: APPLE_KEY, authorize_scopes: 'email name' },
      },
    );
  });

describe('redaction follows the service models', () => {
  it('the committed table of sensitive members is the one the installed SDK models give', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(sensitiveMembersSource());
    // What the models mark, by their own trait: the client secret, tokens, passwords, credentials.
    for (const member of ['ClientSecret', 'AccessToken', 'IdToken', 'RefreshToken', 'MasterUserPassword', 'SecretAccessKey', 'SecretKey'])
      expect(MODEL_SENSITIVE_MEMBERS, member).toHaveProperty(member);
  });

  it('every model-sensitive member is redacted wherever it appears, but the identifiers a diagnosis needs', () => {
    const sample = Object.fromEntries(Object.keys(MODEL_SENSITIVE_MEMBERS).map((member) => [member, `value-of-${member}`]));
    const redacted = redactDeep({ nested: [sample] }).nested[0]!;
    for (const member of Object.keys(MODEL_SENSITIVE_MEMBERS)) {
      expect(redacted[member], member).toBe(['ClientId', 'Username', 'MasterUserName', 'Value'].includes(member) ? `value-of-${member}` : REDACTED);
    }
    // Secrets the models cannot mark: session tokens, a token response, ProviderDetails entries.
    expect(redactDeep({ Credentials: { SessionToken: 'tok-1234567890' }, response: { id_token: 'a', refresh_token: 'b' } })).toEqual({
      Credentials: { SessionToken: REDACTED },
      response: { id_token: REDACTED, refresh_token: REDACTED },
    });
    expect(redactDeep({ TokenValidityUnits: { AccessToken: 'hours' } })).toEqual({ TokenValidityUnits: { AccessToken: 'hours' } });
    // Model members are matched as the SDK spells them: a trace result's own `token` (its fingerprint) is not the model's `Token`.
    expect(redactDeep({ token: { fingerprint: 'eyJ…f00d' }, Token: 'open-id-token' })).toEqual({ token: { fingerprint: 'eyJ…f00d' }, Token: REDACTED });
  });

  it('ProviderDetails keeps the documented settings only: client_secret, private_key and unknown keys are redacted', () => {
    const providers = redactDeep(withProviderSecrets()).identityProviders!;
    expect(providers[1]!.ProviderDetails).toEqual({
      client_id: 'corp-oidc-client',
      client_secret: REDACTED,
      oidc_issuer: 'https://idp.example.com',
      authorize_scopes: 'openid email',
      future_setting: REDACTED,
    });
    expect(providers[2]!.ProviderDetails).toMatchObject({ client_id: 'com.example.web', team_id: 'TEAM123456', key_id: 'KEY1234567', private_key: REDACTED });
    expect(providers[0]!.ProviderDetails!['MetadataURL']).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
  });

  it('a live snapshot and every report format carry neither client_secret nor private_key', async () => {
    const account = withProviderSecrets();
    const snapshot = await withEmulator([account], (emulator) => collector(emulator, account.region).snapshot(account.domain.DomainName));
    expect(snapshot.identityProviders!.map((p) => p.ProviderName)).toEqual(expect.arrayContaining(['CorpOIDC', 'SignInWithApple']));
    const outputs = [JSON.stringify(snapshot), ...Object.values(renderAll([report(snapshot)])), ...Object.values(renderAll([report(account)]))];
    for (const output of outputs) for (const canary of [OIDC_SECRET, APPLE_KEY, FUTURE_SECRET]) expect(output).not.toContain(canary);
  });
});

describe('error texts are scrubbed of the credentials cogdoctor holds', () => {
  const CREDENTIALS = {
    AWS_ACCESS_KEY_ID: 'AKIAHELDCREDENTIAL01',
    AWS_SECRET_ACCESS_KEY: 'held/secret+access=key-0b9c',
    AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjHELD/session+token==',
  };
  afterEach(() => vi.unstubAllEnvs());

  it("in a snapshot's errors[].message, in every report format and on stderr", () => {
    for (const [name, value] of Object.entries(CREDENTIALS)) vi.stubEnv(name, value);
    const echo = `AccessDenied: request headers were x-amz-security-token: ${CREDENTIALS.AWS_SESSION_TOKEN}; Credential=${CREDENTIALS.AWS_ACCESS_KEY_ID}/20260101; body ${encodeURIComponent(CREDENTIALS.AWS_SECRET_ACCESS_KEY)}`;
    const snapshot = redactDeep(
      variant(loadFixture('healthy/opensearch-fgac.json'), (s) => {
        s.errors = [{ operation: 'iam:GetRole', resource: s.identityPoolRoles!.Roles!['authenticated']!, code: 'AccessDenied', message: echo }];
      }),
    );
    const outputs = [
      JSON.stringify(snapshot),
      ...Object.values(renderAll([report(snapshot)])),
      redactText(echo),
      JSON.stringify(redactReport({ reason: echo })),
    ];
    for (const output of outputs)
      for (const value of [...Object.values(CREDENTIALS), encodeURIComponent(CREDENTIALS.AWS_SECRET_ACCESS_KEY)]) expect(output).not.toContain(value);
    expect(snapshot.errors![0]!.message).toContain(`x-amz-security-token: ${REDACTED}`);
  });

  it('credentials the SDK resolved from a profile (none in the environment) are scrubbed too, once a live client resolved them', async () => {
    const held = { accessKeyId: 'ASIAPROFILECREDENT99', secretAccessKey: 'profile/secret+key=held-77aa', sessionToken: 'IQoJprofile/session+token==held' };
    const echo = `AccessDenied: x-amz-security-token: ${held.sessionToken}; Credential=${held.accessKeyId}; secret ${held.secretAccessKey}`;
    // Before a client resolved them, cogdoctor does not know these values.
    expect(redactText(echo)).toContain(held.secretAccessKey);
    await withEmulator([loadFixture('healthy/opensearch-fgac.json')], async (emulator) => {
      const clients = new Clients({ endpointUrl: emulator.url, credentials: held });
      clients.opensearch('eu-west-1');
      await vi.waitFor(() => expect(redactText(echo)).not.toContain(held.secretAccessKey));
      clients.destroy();
    });
    for (const value of Object.values(held)) expect(redactText(echo)).not.toContain(value);
    expect(JSON.stringify(redactReport({ reason: echo }))).not.toContain(held.sessionToken);
  });
});
