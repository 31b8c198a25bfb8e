import { describe, expect, it } from 'vitest';
import { UNDETECTED_MODES } from '../../src/catalog/index.js';
import { builtinChecks } from '../../src/engine/builtin.js';
import type { GroupType } from '../../src/index.js';
import { CATALOG_TEXT } from '../../src/trace/messages.js';
import { claimString, identityFromClaims, identityFromGroups, identityFromUser, preferredRoleOf, ruleMatches, TraceInputError } from '../../src/trace/index.js';
import { fixture, trace, userReadFrom } from './helpers.js';

const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const group = (GroupName: string, RoleArn?: string, Precedence?: number): GroupType => ({
  GroupName,
  ...(RoleArn ? { RoleArn } : {}),
  ...(Precedence !== undefined ? { Precedence } : {}),
});

describe("Cognito's preferred role", () => {
  it('is the role of the role-bearing group with the lowest precedence', () => {
    expect(preferredRoleOf([group('b', role('B'), 5), group('a', role('A'), 2), group('c', undefined, 0)])).toEqual({
      roles: [role('A'), role('B')],
      preferred: role('A'),
    });
  });

  it('is not set when role-bearing groups with different roles share the lowest precedence', () => {
    const tie = preferredRoleOf([group('a', role('A'), 1), group('b', role('B'), 1), group('c', role('C'), 9)]);
    expect(tie.preferred).toBeUndefined();
    expect(tie.roles).toEqual([role('A'), role('B'), role('C')]);
    expect(tie.tie?.map((g) => g.GroupName)).toEqual(['a', 'b']);
  });

  it('is set when the groups that share it carry the same role', () => {
    expect(preferredRoleOf([group('a', role('A'), 1), group('b', role('A'), 1)]).preferred).toBe(role('A'));
  });

  it('ranks groups without a precedence last, and ties them with each other', () => {
    expect(preferredRoleOf([group('a', role('A')), group('b', role('B'), 7)]).preferred).toBe(role('B'));
    expect(preferredRoleOf([group('a', role('A')), group('b', role('B'))]).preferred).toBeUndefined();
    expect(preferredRoleOf([group('a', role('A'))]).preferred).toBe(role('A'));
  });

  it('is absent, with no roles, for groups without a role', () => {
    expect(preferredRoleOf([group('a', undefined, 1)])).toEqual({ roles: [] });
  });
});

describe('rule matching', () => {
  const rule = (Claim: string, MatchType: 'Equals' | 'Contains' | 'StartsWith' | 'NotEqual', Value: string) => ({
    Claim,
    MatchType,
    Value,
    RoleARN: role('R'),
  });

  it('compares the claim as a string with each match type', () => {
    const claims = { 'custom:team': 'platform-sre' };
    expect(ruleMatches(rule('custom:team', 'Equals', 'platform-sre'), claims).matched).toBe(true);
    expect(ruleMatches(rule('custom:team', 'Equals', 'platform'), claims).matched).toBe(false);
    expect(ruleMatches(rule('custom:team', 'Contains', 'sre'), claims).matched).toBe(true);
    expect(ruleMatches(rule('custom:team', 'StartsWith', 'platform'), claims).matched).toBe(true);
    expect(ruleMatches(rule('custom:team', 'StartsWith', 'sre'), claims).matched).toBe(false);
    expect(ruleMatches(rule('custom:team', 'NotEqual', 'contractors'), claims).matched).toBe(true);
    expect(ruleMatches(rule('custom:team', 'NotEqual', 'platform-sre'), claims).matched).toBe(false);
  });

  it('matches nothing on a claim the token lacks, NotEqual included', () => {
    for (const type of ['Equals', 'Contains', 'StartsWith', 'NotEqual'] as const) {
      expect(ruleMatches(rule('custom:team', type, 'x'), {})).toEqual({ matched: false });
    }
  });

  it('compares cognito:groups as its members joined with commas', () => {
    const claims = { 'cognito:groups': ['admins', 'readers'] };
    expect(claimString(claims['cognito:groups'])).toBe('admins,readers');
    expect(ruleMatches(rule('cognito:groups', 'Contains', 'readers'), claims).matched).toBe(true);
    expect(ruleMatches(rule('cognito:groups', 'Equals', 'admins'), claims).matched).toBe(false);
    expect(ruleMatches(rule('cognito:groups', 'Equals', 'admins'), { 'cognito:groups': ['admins'] }).matched).toBe(true);
    // Contains is a substring test: a group whose name holds the value matches too.
    expect(ruleMatches(rule('cognito:groups', 'Contains', 'admin'), claims).matched).toBe(true);
  });

  it('compares booleans and numbers by their text', () => {
    expect(ruleMatches(rule('email_verified', 'Equals', 'true'), { email_verified: true }).matched).toBe(true);
  });
});

