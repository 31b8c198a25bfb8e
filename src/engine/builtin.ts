import checks from 'cogdoctor:checks';
import clientChecks from 'cogdoctor:client-checks';
import type { ClientCheck } from './client-context.js';
import type { Check } from './types.js';

/** Every check in checks/, each file's default export. */
export const builtinChecks: Check[] = checks as Check[];

/** Every check of `cogdoctor client`, in checks/client/. */
export const builtinClientChecks: ClientCheck[] = clientChecks as ClientCheck[];
