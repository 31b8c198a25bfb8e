// The login path as a Mermaid flowchart, for tickets: GitHub and GitLab draw a ```mermaid fence.
// The edge into a failed step is styled, so the picture shows where the chain breaks.
import type { CheckResult, Finding, ReportTarget } from '../engine/types.js';
import { inertLine } from '../util/inert.js';
import { loginPathOf, STATUS_MARKS, STATUS_WORDS, type LoginPath, type PathResource, type PathStatus } from './login-path.js';

const CLASS: Record<Exclude<PathStatus, 'pass'>, string> = {
  warn: 'warn fill:#fff4ce,stroke:#8a6d00,stroke-width:2px,color:#000',
  fail: 'fail fill:#fde2e1,stroke:#b3261e,stroke-width:2px,color:#000',
  unknown: 'unknown fill:#fff4ce,stroke:#8a6d00,stroke-dasharray:6 3,color:#000',
  'not-evaluated': 'notEvaluated fill:#eeeeee,stroke:#777777,stroke-dasharray:4 3,color:#000',
};
const CLASS_NAME: Record<Exclude<PathStatus, 'pass'>, string> = { warn: 'warn', fail: 'fail', unknown: 'unknown', 'not-evaluated': 'notEvaluated' };

/**
 * A label Mermaid shows as written: quotes, markup and the characters of its own syntax become
 * entity codes (#34;), so a name cannot close the label, add nodes or links, or turn into HTML.
 */
export function mermaidLabel(text: string): string {
  return inertLine(text).replace(/["#&<>`|{}[\]();\\]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** A resource as a node names it, kept short: a role ARN by its name, an app client by its id. */
function shortResource({ kind, value }: PathResource): string {
  const short = value.startsWith('arn:') ? value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf(':')) + 1) || value : value.replace(/ \(.*\)$/, '');
  return `${kind}: ${short}`;
}

/**
 * The flowchart of a login path: a node per step in login order, naming its status, the failure ids
 * of its findings and, one per line, the resources at that step; each failed step's incoming edge styled.
 */
export function mermaidOfPath(path: LoginPath): string {
  const lines = ['flowchart LR', '  user(["Dashboards user"])'];
  path.steps.forEach((step, i) => {
    const ids = step.findings.length ? `: ${[...new Set(step.findings.map((f) => f.id))].join(', ')}` : '';
    // The resources a finding names beside the step's own are in the findings below the chart.
    const resources = step.resources.filter((r) => r.kind !== 'with a finding').map((r) => `<br/>${mermaidLabel(shortResource(r))}`);
    lines.push(`  step${i + 1}["${mermaidLabel(`${STATUS_MARKS[step.status]} ${step.name}, ${STATUS_WORDS[step.status]}${ids}`)}${resources.join('')}"]`);
  });
  // Edge i leads into step i + 1: linkStyle counts edges in the order they are written.
  path.steps.forEach((_step, i) => lines.push(`  ${i === 0 ? 'user' : `step${i}`} --> step${i + 1}`));
  const used = new Set(path.steps.map((s) => s.status));
  for (const status of ['warn', 'fail', 'unknown', 'not-evaluated'] as const) {
    if (!used.has(status)) continue;
    lines.push(`  classDef ${CLASS[status]}`);
    const members = path.steps.flatMap((s, i) => (s.status === status ? [`step${i + 1}`] : []));
    lines.push(`  class ${members.join(',')} ${CLASS_NAME[status]}`);
  }
  const failed = path.steps.flatMap((s, i) => (s.status === 'fail' ? [i] : []));
  if (failed.length) lines.push(`  linkStyle ${failed.join(',')} stroke:#b3261e,stroke-width:4px`);
  return lines.join('\n');
}

/** The flowchart of a report's login path; none for a report of no login (`cogdoctor client`). */
export function mermaidOf(report: { checks: CheckResult[]; findings: Finding[]; target: ReportTarget }): string | undefined {
  const path = loginPathOf(report);
  return path ? mermaidOfPath(path) : undefined;
}
