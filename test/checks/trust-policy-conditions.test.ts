import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import trustPolicyConditions from '../../checks/trust-policy-conditions.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import {
  addRole,
  ADMIN,
  applyTrustFix,
  AUTH,
  china,
  cond,
  custom,
  failRole,
  fgac,
  GOOD,
  govCloud,
  groups,
  IP,
  legacy,
  policyInCommand,
  SERVICE,
  setTrust,
  STAGING_IP,
  trust,
  UNAUTH,
  UP,
  withTrust,
} from './identity-helpers.js';

const CHECK = 'trust-policy-conditions';
const MISSING = 'trust-policy-missing-conditions';
const MULTI = 'trust-policy-multi-pool-aud';

/** fgac with guest access wired: an unauthenticated role with the given trust. */
function withUnauthRole(doc: unknown, base = fgac): Snapshot {
  return variant(base, (s) => {
    s.identityPoolRoles!.Roles!['unauthenticated'] = UNAUTH;
    addRole(s, UNAUTH, doc);
  });
}

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain', fgac],
  ['healthy custom endpoint', custom],
  ['healthy legacy Elasticsearch domain', legacy],
  ['healthy token-based mapping (decoded object trusts)', groups],
  ['GovCloud', govCloud(groups)],
  ['China', china(fgac)],
  ['guest role pinned to the pool and to unauthenticated (fixture base)', loadFixture('fail/unauth-identities-enabled.json')],
  [
    'one role for both kinds of identity, pinned to the pool',
    variant(withUnauthRole(GOOD(IP, ['authenticated', 'unauthenticated'])), (s) => (s.identityPoolRoles!.Roles!['authenticated'] = UNAUTH)),
  ],
  ['StringLike aud naming exactly the pool', withTrust(fgac, AUTH, trust(cond(IP, 'authenticated', 'StringLike')))],
  ['amr pinned to the user pool provider', withTrust(fgac, AUTH, trust(cond(IP, `cognito-idp.eu-west-1.amazonaws.com/${UP}`)))],
  [
    'no amr, but a Deny for unauthenticated identities',
    withTrust(fgac, AUTH, {
      Version: '2012-10-17',
      Statement: [
        ...trust(cond(IP)).Statement,
        {
          Effect: 'Deny',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: cond(undefined, 'unauthenticated'),
        },
      ],
    }),
  ],
  [
    'no aud on the Allow, but a Deny refuses every other identity pool (StringNotEquals aud)',
    withTrust(fgac, AUTH, {
      Version: '2012-10-17',
      Statement: [
        ...trust(cond(undefined, 'authenticated')).Statement,
        {
          Effect: 'Deny',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringNotEquals: { 'cognito-identity.amazonaws.com:aud': IP } },
        },
      ],
    }),
  ],
  [
    'a trust that does not name Cognito (the trust checks report it)',
    withTrust(fgac, AUTH, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  ],
  ['an authenticated role that only guests can assume is left to auth-role-trust', withTrust(fgac, AUTH, GOOD(IP, 'unauthenticated'))],
  ['a deleted role is left to the trust checks', variant(fgac, (s) => failRole(s, AUTH, 'NoSuchEntity'))],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

interface Invalid {
  name: string;
  snapshot: Snapshot;
  id: string;
  resource: string;
  problems?: RegExp[];
}

const invalid: Invalid[] = [
  {
    name: 'no condition at all (fixture)',
    snapshot: loadFixture(`fail/${MISSING}.json`),
    id: MISSING,
    resource: AUTH,
    problems: [/no aud condition/, /no amr condition, so unauthenticated/],
  },
  {
    name: 'wildcard aud (fixture)',
    snapshot: loadFixture(`fail/${MISSING}--wildcard-aud.json`),
    id: MISSING,
    resource: AUTH,
    problems: [/aud is the wildcard eu-west-1:\*/],
  },
  {
    name: 'amr "*" on a group role (fixture)',
    snapshot: loadFixture(`fail/${MISSING}--amr-star.json`),
    id: MISSING,
    resource: ADMIN,
    problems: [/amr is "\*"/],
  },
  { name: 'aud listing two pools (fixture)', snapshot: loadFixture(`fail/${MULTI}.json`), id: MULTI, resource: ADMIN },
  {
    name: 'aud only excluded with StringNotEquals',
    snapshot: withTrust(
      fgac,
      AUTH,
      trust({
        StringNotEquals: { 'cognito-identity.amazonaws.com:aud': STAGING_IP },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      }),
    ),
    id: MISSING,
    resource: AUTH,
    problems: [/only excludes identity pools \(StringNotEquals\)/],
  },
  {
    name: 'authenticated role without amr (decoded object)',
    snapshot: withTrust(fgac, AUTH, trust(cond(IP)), 'object'),
    id: MISSING,
    resource: AUTH,
    problems: [/no amr condition/],
  },
  {
    name: 'authenticated role whose amr pattern also matches unauthenticated',
    snapshot: withTrust(fgac, AUTH, trust(cond(IP, '*authenticated'))),
    id: MISSING,
    resource: AUTH,
    problems: [/amr condition \(\*authenticated\) also matches unauthenticated/],
  },
  {
    name: 'authenticated role whose amr lists both kinds',
    snapshot: withTrust(fgac, AUTH, trust(cond(IP, ['authenticated', 'unauthenticated']))),
    id: MISSING,
    resource: AUTH,
    problems: [/also matches unauthenticated/],
  },
  {
    name: 'no aud on the Allow, and the Deny on other pools covers guests only',
    snapshot: withTrust(fgac, AUTH, {
      Version: '2012-10-17',
      Statement: [
        ...trust(cond(undefined, 'authenticated')).Statement,
        {
          Effect: 'Deny',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringNotEquals: { 'cognito-identity.amazonaws.com:aud': IP },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
          },
        },
      ],
    }),
    id: MISSING,
    resource: AUTH,
    problems: [/no aud condition/],
  },
  {
    name: 'guest role without aud',
    snapshot: withUnauthRole(trust(cond(undefined, 'unauthenticated'))),
    id: MISSING,
    resource: UNAUTH,
    problems: [/no aud condition/],
  },
  {
    name: 'group role without aud',
    snapshot: withTrust(groups, ADMIN, trust(cond(undefined, 'authenticated')), 'object'),
    id: MISSING,
    resource: ADMIN,
    problems: [/no aud condition/],
  },
  {
    name: 'GovCloud role without aud',
    snapshot: variant(govCloud(fgac), (s) =>
      setTrust(s, AUTH.replace('arn:aws:', 'arn:aws-us-gov:'), {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: 'cognito-identity-us-gov.amazonaws.com' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { 'ForAnyValue:StringLike': { 'cognito-identity-us-gov.amazonaws.com:amr': 'authenticated' } },
          },
        ],
      }),
    ),
    id: MISSING,
    resource: AUTH.replace('arn:aws:', 'arn:aws-us-gov:'),
    problems: [/no aud condition/],
  },
  {
    name: 'the service role also trusting Cognito without aud',
    snapshot: withTrust(fgac, SERVICE, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ...trust(cond(undefined, 'authenticated')).Statement,
      ],
    }),
    id: MISSING,
    resource: SERVICE,
    problems: [/no aud condition/],
  },
  {
    name: 'StringLike aud list of two pools on the authenticated role',
    snapshot: withTrust(fgac, AUTH, trust(cond([IP, STAGING_IP], 'authenticated', 'StringLike'))),
    id: MULTI,
    resource: AUTH,
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([c.id]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe(c.id === MULTI ? 'info' : 'warning');
    expect(finding!.resource).toBe(c.resource);
    for (const problem of c.problems ?? [])
      expect(
        (finding!.evidence['problems'] as string[]).some((p) => problem.test(p)),
        String(problem),
      ).toBe(true);
  });

  it('a shared role names both pools in its evidence', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${MULTI}.json`)).findings;
    expect(finding!.evidence).toMatchObject({
      identityPools: [IP, STAGING_IP],
      otherIdentityPools: [STAGING_IP],
      usedAs: ['the role of group dashboards-admins'],
    });
  });

  it('one finding per role, several problems in it', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        setTrust(s, ADMIN, trust());
        setTrust(s, AUTH, trust(cond('*', '*', 'StringLike')));
      }),
    );
    expect(r.findings.map((f) => f.resource).sort()).toEqual([AUTH, ADMIN].sort());
    expect(r.findings.find((f) => f.resource === AUTH)!.evidence['problems']).toHaveLength(2);
  });
});

describe(`${CHECK}: fixes`, () => {
  it.each(invalid.filter((c) => c.id === MISSING).map((c) => [c.name, c] as const))('applying the printed trust makes the check pass: %s', (_name, c) => {
    const [finding] = runCheck(CHECK, c.snapshot).findings;
    const command = finding!.fix.commands![0]!;
    expect(command).toMatch(/^aws iam update-assume-role-policy --role-name \S+ --policy-document '/);
    expect(runCheck(CHECK, applyTrustFix(c.snapshot, command)).status).toBe('pass');
  });

  it('a guest role is pinned to unauthenticated identities', () => {
    const [finding] = runCheck(CHECK, withUnauthRole(trust(cond(undefined, 'unauthenticated')))).findings;
    expect(policyInCommand(finding!.fix.commands![0]!)).toEqual(GOOD(IP, 'unauthenticated'));
  });

  it('the service role keeps only its OpenSearch Service trust', () => {
    const c = invalid.find((x) => x.resource === SERVICE)!;
    const policy = policyInCommand(runCheck(CHECK, c.snapshot).findings[0]!.fix.commands![0]!);
    expect(policy.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  });

  it('a shared role: review, no command', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${MULTI}.json`)).findings;
    expect(finding!.fix.commands).toBeUndefined();
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('GetRole denied on the guest role → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.identityPoolRoles!.Roles!['unauthenticated'] = UNAUTH;
        s.errors = [{ operation: 'iam:GetRole', resource: UNAUTH, code: 'AccessDenied' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:GetRole denied on');
    expect(r.reason).toContain('Cognito_logsprodUnauth_Role');
  });

  it('GetRole denied on one role, another role fails → fail, with the gap as a note', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture(`fail/${MISSING}--amr-star.json`), (s) => failRole(s, AUTH, 'AccessDenied')),
    );
    expect(r.status).toBe('fail');
    expect(r.reason).toContain('iam:GetRole');
  });

  it('GetIdentityPoolRoles denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
  });

  it('ListGroups denied → unknown (group roles could not be listed)', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListGroups');
  });
});

