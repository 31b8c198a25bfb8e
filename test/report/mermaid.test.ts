import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { mermaidLabel, mermaidOf } from '../../src/report/mermaid.js';
import { sweepWriter } from '../../src/report/sweep.js';
import { loadFixture, report, variant } from '../helpers.js';
import { FAILING, STEP_IDS } from './login-steps.js';

/** The edges of a flowchart, in the order linkStyle counts them. */
function edges(chart: string): Array<[string, string]> {
  return [...chart.matchAll(/^ {2}(\w+) --> (\w+)$/gm)].map((m) => [m[1]!, m[2]!]);
}

describe('the login path as a Mermaid flowchart', () => {
  it.each(FAILING)('%s: the edge into the failed step is the one styled, the node classed and labelled failed', (step, fixture) => {
    const r = report(loadFixture(fixture));
    const chart = mermaidOf(r)!;
    const node = `step${STEP_IDS.indexOf(step) + 1}`;
    const styled = /^ {2}linkStyle ([\d,]+) stroke:/m.exec(chart)![1]!.split(',').map(Number);
    expect(styled.map((i) => edges(chart)[i]![1])).toEqual([node]);
    expect(chart).toContain(`  class ${node} fail`);
    expect(chart).toMatch(new RegExp(`^ {2}${node}\\["✗ [^"]+, failed: ${r.findings[0]!.id}`, 'm'));
  });

  it('the demo: one node per step in login order, the user first, every failed step styled', () => {
    const chart = mermaidOf(report(loadFixture('demo/logs-demo.json')))!;
    expect(chart.split('\n')[0]).toBe('flowchart LR');
    expect(edges(chart)).toEqual([
      ['user', 'step1'],
      ['step1', 'step2'],
      ['step2', 'step3'],
      ['step3', 'step4'],
      ['step4', 'step5'],
      ['step5', 'step6'],
    ]);
    // Token exchange has a warning only: its node is classed, its edge is not styled as broken.
    expect(chart).toContain('  linkStyle 0,2,5 stroke:#b3261e,stroke-width:4px');
    expect(chart).toMatch(/^ {2}step2\["! Token exchange, with warnings: unauth-identities-enabled<br\/>user pool: eu-west-1_Xk2LmQp7A<br\/>/m);
    expect(chart).toContain('  class step2 warn');
    // Each node names the resources at its step, one per line, ARNs by their name.
    expect(chart).toContain('  step4["✓ Trust #40;STS#41;, passed<br/>authenticated role: Cognito_logsprodAuth_Role"]');
    expect(chart).toContain('  step5["✓ Access policy, passed<br/>access policy of domain: logs-prod"]');
  });

  it('a healthy domain: no styled edge, no failed class', () => {
    const chart = mermaidOf(report(loadFixture('healthy/opensearch-fgac.json')))!;
    expect(chart).not.toContain('linkStyle');
    expect(chart).not.toContain('classDef');
  });

  it('labels cannot close their quotes, add nodes or links, or carry HTML', () => {
    const label = mermaidLabel('x"] --> evil["<img src=x onerror=alert(1)>` & #35; | {} ; \n[y](javascript:z)');
    expect(label).not.toMatch(/["<>`|{}[\]()\n]/);
    expect(label).toBe(
      'x#34;#93; --#62; evil#91;#34;#60;img src=x onerror=alert#40;1#41;#62;#96; #38; #35;35#59; #124; #123;#125; #59; #92;n#91;y#93;#40;javascript:z#41;',
    );
    // A plugin's failure id goes through the same escaping.
    const r = report(loadFixture('fail/missing-role.json'));
    const hostile: Report = { ...r, findings: r.findings.map((f) => ({ ...f, id: 'x"]\nstep1 --> evil' })) };
    const chart = mermaidOf(hostile)!;
    expect(chart).toContain('failed: x#34;#93;#92;nstep1 --#62; evil<br/>');
    expect(edges(chart)).toHaveLength(6);
  });

  it('a hostile resource name stays inside its line of the label', () => {
    const snapshot = variant(loadFixture('fail/missing-role.json'), (s) => {
      s.domain.DomainName = 'logs"]\nstep9["<b>x</b>" --> user';
    });
    const chart = mermaidOf(report(snapshot))!;
    expect(chart).toContain('<br/>access policy of domain: logs#34;#93;#92;nstep9#91;#34;#60;b#62;x#60;/b#62;#34; --#62; user"]');
    expect(edges(chart)).toHaveLength(6);
    const labels = chart.split('\n').filter((line) => line.includes('["'));
    expect(labels.join('\n').replaceAll('<br/>', '')).not.toMatch(/[<>]/);
  });

  it('a report of an app client (cogdoctor client) has no login path to draw', () => {
    const r = report(loadFixture('demo/logs-demo.json'));
    const client: Report = { ...r, target: { ...r.target, userPoolClient: { userPoolId: 'p', clientId: 'c', issuer: 'i', discoveryUrl: 'd' } } };
    expect(mermaidOf(client)).toBeUndefined();
    expect(renderMarkdown([client], { version: '1' })).not.toContain('```mermaid');
  });

  it('Markdown: the chart in a mermaid fence between the target lines and the summary table, the rest unchanged', () => {
    const r = report(loadFixture('demo/logs-demo.json'));
    const md = renderMarkdown([r], { version: '1' });
    const fence = `\`\`\`mermaid\n${mermaidOf(r)}\n\`\`\`\n\n`;
    expect(md).toContain(`authenticated role \`arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role\`\n\n${fence}| | Failure id |`);
    expect(md.split(fence)).toHaveLength(2);
    expect(md.match(/```mermaid/g)).toHaveLength(1);
    expect(renderMarkdown([r], { version: '1' })).toBe(md);
  });

  it('each report of a Markdown sweep carries its chart', () => {
    const r = report(loadFixture('fail/missing-role.json'));
    const text = sweepWriter('markdown', { version: '1' }).report(r);
    expect(text).toContain(`\`\`\`mermaid\n${mermaidOf(r)}\n\`\`\``);
  });
});
