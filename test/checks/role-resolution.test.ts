import { describe, expect, it } from 'vitest';
import type { MappingRule } from '@aws-sdk/client-cognito-identity';
import type { Snapshot } from '../../src/index.js';
import roleResolution from '../../checks/role-resolution.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { ADMIN, AUTH, CID, custom, fgac, govCloud, groups, IP, legacy, OLD_CID, OS_KEY, POOL_ARN, PROVIDER, READER, UP } from './identity-helpers.js';

const CHECK = 'role-resolution';
const DENIED = 'ambiguous-role-mapping-denied';
const TIE = 'preferred-role-ambiguous';
const NO_MATCH = 'rules-mapping-no-match';
const USER_POOL_ARN = `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`;

const customAttr = (name: string, developerOnly = false) => ({
  Name: developerOnly ? `dev:custom:${name}` : `custom:${name}`,
  AttributeDataType: 'String' as const,
  DeveloperOnlyAttribute: developerOnly,
  Mutable: true,
  Required: false,
});

function withRules(rules: MappingRule[], resolution: 'AuthenticatedRole' | 'Deny' = 'AuthenticatedRole', edit?: (s: Snapshot) => void): Snapshot {
  return variant(groups, (s) => {
    s.userPool!.SchemaAttributes!.push(customAttr('department'), customAttr('team'));
    s.identityPoolRoles!.RoleMappings![OS_KEY] = { Type: 'Rules', AmbiguousRoleResolution: resolution, RulesConfiguration: { Rules: rules } };
    edit?.(s);
  });
}

const rule = (Claim: string, MatchType: MappingRule['MatchType'], Value: string, RoleARN = ADMIN): MappingRule => ({ Claim, MatchType, Value, RoleARN });

const tokenMapping = (resolution: 'AuthenticatedRole' | 'Deny', edit: (s: Snapshot) => void) =>
  variant(groups, (s) => {
    s.identityPoolRoles!.RoleMappings![OS_KEY]!.AmbiguousRoleResolution = resolution;
    edit(s);
  });

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain (no mapping)', fgac],
  ['healthy custom endpoint', custom],
  ['healthy legacy Elasticsearch domain', legacy],
  ['healthy token-based mapping with distinct precedences', groups],
  ['GovCloud token-based mapping', govCloud(groups)],
  [
    'two groups with the same precedence and the same role',
    tokenMapping('AuthenticatedRole', (s) => {
      s.userPoolGroups![1]!.Precedence = 1;
      s.userPoolGroups![1]!.RoleArn = ADMIN;
    }),
  ],
  [
    'groups without a role may share a precedence',
    tokenMapping('AuthenticatedRole', (s) =>
      s.userPoolGroups!.push({ GroupName: 'auditors', UserPoolId: UP, Precedence: 1 }, { GroupName: 'interns', UserPoolId: UP, Precedence: 1 }),
    ),
  ],
  [
    'a single role group without precedence',
    tokenMapping('AuthenticatedRole', (s) => {
      s.userPoolGroups!.pop();
      delete s.userPoolGroups![0]!.Precedence;
    }),
  ],
  // Decision rule 16: a group without a precedence ranks after every numbered one, so it ties with none of them.
  [
    'one role group without precedence next to a numbered one (decision rule 16)',
    tokenMapping('AuthenticatedRole', (s) => delete s.userPoolGroups![1]!.Precedence),
  ],
  ['a role group without precedence next to a numbered one (fixture)', loadFixture('healthy/token-group-without-precedence.json')],
  [
    'Rules on standard claims',
    withRules([
      rule('email', 'Equals', 'alice@example.com'),
      rule('cognito:groups', 'Contains', 'dashboards-readers', READER),
      rule('email_verified', 'Equals', 'true', READER),
    ]),
  ],
  [
    'Rules on custom attributes with the prefix',
    withRules([rule('custom:department', 'Equals', 'platform'), rule('custom:team', 'StartsWith', 'ops', READER)]),
  ],
  // DescribeUserPool lists every custom attribute; a pre token generation Lambda may still add the claim.
  [
    'a custom: claim the schema does not list, with a pre token generation Lambda that may add it',
    withRules(
      [rule('custom:cost_center', 'Equals', '42')],
      'AuthenticatedRole',
      (s) =>
        (s.userPool!.LambdaConfig = {
          PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:add-claims' },
        }),
    ),
  ],
  [
    'a custom: claim when the snapshot has no SchemaAttributes (the schema was not read)',
    withRules([rule('custom:cost_center', 'Equals', '42')], 'AuthenticatedRole', (s) => delete s.userPool!.SchemaAttributes),
  ],
  ['NotEqual on a claim every token carries', withRules([rule('cognito:username', 'NotEqual', 'guest'), rule('sub', 'NotEqual', 'x', READER)])],
  ['Rules with Deny and a catch-all rule on aud', withRules([rule('custom:department', 'Equals', 'platform'), rule('aud', 'Equals', CID, READER)], 'Deny')],
  [
    "a catch-all rule first whose role is the same as the later rule's (nothing is lost)",
    withRules([rule('aud', 'Equals', CID, READER), rule('cognito:groups', 'Contains', 'dashboards-readers', READER)]),
  ],
  [
    'a specific rule before a broader one (the right order)',
    withRules([rule('cognito:groups', 'Contains', 'ops-admins'), rule('cognito:groups', 'Contains', 'ops', READER)]),
  ],
  ['Rules with Deny and a catch-all rule on iss', withRules([rule('iss', 'StartsWith', 'https://cognito-idp.eu-west-1.amazonaws.com/', READER)], 'Deny')],
  [
    'a tie in a mapping keyed on another client does not apply to Dashboards',
    variant(groups, (s) => {
      s.identityPool!.CognitoIdentityProviders!.push({ ProviderName: PROVIDER, ClientId: OLD_CID, ServerSideTokenCheck: true });
      s.identityPoolRoles!.RoleMappings = { [`${PROVIDER}:${OLD_CID}`]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } };
      s.userPoolGroups![1]!.Precedence = 1;
    }),
  ],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

