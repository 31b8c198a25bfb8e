import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../src/index.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { ROOT } from '../helpers.js';

export const GATE_FIXTURES = join(ROOT, 'test', 'fixtures', 'gate');

/** base.json, new-failure.json (base + redirect-mismatch), fixed.json (base − classic-flow-enabled). */
export function gateFixture(name: string): Snapshot {
  return parseSnapshot(readFileSync(join(GATE_FIXTURES, name), 'utf8'));
}
