// docs/failure-modes.md, rendered from the catalog (scripts/failure-modes-doc.mjs writes it; a test
// fails when the committed file differs, so an added, removed or reworded mode shows in review).
import { compareText } from '../util/order.js';
import type { Catalog, Declaration } from './index.js';

/** Prose for Markdown: `<placeholders>` stay visible, `|` stays inside its table cell. */
function prose(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

function detectedBy(declarations: Declaration[]): string {
  return declarations
    .map((d) => (d.kind === 'check' ? `cogdoctor ${d.command} \`${d.check.id}\`` : d.kind === 'access' ? 'cogdoctor access' : 'not detected'))
    .join(', ');
}

export function renderCatalogDoc(catalog: Catalog): string {
  const entries = [...catalog.values()].sort((a, b) => compareText(a.mode.id, b.mode.id));
  const lines = [
    '# Failure modes',
    '',
    'Every failure id cogdoctor knows, generated from the catalog (src/catalog) by',
    '`node scripts/failure-modes-doc.mjs`: do not edit by hand. `cogdoctor explain <id>` prints one entry.',
    '',
    `${entries.length} ids.`,
    '',
    '| id | severity | detected by |',
    '| --- | --- | --- |',
    ...entries.map(
      ({ mode, declaredBy }) => `| [${mode.id}](#${mode.id}) | ${mode.severity}${mode.inferred ? ' (inferred)' : ''} | ${detectedBy(declaredBy)} |`,
    ),
  ];
  for (const { mode, declaredBy } of entries) {
    lines.push(
      '',
      `## ${mode.id}`,
      '',
      `**${prose(mode.title)}**`,
      '',
      `- Severity: ${mode.severity}${mode.inferred ? ' (rests on an inferred fact)' : ''}`,
      `- Detected by: ${detectedBy(declaredBy)}`,
      '',
      'What the user sees:',
      '',
      '```text',
      mode.symptom,
      '```',
      '',
      `Why: ${prose(mode.cause)}`,
      '',
      `Fix: ${prose(mode.fix)}`,
      '',
      'Docs:',
      '',
      ...mode.docs.map((doc) => `- <${doc}>`),
    );
  }
  return `${lines.join('\n')}\n`;
}
