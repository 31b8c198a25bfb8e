/** Bad flags or unusable input: one line on stderr, exit code 2. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, findings: 1, usage: 2, incomplete: 3 } as const;
