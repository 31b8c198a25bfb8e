// Mints Cognito-like RS256 ID tokens and the JWKS that verifies them, for tests only.
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';

export const POOL_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A';
export const OPENSEARCH_CLIENT = '4q8v2n6k1m3p5r7t9w0y2a4c6e';

export interface Minter {
  jwks: JSONWebKeySet;
  /** An ID token with these claims on top of what Cognito always sets; `exp` in seconds after `issuedAt` (default: now). */
  mint(claims: Record<string, unknown>, options?: { kid?: string; expiresIn?: number; issuedAt?: Date }): Promise<string>;
}

export async function minter(kid = 'test-key-1'): Promise<Minter> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    async mint(claims, options = {}) {
      const now = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
      return new SignJWT({ token_use: 'id', auth_time: now, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid })
        .setIssuer(POOL_ISSUER)
        .setAudience(OPENSEARCH_CLIENT)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 3600))
        .sign(privateKey);
    },
  };
}
