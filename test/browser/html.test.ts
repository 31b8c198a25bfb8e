// The HTML report opened in headless Chromium from file://: the login path marks the steps that fail,
// links them to their findings, and the page loads nothing and runs nothing, hostile names included.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Finding, Report } from '../../src/index.js';
import { AREAS, areaVerdictLines } from '../../src/report/areas.js';
import { cogdoctor, FIXTURES, ROOT } from '../helpers.js';
import { FAILING } from '../report/login-steps.js';
import { CHROMIUM, launchBrowser, mermaidParser, openFile, type OpenedPage, screenshot } from './harness.js';

const OUT = mkdtempSync(join(tmpdir(), 'cogdoctor-html-'));
const DEMO = join(FIXTURES, 'demo/logs-demo.json');
const HEALTHY = join(FIXTURES, 'healthy/opensearch-fgac.json');

/** The login steps in login order, and the name areas.ts gives each in the text report's "Areas:" line. */
const STEPS = [
  { id: 'hosted-ui', area: 'hosted UI' },
  { id: 'token-exchange', area: 'token exchange' },
  { id: 'role-selection', area: 'role selection' },
  { id: 'trust', area: 'trust' },
  { id: 'access-policy', area: 'access policy' },
  { id: 'fgac', area: 'FGAC' },
] as const;
type StepId = (typeof STEPS)[number]['id'];
type StepStatus = 'pass' | 'warn' | 'fail' | 'unknown' | 'not-evaluated';
const STATUS_OF_MARK: Record<string, StepStatus> = { '✗': 'fail', '!': 'warn', '?': 'unknown', '✓': 'pass', '-': 'not-evaluated' };
/** The words for the four statuses (passed, failed, unknown, not evaluated), and a pass with warnings. */
const STATUS_WORDS: Record<StepStatus, RegExp> = {
  pass: /\bpass/i,
  warn: /\bwith warnings/i,
  fail: /\bfail/i,
  unknown: /\bunknown/i,
  'not-evaluated': /\bnot[ -]evaluated/i,
};

/** The HTML and Mermaid tests' failing fixture per login step, each failing at that step only (asserted below, from areas.ts). */
const FAILING_AT = Object.fromEntries(FAILING) as Record<StepId, string>;

/** Markup and a URL scheme that would run script if a renderer let them through. */
const HOSTILE_CASE = 'hostile names and URLs';
const HOSTILE = {
  script: '<script>window.__pwned=1</script>',
  attribute: '"><img src=x onerror=window.__pwned=1>',
  url: 'javascript:window.__pwned=1',
};

/**
 * A copy of the demo with hostile text in the domain name (and so the app client's name), the
 * authenticated role's name, the custom endpoint and the callback URLs; it fails as the demo does.
 */
function hostileSnapshot(): string {
  const replaceIn = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value
        .replaceAll('logs-prod', `logs-prod${HOSTILE.script}`)
        .replaceAll('Cognito_logsprodAuth_Role', `Cognito_logsprodAuth_Role${HOSTILE.attribute}`)
        .replaceAll('logs.example.com', `logs.example.com/${HOSTILE.attribute}`);
    }
    if (Array.isArray(value)) return value.map(replaceIn);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replaceIn(inner)]));
    return value;
  };
  const snapshot = replaceIn(JSON.parse(readFileSync(DEMO, 'utf8'))) as { userPoolClients: { CallbackURLs: string[]; LogoutURLs: string[] }[] };
  for (const client of snapshot.userPoolClients) {
    client.CallbackURLs.push(HOSTILE.url, `https://evil.example/${HOSTILE.attribute}`);
    client.LogoutURLs.push(HOSTILE.url);
  }
  const file = join(OUT, 'hostile-snapshot.json');
  writeFileSync(file, JSON.stringify(snapshot, null, 2));
  return file;
}

