// The gate across an organization sweep: reports of many accounts and Regions, one config, one baseline.
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../src/engine/builtin.js';
import { exitCodeOf } from '../../src/engine/exit.js';
import type { Report } from '../../src/engine/types.js';
import { applyBaseline, applyMutes, baselineFromReports, parseBaseline } from '../../src/gate/index.js';
import { ConfigError, parseConfig, type KnownIds } from '../../src/gate/config.js';
import { runChecks } from '../../src/report/assemble.js';
import { renderJson } from '../../src/report/json.js';
import { jsonLine } from '../../src/util/inert.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { report } from '../helpers.js';
import { gateFixture } from './fixtures.js';

const TODAY = '2026-05-01';
const base = report(gateFixture('base.json'));

/** The base fixture as a domain of one name in another account and Region, its ARNs rewritten to match. */
function elsewhere(accountId: string, region: string, fixture = 'base.json'): Report {
  const text = JSON.stringify(gateFixture(fixture)).replaceAll('123456789012', accountId).replaceAll('eu-west-1', region);
  return runChecks(parseSnapshot(text), builtinChecks, { version: 't', source: 'snapshot' });
}

const mutedIds = (r: Report) => r.findings.filter((f) => f.muted).map((f) => f.id);

describe('mutes with account and Region patterns', () => {
  const prod = elsewhere('111111111111', 'eu-west-1');
  const sandbox = elsewhere('222222222222', 'us-east-1');

  it('the fixture reports the same finding in both accounts', () => {
    expect(prod.target).toMatchObject({ accountId: '111111111111', region: 'eu-west-1' });
    expect(sandbox.target).toMatchObject({ accountId: '222222222222', region: 'us-east-1' });
    expect(prod.findings.map((f) => f.id)).toContain('oauth-scopes-missing');
    expect(sandbox.findings.map((f) => f.id)).toContain('oauth-scopes-missing');
  });

  it('an account pattern mutes the finding in matching accounts only', () => {
    const mutes = [{ id: 'oauth-scopes-missing', account: '2222*', reason: 'sandbox' }];
    expect(mutedIds(applyMutes(sandbox, mutes, TODAY))).toEqual(['oauth-scopes-missing']);
    expect(mutedIds(applyMutes(prod, mutes, TODAY))).toEqual([]);
    expect(exitCodeOf([applyMutes(prod, mutes, TODAY)], 'error')).toBe(1);
  });

  it('a Region pattern with ? and * mutes in matching Regions only', () => {
    const mutes = [{ id: 'oauth-scopes-missing', region: 'us-*-?', reason: 'US domains are read-only mirrors' }];
    expect(mutedIds(applyMutes(sandbox, mutes, TODAY))).toEqual(['oauth-scopes-missing']);
    expect(mutedIds(applyMutes(prod, mutes, TODAY))).toEqual([]);
  });

  it('account, Region and resource must all match', () => {
    const mutes = [{ id: 'oauth-scopes-missing', account: '111111111111', region: 'us-east-1', reason: 'r' }];
    expect(mutedIds(applyMutes(prod, mutes, TODAY))).toEqual([]);
    expect(mutedIds(applyMutes(sandbox, mutes, TODAY))).toEqual([]);
    const all = [{ id: 'oauth-scopes-missing', account: '111111111111', region: 'eu-west-1', resource: 'arn:aws:cognito-idp:*', reason: 'r' }];
    expect(mutedIds(applyMutes(prod, all, TODAY))).toEqual(['oauth-scopes-missing']);
  });

  it('a report that names no account matches only an account pattern that takes anything', () => {
    const anonymous = { ...prod, target: { ...prod.target, accountId: undefined } };
    expect(mutedIds(applyMutes(anonymous, [{ id: 'oauth-scopes-missing', account: '1*', reason: 'r' }], TODAY))).toEqual([]);
    expect(mutedIds(applyMutes(anonymous, [{ id: 'oauth-scopes-missing', account: '*', reason: 'r' }], TODAY))).toEqual(['oauth-scopes-missing']);
  });
});

