// The pieces every HTML document of cogdoctor shares: escaping, the page around the content (its
// one inline style, pinned by a Content-Security-Policy hash and no script at all), the CSS-only
// finding filters, the login path diagram and a finding's article.
import { createHash } from 'node:crypto';
import type { Finding, FixedFinding, Severity } from '../engine/types.js';
import { compareText } from '../util/order.js';
import { inert } from '../util/inert.js';
import { STATUS_MARKS, STATUS_WORDS, type LoginPath } from './login-path.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// An unpaired surrogate cannot be written as UTF-8: shown as an escape, like a control character.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe in element content and in quoted attribute values; control and invisible characters shown as escapes. */
export function esc(text: string): string {
  return inert(text)
    .replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** One line of text: a line feed shown as \n. */
export const escLine = (text: string) => esc(text).replace(/\n/g, '\\n');

export const codeHtml = (text: string) => `<code>${escLine(text)}</code>`;

/** A link the reader may follow (never loaded by the page), only for an http(s) URL; anything else stays text. */
export function linkHtml(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || /[\s\u0000-\u001f\u007f]/.test(url)) return codeHtml(url);
  return `<a href="${escLine(url)}" rel="noreferrer">${escLine(url)}</a>`;
}

const STYLE = `:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#555;--line:#c8c8c8;--card:#f6f6f6;--pass:#1e6b2e;--fail:#b3261e;--unknown:#7a5c00;--none:#666;--focus:#0b57d0;--failbg:#fde2e1}
@media (prefers-color-scheme:dark){:root{--bg:#141414;--fg:#ececec;--muted:#b0b0b0;--line:#444;--card:#1f1f1f;--pass:#7fd28f;--fail:#ff8a80;--unknown:#f2c94c;--none:#aaa;--focus:#8ab4f8;--failbg:#3b1614}}
body{margin:0 auto;max-width:80rem;padding:1rem;font:15px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--focus)}:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:var(--card);border:1px solid var(--line);padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.25rem}
.filters{display:flex;flex-wrap:wrap;gap:1rem;border:1px solid var(--line);padding:.5rem}.filters fieldset{border:0;margin:0;padding:0}.filters label{margin-right:.75rem;white-space:nowrap}
.target{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}.target dd{margin:0}
.login-path{list-style:none;display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:1rem;padding:0}
.step{border:2px solid var(--line);border-radius:6px;padding:.5rem;position:relative;background:var(--card);overflow-wrap:anywhere}
.step+.step::before{content:"\\2192";position:absolute;left:-1.05rem;top:.2rem;font-size:1.2rem;color:var(--fg)}
.step h4{margin:0;font-size:1rem}.step .status{font-weight:700}.step ul{margin:.25rem 0;padding-left:1rem;font-size:.85rem}.step code{font-size:.75rem}
.step[data-status=pass]{border-color:var(--pass)}.step[data-status=pass] .status{color:var(--pass)}
.step[data-status=fail]{border-color:var(--fail);border-width:4px;background:var(--failbg)}.step[data-status=fail] .status{color:var(--fail)}
.step[data-status=warn]{border-color:var(--unknown)}.step[data-status=warn] .status{color:var(--unknown)}
.step[data-status=unknown]{border-color:var(--unknown);border-style:dashed}.step[data-status=unknown] .status{color:var(--unknown)}
.step[data-status=not-evaluated]{border-style:dotted;color:var(--muted)}
.finding{border-left:4px solid var(--line);padding:.25rem 1rem;margin:1rem 0}.finding[data-severity=error]{border-color:var(--fail)}.finding[data-severity=warning]{border-color:var(--unknown)}
.finding h3{margin:.25rem 0}.sev{text-transform:uppercase;font-size:.8rem;font-weight:700}
table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}
@media print{.filters,.skip{display:none}.finding{display:block!important;break-inside:avoid}.step{break-inside:avoid}body{max-width:none}a{color:inherit}}`;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** The CSS of the page: the shared style, then one rule per failure id of the id filter (by index, so no id reaches the CSS). */
function styleOf(filterIds: string[]): string {
  const severity = SEVERITIES.map((s) => `body:has(#sev-${s}:not(:checked)) .finding[data-severity=${s}]{display:none}`);
  const ids = filterIds.map((_id, i) => `body:has(#fid-${i}:checked) .finding:not(.fid-${i}){display:none}`);
  return [STYLE, ...severity, ...ids].join('\n');
}

/** Findings filters: a checkbox per severity, a radio per failure id; CSS alone applies them. */
function filtersHtml(filterIds: string[]): string {
  if (filterIds.length === 0) return '';
  const severity = SEVERITIES.map((s) => `<label><input type="checkbox" id="sev-${s}" checked> ${s}</label>`).join('');
  const ids = filterIds.map((id, i) => `<label><input type="radio" name="fid" id="fid-${i}"> ${escLine(id)}</label>`).join('');
  return `<div class="filters"><fieldset><legend>Severity</legend>${severity}</fieldset><fieldset><legend>Failure id</legend><label><input type="radio" name="fid" id="fid-all" checked> all</label>${ids}</fieldset></div>\n`;
}

