import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadFixtures, report } from '../helpers.js';
import { gatedReport, hostileReport, renderAll } from './formats.js';

const demo = report(loadFixtures().find((f) => f.name === 'demo/logs-demo.json')!.snapshot);

/** The lines of a Markdown text outside fenced code blocks. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^(`{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    } else if (marker) {
      fence = marker;
    } else {
      lines.push(line);
    }
  }
  expect(fence, 'every fence is closed').toBeUndefined();
  return lines;
}

describe('Markdown ticket body', () => {
  it.each(loadFixtures().map((f) => [f.name, f] as const))('%s: a title line, a summary table and every finding id', (_name, fixture) => {
    const r = report(fixture.snapshot);
    const md = renderMarkdown([r], { version: '1.0.0' });
    const [title, blank] = md.split('\n');
    expect(title).toMatch(/^# cogdoctor: .+ on .+$/);
    expect(blank).toBe('');
    for (const finding of r.findings) {
      expect(md).toContain(`| \`${finding.id}\` |`);
      expect(md).toMatch(new RegExp(`^## . \`${finding.id}\`: `, 'm'));
    }
    prose(md);
  });

  it('each finding has its symptom, its evidence and the fix commands in fenced code blocks', () => {
    const md = renderMarkdown([demo], { version: '1.0.0' });
    expect(md.split('\n')[0]).toBe('# cogdoctor: 3 errors, 1 warning on logs-prod (eu-west-1)');
    const finding = demo.findings.find((f) => f.id === 'custom-endpoint-not-in-callback')!;
    const section = md.slice(md.indexOf('## ✗ `custom-endpoint-not-in-callback`'), md.indexOf('## ✗ `missing-role`'));
    expect(section).toContain('**What users see:** Login works on the search-');
    expect(section).toContain('**Evidence**\n\n```json\n{\n  "clientId": "4q8v2n6k1m3p5r7t9w0y2a4c6e"');
    expect(section).toContain(`\`\`\`sh\n${finding.fix.commands!.join('\n')}\n\`\`\``);
    expect(section).toContain('- <https://docs.aws.amazon.com/opensearch-service/latest/developerguide/customendpoint.html>');
    expect(section).toContain(`uid \`${finding.uid}\``);
  });

  it('shows new, known, muted and fixed findings with a baseline and mutes', () => {
    const md = renderAll([gatedReport()]).markdown;
    expect(md.split('\n')[0]).toBe('# cogdoctor: 2 errors (1 muted) on logs-prod (eu-west-1)');
    expect(md).toMatch(/\| `redirect-mismatch` \| error \| .* \| new \|/);
    expect(md).toMatch(/\| `oauth-scopes-missing` \| error \| .* \| known, mute expired 2000-01-01 \|/);
    expect(md).toMatch(/\| `classic-flow-enabled` \| warning \| .* \| muted until 2999-12-31 \|/);
    expect(md).toContain('**Muted** until 2999-12-31: legacy importer still uses the basic flow');
    expect(md).toContain('**Mute expired** on 2000-01-01: waiting for the IaC change');
    expect(md).toContain('- Baseline: `test/fixtures/gate/base.json`');
  });

  it('lists the fixed findings under their own heading', () => {
    const fixedReport = {
      ...gatedReport(),
      baseline: {
        file: 'b.json',
        fixed: [
          {
            uid: '0123456789abcdef',
            id: 'user-pool-self-signup',
            check: 'c',
            severity: 'warning' as const,
            title: 't',
            message: 'Self sign-up was on.',
            resource: 'arn:aws:cognito-idp:eu-west-1:1:userpool/x',
          },
        ],
      },
    };
    const md = renderMarkdown([fixedReport], { version: '1' });
    expect(md).toContain('## Fixed since the baseline\n\n- ✓ `user-pool-self-signup` on `arn:aws:cognito-idp:eu-west-1:1:userpool/x`: Self sign-up was on.');
  });

  it('several domains: one title, a section per domain', () => {
    const other = report(loadFixtures().find((f) => f.name === 'healthy/legacy-es-kibana.json')!.snapshot);
    const md = renderMarkdown([demo, other], { version: '1' });
    expect(md.split('\n')[0]).toBe('# cogdoctor: 3 errors, 1 warning on 2 domains');
    expect(md).toContain('## `logs-prod` (`eu-west-1`)');
    expect(md).toContain(`## \`${other.target.domain}\` (\`${other.target.region}\`)`);
    expect(md).toMatch(/^### ✗ `missing-role`/m);
  });

  it('values from the account cannot become markup, links, HTML or headings', () => {
    const md = renderMarkdown([hostileReport()], { version: '1' });
    const lines = prose(md);
    // In prose, markup characters are backslash-escaped: no HTML, link, emphasis or code span survives.
    const heading = lines.find((l) => l.startsWith('## ✗ `hostile-text`: '))!;
    expect(heading).toContain('a\\|b \\`tick\\` \\`\\`\\` \\<img src=x onerror=alert(1)\\> \\*bold\\* \\_i\\_ \\[link\\]');
    // Control characters are shown as escapes, everywhere.
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // A line break in a value does not start a heading or a list item of its own.
    expect(lines.filter((l) => /^(# heading|- item)/.test(l))).toEqual([]);
    // The table keeps its five columns: the | in values is escaped.
    for (const row of lines.filter((l) => l.startsWith('| ✗ |'))) expect(row.split(/(?<!\\)\|/).length).toBe(6);
  });
});