interface Expected {
  id: string;
  severity: 'error' | 'warning';
  resource?: string;
  evidence?: Record<string, unknown>;
  message?: RegExp;
}

const invalid: Array<{ name: string; snapshot: Snapshot; findings: Expected[] }> = [
  {
    name: 'Token + Deny: users outside the role groups are denied (fixture)',
    snapshot: loadFixture(`fail/${DENIED}.json`),
    findings: [
      { id: DENIED, severity: 'warning', resource: POOL_ARN, evidence: { denied: ['users in none of the groups dashboards-admins and dashboards-readers'] } },
    ],
  },
  {
    name: 'Token + Deny and no role group: every user is denied (fixture)',
    snapshot: loadFixture(`fail/${DENIED}--no-role-groups.json`),
    findings: [{ id: DENIED, severity: 'error', evidence: { denied: ['every user'] }, message: /so every user is denied/ }],
  },
  {
    name: 'Token + Deny with a tie: the tie is named among the denied',
    snapshot: tokenMapping('Deny', (s) => (s.userPoolGroups![1]!.Precedence = 1)),
    findings: [
      {
        id: DENIED,
        severity: 'warning',
        evidence: {
          denied: [
            'users in none of the groups dashboards-admins and dashboards-readers',
            'users in both dashboards-admins and dashboards-readers (their groups tie)',
          ],
        },
      },
      { id: TIE, severity: 'error', message: /are denied\.$/ },
    ],
  },
  {
    name: 'two role groups share precedence 1 (fixture)',
    snapshot: loadFixture(`fail/${TIE}.json`),
    findings: [
      {
        id: TIE,
        severity: 'error',
        resource: USER_POOL_ARN,
        evidence: { precedence: 1 },
        message: /get the default authenticated role Cognito_logsprodAuth_Role\.$/,
      },
    ],
  },
  {
    name: 'role groups without precedence tie with each other, an error like any tie (fixture, decision rule 16)',
    snapshot: loadFixture(`fail/${TIE}--no-precedence.json`),
    findings: [
      {
        id: TIE,
        severity: 'error',
        evidence: { precedence: null },
        message: /have no precedence, so users in both .* \(and in no role group with a precedence\) have no cognito:preferred_role/,
      },
    ],
  },
  {
    name: 'two role groups without precedence beside a numbered one: only the two tie',
    snapshot: tokenMapping('AuthenticatedRole', (s) => {
      delete s.userPoolGroups![1]!.Precedence;
      s.userPoolGroups!.push({ GroupName: 'dashboards-writers', UserPoolId: UP, RoleArn: AUTH });
    }),
    findings: [
      { id: TIE, severity: 'error', evidence: { precedence: null, groups: [{ GroupName: 'dashboards-readers' }, { GroupName: 'dashboards-writers' }] } },
    ],
  },
  {
    name: 'a tie behind a lower-precedence group still ties for users outside it',
    snapshot: tokenMapping('AuthenticatedRole', (s) =>
      s.userPoolGroups!.push({ GroupName: 'dashboards-writers', UserPoolId: UP, RoleArn: AUTH, Precedence: 10 }),
    ),
    findings: [
      { id: TIE, severity: 'error', evidence: { precedence: 10, groups: [{ GroupName: 'dashboards-readers' }, { GroupName: 'dashboards-writers' }] } },
    ],
  },
  {
    name: 'custom attribute without custom: (fixture)',
    snapshot: loadFixture(`fail/${NO_MATCH}.json`),
    findings: [{ id: NO_MATCH, severity: 'error', resource: POOL_ARN, evidence: { ruleIndex: 0, suggestedClaim: 'custom:department' } }],
  },
  {
    name: 'username instead of cognito:username (fixture)',
    snapshot: loadFixture(`fail/${NO_MATCH}--username.json`),
    findings: [{ id: NO_MATCH, severity: 'error', evidence: { suggestedClaim: 'cognito:username' } }],
  },
  {
    name: 'NotEqual on a claim some tokens lack (fixture)',
    snapshot: loadFixture(`fail/${NO_MATCH}--not-equal.json`),
    findings: [{ id: NO_MATCH, severity: 'warning', evidence: { ruleIndex: 1 } }],
  },
  {
    name: 'Rules + Deny whose only rule cannot match (fixture)',
    snapshot: loadFixture(`fail/${NO_MATCH}--deny.json`),
    findings: [
      { id: NO_MATCH, severity: 'error', message: /those users are denied/ },
      { id: DENIED, severity: 'error', evidence: { denied: ['every user'] }, message: /its only rule cannot match/ },
    ],
  },
  {
    name: 'Rules + Deny with rules that can match: users matching none are denied',
    snapshot: withRules([rule('custom:department', 'Equals', 'platform')], 'Deny'),
    findings: [{ id: DENIED, severity: 'warning', evidence: { denied: ['users matching no rule'] } }],
  },
  {
    name: 'Rules + Deny without rules',
    snapshot: withRules([], 'Deny'),
    findings: [{ id: DENIED, severity: 'error', message: /it has no rules/ }],
  },
  {
    name: 'a claim in the wrong case',
    snapshot: withRules([rule('Email', 'Equals', 'alice@example.com')]),
    findings: [{ id: NO_MATCH, severity: 'error', evidence: { suggestedClaim: 'email' } }],
  },
  {
    name: 'a claim that is nowhere',
    snapshot: withRules([rule('role', 'Equals', 'admin')]),
    findings: [{ id: NO_MATCH, severity: 'error', message: /neither a standard claim nor in the pool's SchemaAttributes/ }],
  },
  {
    name: 'a developer-only attribute',
    snapshot: withRules([rule('dev:custom:tier', 'Equals', 'gold')], 'AuthenticatedRole', (s) => s.userPool!.SchemaAttributes!.push(customAttr('tier', true))),
    findings: [{ id: NO_MATCH, severity: 'error', message: /developer-only attribute/ }],
  },
  {
    // Catalog E8 / decision rule 15: a claim absent from the token schema can never match. DescribeUserPool
    // returns every custom attribute, so a custom: claim it does not list is in no ID token.
    name: 'a custom: claim the pool does not have, and no pre token generation Lambda',
    snapshot: withRules([rule('custom:cost_center', 'Equals', '42'), rule('custom:department', 'Equals', 'platform', READER)]),
    findings: [
      {
        id: NO_MATCH,
        severity: 'error',
        evidence: { ruleIndex: 0 },
        message:
          /has no custom:cost_center attribute .*only the custom attributes custom:department, custom:team.* can never match|can never match.*has no custom:cost_center attribute/,
      },
    ],
  },
  {
    // "Rules are evaluated in order. The first one to match specifies the role." (RulesConfigurationType)
    name: 'a catch-all rule on aud first: the later group rule never hands out its role',
    snapshot: withRules([rule('aud', 'Equals', CID, READER), rule('cognito:groups', 'Contains', 'dashboards-admins')]),
    findings: [
      {
        id: NO_MATCH,
        severity: 'error',
        evidence: { ruleIndex: 1, shadowedBy: { ruleIndex: 0 } },
        message: /rule 2 .* can never match: rule 1 \(aud Equals .*those users get logs-prod-dashboards-reader instead\.$/,
      },
    ],
  },
  {
    name: 'Contains "ops" before Contains "ops-admins" on cognito:groups: a warning (list comparison inferred)',
    snapshot: withRules([rule('cognito:groups', 'Contains', 'ops', READER), rule('cognito:groups', 'Contains', 'ops-admins')]),
    findings: [{ id: NO_MATCH, severity: 'warning', evidence: { ruleIndex: 1, shadowedBy: { ruleIndex: 0 } }, message: /may never match/ }],
  },
  {
    name: 'StartsWith on a string claim before a narrower Equals: an error',
    snapshot: withRules([rule('email', 'StartsWith', 'ops', READER), rule('email', 'Equals', 'ops-lead@example.com')]),
    findings: [{ id: NO_MATCH, severity: 'error', evidence: { ruleIndex: 1 } }],
  },
  {
    name: 'NotEqual first on the same claim catches a later Equals',
    snapshot: withRules([rule('cognito:username', 'NotEqual', 'breakglass', READER), rule('cognito:username', 'Equals', 'alice')]),
    findings: [{ id: NO_MATCH, severity: 'error', evidence: { ruleIndex: 1 } }],
  },
  {
    name: 'the same rule twice with different roles',
    snapshot: withRules([rule('custom:team', 'Equals', 'sre', READER), rule('custom:team', 'Equals', 'sre')]),
    findings: [{ id: NO_MATCH, severity: 'error', message: /comes first with the same test/ }],
  },
  {
    name: 'an earlier rule that can never match shadows nothing: only it is reported',
    snapshot: withRules([rule('department', 'Equals', 'platform', READER), rule('custom:department', 'Equals', 'platform')]),
    findings: [{ id: NO_MATCH, severity: 'error', evidence: { ruleIndex: 0, suggestedClaim: 'custom:department' } }],
  },
  {
    name: 'a custom: claim in the wrong case',
    snapshot: withRules([rule('custom:Team', 'Equals', 'ops')]),
    findings: [{ id: NO_MATCH, severity: 'error', evidence: { suggestedClaim: 'custom:team' } }],
  },
  {
    name: 'an unknown claim with a pre token generation Lambda: a warning',
    snapshot: withRules(
      [rule('role', 'Equals', 'admin')],
      'AuthenticatedRole',
      (s) => (s.userPool!.LambdaConfig = { PreTokenGeneration: 'arn:aws:lambda:eu-west-1:123456789012:function:add-claims' }),
    ),
    findings: [{ id: NO_MATCH, severity: 'warning', message: /unless the pre token generation Lambda adds it/ }],
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.id).sort()).toEqual(c.findings.map((f) => f.id).sort());
    for (const want of c.findings) {
      const got = r.findings.find((f) => f.id === want.id)!;
      expect(got.severity).toBe(want.severity);
      if (want.resource) expect(got.resource).toBe(want.resource);
      if (want.evidence) expect(got.evidence).toMatchObject(want.evidence);
      if (want.message) expect(got.message).toMatch(want.message);
    }
  });
});

