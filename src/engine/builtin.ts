import checks from 'cogdoctor:checks';
import type { Check } from './types.js';

/** Every check in checks/, each file's default export. */
export const builtinChecks: Check[] = checks as Check[];
