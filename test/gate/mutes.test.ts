import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/engine/exit.js';
import { applyMutes, gateReport, utcToday } from '../../src/gate/index.js';
import { report } from '../helpers.js';
import { gateFixture } from './fixtures.js';

// base.json: oauth-scopes-missing (error) on the user pool, classic-flow-enabled (warning) on the identity pool.
const base = report(gateFixture('base.json'));
const TODAY = '2026-05-01';

describe('mutes', () => {
  it('a matching mute keeps the finding, marks it muted with its reason, and it no longer fails the run', () => {
    expect(exitCodeOf([base], 'error')).toBe(1);
    const muted = applyMutes(base, [{ id: 'oauth-scopes-missing', reason: 'IaC fix in review', expires: '2026-05-01' }], TODAY);
    expect(muted.findings.map((f) => f.id)).toEqual(base.findings.map((f) => f.id));
    const finding = muted.findings.find((f) => f.id === 'oauth-scopes-missing')!;
    expect(finding).toMatchObject({ muted: true, muteReason: 'IaC fix in review', muteExpires: '2026-05-01' });
    expect(muted.summary.muted).toBe(1);
    // Counted once: as muted, no longer as an error.
    expect(muted.summary.error).toBe(base.summary.error - 1);
    expect(muted.summary.warning).toBe(base.summary.warning);
    expect(exitCodeOf([muted], 'error')).toBe(0);
    // The warning still counts at --fail-on warning.
    expect(exitCodeOf([muted], 'warning')).toBe(1);
  });

  it('the resource pattern narrows a mute, with * and ? wildcards', () => {
    const poolArn = base.findings.find((f) => f.id === 'oauth-scopes-missing')!.resource;
    expect(poolArn).toMatch(/^arn:aws:cognito-idp:eu-west-1:123456789012:userpool\//);
    const matching = applyMutes(base, [{ id: 'oauth-scopes-missing', resource: 'arn:aws:cognito-idp:eu-west-?:*:userpool/*', reason: 'r' }], TODAY);
    expect(matching.findings.find((f) => f.id === 'oauth-scopes-missing')!.muted).toBe(true);
    const other = applyMutes(base, [{ id: 'oauth-scopes-missing', resource: 'arn:aws:cognito-idp:us-east-1:*', reason: 'r' }], TODAY);
    expect(other.findings.find((f) => f.id === 'oauth-scopes-missing')!.muted).toBeUndefined();
    expect(exitCodeOf([other], 'error')).toBe(1);
  });

  it('an expired mute stops muting and says so', () => {
    const expired = applyMutes(base, [{ id: 'oauth-scopes-missing', reason: 'until the migration', expires: '2026-04-30' }], TODAY);
    const finding = expired.findings.find((f) => f.id === 'oauth-scopes-missing')!;
    expect(finding.muted).toBeUndefined();
    expect(finding).toMatchObject({ muteExpired: true, muteExpires: '2026-04-30', muteReason: 'until the migration' });
    expect(expired.summary.muted).toBe(0);
    expect(exitCodeOf([expired], 'error')).toBe(1);
  });

  it('an active mute wins over an expired one for the same finding', () => {
    const both = applyMutes(
      base,
      [
        { id: 'oauth-scopes-missing', reason: 'old', expires: '2025-01-01' },
        { id: 'oauth-scopes-missing', reason: 'renewed', expires: '2027-01-01' },
      ],
      TODAY,
    );
    expect(both.findings.find((f) => f.id === 'oauth-scopes-missing')).toMatchObject({ muted: true, muteReason: 'renewed' });
  });

  it('without mutes the report is unchanged', () => {
    expect(gateReport(base, {})).toEqual(base);
    expect(applyMutes(base, [], TODAY)).toBe(base);
  });

  it('today is the UTC calendar day', () => {
    expect(utcToday(new Date('2026-12-31T23:30:00-05:00'))).toBe('2027-01-01');
  });
});
