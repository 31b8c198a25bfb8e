import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module shared with the build
import { compileSnapshotValidator, OUTPUT } from '../scripts/compile-schemas.mjs';

describe('the compiled snapshot validator', () => {
  it('is up to date with schema/snapshot.schema.json', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(compileSnapshotValidator());
  });
});
