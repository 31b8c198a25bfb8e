import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeToken, fingerprintOf, identityFromToken, tokenInfo, TraceInputError, verifyToken } from '../../src/trace/index.js';
import { fixture, NOW, trace } from './helpers.js';
import { minter, type Minter } from './tokens.js';

let keys: Minter;
let other: Minter;

beforeAll(async () => {
  keys = await minter();
  other = await minter('other-key');
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('ID tokens', () => {
  it('decodes the claims and the header, and fingerprints the token without revealing it', async () => {
    const token = await keys.mint({ 'cognito:username': 'alice', 'cognito:groups': ['dashboards-admins'] });
    const decoded = decodeToken(token);
    expect(decoded.claims).toMatchObject({ 'cognito:username': 'alice', aud: '4q8v2n6k1m3p5r7t9w0y2a4c6e', token_use: 'id' });
    expect(decoded.header).toEqual({ alg: 'RS256', kid: 'test-key-1' });
    expect(decoded.fingerprint).toBe(`eyJ…${token.slice(-6)}`);
    expect(fingerprintOf(token)).toHaveLength(10);
  });

  it('verifies the signature offline against a cached JWKS', async () => {
    const token = await keys.mint({ 'cognito:username': 'alice' });
    expect(await verifyToken(token, { kind: 'file', jwks: keys.jwks, file: 'jwks.json' })).toEqual({
      state: 'verified',
      reason: 'signature verified against the JWKS in jwks.json',
    });
  });

  it('verifies an expired token: expiry is judged by the trace, not by the signature', async () => {
    const token = await keys.mint({}, { expiresIn: -7200 });
    expect((await verifyToken(token, { kind: 'file', jwks: keys.jwks, file: 'jwks.json' })).state).toBe('verified');
  });

  it('refuses a token signed by another key, an altered token and a token without RS256, never quoting it', async () => {
    const foreign = await other.mint({}, { kid: 'test-key-1' });
    const good = await keys.mint({ 'cognito:username': 'alice' });
    const [header, payload] = good.split('.');
    const altered = `${header}.${payload}.${(await other.mint({}, { kid: 'test-key-1' })).split('.')[2]}`;
    const unknownKid = await other.mint({});
    const hs256 = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    const source = { kind: 'file' as const, jwks: keys.jwks, file: 'jwks.json' };
    const cases: Array<[string, RegExp]> = [
      [foreign, /the signature does not verify against the JWKS in jwks\.json/],
      [altered, /the signature does not verify/],
      [unknownKid, /no key in the JWKS in jwks\.json matches the token's kid/],
      [hs256, /signed with "HS256", not RS256/],
    ];
    for (const [token, message] of cases) {
      const error = await rejection(verifyToken(token, source));
      expect(error).toBeInstanceOf(TraceInputError);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(fingerprintOf(token));
      expect(error.message).not.toContain(token.split('.')[1]!);
    }
  });

  it('refuses a JWKS that is not one', async () => {
    const token = await keys.mint({});
    const error = await rejection(verifyToken(token, { kind: 'file', jwks: { nope: true } as never, file: 'bad.json' }));
    expect(error.message).toMatch(/^--jwks bad\.json: not a JSON Web Key Set/);
  });

  it('leaves the token decoded only when the remote keys cannot be fetched', async () => {
    const token = await keys.mint({});
    // Nothing listens on port 9 of the loopback address: the fetch fails at once.
    const verification = await verifyToken(token, { kind: 'remote', issuer: 'http://127.0.0.1:9/eu-west-1_Xk2LmQp7A', timeoutMs: 2000 });
    expect(verification.state).toBe('decoded');
    expect(verification.reason).toMatch(
      /^only decoded: the user pool's JWKS \(http:\/\/127\.0\.0\.1:9\/eu-west-1_Xk2LmQp7A\/\.well-known\/jwks\.json\) could not be fetched/,
    );
  });

  it('refuses what is not a JWT, naming only its fingerprint', () => {
    for (const bad of ['not-a-token', 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln', 'a.b']) {
      expect(() => decodeToken(bad)).toThrow(TraceInputError);
      try {
        decodeToken(bad);
      } catch (error) {
        expect((error as Error).message).toMatch(/^--token eyJ….{1,6} is not a JSON Web Token/);
        if (bad.length > 6) expect((error as Error).message).not.toContain(bad);
      }
    }
  });
});

describe('a trace from a token', () => {
  it("follows the token's own claims and says how it was checked", async () => {
    const snapshot = fixture('healthy/token-groups.json');
    const token = await keys.mint({
      'cognito:username': 'rita',
      'cognito:groups': ['dashboards-readers'],
      'cognito:roles': ['arn:aws:iam::123456789012:role/logs-prod-dashboards-reader'],
      'cognito:preferred_role': 'arn:aws:iam::123456789012:role/logs-prod-dashboards-reader',
    });
    const decoded = decodeToken(token);
    const identity = identityFromToken(
      snapshot,
      decoded.claims,
      tokenInfo(decoded, await verifyToken(token, { kind: 'file', jwks: keys.jwks, file: 'jwks.json' })),
    );
    const result = trace(snapshot, identity);
    expect(result.identity.label).toBe(`token ${fingerprintOf(token)}`);
    expect(result.identity.token?.verification.state).toBe('verified');
    expect(result.outcome.line).toBe('login succeeds as role logs-prod-dashboards-reader with security roles opensearch_dashboards_user, readall');
    expect(JSON.stringify(result)).not.toContain(token.split('.')[2]!);
  });

  it('notes an expired token, and a token issued to another client', async () => {
    const snapshot = fixture('healthy/opensearch-fgac.json');
    // Expired relative to the trace's fixed clock, whatever today's date.
    const expired = decodeToken(await keys.mint({}, { expiresIn: -60, issuedAt: NOW }));
    const step = trace(snapshot, identityFromToken(snapshot, expired.claims, tokenInfo(expired, { state: 'decoded', reason: 'only decoded' }))).steps[2]!;
    expect(step.status).toBe('pass');
    expect(step.notes.map((n) => n.text)).toContainEqual(expect.stringMatching(/^the token expired at .*: the identity pool would refuse it now/));

    const claims = { ...expired.claims, aud: '1example23clientid4567890' };
    const foreign = trace(snapshot, identityFromToken(snapshot, claims, tokenInfo(expired, { state: 'decoded', reason: 'only decoded' }))).steps[2]!;
    expect(foreign.status).toBe('fail');
    expect(foreign.notes.map((n) => n.text)).toContain(
      "the token was issued to client 1example23clientid4567890, not to the domain's OpenSearch app client 4q8v2n6k1m3p5r7t9w0y2a4c6e: a Dashboards login's token has aud 4q8v2n6k1m3p5r7t9w0y2a4c6e",
    );
  });

  it('says when the groups now give another preferred role than the token carries', async () => {
    const snapshot = fixture('healthy/token-groups.json');
    const decoded = decodeToken(await keys.mint({ 'cognito:groups': ['dashboards-admins'] }));
    const identity = identityFromToken(snapshot, decoded.claims, tokenInfo(decoded, { state: 'decoded', reason: 'only decoded' }));
    expect(identity.derived[0]).toMatch(
      /^the token's cognito:preferred_role \(none\) differs from what the groups give today \(arn:aws:iam::123456789012:role\/logs-prod-dashboards-admin\)/,
    );
  });
});
