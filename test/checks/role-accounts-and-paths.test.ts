import { describe, expect, it } from 'vitest';
import { CheckContext } from '../../src/context/check-context.js';
import { builtinChecks } from '../../src/engine/builtin.js';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, report, runCheck, variant } from '../helpers.js';

const HOME = '123456789012';
const OTHER = '210987654321';
const AUTH = `arn:aws:iam::${HOME}:role/Cognito_logsprodAuth_Role`;
const OTHER_AUTH = `arn:aws:iam::${OTHER}:role/Cognito_logsprodAuth_Role`;

/** Every command of every finding, on every check. */
function allCommands(snapshot: Snapshot): string[] {
  return report(snapshot, builtinChecks).findings.flatMap((f) => f.fix.commands ?? []);
}

describe('which role an ARN names (lookupRole)', () => {
  const fgac = loadFixture('healthy/opensearch-fgac.json');

  it('an ARN with a path matches only that path: a same-name role in another path means no role has this ARN', () => {
    const pathed = variant(fgac, (s) => (s.roles!.find((r) => r.Arn === AUTH)!.Arn = `arn:aws:iam::${HOME}:role/dashboards/Cognito_logsprodAuth_Role`));
    const lookup = new CheckContext(pathed).lookupRole(`arn:aws:iam::${HOME}:role/other/Cognito_logsprodAuth_Role`);
    expect(lookup).toMatchObject({
      state: 'not-found',
      error: { code: 'NoSuchEntity', message: expect.stringContaining(`is arn:aws:iam::${HOME}:role/dashboards/Cognito_logsprodAuth_Role, in another path`) },
    });
    expect(new CheckContext(pathed).lookupRole(`arn:aws:iam::${HOME}:role/dashboards/Cognito_logsprodAuth_Role`).state).toBe('found');
  });

  it('a bare ARN (as rebuilt from a session, which carries no path) finds the role of that name in its path', () => {
    const pathed = variant(fgac, (s) => (s.roles!.find((r) => r.Arn === AUTH)!.Arn = `arn:aws:iam::${HOME}:role/dashboards/Cognito_logsprodAuth_Role`));
    const lookup = new CheckContext(pathed).lookupRole(AUTH);
    expect(lookup.state === 'found' && lookup.role.Arn).toBe(`arn:aws:iam::${HOME}:role/dashboards/Cognito_logsprodAuth_Role`);
  });

  it('a role of another account is unknown, naming both accounts, whatever GetRole answered here', () => {
    const snapshot = variant(fgac, (s) => {
      s.errors = [{ operation: 'iam:GetRole', resource: OTHER_AUTH, code: 'NoSuchEntity' }];
    });
    const lookup = new CheckContext(snapshot).lookupRole(OTHER_AUTH);
    expect(lookup.state).toBe('unreadable');
    expect(lookup.state === 'unreadable' && lookup.gap).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining(`is in account ${OTHER}, not in account ${HOME} that was read`),
    });
  });

  it("a same-name role of this account is not taken for the other account's role", () => {
    // The collector's GetRole by name answers with this account's role of that name.
    const lookup = new CheckContext(fgac).lookupRole(OTHER_AUTH);
    expect(lookup.state).toBe('unreadable');
  });

  it('a role of another account recorded in the snapshot is used', () => {
    const snapshot = loadFixture('healthy/auth-role-other-account-recorded.json');
    const lookup = new CheckContext(snapshot).lookupRole(OTHER_AUTH);
    expect(lookup.state === 'found' && lookup.role.Arn).toBe(OTHER_AUTH);
  });
});

describe('roles in another account', () => {
  it('the authenticated role in another account, GetRole NoSuchEntity here: unknown naming the account, not "does not exist", no create-role', () => {
    const snapshot = loadFixture('partial/auth-role-other-account.json');
    const r = runCheck('auth-role-trust', snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain(`is in account ${OTHER}, not in account ${HOME}`);
    expect(allCommands(snapshot).filter((c) => c.includes('create-role'))).toEqual([]);
  });

  it('a group role in another account: group-role-trust is unknown, naming the account', () => {
    const snapshot = variant(loadFixture('healthy/token-groups.json'), (s) => {
      s.userPoolGroups![1]!.RoleArn = `arn:aws:iam::${OTHER}:role/logs-prod-dashboards-reader`;
      s.errors = [{ operation: 'iam:GetRole', resource: `arn:aws:iam::${OTHER}:role/logs-prod-dashboards-reader`, code: 'NoSuchEntity' }];
    });
    const r = runCheck('group-role-trust', snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain(`in account ${OTHER}`);
  });

  it("a recorded role of another account with a broken trust: the fix runs no IAM command with this account's credentials", () => {
    const snapshot = loadFixture('fail/identity-pool-trust-invalid--other-account.json');
    const r = runCheck('auth-role-trust', snapshot);
    expect(r.ids).toEqual(['identity-pool-trust-invalid']);
    const fix = r.findings[0]!.fix;
    expect(fix.commands ?? []).toEqual([]);
    expect(fix.steps!.at(-1)).toMatch(
      new RegExp(
        `^Cognito_logsprodAuth_Role is in account ${OTHER}, not in ${HOME}: run this with credentials of account ${OTHER} .*: aws iam update-assume-role-policy --role-name Cognito_logsprodAuth_Role `,
      ),
    );
    expect(allCommands(snapshot).filter((c) => c.startsWith('aws iam'))).toEqual([]);
  });

  it('the same broken trust on a role of this account keeps its command', () => {
    const snapshot = variant(loadFixture('fail/identity-pool-trust-invalid--other-account.json'), (s) => {
      s.identityPoolRoles!.Roles!['authenticated'] = AUTH;
      s.roles!.find((r) => r.Arn === OTHER_AUTH)!.Arn = AUTH;
    });
    const fix = runCheck('auth-role-trust', snapshot).findings[0]!.fix;
    expect(fix.commands).toEqual([expect.stringMatching(/^aws iam update-assume-role-policy --role-name Cognito_logsprodAuth_Role /)]);
  });

  it('a role of another account that the access policy admits, its own policies unread: unknown, not a pass', () => {
    const snapshot = variant(loadFixture('partial/auth-role-other-account.json'), (s) => {
      s.domain.AdvancedSecurityOptions = { Enabled: false };
      s.domain.AccessPolicies = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER_AUTH }, Action: 'es:ESHttp*', Resource: `${s.domain.ARN}/*` }],
      });
    });
    const r = runCheck('access-policy-auth-roles', snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain(`is in account ${OTHER}: the access policy admits it, but a cross-account request also needs the role's own policies`);
  });
});