describe(`${CHECK}: fixes`, () => {
  it('a tie: update-group with every field passed again', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${TIE}.json`)).findings;
    expect(finding!.fix.commands).toEqual([
      `aws cognito-idp update-group --region eu-west-1 --user-pool-id ${UP} --group-name dashboards-readers --precedence 2 --role-arn ${READER} --description 'Read-only access'`,
    ]);
  });

  it('a Description that is not a string (a hand-written snapshot) is left out of update-group, not a crash', () => {
    const snapshot = variant(loadFixture(`fail/${TIE}--no-precedence.json`), (s) => ((s.userPoolGroups![0] as { Description?: unknown }).Description = []));
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    const command = r.findings.flatMap((f) => f.fix.commands ?? []).find((c) => c.includes(`--group-name ${snapshot.userPoolGroups![0]!.GroupName} `));
    expect(command).toBeDefined();
    expect(command).not.toContain('--description');
  });

  it('a claim with an obvious correction: a roles round trip that edits only that rule', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${NO_MATCH}.json`)).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toBe(`aws cognito-identity get-identity-pool-roles --region eu-west-1 --identity-pool-id ${IP} > identity-pool-roles.json`);
    expect(commands[1]).toContain(`--argjson key '"${OS_KEY}"' --argjson index 0 --argjson claim '"custom:department"'`);
    expect(commands[1]).toContain(`'.RoleMappings[$key].RulesConfiguration.Rules[$index].Claim = $claim'`);
  });

  it('Deny: switching to AuthenticatedRole keeps every other mapping', () => {
    const finding = runCheck(CHECK, loadFixture(`fail/${DENIED}.json`)).findings[0]!;
    expect(finding.fix.commands![1]).toContain(`'.RoleMappings[$key].AmbiguousRoleResolution = "AuthenticatedRole"'`);
  });

  it('no command when no correction is obvious', () => {
    const finding = runCheck(CHECK, withRules([rule('role', 'Equals', 'admin')])).findings[0]!;
    expect(finding.fix.commands).toBeUndefined();
    expect(finding.fix.steps!.length).toBeGreaterThan(0);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListGroups denied under a Token mapping → unknown', () => {
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

  it('DescribeUserPool denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.userPool;
        delete s.userPoolClients;
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });

  it('GetIdentityPoolRoles denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
  });
});

