// What the built-in checks import: the engine's check API and the model's helpers. Plugins import the
// curated public API (src/index.ts) instead; nothing here loads the AWS SDK.
export { defineCheck } from './engine/define.js';
export { CheckContext, DataGap, type RoleLookup } from './context/check-context.js';
export { roleNameOf } from './util/arn.js';
export { runChecks, type RunOptions } from './report/assemble.js';
export type * from './engine/types.js';
export type * from './snapshot/types.js';
export * from './model/domain.js';
export * from './model/pools.js';
export * from './model/trust.js';
export * from './model/access.js';
export * from './model/fixes.js';
export * from './model/shell.js';
export * from './policy/index.js';
export * from './model/client.js';
export * from './model/identity.js';
export * from './model/fgac.js';
export * from './model/posture.js';
export * from './model/service-role.js';
export * from './model/login-pages.js';
export * from './util/order.js';
export * from './model/access-policy/index.js';
