import clientChecks from 'cogdoctor:client-checks';
import type { ClientCheck } from './client-context.js';

/** Every check of `cogdoctor client`, in checks/client/: apart from builtin.ts, so the domain engine bundle leaves them out. */
export const builtinClientChecks: ClientCheck[] = clientChecks as ClientCheck[];
