import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import principalTagsTrust from '../../checks/principal-tags-trust.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { ADMIN, AUTH, cond, enc, fgac, groups, IP, PROVIDER, role, trust, UP } from './identity-helpers.js';

const CHECK = 'principal-tags-trust';
const ID = 'principal-tags-trust-missing-tagsession';
const defaults = loadFixture('fail/principal-tags-trust-missing-tagsession.json');
const groupRoles = loadFixture('fail/principal-tags-trust-missing-tagsession--group-roles.json');

const tagsOn = (s: Snapshot, tags: Record<string, string> = {}, useDefaults = Object.keys(tags).length === 0) => {
  s.principalTagAttributeMaps = [{ IdentityPoolId: IP, IdentityProviderName: PROVIDER, UseDefaults: useDefaults, PrincipalTags: tags }];
};
const TAGGED = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];

const valid: Array<[string, Snapshot, string]> = [
  ['healthy: the map was not collected', fgac, 'not-evaluated'],
  ['no map was ever set ([])', variant(fgac, (s) => (s.principalTagAttributeMaps = [])), 'pass'],
  ['a map with UseDefaults false and no tags (attributes for access control off)', variant(fgac, (s) => tagsOn(s, {}, false)), 'pass'],
  [
    'tags on, trust allows sts:TagSession (URL-encoded trust)',
    variant(fgac, (s) => {
      tagsOn(s);
      role(s, AUTH).AssumeRolePolicyDocument = enc(trust(cond(IP, 'authenticated'), { Action: TAGGED }));
    }),
    'pass',
  ],
  [
    'tags on, trust allows sts:TagSession (decoded object, single strings)',
    variant(fgac, (s) => {
      tagsOn(s, { dept: 'custom:department' });
      role(s, AUTH).AssumeRolePolicyDocument = trust(cond(IP, 'authenticated', 'StringLike'), { Action: TAGGED }) as unknown as string;
    }),
    'pass',
  ],
  [
    'tags on, trust allows sts:*',
    variant(fgac, (s) => {
      tagsOn(s);
      role(s, AUTH).AssumeRolePolicyDocument = enc(trust(cond(IP, 'authenticated'), { Action: 'sts:*' }));
    }),
    'pass',
  ],
  [
    'tags on for another provider of the identity pool',
    variant(fgac, (s) => {
      s.principalTagAttributeMaps = [
        { IdentityPoolId: IP, IdentityProviderName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab9Cd8Ef7', UseDefaults: true, PrincipalTags: {} },
      ];
    }),
    'pass',
  ],
  [
    'tags on, but the trust refuses the login itself (identity-pool-trust-invalid reports it)',
    variant(loadFixture('fail/identity-pool-trust-invalid.json'), (s) => tagsOn(s)),
    'pass',
  ],
  [
    'tags on, the authenticated role was deleted (the trust checks report it)',
    variant(loadFixture('fail/identity-pool-trust-invalid--no-such-role.json'), (s) => tagsOn(s)),
    'pass',
  ],
  [
    'tags on, every role trust tagged, with group roles',
    variant(groupRoles, (s) => {
      for (const r of s.roles!)
        if (r.Arn !== AUTH && !r.Arn!.includes('service-role')) r.AssumeRolePolicyDocument = enc(trust(cond(IP, 'authenticated'), { Action: TAGGED }));
    }),
    'pass',
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe(status);
  });

  it('not evaluated names the read that would collect the map', () => {
    expect(runCheck(CHECK, fgac).reason).toContain('cognito-identity:GetPrincipalTagAttributeMap');
  });
});

describe(`${CHECK}: fires`, () => {
  it('default mappings, authenticated role without sts:TagSession (fixture)', () => {
    const r = runCheck(CHECK, defaults);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.resource).toBe(AUTH);
    expect(r.findings[0]!.evidence).toMatchObject({
      identityPoolId: IP,
      identityProviderName: PROVIDER,
      UseDefaults: true,
      receivedBy: ['every user'],
      tagSession: 'not allowed',
    });
  });

  it('explicit tags: each group role whose trust lacks sts:TagSession (fixture)', () => {
    const r = runCheck(CHECK, groupRoles);
    expect(r.findings.map((f) => f.resource).sort()).toEqual([ADMIN, `arn:aws:iam::123456789012:role/logs-prod-dashboards-reader`]);
    expect(r.findings[0]!.evidence).toMatchObject({ PrincipalTags: { team: 'custom:team' }, UseDefaults: false });
  });

  it('a trust written as a decoded object fires too', () => {
    const r = runCheck(
      CHECK,
      variant(defaults, (s) => (role(s, AUTH).AssumeRolePolicyDocument = trust(cond(IP, 'authenticated')) as unknown as string)),
    );
    expect(r.ids).toEqual([ID]);
  });

  it('a Deny on sts:TagSession: reported as denied, without a command that would keep the Deny', () => {
    const r = runCheck(
      CHECK,
      variant(defaults, (s) => {
        const doc = trust(cond(IP, 'authenticated'), { Action: TAGGED });
        doc.Statement.push({ Effect: 'Deny', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:TagSession' });
        role(s, AUTH).AssumeRolePolicyDocument = enc(doc);
      }),
    );
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence['tagSession']).toBe('denied');
    expect(r.findings[0]!.fix.commands).toBeUndefined();
  });

  it('the fix adds sts:TagSession and keeps the conditions of the real role', () => {
    const [finding] = runCheck(CHECK, defaults).findings;
    const [command] = finding!.fix.commands!;
    expect(command).toContain('aws iam update-assume-role-policy --role-name Cognito_logsprodAuth_Role');
    expect(command).toContain('"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"]');
    expect(command).toContain(`"cognito-identity.amazonaws.com:aud":"${IP}"`);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('GetPrincipalTagAttributeMap denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => (s.errors = [{ operation: 'cognito-identity:GetPrincipalTagAttributeMap', resource: IP, code: 'AccessDeniedException' }])),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:GetPrincipalTagAttributeMap');
  });

  it('GetRole denied on the authenticated role → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('partial/getrole-denied.json'), (s) => tagsOn(s)),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:GetRole');
  });

  it('GetIdentityPoolRoles denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(defaults, (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
  });

  it('the groups of a Token mapping cannot be listed, the default role lacks sts:TagSession: reported, the group roles stay unknown', () => {
    const r = runCheck(
      CHECK,
      variant(groupRoles, (s) => {
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
        role(s, AUTH).AssumeRolePolicyDocument = enc(trust(cond(IP, 'authenticated')));
      }),
    );
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.resource).toBe(AUTH);
    expect(r.findings[0]!.evidence['receivedBy']).toEqual(['users without a group role']);
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^also: the group roles could not be judged: .*cognito-idp:ListGroups/);
  });

  it('the groups of a Token mapping cannot be listed → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(groupRoles, (s) => {
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
  });
});

describe(`${CHECK}: the token-groups fixture`, () => {
  it('stays quiet on the healthy groups fixture without a map', () => {
    expect(runCheck(CHECK, groups).ids).toEqual([]);
  });
});

describe(`${CHECK}: problems`, () => {
  it("the default mappings are on and the authenticated role's trust does not allow sts:TagSession: a repaired trust is offered", () => {
    const [problem, ...others] = problemsOf(principalTagsTrust, defaults);
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ mode: ID, data: { UseDefaults: true, PrincipalTags: {}, receivedBy: ['every user'], tagSession: 'not allowed' } });
    expect(JSON.stringify((problem!.data as { repairedTrust?: unknown }).repairedTrust)).toContain('sts:TagSession');
  });
});
