import { parsePolicy, PolicyParseError, type PolicyDocument } from '../policy/index.js';
import type { Role } from '../snapshot/types.js';

/** The role's trust policy, decoded from the URL-encoded string IAM returns or taken as an object. */
export function trustPolicyOf(role: Role): { policy?: PolicyDocument; error?: string } {
  try {
    return { policy: parsePolicy(role.AssumeRolePolicyDocument) };
  } catch (error) {
    return { error: error instanceof PolicyParseError ? error.message : String(error) };
  }
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM's StringLike (`*` any run of characters, `?` one character): the policy engine's bounded matcher. */
export { matchesWildcard as wildcardMatches } from '../policy/wildcard.js';

export type WebIdentityKind = 'authenticated' | 'unauthenticated';
