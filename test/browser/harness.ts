// Headless Chromium for the HTML report tests. playwright-core rather than playwright or puppeteer:
// it downloads no browser and drives the system's Chromium (Debian's chromium, /usr/bin/chromium, which
// .ci/run installs), so the tests run on the browser users have.
import { accessSync, constants } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const CHROMIUM = runnable(CHROMIUM_PATH);
if (!CHROMIUM) console.warn(`Browser tests skipped: no ${CHROMIUM_PATH}. Install it as CI does: \`apt-get install -y chromium\`.`);

/** One browser per test file: launching takes seconds, a new context per page keeps pages apart. */
export function launchBrowser(): Promise<Browser> {
  // Playwright passes --no-sandbox by default (chromiumSandbox: false), which Chromium needs as root.
  return chromium.launch({ executablePath: CHROMIUM_PATH });
}

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sample: string;
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Requests for anything but the file itself, about: and data: URLs; each was also refused. */
  strayRequests: string[];
  /** Console messages of type error, and uncaught page errors. */
  consoleErrors: string[];
  /** alert/confirm/prompt/beforeunload dialogs the page opened (each dismissed). */
  dialogs: string[];
  /** Pages the page opened (window.open, target=_blank followed). */
  popups: string[];
  /** Content-Security-Policy violations the page reported so far. */
  cspViolations(): Promise<CspViolation[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  media?: 'screen' | 'print';
  /** Ignore the page's Content-Security-Policy: shows whether escaping alone keeps injected markup inert. */
  bypassCSP?: boolean;
}

// Runs before any of the page's own content; the violations stay readable with page.evaluate, which CSP does not restrict.
const RECORD_CSP_VIOLATIONS = `
  Object.defineProperty(window, '__cspViolations', { value: [], enumerable: false });
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push({ directive: event.violatedDirective, blockedURI: event.blockedURI, sample: event.sample });
  }, true);
`;

const allowedUrl = (url: string, fileUrl: string) => url.split('#')[0] === fileUrl || url.startsWith('about:') || url.startsWith('data:');

/** Opens a local file from file:// in a fresh context that logs, and refuses, every request but the file's own. */
export async function openFile(browser: Browser, file: string, options: OpenOptions = {}): Promise<OpenedPage> {
  const fileUrl = pathToFileURL(file).href;
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
  const strayRequests: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  const popups: string[] = [];
  await context.addInitScript(RECORD_CSP_VIOLATIONS);
  await context.route('**/*', (route) => (allowedUrl(route.request().url(), fileUrl) ? route.continue() : route.abort('blockedbyclient')));
  context.on('request', (request) => {
    if (!allowedUrl(request.url(), fileUrl)) strayRequests.push(request.url());
  });
  const page = await context.newPage();
  context.on('page', (opened) => {
    if (opened !== page) popups.push(opened.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  if (options.media) await page.emulateMedia({ media: options.media });
  await page.goto(fileUrl, { waitUntil: 'load' });
  return {
    page,
    context,
    strayRequests,
    consoleErrors,
    dialogs,
    popups,
    cspViolations: () => page.evaluate(() => (window as unknown as { __cspViolations: CspViolation[] }).__cspViolations),
    close: () => context.close(),
  };
}

export interface ScreenshotOptions {
  colorScheme: 'light' | 'dark';
  media?: 'screen' | 'print';
  /** Where to write the PNG. */
  path: string;
  /** From the top of the page down to the end of the first element this selector finds; else the first screen (1280×900). */
  through?: string;
}

/** A PNG of a local file in a colour scheme, on screen or as printed. */
export async function screenshot(browser: Browser, file: string, options: ScreenshotOptions): Promise<Buffer> {
  const opened = await openFile(browser, file, { colorScheme: options.colorScheme, media: options.media ?? 'screen' });
  try {
    const box = options.through ? await opened.page.locator(options.through).first().boundingBox() : null;
    const clip = box ? { x: 0, y: 0, width: 1280, height: Math.ceil(box.y + box.height + 24) } : undefined;
    return await opened.page.screenshot({ path: options.path, fullPage: Boolean(clip), ...(clip ? { clip } : {}), animations: 'disabled' });
  } finally {
    await opened.close();
  }
}

/** The Mermaid library's parser, run in a blank page (it needs a DOM); resolves to the diagram type, rejects on a syntax error. */
export async function mermaidParser(browser: Browser, mermaidScript: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addScriptTag({ path: mermaidScript });
  await page.evaluate(() => (window as unknown as { mermaid: { initialize(config: object): void } }).mermaid.initialize({ startOnLoad: false }));
  return {
    parse: (text: string) =>
      page.evaluate(
        async (source) =>
          (await (window as unknown as { mermaid: { parse(text: string): Promise<{ diagramType: string }> } }).mermaid.parse(source)).diagramType,
        text,
      ),
    close: () => context.close(),
  };
}