async function run(args: string[]) {
  const result = await cogdoctor(args);
  // 1 is "findings at or above --fail-on"; anything else but 0 is a usage or run error.
  if (result.code !== 0 && result.code !== 1) throw new Error(`cogdoctor ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

let outputs = 0;
/** Writes the command's --format html output to a file of its own and returns the path. */
async function html(args: string[]): Promise<string> {
  const file = join(OUT, `report-${++outputs}.html`);
  await run([...args, '--format', 'html', '-o', file, '--quiet']);
  return file;
}

async function jsonReport(snapshot: string): Promise<Report> {
  return JSON.parse((await run(['check', '--snapshot', snapshot, '--format', 'json', '--quiet'])).stdout) as Report;
}

/** The status areas.ts gives each step (the text report's "Areas:" line): the status the HTML must show. */
function expectedStatuses(report: Report): Record<StepId, StepStatus> {
  const line = areaVerdictLines(report, false)[0] ?? '';
  const marks = new Map([...line.matchAll(/([✗!?✓-]) ([^✗!?✓-]+?)(?=\s{3}|$)/g)].map((match) => [match[2]?.trim(), match[1] ?? '']));
  return Object.fromEntries(STEPS.map((step) => [step.id, STATUS_OF_MARK[marks.get(step.area) ?? '-']])) as Record<StepId, StepStatus>;
}

const counts = (finding: Finding) => !finding.muted && finding.new !== false;

/** The step whose check produced a finding: the area of areas.ts that holds its check. */
function stepOfFinding(finding: Finding): StepId | undefined {
  return STEPS.find((step) => AREAS.find((area) => area.name === step.area)?.checks.includes(finding.check))?.id;
}

interface DrawnStep {
  step: string;
  status: string;
  links: string[];
  text: string;
  /** Its text content and ARIA labels, visible or not: what a screen reader can announce. */
  words: string;
}

const drawnSteps = (page: Page): Promise<DrawnStep[]> =>
  page.$$eval('ol.login-path > li.step', (items) =>
    items.map((item) => ({
      step: item.getAttribute('data-step') ?? '',
      status: item.getAttribute('data-status') ?? '',
      links: [...item.querySelectorAll('a.finding-link')].map((link) => link.getAttribute('href') ?? ''),
      text: item.textContent ?? '',
      words: [
        ...[item, ...item.querySelectorAll('[aria-label]')].map((element) => element.getAttribute('aria-label') ?? ''),
        ...(function* texts(walker) {
          while (walker.nextNode()) yield walker.currentNode.textContent ?? '';
        })(document.createTreeWalker(item, NodeFilter.SHOW_TEXT)),
      ].join(' '),
    })),
  );

interface DrawnFinding {
  id: string;
  elementId: string;
  severity: string;
  fixText: string[];
}

const drawnFindings = (page: Page): Promise<DrawnFinding[]> =>
  page.$$eval('article.finding', (articles) =>
    articles.map((article) => ({
      id: article.getAttribute('data-id') ?? '',
      elementId: article.id,
      severity: article.getAttribute('data-severity') ?? '',
      fixText: [...article.querySelectorAll('pre > code.fix')].map((code) => code.textContent ?? ''),
    })),
  );

/** Nothing loaded, nothing ran, nothing asked: the same for every page these tests open. */
async function expectInert(opened: OpenedPage) {
  expect(opened.strayRequests, 'requests that left the page').toEqual([]);
  expect(opened.popups, 'pages opened').toEqual([]);
  expect(opened.dialogs, 'dialogs').toEqual([]);
  expect(opened.consoleErrors, 'console errors').toEqual([]);
  expect(await opened.cspViolations(), 'Content-Security-Policy violations').toEqual([]);
  const page = await opened.page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith('on'))),
    hrefs: [...document.querySelectorAll('[href]')].map((element) => element.getAttribute('href') ?? ''),
    // Images only as data: URLs, as the policy's img-src allows; nothing else that loads or submits.
    loading: [
      ...document.querySelectorAll('img:not([src^="data:"]), iframe, object, embed, link, video, audio, source, base, form, meta[http-equiv="refresh"]'),
    ].map((element) => element.outerHTML),
    csp: [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((meta) => meta.getAttribute('content') ?? ''),
  }));
  expect(page.pwned, 'window.__pwned').toBeUndefined();
  expect(page.scripts, 'script elements').toBe(0);
  expect(page.handlers, 'event handler attributes').toEqual([]);
  expect(page.loading, 'elements that load or submit').toEqual([]);
  // In-page fragments, or http(s) links the user may follow: nothing else is ever an href.
  for (const href of page.hrefs) expect(href, 'href').toMatch(/^(#|https?:\/\/)/);
  expect(page.csp).toHaveLength(1);
  const directives = (page.csp[0] ?? '').split(';').map((directive) => directive.trim());
  expect(directives).toContain("default-src 'none'");
  expect(
    directives.some((directive) => directive.startsWith('script-src')),
    'a script-src directive',
  ).toBe(false);
  expect(directives.find((directive) => directive.startsWith('style-src'))).toMatch(/^style-src 'sha256-[A-Za-z0-9+/]+={0,2}'$/);
}

describe.skipIf(!CHROMIUM)('the HTML report in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const cases: { name: string; snapshot: () => string; failsAt?: StepId }[] = [
    { name: 'the demo', snapshot: () => DEMO },
    { name: 'a healthy domain', snapshot: () => HEALTHY },
    ...STEPS.map((step) => ({
      name: `a domain failing at ${step.id} (${FAILING_AT[step.id]})`,
      snapshot: () => join(FIXTURES, FAILING_AT[step.id]),
      failsAt: step.id,
    })),
    { name: HOSTILE_CASE, snapshot: hostileSnapshot },
  ];

  test.each(cases)('$name: the steps that fail are marked and linked to their findings; nothing loads or runs', async ({ name, snapshot, failsAt }) => {
    const file = snapshot();
    const report = await jsonReport(file);
    const expected = expectedStatuses(report);
    const failing = STEPS.filter((step) => expected[step.id] === 'fail').map((step) => step.id);
    if (failsAt) expect(failing, 'the fixture fails at its own step only').toEqual([failsAt]);
    if (name === HOSTILE_CASE) {
      const demo = await jsonReport(DEMO);
      expect(
        report.findings.map((finding) => finding.id),
        'the hostile copy fails as the demo does',
      ).toEqual(expect.arrayContaining(demo.findings.map((finding) => finding.id)));
    }
    if (file === HEALTHY) expect(failing).toEqual([]);

    const opened = await openFile(browser, await html(['check', '--snapshot', file]));
    try {
      await expectInert(opened);
      const steps = await drawnSteps(opened.page);
      expect(steps.map((step) => step.step)).toEqual(STEPS.map((step) => step.id));
      expect(steps.filter((step) => step.status === 'fail').map((step) => step.step)).toEqual(failing);
      expect(Object.fromEntries(steps.map((step) => [step.step, step.status]))).toEqual(expected);
      // The status in words too (shown or for screen readers), not only in colour.
      for (const step of steps) expect(step.words, `the words of ${step.step}`).toMatch(STATUS_WORDS[step.status as StepStatus]);

      const findings = await drawnFindings(opened.page);
      const counting = report.findings.filter(counts);
      expect(findings.map((finding) => finding.elementId).sort()).toEqual(report.findings.map((finding) => `finding-${finding.uid}`).sort());
      for (const finding of report.findings) {
        const drawn = findings.find((candidate) => candidate.elementId === `finding-${finding.uid}`);
        expect(drawn?.id).toBe(finding.id);
        expect(drawn?.severity).toBe(finding.severity);
        for (const command of finding.fix?.commands ?? [])
          expect(
            drawn?.fixText.some((text) => text.includes(command)),
            `fix command of ${finding.id}`,
          ).toBe(true);
      }
      for (const step of steps) {
        // Every step links the findings of its checks: the errors that fail it, the warnings and notes of one that passes.
        const own = counting.filter((finding) => stepOfFinding(finding) === step.step).map((finding) => `#finding-${finding.uid}`);
        expect(step.links.sort(), `finding links of ${step.step}`).toEqual(own.sort());
        if (step.status === 'fail') expect(own.length, `a failed step links its errors: ${step.step}`).toBeGreaterThan(0);
      }
    } finally {
      await opened.close();
    }
  });

  test('hostile names are shown as text, and stay inert even with the Content-Security-Policy ignored', async () => {
    const file = await html(['check', '--snapshot', hostileSnapshot()]);
    const opened = await openFile(browser, file, { bypassCSP: true });
    try {
      await expectInert(opened);
      const text = await opened.page.evaluate(() => document.body.textContent ?? '');
      expect(text).toContain(HOSTILE.script);
      expect(text).toContain(HOSTILE.attribute);
      expect(text).toContain(HOSTILE.url);
      expect(await opened.page.locator('img[src="x"], [onerror], script, a[href^="javascript:" i]').count()).toBe(0);
    } finally {
      await opened.close();
    }
  });

  test('the demo is under 200 KB', async () => {
    expect(statSync(await html(['check', '--snapshot', DEMO])).size).toBeLessThan(200 * 1024);
  });

  test('keyboard: Tab reaches the filters and every finding link', async () => {
    const opened = await openFile(browser, await html(['check', '--snapshot', DEMO]));
    try {
      const { page } = opened;
      const links = await page.locator('a.finding-link').evaluateAll((elements) => elements.map((element) => element.getAttribute('href')));
      expect(links.length).toBeGreaterThan(0);
      const reached: { tag: string; type: string; className: string; href: string }[] = [];
      for (let press = 0; press < 400; press++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement;
          if (!element || element === document.body) return undefined;
          return {
            tag: element.tagName.toLowerCase(),
            type: element.getAttribute('type') ?? '',
            className: element.getAttribute('class') ?? '',
            href: element.getAttribute('href') ?? '',
          };
        });
        // Back at the start of the page: every focusable element has had its turn.
        if (!focused && press > 0) break;
        if (focused) reached.push(focused);
      }
      expect(
        reached.some((element) => element.tag === 'input' && /^(checkbox|radio)$/.test(element.type)),
        'a filter control',
      ).toBe(true);
      const reachedLinks = reached
        .filter((element) => element.tag === 'a' && element.className.split(/\s+/).includes('finding-link'))
        .map((element) => element.href);
      expect(new Set(reachedLinks)).toEqual(new Set(links));
      await expectInert(opened);
    } finally {
      await opened.close();
    }
  });

  test('the filters hide and show findings by severity and by id, with CSS alone', async () => {
    const file = await html(['check', '--snapshot', DEMO]);
    const report = await jsonReport(DEMO);
    const visibleFindings = (page: Page) =>
      page.$$eval('article.finding', (articles) =>
        articles
          .filter((article) => article.checkVisibility({ visibilityProperty: true }))
          .map((article) => article.id)
          .sort(),
      );
    const CONTROLS = 'input[type="checkbox"], input[type="radio"]';
    const all = report.findings.map((finding) => `finding-${finding.uid}`).sort();
    const opened = await openFile(browser, file);
    let controls = 0;
    try {
      expect(await visibleFindings(opened.page), 'every finding, before any filter').toEqual(all);
      controls = await opened.page.locator(CONTROLS).count();
      expect(controls).toBeGreaterThan(0);
    } finally {
      await opened.close();
    }
    // Each filter control, operated from the keyboard on a page of its own: its label, and which findings it hides or leaves.
    const effects: { label: string; hidden: string[]; visible: string[] }[] = [];
    for (let index = 0; index < controls; index++) {
      const fresh = await openFile(browser, file);
      try {
        const control = fresh.page.locator(CONTROLS).nth(index);
        const label = await control.evaluate(
          (input) =>
            `${[...((input as HTMLInputElement).labels ?? [])].map((label) => label.textContent ?? '').join(' ')} ${input.getAttribute('aria-label') ?? ''}`,
        );
        await control.focus();
        await fresh.page.keyboard.press('Space');
        const visible = await visibleFindings(fresh.page);
        effects.push({ label, visible, hidden: all.filter((id) => !visible.includes(id)) });
        await expectInert(fresh);
      } finally {
        await fresh.close();
      }
    }
    const isExactly = (ids: string[], expected: string[]) => ids.length > 0 && ids.join() === [...expected].sort().join();
    /** A control labelled with the name that, operated, hides exactly these findings or shows exactly these. */
    const filters = (name: string, findings: Finding[]) => {
      const ids = findings.map((finding) => `finding-${finding.uid}`);
      const named = new RegExp(`(^|\\s)${name}(\\s|$)`);
      return effects.some((effect) => named.test(effect.label) && (isExactly(effect.hidden, ids) || isExactly(effect.visible, ids)));
    };
    for (const severity of new Set(report.findings.map((finding) => finding.severity))) {
      expect(
        filters(
          severity,
          report.findings.filter((finding) => finding.severity === severity),
        ),
        `a filter for ${severity}`,
      ).toBe(true);
    }
    for (const id of new Set(report.findings.map((finding) => finding.id))) {
      expect(
        filters(
          id,
          report.findings.filter((finding) => finding.id === id),
        ),
        `a filter for ${id}`,
      ).toBe(true);
    }
  });

  test('the demo in light and dark colour schemes and printed: readable, and screenshots for the README', async () => {
    // Relative, as a user types it: the page names the snapshot file.
    const file = await html(['check', '--snapshot', relative(process.cwd(), DEMO)]);
    // The committed screenshots change only when asked to (COGDOCTOR_UPDATE_SCREENSHOTS=1); otherwise they go to a temporary folder.
    const folder = process.env['COGDOCTOR_UPDATE_SCREENSHOTS'] === '1' ? join(ROOT, 'docs') : OUT;
    const colours: Record<string, { background: number[]; text: number[] }> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      const opened = await openFile(browser, file, { colorScheme });
      try {
        colours[colorScheme] = await opened.page.evaluate(() => {
          const rgb = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
          const backgroundOf = (element: Element | null): number[] => {
            for (let at = element; at; at = at.parentElement) {
              const [r = 0, g = 0, b = 0, alpha = 1] = rgb(getComputedStyle(at).backgroundColor);
              if (alpha > 0) return [r, g, b];
            }
            return [255, 255, 255];
          };
          const findingText = document.querySelector('article.finding') ?? document.body;
          return { background: backgroundOf(findingText), text: rgb(getComputedStyle(findingText).color).slice(0, 3) };
        });
        await expectInert(opened);
      } finally {
        await opened.close();
      }
      // The summary, the filters and the login path: what the README shows.
      const png = await screenshot(browser, file, { colorScheme, path: join(folder, `report-${colorScheme}.png`), through: 'ol.login-path' });
      expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    }
    // WCAG 2 relative luminance and contrast ratio: at least 4.5:1 (level AA) in both schemes, and dark is dark.
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const linear = (channel: number) => (channel / 255 <= 0.04045 ? channel / 255 / 12.92 : ((channel / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const contrast = (a: number[], b: number[]) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (light + 0.05) / (dark + 0.05);
    };
    for (const scheme of ['light', 'dark']) {
      const { background, text } = colours[scheme] ?? { background: [], text: [] };
      expect(contrast(background, text), `text contrast in the ${scheme} scheme`).toBeGreaterThanOrEqual(4.5);
    }
    expect(luminance(colours['dark']?.background ?? [])).toBeLessThan(luminance(colours['light']?.background ?? []));

    const printed = await openFile(browser, file, { media: 'print' });
    try {
      // Printed, every finding is on paper.
      const hidden = await printed.page.$$eval(
        'article.finding',
        (articles) => articles.filter((article) => !article.checkVisibility({ visibilityProperty: true })).length,
      );
      expect(hidden).toBe(0);
      const pdf = await printed.page.pdf({ path: join(OUT, 'report.pdf'), format: 'A4' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await expectInert(printed);
    } finally {
      await printed.close();
    }
  });

  test('trace --format html draws its steps with the failing one marked', async () => {
    const args = ['trace', '--snapshot', DEMO, '--groups', ''];
    const trace = JSON.parse((await run([...args, '--format', 'json', '--quiet'])).stdout) as {
      steps: { name: string; status: string; failure?: { id: string } }[];
    };
    const failed = trace.steps.findIndex((step) => step.status === 'fail');
    expect(failed).toBeGreaterThanOrEqual(0);
    const opened = await openFile(browser, await html(args));
    try {
      const steps = await drawnSteps(opened.page);
      expect(steps).toHaveLength(trace.steps.length);
      expect(steps.map((step) => step.status)).toEqual(trace.steps.map((_, index) => (index === failed ? 'fail' : index > failed ? 'not-evaluated' : 'pass')));
      trace.steps.forEach((step, index) => expect(steps[index]?.text).toContain(step.name));
      expect(await opened.page.evaluate(() => document.body.textContent ?? '')).toContain(trace.steps[failed]?.failure?.id ?? '(no failure id)');
      await expectInert(opened);
    } finally {
      await opened.close();
    }
  });

  test('diff --format html shows the changed fields beside the findings they add', async () => {
    const args = ['diff', HEALTHY, join(FIXTURES, FAILING_AT.fgac)];
    const diff = JSON.parse((await run([...args, '--format', 'json', '--quiet'])).stdout) as { changes: { path: string }[]; findings: { added: Finding[] } };
    expect(diff.changes.length).toBeGreaterThan(0);
    expect(diff.findings.added.length).toBeGreaterThan(0);
    const opened = await openFile(browser, await html(args));
    try {
      const text = await opened.page.evaluate(() => document.body.textContent ?? '');
      for (const change of diff.changes) expect(text).toContain(change.path);
      const findings = await drawnFindings(opened.page);
      for (const added of diff.findings.added) expect(findings.map((finding) => finding.id)).toContain(added.id);
      const steps = await drawnSteps(opened.page);
      expect(
        steps.some((step) => step.step === 'fgac' && step.status === 'fail'),
        'the new side fails at fgac',
      ).toBe(true);
      await expectInert(opened);
    } finally {
      await opened.close();
    }
  });

  describe('the Mermaid diagram of --format markdown', () => {
    // mermaid.parse does not run in Node (it needs DOMPurify, hence a DOM): it runs in a blank Chromium page.
    let mermaid: Awaited<ReturnType<typeof mermaidParser>>;
    beforeAll(async () => {
      mermaid = await mermaidParser(browser, join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js'));
    }, 60_000);
    afterAll(async () => {
      await mermaid?.close();
    });

    test('the parser refuses a broken flowchart, so a pass below means something', async () => {
      await expect(mermaid.parse('flowchart LR\n  a["unclosed --> b\n')).rejects.toThrow();
    });

    test.each([
      { name: 'the demo', snapshot: () => DEMO, fails: true },
      { name: 'a healthy domain', snapshot: () => HEALTHY, fails: false },
      { name: 'hostile names', snapshot: hostileSnapshot, fails: true, hostile: true },
    ])('$name: one flowchart per report, parsed by mermaid', async ({ snapshot, fails, hostile }) => {
      const markdown = (await run(['check', '--snapshot', snapshot(), '--format', 'markdown', '--quiet'])).stdout;
      const diagrams = [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
      expect(diagrams).toHaveLength(1);
      const [diagram = ''] = diagrams;
      expect(await mermaid.parse(diagram)).toMatch(/^flowchart/);
      if (fails) expect(diagram).toMatch(/^\s*linkStyle /m);
      expect(diagram).not.toContain('<script');
      // The nodes name their resources: a hostile name is there, as entity codes the parser accepted.
      if (hostile) expect(diagram).toContain('domain: logs-prod#60;script#62;window.__pwned=1#60;/script#62;');
    });
  });
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('the committed screenshots of the demo are PNG images', () => {
  for (const name of ['report-light.png', 'report-dark.png']) {
    const png = readFileSync(join(ROOT, 'docs', name));
    expect(png.subarray(0, 8), name).toEqual(PNG_SIGNATURE);
    // IHDR, the first chunk: width and height, big-endian, after the length and type.
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16), `${name} width`).toBeGreaterThan(0);
    expect(png.readUInt32BE(20), `${name} height`).toBeGreaterThan(0);
  }
});
