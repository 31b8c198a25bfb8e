import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { builtinChecks } from '../../src/engine/builtin.js';
import { ConfigError, parseConfig, type KnownIds } from '../../src/gate/config.js';
import { ROOT } from '../helpers.js';

const known: KnownIds = {
  checks: new Set(builtinChecks.map((c) => c.id)),
  failures: new Set(builtinChecks.flatMap((c) => c.modes.map((m) => m.id))),
};

function parse(text: string) {
  return parseConfig(text, '.cogdoctor.yml', known);
}

function problem(text: string): string {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('.cogdoctor.yml', () => {
  it('reads fail-on, skip and mutes', () => {
    const config = parse(`
fail-on: warning
skip: [user-pool-self-signup, app-client-https-urls]
mutes:
  - id: unauth-identities-enabled
    resource: "arn:aws:cognito-identity:eu-west-1:*:identitypool/*"
    reason: "  guest access serves the public status page  "
    expires: 2026-06-30
  - id: classic-flow-enabled
    reason: legacy app
`);
    expect(config).toEqual({
      file: '.cogdoctor.yml',
      failOn: 'warning',
      skip: ['user-pool-self-signup', 'app-client-https-urls'],
      mutes: [
        {
          id: 'unauth-identities-enabled',
          resource: 'arn:aws:cognito-identity:eu-west-1:*:identitypool/*',
          reason: 'guest access serves the public status page',
          expires: '2026-06-30',
        },
        { id: 'classic-flow-enabled', reason: 'legacy app' },
      ],
      checksDirs: [],
    });
  });

  it('an empty file is an empty config', () => {
    expect(parse('')).toEqual({ file: '.cogdoctor.yml', skip: [], mutes: [], checksDirs: [] });
    expect(parse('# nothing yet\n')).toEqual({ file: '.cogdoctor.yml', skip: [], mutes: [], checksDirs: [] });
  });

  it.each([
    ['mutes:\n  - id: missing-role\n', /^\.cogdoctor\.yml: \$\.mutes\[0\]\.reason: is required$/],
    ['mutes:\n  - id: missing-role\n    reason: "   "\n', /\$\.mutes\[0\]\.reason: must not be blank/],
    ['mutes:\n  - id: missing-role\n    reason: ok\n    expires: next week\n', /\$\.mutes\[0\]\.expires: must be a date, YYYY-MM-DD/],
    ['mutes:\n  - id: missing-role\n    reason: ok\n    expires: 2026-02-30\n', /\$\.mutes\[0\]\.expires: 2026-02-30 is not a calendar date/],
    ['mutes:\n  - id: missing-role\n    reason: ok\n  - id: no-such-failure\n    reason: ok\n', /\$\.mutes\[1\]\.id: unknown failure id "no-such-failure"/],
    ['mutes:\n  - id: missing-role\n    reason: ok\n    resorce: "*"\n', /\$\.mutes\[0\]\.resorce: is not a known field/],
    ['mutes:\n  - id: 42\n    reason: ok\n', /\$\.mutes\[0\]\.id: must be string/],
    ['mutes: {id: missing-role}\n', /\$\.mutes: must be array/],
    ['fail-on: sometimes\n', /\$\["fail-on"\]: must be one of "error", "warning", "info", "never"/],
    ['failOn: warning\n', /\$\.failOn: is not a known field/],
    ['skip: [app-client-oauth, nope]\n', /\$\.skip\[1\]: unknown check or failure id "nope"/],
    ['- just\n- a list\n', /^\.cogdoctor\.yml: \$: must be object$/],
    ['mutes: [\n', /^\.cogdoctor\.yml: \$: not valid YAML \(line 2, column 1\): /],
    ['fail-on: error\nfail-on: never\n', /\$: not valid YAML .*[Mm]ap keys must be unique/],
  ])('refuses %j naming the bad field', (text, pattern) => {
    expect(problem(text)).toMatch(pattern);
  });

  it('a muted check id is refused: mutes name failure ids', () => {
    expect(problem('mutes:\n  - id: app-client-oauth\n    reason: x\n')).toMatch(/\$\.mutes\[0\]\.id: unknown failure id "app-client-oauth"/);
  });

  it('the example config in examples/ is valid', () => {
    const config = parseConfig(readFileSync(join(ROOT, 'examples/cogdoctor.yml'), 'utf8'), 'examples/cogdoctor.yml', known);
    expect(config.failOn).toBe('warning');
    expect(config.mutes.map((m) => m.id)).toEqual(['unauth-identities-enabled', 'classic-flow-enabled']);
  });

  it('the example workflow is YAML that runs check with a baseline and uploads SARIF', () => {
    const workflow = parseYaml(readFileSync(join(ROOT, 'examples/github-actions/cogdoctor-nightly.yml'), 'utf8'));
    expect(workflow.permissions).toMatchObject({ 'id-token': 'write', 'security-events': 'write' });
    const steps: Array<{ uses?: string; run?: string }> = workflow.jobs.check.steps;
    expect(steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))).toBe(true);
    expect(steps.at(-1)!.run).toMatch(/cogdoctor check .*--baseline /);
  });
});
