import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { loadFixtures, report } from '../helpers.js';

const run = promisify(execFile);

// Names as a hand-written snapshot (or a hostile one) may carry them: quotes, command
// substitution, backticks, a newline, a terminal escape. Each touches a canary file if executed.
const HOSTILE = {
  domain: `logs'"$(touch CANARY1)`,
  role: 'Cognito_`touch CANARY2`Auth_Role',
  group: 'admins;touch CANARY3\nnext \u001b[31mred',
  pool: 'eu-west-1_$(touch CANARY4)',
};

const SWAPS: Array<[string, string]> = [['logs-prod', HOSTILE.domain], ['Cognito_logsprodAuth_Role', HOSTILE.role], ['dashboards-admins', HOSTILE.group], ['eu-west-1_Xk2LmQp7A', HOSTILE.pool]];

/** Swaps the names in every string, also inside JSON strings (access policies) and URL-encoded ones (trust policies). */
function hostile(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('{')) return JSON.stringify(hostile(JSON.parse(value)));
    if (value.startsWith('%7B')) return encodeURIComponent(JSON.stringify(hostile(JSON.parse(decodeURIComponent(value)))));
    return SWAPS.reduce((s, [from, to]) => s.split(from).join(to), value);
  }
  if (Array.isArray(value)) return value.map(hostile);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [hostile(k) as string, hostile(v)]));
  return value;
}

const fixtures = loadFixtures()
  .filter((f) => f.name.startsWith('fail/') || f.name.startsWith('demo/'))
  .map((f) => ({ name: f.name, snapshot: parseSnapshot(JSON.stringify(hostile(JSON.parse(readFileSync(f.file, 'utf8'))))) }));

const STUBS = `aws() { printf '%s\\0' aws "$@"; }\njq() { printf '%s\\0' jq "$@"; }\ncurl() { printf '%s\\0' curl "$@"; }\n`;

// Every command runs in a folder of its own under one parent, removed when the file's tests end.
const parent = mkdtempSync(join(tmpdir(), 'cogdoctor-hostile-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

async function argumentsOf(command: string): Promise<{ args: string[]; dir: string }> {
  const dir = mkdtempSync(join(parent, 'run-'));
  // A command that does not parse fails here (bash exits 2), so running it also proves the syntax.
  const { stdout } = await run('bash', ['-c', `${STUBS}${command}`], { cwd: dir, env: { PATH: process.env['PATH']!, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_SESSION_TOKEN: 'z' } });
  const written = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
  return { args: [stdout, ...written].join('\0').split('\0').filter(Boolean), dir };
}

describe('fix commands with hostile resource names', () => {
  const commands = fixtures.flatMap((f) => report(f.snapshot).findings.flatMap((finding) => (finding.fix.commands ?? []).map((command) => ({ fixture: f.name, id: finding.id, command }))));

  it('there are commands that carry the hostile names', () => {
    expect(commands.filter((c) => Object.values(HOSTILE).some((h) => c.command.includes(h.split('\n')[0]!.slice(0, 6)))).length).toBeGreaterThan(20);
  });

  it('every command parses, runs nothing embedded, and passes each hostile name through as one intact argument', async () => {
    let checked = 0;
    const unique = [...new Map(commands.map((c) => [c.command, c])).values()];
    const ran = new Map<string, { args: string[]; dir: string }>();
    for (let i = 0; i < unique.length; i += 8) {
      await Promise.all(unique.slice(i, i + 8).map(async (c) => ran.set(c.command, await argumentsOf(c.command))));
    }
    for (const { fixture, id, command } of unique) {
      const { args, dir } = ran.get(command)!;
      for (const n of [1, 2, 3, 4]) expect(existsSync(join(dir, `CANARY${n}`)), `${fixture} ${id}: ${command}`).toBe(false);
      for (const value of Object.values(HOSTILE)) {
        const escaped = JSON.stringify(value).slice(1, -1);
        if (!command.includes(value) && !command.includes(escaped)) continue;
        expect(args.some((arg) => arg.includes(value) || arg.includes(escaped)), `${fixture} ${id}: ${command}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  }, 240_000);

  it('text output prints the names inert: no terminal escape reaches the screen', () => {
    for (const f of fixtures) {
      const text = renderText([report(f.snapshot)], { color: false, verbose: true, version: 't' });
      expect(text, f.name).not.toMatch(/\u001b/);
    }
  });
});
