import { builtinChecks } from '../../src/engine/builtin.js';
import { defineCheck } from '../../src/engine/define.js';
import { runChecks } from '../../src/report/assemble.js';
import type { Check, Report } from '../../src/engine/types.js';
import { baselineFromReports, gateReport } from '../../src/gate/index.js';
import { redactReport } from '../../src/redact.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { gateFixture } from '../gate/fixtures.js';
import { loadFixture } from '../helpers.js';

export const CATALOG = builtinChecks.flatMap((c) => c.modes);

/** Every format, rendered the way the CLI does: from the same redacted reports. */
export function renderAll(reports: Report[], sarifLocation?: string): Record<'text' | 'json' | 'markdown' | 'sarif' | 'junit', string> {
  const safe = reports.map((r) => redactReport(r));
  return {
    text: renderText(safe, { color: false, verbose: true, version: '0.0.0-test' }),
    json: renderJson(safe),
    markdown: renderMarkdown(safe, { version: '0.0.0-test' }),
    sarif: renderSarif(safe, { version: '0.0.0-test', catalog: CATALOG, ...(sarifLocation ? { location: sarifLocation } : {}) }),
    junit: renderJunit(safe),
  };
}

/** A report that uses everything the gate can mark: muted, expired mute, new, known, fixed. */
export function gatedReport(): Report {
  const baseline = baselineFromReports('test/fixtures/gate/base.json', [
    runChecks(gateFixture('base.json'), builtinChecks, { version: 't', source: 'snapshot' }),
  ]);
  const current = runChecks(gateFixture('new-failure.json'), builtinChecks, { version: 't', source: 'snapshot', file: 'test/fixtures/gate/new-failure.json' });
  return gateReport(current, {
    baseline,
    mutes: [
      { id: 'classic-flow-enabled', reason: 'legacy importer still uses the basic flow', expires: '2999-12-31' },
      { id: 'oauth-scopes-missing', reason: 'waiting for the IaC change', expires: '2000-01-01' },
    ],
    today: '2026-06-01',
  });
}

/** Values a snapshot from a hostile or careless account could carry into a report. */
export const HOSTILE =
  'a|b `tick` ``` <img src=x onerror=alert(1)> *bold* _i_ [link](http://evil) ]]> & "q" \'s\' \u001b[31m\u0000\u0007 \ud800 \n# heading\n- item';

/** A check that reports the hostile text everywhere a check can put text. */
export const hostileCheck: Check = defineCheck({
  id: 'hostile-text',
  title: `Hostile ${HOSTILE}`,
  description: 'test only',
  reads: ['domain'],
  scope: 'domain',
  modes: [
    {
      id: 'hostile-text',
      severity: 'error',
      title: `Title ${HOSTILE}`,
      symptom: `Symptom ${HOSTILE}`,
      cause: HOSTILE,
      fix: HOSTILE,
      docs: ['https://example.com/docs'],
    },
  ],
  run: () => [
    {
      id: 'hostile-text',
      message: `Message ${HOSTILE}`,
      resource: `arn:aws:es:eu-west-1:123456789012:domain/${HOSTILE}`,
      evidence: { [HOSTILE]: HOSTILE, list: [HOSTILE] },
      fix: { summary: HOSTILE, steps: [HOSTILE], commands: [`echo ${HOSTILE}`], iac: HOSTILE },
    },
  ],
});

export function hostileReport(): Report {
  return runChecks(loadFixture('healthy/opensearch-fgac.json'), [...builtinChecks, hostileCheck], {
    version: 't',
    source: 'snapshot',
    file: `dir/${HOSTILE}.json`,
  });
}