describe(`${CHECK}: problems`, () => {
  it('a tie under Deny: the groups, the renumbering, and the denied users outside the role groups', () => {
    const problems = problemsOf(
      roleResolution,
      tokenMapping('Deny', (s) => (s.userPoolGroups![1]!.Precedence = 1)),
    );
    expect(problems).toMatchObject([
      {
        mode: TIE,
        data: {
          precedence: 1,
          AmbiguousRoleResolution: 'Deny',
          groups: [{ GroupName: 'dashboards-admins' }, { GroupName: 'dashboards-readers' }],
          renumbered: [{ group: { GroupName: 'dashboards-readers' }, Precedence: 2 }],
        },
      },
      { mode: DENIED, severity: 'warning', data: { Type: 'Token', everyUser: false, roleBearingGroups: ['dashboards-admins', 'dashboards-readers'] } },
    ]);
  });

  it('a rule an earlier catch-all always catches never matches; the shadowing rule is named', () => {
    const [problem] = problemsOf(roleResolution, withRules([rule('aud', 'Equals', CID, READER), rule('cognito:groups', 'Contains', 'dashboards-admins')]));
    expect(problem).toMatchObject({
      mode: NO_MATCH,
      severity: 'error',
      data: { ruleIndex: 1, neverMatches: true, shadowedBy: { ruleIndex: 0, rule: { RoleARN: READER } } },
    });
  });

  it('a custom: claim the pool lacks: the attribute to add, and no identity provider that maps it', () => {
    const [problem] = problemsOf(roleResolution, withRules([rule('custom:cost_center', 'Equals', '42')]));
    expect(problem).toMatchObject({ mode: NO_MATCH, data: { neverMatches: true, missingCustomAttribute: 'custom:cost_center', attributeMappedBy: [] } });
  });

  it('Rules + Deny whose only rule cannot match: every user is denied', () => {
    const problems = problemsOf(roleResolution, loadFixture(`fail/${NO_MATCH}--deny.json`));
    expect(problems.find((p) => p.mode === DENIED)).toMatchObject({ data: { Type: 'Rules', everyUser: true, denied: ['every user'] } });
    expect(problems.find((p) => p.mode === DENIED)!.severity).toBeUndefined();
  });
});