describe('account and region in .cogdoctor.yml', () => {
  const known: KnownIds = {
    checks: new Set(builtinChecks.map((c) => c.id)),
    failures: new Set(builtinChecks.flatMap((c) => c.modes.map((m) => m.id))),
  };
  const problem = (text: string) => {
    try {
      parseConfig(text, '.cogdoctor.yml', known);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('the config was accepted');
  };

  it('are read into the mute', () => {
    const config = parseConfig('mutes:\n  - id: missing-role\n    account: "1234567890??"\n    region: "eu-*"\n    reason: ok\n', '.cogdoctor.yml', known);
    expect(config.mutes).toEqual([{ id: 'missing-role', account: '1234567890??', region: 'eu-*', reason: 'ok' }]);
  });

  it.each([
    ['account: prod', /\$\.mutes\[0\]\.account: must be a 12-digit account id, \* and \? wildcards allowed/],
    ['account: "1234567890123"', /\$\.mutes\[0\]\.account: must be a 12-digit account id/],
    ['account: 123456789012', /\$\.mutes\[0\]\.account: must be string/],
    ['region: EU-West-1', /\$\.mutes\[0\]\.region: must be a Region name such as eu-west-1, \* and \? wildcards allowed/],
    ['region: ""', /\$\.mutes\[0\]\.region: must be a Region name/],
  ])('refuse %j naming the field', (line, pattern) => {
    expect(problem(`mutes:\n  - id: missing-role\n    reason: ok\n    ${line}\n`)).toMatch(pattern);
  });
});

describe('a baseline across accounts', () => {
  // Same domain name and Region in two accounts; only the second account's domain has the redirect failure.
  const a = elsewhere('111111111111', 'eu-west-1');
  const b = elsewhere('222222222222', 'eu-west-1');
  const bBroken = elsewhere('222222222222', 'eu-west-1', 'new-failure.json');

  it('keys each entry by account, Region and domain', () => {
    const baseline = baselineFromReports('sweep.json', [a, b]);
    expect(baseline.entries.map((e) => [e.accountId, e.region, e.domain])).toEqual([
      ['111111111111', 'eu-west-1', 'logs-prod'],
      ['222222222222', 'eu-west-1', 'logs-prod'],
    ]);
  });

  it('two domains of one name in two accounts are told apart', () => {
    // The baseline has the broken domain in account 2; account 1 gets the same finding now: it is new there.
    const baseline = baselineFromReports('sweep.json', [a, bBroken]);
    const aBroken = elsewhere('111111111111', 'eu-west-1', 'new-failure.json');
    const redirect = (r: Report) => r.findings.filter((f) => !base.findings.some((g) => g.id === f.id)).map((f) => f.new);
    expect(redirect(applyBaseline(bBroken, baseline))).toEqual([false]);
    expect(redirect(applyBaseline(aBroken, baseline))).toEqual([true]);
    expect(exitCodeOf([applyBaseline(bBroken, baseline)], 'error')).toBe(0);
    expect(exitCodeOf([applyBaseline(aBroken, baseline)], 'error')).toBe(1);
  });

  it('a domain found in a new account is all new', () => {
    const baseline = baselineFromReports('sweep.json', [a]);
    const gated = applyBaseline(b, baseline);
    expect(gated.findings.length).toBeGreaterThan(0);
    expect(gated.findings.every((f) => f.new === true)).toBe(true);
  });

  it('a baseline written before accounts were swept still matches by Region and domain', () => {
    const old = JSON.parse(renderJson([bBroken]));
    delete old.target.accountId;
    const baseline = parseBaseline(JSON.stringify(old), 'old.json', () => {
      throw new Error('not a snapshot');
    });
    expect(baseline.entries[0]!.accountId).toBeUndefined();
    const gated = applyBaseline(bBroken, baseline);
    expect(gated.findings.every((f) => f.new === false)).toBe(true);
    // Another Region is another domain.
    const otherRegion = applyBaseline(elsewhere('222222222222', 'eu-central-1', 'new-failure.json'), baseline);
    expect(otherRegion.findings.every((f) => f.new === true)).toBe(true);
  });

  it('prefers the entry of the same account over one without an account', () => {
    const old = { ...baselineFromReports('x', [bBroken]).entries[0]!, accountId: undefined };
    const baseline = { file: 'mixed.json', entries: [old, ...baselineFromReports('x', [b]).entries] };
    // Account 2's own entry (without the redirect failure) wins, so the failure is new.
    expect(applyBaseline(bBroken, baseline).summary.new).toBe(1);
  });

  it('reads the JSON Lines of a sweep, passing over the summary line', () => {
    const summary = { schema: 'cogdoctor/sweep/v1', tool: { name: 'cogdoctor', version: 't' }, accounts: [], totals: {}, byId: {} };
    const text = renderJson([a, bBroken]) + jsonLine(summary);
    const baseline = parseBaseline(text, 'sweep.jsonl', () => {
      throw new Error('not a snapshot');
    });
    expect(baseline).toEqual(baselineFromReports('sweep.jsonl', [a, bBroken]));
    expect(parseBaseline(jsonLine(summary), 'empty.jsonl', () => base).entries).toEqual([]);
  });

  it('a report whose account id is not a string is refused', () => {
    const bad = JSON.parse(renderJson([a]));
    bad.target.accountId = 111111111111;
    expect(() => parseBaseline(JSON.stringify(bad), 'b.json', () => base)).toThrow(/^b\.json: \$\.target\.accountId: must be a string$/);
  });
});
