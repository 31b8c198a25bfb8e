// Identity pool helpers: how STS judges a role's trust for a Cognito login, which roles the
// identity pool hands out, and what an ID token can carry for rule-based role mapping.
export * from './identity/principals.js';
export * from './identity/trust-verdict.js';
export * from './identity/service-role-trust.js';
export * from './identity/role-uses.js';
export * from './identity/precedence.js';
export * from './identity/rule-claims.js';
export * from './identity/role-fixes.js';