describe('the claims of each identity source', () => {
  const snapshot = fixture('trace/token-groups.json');

  it('--user: attributes, groups, roles and the preferred role, as the ID token carries them', () => {
    const identity = identityFromUser(snapshot, userReadFrom(snapshot, 'alice'));
    expect(identity.claims).toEqual({
      aud: '4q8v2n6k1m3p5r7t9w0y2a4c6e',
      'cognito:groups': ['dashboards-admins'],
      'cognito:preferred_role': role('logs-prod-dashboards-admin'),
      'cognito:roles': [role('logs-prod-dashboards-admin')],
      'cognito:username': 'alice',
      email: 'alice@example.com',
      email_verified: true,
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A',
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      token_use: 'id',
    });
  });

  it('--user: custom attributes keep custom:, developer-only ones never reach the token, identities is a list', () => {
    const read = userReadFrom(snapshot, 'nora');
    read.user!.UserAttributes = [
      { Name: 'custom:team', Value: 'sre' },
      { Name: 'dev:internal', Value: 'secret' },
      { Name: 'identities', Value: '[{"providerName":"CorpEntraID","providerType":"SAML"}]' },
    ];
    const claims = identityFromUser(snapshot, read).claims;
    expect(claims['custom:team']).toBe('sre');
    expect(claims['dev:internal']).toBeUndefined();
    expect(claims['identities']).toEqual([{ providerName: 'CorpEntraID', providerType: 'SAML' }]);
  });

  it('--user: a failed groups read leaves role selection unknown, not a false pass', () => {
    const read = userReadFrom(snapshot, 'alice');
    delete read.groups;
    read.groupsError = { operation: 'cognito-idp:AdminListGroupsForUser', resource: 'eu-west-1_Xk2LmQp7A/alice', code: 'AccessDeniedException' };
    const result = trace(snapshot, identityFromUser(snapshot, read));
    expect(result.steps[3]).toMatchObject({
      status: 'unknown',
      summary: "the user's groups could not be read (cognito-idp:AdminListGroupsForUser AccessDeniedException)",
    });
    expect(result.outcome.result).toBe('unknown');
  });

  it('--user: a failed AdminGetUser read makes the user step unknown and names the permission', () => {
    const read = userReadFrom(snapshot, 'alice');
    delete read.user;
    read.userError = { operation: 'cognito-idp:AdminGetUser', code: 'AccessDeniedException' };
    const step = trace(snapshot, identityFromUser(snapshot, read)).steps[1]!;
    expect(step).toMatchObject({ status: 'unknown', summary: 'cognito-idp:AdminGetUser denied on alice: add cognito-idp:AdminGetUser' });
  });

  it('--user: a temporary password within TemporaryPasswordValidityDays passes, with its expiry in a note', () => {
    const read = userReadFrom(snapshot, 'tess');
    read.user!.UserCreateDate = '2026-11-20T12:00:00Z';
    const step = trace(snapshot, identityFromUser(snapshot, read)).steps[1]!;
    expect(step.status).toBe('pass');
    expect(step.notes).toContainEqual({
      text: 'the user must choose a new password at the first sign-in; the temporary password expires on 2026-11-27T12:00:00.000Z',
    });
  });

  it('--claims: iss, aud and token_use are filled in, and the roles from the groups', () => {
    const identity = identityFromClaims(snapshot, { 'cognito:groups': ['dashboards-readers'] }, 'c.json');
    expect(identity.claims['iss']).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xk2LmQp7A');
    expect(identity.claims['aud']).toBe('4q8v2n6k1m3p5r7t9w0y2a4c6e');
    expect(identity.claims['token_use']).toBe('id');
    expect(identity.claims['cognito:preferred_role']).toBe(role('logs-prod-dashboards-reader'));
    expect(identity.derived).toContain('cognito:preferred_role: the role of the group with the lowest precedence');
  });

  it('--claims: what the file says is kept', () => {
    const claims = {
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1',
      aud: 'x',
      'cognito:groups': ['dashboards-readers'],
      'cognito:roles': [],
    };
    const identity = identityFromClaims(snapshot, claims, 'c.json');
    expect(identity.claims).toMatchObject(claims);
    expect(identity.claims['cognito:preferred_role']).toBeUndefined();
  });

  it('--claims must be a JSON object', () => {
    expect(() => identityFromClaims(snapshot, [1, 2], 'c.json')).toThrow(TraceInputError);
  });

  it('--groups refuses a group the pool does not have, naming the ones it has', () => {
    expect(() => identityFromGroups(snapshot, ['dashboards-admins', 'nope'])).toThrow(/no group nope \(its groups: dashboards-admins, dashboards-readers\)/);
  });

  it("--groups without the pool's groups in the snapshot: role selection is unknown", () => {
    const bare = structuredClone(snapshot);
    delete bare.userPoolGroups;
    const result = trace(bare, identityFromGroups(bare, ['dashboards-admins']));
    expect(result.steps[3]!.status).toBe('unknown');
    expect(result.steps[3]!.summary).toMatch(/cognito-idp:ListGroups would read them/);
  });
});

describe('the texts the user sees', () => {
  const catalog = new Map([...builtinChecks.flatMap((c) => c.modes), ...UNDETECTED_MODES].map((m) => [m.id, m.symptom]));

  it('quote the catalog word for word', () => {
    for (const [id, text] of Object.entries(CATALOG_TEXT)) {
      expect(catalog.get(id), id).toBeDefined();
      expect(catalog.get(id), id).toContain(text);
    }
  });

  it('belong to ids of the catalog', () => {
    const ids = new Set(catalog.keys());
    for (const id of [
      'user-not-confirmed-or-disabled',
      'temporary-password-expired',
      'dashboards-auth-missing',
      'saml-and-cognito-conflict',
      'user-pool-not-found',
      'identity-pool-not-found',
      ...Object.keys(CATALOG_TEXT),
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});
