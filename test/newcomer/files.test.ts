import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputFileError, readInputFile } from '../../src/snapshot/input.js';
import { cogdoctor, FIXTURES, loadFixture } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'cogdoctor-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const HEALTHY = join(FIXTURES, 'healthy/opensearch-fgac.json');
const DEMO = join(FIXTURES, 'demo/logs-demo.json');
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token of the right shape; its signature is never checked here. */
const TOKEN = `${part({ alg: 'RS256', kid: 'k1' })}.${part({ sub: 'alice', iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x' })}.c2ln`;

function writeTmp(name: string, content: string): string {
  const file = join(tmp, name);
  writeFileSync(file, content);
  return file;
}

function expectOneLineError(r: { code: number; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cogdoctor: /);
  expect(lines[0]).toMatch(pattern);
  // Nothing a terminal acts on: no ESC, no other control, no bidi override.
  expect(r.stderr.trim()).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

describe('inputs are regular files, read within their limit', () => {
  const fifo = join(tmp, 'pipe.json');
  execFileSync('mkfifo', [fifo]);

  it('a named pipe is a one-line input error for every file flag, never a wait', async () => {
    const cases: [string[], RegExp][] = [
      [['check', '--snapshot', fifo], /pipe\.json: is a named pipe, not a regular file/],
      [['check', '--snapshot', HEALTHY, '--baseline', fifo], /pipe\.json: is a named pipe/],
      [['check', '--snapshot', HEALTHY, '--config', fifo], /pipe\.json: is a named pipe/],
      [['trace', '--snapshot', HEALTHY, '--claims', fifo], /--claims: .*pipe\.json: is a named pipe/],
      [['trace', '--snapshot', HEALTHY, '--token', TOKEN, '--jwks', fifo], /--jwks: .*pipe\.json: is a named pipe/],
      [['access', '--snapshot', fifo, '--unsigned'], /pipe\.json: is a named pipe/],
      [['client', '--snapshot', fifo, 'c1'], /pipe\.json: is a named pipe/],
    ];
    for (const [args, pattern] of cases) expectOneLineError(await cogdoctor(args), pattern);
  });

  it('a device is refused by its kind, not read to its size', async () => {
    expectOneLineError(await cogdoctor(['check', '--snapshot', '/dev/zero']), /\/dev\/zero: is a device, not a regular file/);
  });

  it('the limit holds while reading, whatever the size the file claims', async () => {
    // /proc files claim a size of 0 and hold more.
    expect(statSync('/proc/self/status').size).toBe(0);
    await expect(readInputFile('/proc/self/status', 64)).rejects.toThrow(InputFileError);
    await expect(readInputFile('/proc/self/status', 64)).rejects.toThrow(/over the .* MB limit/);
  });

  it('an empty folder is an input error, exit 2', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expectOneLineError(await cogdoctor(['check', '--snapshot', empty, '--format', 'junit']), /empty: the folder holds no \.json snapshot file/);
  });
});

describe('snapshot errors name the file, in one printable line', () => {
  it('a JSON syntax error names the file and echoes none of its bytes', async () => {
    const file = writeTmp('garbled.json', '{"schema": "cogdoctor/snapshot/v1", \x1b]0;pwned\x07\x1b[2J');
    const r = await cogdoctor(['check', '--snapshot', file]);
    expectOneLineError(r, /garbled\.json: \$: not valid JSON/);
    expect(r.stderr).not.toContain('pwned');
  });

  it('a policy key with escapes and newlines is shown escaped', async () => {
    const snapshot = loadFixture('healthy/opensearch-fgac.json');
    snapshot.domain.AccessPolicies = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'es:*', Resource: '*', '\x1b[2J\x1b]0;title\x07\nX\u202e': 1 }],
    });
    const r = await cogdoctor(['check', '--snapshot', writeTmp('keys.json', JSON.stringify(snapshot))]);
    expectOneLineError(r, /keys\.json: \$\.domain\.AccessPolicies.*\\x1b\[2J.*\\n.*\\u202e/);
  });

  it('a UTF-8 BOM is read past', async () => {
    const r = await cogdoctor(['check', '--snapshot', writeTmp('bom.json', `\ufeff${readFileSync(HEALTHY, 'utf8')}`)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('of several snapshots, the bad one is named', async () => {
    const dir = join(tmp, 'several');
    mkdirSync(dir);
    copyFileSync(HEALTHY, join(dir, 'a.json'));
    writeFileSync(join(dir, 'b.json'), '{"schema": "cogdoctor/snapshot/v1"}');
    copyFileSync(HEALTHY, join(dir, 'c.json'));
    expectOneLineError(await cogdoctor(['check', '--snapshot', dir]), /several\/b\.json: \$\.\w+: is required/);
  });

  it('a CloudFormation template given to --snapshot points at --cfn', async () => {
    const yaml = writeTmp('template.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Domain:\n    Type: AWS::OpenSearchService::Domain\n');
    expectOneLineError(
      await cogdoctor(['check', '--snapshot', yaml]),
      /template\.yaml: \$: not valid JSON .*: it looks like a CloudFormation template, check it with --cfn FILE/,
    );
    const json = writeTmp('template.json', JSON.stringify({ Resources: { Domain: { Type: 'AWS::OpenSearchService::Domain' } } }));
    expectOneLineError(await cogdoctor(['check', '--snapshot', json]), /template\.json: .*check it with --cfn FILE/);
  });
});

describe('-o writes a whole file, in a folder it makes, never over an input or through a link', () => {
  it('creates the missing folder of the README baseline example', async () => {
    const cwd = mkdtempSync(join(tmp, 'repo-'));
    const r = await cogdoctor(['check', '--snapshot', DEMO, '--format', 'json', '-o', join(cwd, '.cogdoctor/baseline.json')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(join(cwd, '.cogdoctor/baseline.json'), 'utf8')).schema).toBe('cogdoctor/report/v1');
  });

  it('replaces an existing report by a rename, leaving no temporary file', async () => {
    const dir = mkdtempSync(join(tmp, 'atomic-'));
    const out = join(dir, 'report.json');
    writeFileSync(out, 'old');
    const before = statSync(out).ino;
    await cogdoctor(['check', '--snapshot', HEALTHY, '--format', 'json', '-o', out]);
    expect(statSync(out).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('refuses to overwrite an input of the same run', async () => {
    const input = join(tmp, 'input.json');
    copyFileSync(HEALTHY, input);
    expectOneLineError(await cogdoctor(['check', '--snapshot', input, '-o', input]), /cannot write .*input\.json: it is an input of this run/);
    expect(readFileSync(input, 'utf8')).toBe(readFileSync(HEALTHY, 'utf8'));
  });

  it('does not follow a symbolic link at the destination', async () => {
    const target = writeTmp('precious.txt', 'keep me');
    const link = join(tmp, 'link.json');
    symlinkSync(target, link);
    expectOneLineError(await cogdoctor(['check', '--snapshot', HEALTHY, '-o', link]), /cannot write .*link\.json: it is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    expect(existsSync(link)).toBe(true);
  });
});

describe('trace --token', () => {
  it('a value that is not a JWT is refused without echoing an invented eyJ… prefix', async () => {
    const r = await cogdoctor(['trace', '--snapshot', HEALTHY, '--token', 'notajwt']);
    expectOneLineError(r, /--token is not a JSON Web Token/);
    expect(r.stderr).not.toMatch(/eyJ/);
  });
});
