// Throttled `check --all`: cogdoctor's per-service pacer against the SDK's adaptive retry mode.
// `node bench/pacer.mjs` (after `npm run build`). Runs the account-scale scenario of bench/run.mjs
// (cognito-idp limited to 10 requests per second by the emulator) with each way of retrying, in
// turn, each scan in a fresh process, and writes the figures into BENCHMARKS.md under PACER_HEADING.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { generateAccount } from './account.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const SELF = fileURLToPath(import.meta.url);
const RATE = 10;
const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'AKIDBENCH00000000000', secretAccessKey: 'bench-secret' };
export const PACER_HEADING = "## Throttled scans: the pacer against the SDK's adaptive retry mode";

/** The ways of retrying a throttled call that are compared (CollectOptions of the collector). */
const VARIANTS = {
  pacer: { label: 'pacer (default): no SDK retries, throttled calls paced per service, up to 12 retries', options: {} },
  adaptive: { label: "SDK `retryMode: 'adaptive'`, no pacer, 3 attempts (cogdoctor's --max-attempts default)", options: { retry: 'sdk-adaptive' } },
  'adaptive-13': {
    label: "SDK `retryMode: 'adaptive'`, no pacer, 13 attempts (the pacer's retry budget)",
    options: { retry: 'sdk-adaptive', maxAttempts: 13 },
  },
};

/** One scan in this process: every domain's snapshot through the collector, then every check. */
async function scanOnce([bundle, url, variant]) {
  const { Collector } = await import(bundle);
  const { builtinChecks, parseSnapshot, runChecks } = await import(join(ROOT, 'dist/engine.mjs'));
  const collector = new Collector({ region: REGION, deep: true, endpointUrl: url, credentials: CREDENTIALS, ...VARIANTS[variant].options });
  const start = process.hrtime.bigint();
  const names = await collector.cognitoDomainNames();
  const snapshots = await Promise.all(names.map((name) => collector.snapshot(name)));
  const reports = snapshots.map((s) => runChecks(parseSnapshot(JSON.stringify(s)), builtinChecks, { version: 'bench', source: 'live' }));
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  collector.close();
  const unknown = reports.reduce((n, r) => n + r.summary.unknown + r.summary.errored, 0);
  const failedReads = snapshots.reduce((n, s) => n + (s.errors?.length ?? 0), 0);
  process.stdout.write(JSON.stringify({ wall, domains: names.length, unknown, failedReads }));
}

/** The collector as a module of its own (dist/ bundles it into the CLI only). */
async function bundleCollector() {
  const outfile = join(mkdtempSync(join(tmpdir(), 'cogdoctor-pacer-')), 'collect.mjs');
  await build({
    entryPoints: [join(ROOT, 'src/collect/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cogdoctorRequire } from 'node:module'; const require = __cogdoctorRequire(import.meta.url);" },
  });
  return outfile;
}

async function compare() {
  const { startEmulator } = await import(join(ROOT, 'dist/emulator.mjs'));
  const bundle = await bundleCollector();
  const run = promisify(execFile);
  const rounds = { 20: 5, 200: 3 };
  const rows = [];
  const loads = [loadavg()[0]];
  for (const count of [20, 200]) {
    const samples = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, []]));
    // Variants take turns, so a change in the machine's load falls on each of them alike.
    for (let round = 0; round < rounds[count]; round++) {
      for (const variant of Object.keys(VARIANTS)) {
        const emulator = await startEmulator({ snapshots: generateAccount(count), rateLimits: { 'cognito-idp': RATE } });
        try {
          const { stdout } = await run('node', [SELF, '--scan', bundle, emulator.url, variant], { maxBuffer: 64 * 1024 * 1024 });
          const scan = JSON.parse(stdout);
          const served = emulator.log.filter((e) => e.status === 200);
          const idpCalls = served.filter((e) => e.service === 'cognito-idp').length;
          const sample = { ...scan, throttled: emulator.log.filter((e) => e.status !== 200).length, bound: (idpCalls / RATE) * 1000 };
          samples[variant].push(sample);
          loads.push(loadavg()[0]);
          console.log(
            `${count} domains, ${variant}: ${sample.wall.toFixed(0)} ms (${(sample.wall / sample.bound).toFixed(2)}× the rate bound), ${sample.throttled} throttled answers, ${sample.failedReads} failed reads, ${sample.unknown} unknown/errored checks`,
          );
        } finally {
          await emulator.close();
        }
      }
    }
    for (const [variant, list] of Object.entries(samples)) rows.push({ count, variant, list });
  }
  return { rows, loads };
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The pacer stays unless a way of retrying with the SDK's adaptive mode lost no read in any run and
 * was no more than 5% slower (median) at every account size.
 */