describe(`${CHECK} on big accounts`, () => {
  it('reads each role a bounded number of times, however many groups carry roles (no scan per group)', () => {
    const n = 3_000;
    const snapshot = variant(groups, (s) => {
      const role = s.userPoolGroups![0]!.RoleArn!;
      const template = s.roles!.find((r) => r.Arn === role)!;
      s.userPoolGroups = Array.from({ length: n }, (_, i) => ({ GroupName: `g${i}`, RoleArn: `${role}-${i}`, Precedence: i }));
      s.roles = [...s.roles!, ...Array.from({ length: n }, (_, i) => ({ ...template, Arn: `${role}-${i}`, RoleName: `${template.RoleName}-${i}` }))];
    });
    let reads = 0;
    snapshot.roles = new Proxy(snapshot.roles!, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    expect(runCheck(CHECK, snapshot).status).toBe('pass');
    // A lookup that scans the roles for every group reads about n²/2 = 4.5 million of them.
    expect(reads).toBeLessThan(4 * snapshot.roles.length);
  }, 120_000);
});

describe(`${CHECK}: problems`, () => {
  const gapsOf = (snapshot: Snapshot) =>
    problemsOf(trustPolicyConditions, snapshot)
      .filter((p) => p.mode === MISSING)
      .map((p) => (p.data as { gaps: unknown[] }).gaps);

  it('each way the trust is too broad is a gap of its own kind', () => {
    expect(gapsOf(loadFixture(`fail/${MISSING}.json`))).toEqual([[{ kind: 'no-aud' }, { kind: 'guests-allowed', amr: [] }]]);
    expect(gapsOf(withTrust(fgac, AUTH, trust(cond(IP, '*authenticated'))))).toEqual([[{ kind: 'guests-allowed', amr: ['*authenticated'] }]]);
    expect(
      gapsOf(
        withTrust(
          fgac,
          AUTH,
          trust({
            StringNotEquals: { 'cognito-identity.amazonaws.com:aud': STAGING_IP },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          }),
        ),
      ),
    ).toEqual([[{ kind: 'aud-only-excludes', operators: ['StringNotEquals'] }]]);
    expect(gapsOf(variant(groups, (s) => setTrust(s, AUTH, trust(cond('*', '*', 'StringLike')))))).toEqual([
      [{ kind: 'aud-wildcard', values: ['*'] }, { kind: 'amr-star' }],
    ]);
  });

  it('the service role is to keep only its OpenSearch Service trust', () => {
    const snapshot = withTrust(fgac, SERVICE, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ...trust(cond(undefined, 'authenticated')).Statement,
      ],
    });
    expect(problemsOf(trustPolicyConditions, snapshot)).toMatchObject([
      { mode: MISSING, resource: SERVICE, data: { serviceOnly: true, usedAs: ['CognitoOptions.RoleArn'] } },
    ]);
  });
});
