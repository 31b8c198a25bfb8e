// Every built-in check reports problems by failure mode and words them in its messages: run()
// detects, the messages build the sentence and the fix, so a test can assert on the data.
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../src/engine/builtin.js';
import { builtinClientChecks } from '../src/engine/builtin-client.js';
import { CheckContext } from '../src/context/check-context.js';
import { loadFixtures } from './helpers.js';

describe('the shape of the built-in checks', () => {
  it.each([...builtinChecks, ...builtinClientChecks].map((check) => [check.id, check] as const))(
    '%s has messages for exactly its failure modes',
    (_id, check) => {
      expect(Object.keys(check.messages ?? {}).sort()).toEqual(check.modes.map((mode) => mode.id).sort());
    },
  );

  it('domain checks return problems, never finished findings, on every fixture', () => {
    let problems = 0;
    for (const fixture of loadFixtures()) {
      for (const check of builtinChecks) {
        let reported: unknown[] = [];
        try {
          reported = check.run(new CheckContext(fixture.snapshot));
        } catch {
          continue; // a DataGap or a not-applicable check: nothing reported
        }
        for (const item of reported) expect(item, `${check.id} on ${fixture.name}`).toHaveProperty('mode');
        problems += reported.length;
      }
    }
    expect(problems).toBeGreaterThan(0);
  });
});