function verdict(rows) {
  const pacer = new Map(rows.filter((r) => r.variant === 'pacer').map((r) => [r.count, median(r.list.map((s) => s.wall))]));
  const reasons = [];
  for (const variant of Object.keys(VARIANTS).filter((v) => v !== 'pacer')) {
    const own = rows.filter((r) => r.variant === variant);
    const lost = own.reduce((n, r) => n + r.list.reduce((m, s) => m + s.failedReads, 0), 0);
    const slower = own.filter((r) => median(r.list.map((s) => s.wall)) > 1.05 * pacer.get(r.count)).map((r) => `${r.count} domains`);
    if (lost === 0 && slower.length === 0)
      return `**Decision: drop the pacer.** ${VARIANTS[variant].label} lost no read and was no slower than the pacer at any size.`;
    reasons.push(
      `${VARIANTS[variant].label}: ${[lost > 0 ? `${lost} reads lost to throttling` : '', slower.length > 0 ? `slower at ${slower.join(' and ')}` : ''].filter(Boolean).join(', ')}`,
    );
  }
  return `**Decision: keep the pacer.** Every adaptive variant lost reads or was more than 5% slower (median): ${reasons.join('; ')}.`;
}

function section({ rows, loads }) {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const table = rows
    .map(({ count, variant, list }) => {
      const wall = median(list.map((s) => s.wall));
      const ratio = median(list.map((s) => s.wall / s.bound));
      const sum = (key) => list.map((s) => s[key]).join(' / ');
      return `| ${count} | ${VARIANTS[variant].label} | ${wall.toFixed(0)} ms, ${ratio.toFixed(2)}× | ${sum('throttled')} | ${sum('failedReads')} | ${sum('unknown')} |`;
    })
    .join('\n');
  return `${PACER_HEADING}

Reproduce with \`npm run build && node bench/pacer.mjs\`. The account-scale scenario above (cognito-idp limited to ${RATE} requests per second by the emulator), read by the collector in a fresh process per scan and checked, once with each way of retrying throttled calls; the ways take turns. Machine: ${machine}; shared with other builds, load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} over the run.

| domains | throttled calls retried by | wall (median), × the rate bound | throttled answers (each run) | failed reads (each run) | unknown or errored checks (each run) |
| --- | --- | --- | --- | --- | --- |
${table}

${verdict(rows)} (The rule: the pacer goes only if an adaptive variant loses no read in any run and is at most 5% slower, median, at every size.) The SDK's adaptive mode also leaves the security plugin's signed GET (not an SDK call) without any retry.
`;
}

/** Replaces the pacer section of BENCHMARKS.md (bench/run.mjs keeps it when it rewrites the file). */
export function withPacerSection(markdown, text) {
  const start = markdown.indexOf(PACER_HEADING);
  if (start < 0) return `${markdown.trimEnd()}\n\n${text}`;
  const next = markdown.indexOf('\n## ', start + PACER_HEADING.length);
  return `${markdown.slice(0, start)}${text}${next < 0 ? '' : markdown.slice(next)}`;
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === '--scan') await scanOnce(process.argv.slice(3));
  else {
    const text = section(await compare());
    const file = join(ROOT, 'BENCHMARKS.md');
    writeFileSync(file, withPacerSection(readFileSync(file, 'utf8'), text));
    console.log(`\n${text}\nwrote BENCHMARKS.md`);
  }
}