/** The failure ids the filter offers, sorted; the index of each is its filter class. */
export function filterIdsOf(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareText);
}

/** The opening of a document: head (CSP with the hash of its one style), title, skip link and filters. */
export function pageStart(title: string, filterIds: string[]): string {
  const style = styleOf(filterIds);
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${escLine(title)}</title>
<style>${style}</style>
</head>
<body>
<a class="skip" href="#findings">Skip to the findings</a>
<header><h1>${escLine(title)}</h1></header>
<main>
${filtersHtml(filterIds)}`;
}

export const PAGE_END = '</main>\n</body>\n</html>\n';

/** The login path diagram: an ordered list of steps, each with its status in words, resources and finding links. */
export function pathHtml(path: LoginPath, subject: string, anchor: string): string {
  const label = `Login path of ${subject}: ${path.steps.map((s) => `${s.name} ${STATUS_WORDS[s.status]}`).join(', ')}`;
  const steps = path.steps.map((step) => {
    const resources = step.resources.map((r) => `<li>${escLine(r.kind)}: ${codeHtml(r.value)}</li>`).join('');
    const links = step.findings
      .map((f) => `<li><a class="finding-link" href="#finding-${escLine(f.uid)}">${escLine(f.severity)}: ${escLine(f.id)}</a></li>`)
      .join('');
    return [
      `<li class="step" id="${anchor}-${step.id}" data-step="${step.id}" data-status="${step.status}">`,
      `<h4><span aria-hidden="true">${STATUS_MARKS[step.status]}</span> ${escLine(step.name)}</h4>`,
      `<span class="status">${STATUS_WORDS[step.status]}</span>`,
      step.summary ? `<p class="summary">${escLine(step.summary)}</p>` : '',
      `<ul class="resources" aria-label="Resources">${resources || '<li>none named</li>'}</ul>`,
      links ? `<ul class="step-findings" aria-label="Findings">${links}</ul>` : '',
      '</li>',
    ].join('');
  });
  return `<ol class="login-path" aria-label="${escLine(label)}">\n${steps.join('\n')}\n</ol>\n`;
}

/** The attributes every finding article carries: its anchor, failure id, severity and filter class. */
export function findingAttributes(finding: Pick<Finding, 'uid' | 'id' | 'severity'>, filterIds: string[], extraClass = ''): string {
  const index = filterIds.indexOf(finding.id);
  const classes = ['finding', ...(index >= 0 ? [`fid-${index}`] : []), ...(extraClass ? [extraClass] : [])].join(' ');
  return `class="${classes}" id="finding-${escLine(finding.uid)}" data-id="${escLine(finding.id)}" data-severity="${finding.severity}"`;
}

function findingStatus(f: Finding): string {
  if (f.muted) return `muted${f.muteExpires ? ` until ${f.muteExpires}` : ''}: ${f.muteReason ?? ''}`;
  const parts = [f.new === true ? 'new since the baseline' : f.new === false ? 'known from the baseline' : ''];
  if (f.muteExpired) parts.push(`mute expired ${f.muteExpires ?? ''}: ${f.muteReason ?? ''}`);
  return parts.filter(Boolean).join('; ');
}

/** A finding: what users see, what is wrong, the evidence, and the fix with its commands in a copyable block. */
export function findingHtml(f: Finding, filterIds: string[], extra = ''): string {
  const status = findingStatus(f);
  const fix = f.fix;
  return [
    `<article ${findingAttributes(f, filterIds)}>`,
    `<h3><span class="sev">${f.severity}</span> ${codeHtml(f.id)}: ${escLine(f.title)}</h3>`,
    `<p>check ${codeHtml(f.check)} · resource ${codeHtml(f.resource)} · uid ${codeHtml(f.uid)}${status ? ` · ${escLine(status)}` : ''}</p>`,
    extra,
    `<p><strong>What users see:</strong> ${escLine(f.symptom)}</p>`,
    `<p>${escLine(f.message)}</p>`,
    Object.keys(f.evidence).length ? `<h4>Evidence</h4><pre><code class="evidence">${esc(JSON.stringify(f.evidence, null, 2))}</code></pre>` : '',
    `<p><strong>Fix:</strong> ${escLine(fix.summary)}</p>`,
    fix.steps?.length ? `<ol>${fix.steps.map((s) => `<li>${escLine(s)}</li>`).join('')}</ol>` : '',
    fix.commands?.length ? `<pre><code class="fix">${fix.commands.map(escLine).join('\n')}</code></pre>` : '',
    fix.iac ? `<p>IaC: ${escLine(fix.iac)}</p>` : '',
    f.docs.length ? `<ul class="docs">${f.docs.map((d) => `<li>${linkHtml(d)}</li>`).join('')}</ul>` : '',
    '</article>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** A finding a baseline or the old side had and that is gone. */
export function fixedHtml(f: FixedFinding, filterIds: string[]): string {
  return `<article ${findingAttributes(f, filterIds, 'fixed')}><h3><span aria-hidden="true">✓</span> <span class="sev">fixed</span> ${codeHtml(f.id)}: ${escLine(f.title)}</h3><p>${escLine(f.message)} (resource ${codeHtml(f.resource)})</p></article>`;
}
