import type { Check } from './types.js';

/** Declares a check: its metadata and its pure `run`. The built-in checks and plugins use the same call. */
export function defineCheck(check: Check): Check {
  for (const mode of check.modes) {
    if (mode.inferred && mode.severity === 'error') {
      throw new Error(`check ${check.id}: failure mode ${mode.id} rests on an inferred fact and cannot be an error`);
    }
  }
  return Object.freeze({ scope: 'cognito', source: 'builtin', ...check });
}
