// ID tokens: decoded and verified with jose. The token itself never leaves this module: callers
// get its claims, its header, and a fingerprint that tells tokens apart without revealing one.
import { compactVerify, createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, type JSONWebKeySet } from 'jose';
import type { Claims, TokenInfo, TokenVerification } from './types.js';
import { TraceInputError } from './claims.js';

/** `eyJ…` and the last 6 characters: enough to tell two tokens apart, never the token. */
export function fingerprintOf(token: string): string {
  return `eyJ…${token.slice(-6)}`;
}

export interface DecodedToken {
  claims: Claims;
  header: { alg?: string; kid?: string };
  fingerprint: string;
}

/** Reads a compact JWS without checking it. Throws TraceInputError (naming only the fingerprint) when it is not one. */
export function decodeToken(token: string): DecodedToken {
  const fingerprint = fingerprintOf(token);
  try {
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token) as Claims;
    return { claims, header: { ...(header.alg ? { alg: header.alg } : {}), ...(header.kid ? { kid: header.kid } : {}) }, fingerprint };
  } catch (error) {
    const why = error instanceof errors.JOSEError ? ` (${error.code})` : '';
    throw new TraceInputError(`--token ${fingerprint} is not a JSON Web Token${why}: pass the id_token of a Dashboards login`);
  }
}

/** The JWKS URL of a user pool issuer. */
export function jwksUrlOf(issuer: string): string {
  return `${issuer}/.well-known/jwks.json`;
}

export type KeySource = { kind: 'file'; jwks: JSONWebKeySet; file: string } | { kind: 'remote'; issuer: string; timeoutMs: number };

function codeOf(error: unknown): string {
  return error instanceof errors.JOSEError ? error.code : error instanceof Error ? error.name : 'error';
}

/** Keys that could not be fetched say nothing about the token. */
function fetchFailed(error: unknown): boolean {
  return (
    error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError) || error.code === 'ERR_JOSE_GENERIC'
  );
}

/**
 * Checks the token's signature against the user pool's keys (RS256, as Cognito signs). The claims
 * (exp, iss, aud) are judged by the trace, not here: an expired token still shows who signed in.
 * A signature that does not verify is a usage error; keys that cannot be fetched leave it decoded only.
 */
export async function verifyToken(token: string, source: KeySource): Promise<TokenVerification> {
  const fingerprint = fingerprintOf(token);
  const where = source.kind === 'file' ? `the JWKS in ${source.file}` : `the user pool's JWKS (${jwksUrlOf(source.issuer)})`;
  let keys: ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;
  if (source.kind === 'file') {
    try {
      keys = createLocalJWKSet(source.jwks);
    } catch (error) {
      throw new TraceInputError(`--jwks ${source.file}: not a JSON Web Key Set (${codeOf(error)})`);
    }
  } else {
    keys = createRemoteJWKSet(new URL(jwksUrlOf(source.issuer)), { timeoutDuration: source.timeoutMs });
  }
  try {
    await compactVerify(token, keys, { algorithms: ['RS256'] });
    return { state: 'verified', reason: `signature verified against ${where}` };
  } catch (error) {
    if (source.kind === 'remote' && fetchFailed(error)) {
      return { state: 'decoded', reason: `only decoded: ${where} could not be fetched (${codeOf(error)})` };
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      throw new TraceInputError(`--token ${fingerprint}: no key in ${where} matches the token's kid: the token was not issued by that user pool`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
      throw new TraceInputError(
        `--token ${fingerprint}: signed with ${JSON.stringify(decodeProtectedHeader(token).alg ?? null)}, not RS256 as Cognito signs its tokens`,
      );
    }
    throw new TraceInputError(
      `--token ${fingerprint}: the signature does not verify against ${where} (${codeOf(error)}): the token was altered or not issued by that user pool`,
    );
  }
}

export function tokenInfo(decoded: DecodedToken, verification: TokenVerification): TokenInfo {
  return { fingerprint: decoded.fingerprint, verification, header: decoded.header };
}
