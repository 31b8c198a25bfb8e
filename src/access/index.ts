export { evaluateAccess, type AccessResult, type AccessRunMeta, type AccessVerdict, type FgacView, type StatementRef } from './evaluate.js';
export { ACCESS_MODES, type AccessMode } from './modes.js';
export { AccessInputError, parseAction, parsePath, parsePrincipal, type AccessPrincipal } from './request.js';
