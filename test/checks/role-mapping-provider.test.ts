import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import roleMappingProvider from '../../checks/role-mapping-provider.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { ADMIN, CID, custom, fgac, govCloud, groups, IP, legacy, OLD_CID, OS_KEY, POOL_ARN, PROVIDER, READER, UP } from './identity-helpers.js';

const CHECK = 'role-mapping-provider';
const MISMATCH = 'role-mapping-key-mismatch';
const IGNORED = 'group-roles-ignored';
const OLD_KEY = `${PROVIDER}:${OLD_CID}`;

function rulesOn(base: Snapshot, roles: string[]): Snapshot {
  return variant(base, (s) => {
    s.identityPoolRoles!.RoleMappings![OS_KEY] = {
      Type: 'Rules',
      AmbiguousRoleResolution: 'AuthenticatedRole',
      RulesConfiguration: { Rules: roles.map((arn, i) => ({ Claim: 'cognito:groups', MatchType: 'Contains', Value: `group-${i}`, RoleARN: arn })) },
    };
  });
}

const valid: Array<[string, Snapshot]> = [
  ['healthy OpenSearch domain (no RoleMappings at all is not a mismatch)', fgac],
  ['healthy custom endpoint', custom],
  ['healthy legacy Elasticsearch domain', legacy],
  ['healthy token-based mapping', groups],
  ['GovCloud token-based mapping', govCloud(groups)],
  ['Rules that hand out every group role', rulesOn(groups, [ADMIN, READER])],
  [
    'groups without roles and no mapping',
    variant(groups, (s) => {
      delete s.identityPoolRoles!.RoleMappings;
      for (const g of s.userPoolGroups!) delete g.RoleArn;
    }),
  ],
  [
    'mappings for a social, an OIDC and a SAML provider the pool has',
    variant(groups, (s) => {
      s.identityPool!.SupportedLoginProviders = { 'accounts.google.com': '1234.apps.googleusercontent.com' };
      s.identityPool!.OpenIdConnectProviderARNs = ['arn:aws:iam::123456789012:oidc-provider/login.example.com/oidc'];
      s.identityPool!.SamlProviderARNs = ['arn:aws:iam::123456789012:saml-provider/CorpIdP'];
      Object.assign(s.identityPoolRoles!.RoleMappings!, {
        'accounts.google.com': { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
        'login.example.com/oidc': { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
        'arn:aws:iam::123456789012:saml-provider/CorpIdP': { Type: 'Token', AmbiguousRoleResolution: 'Deny' },
      });
    }),
  ],
  [
    'a second provider of the same pool with its own mapping',
    variant(groups, (s) => {
      s.identityPool!.CognitoIdentityProviders!.push({ ProviderName: PROVIDER, ClientId: OLD_CID, ServerSideTokenCheck: true });
      s.identityPoolRoles!.RoleMappings![OLD_KEY] = { Type: 'Token', AmbiguousRoleResolution: 'Deny' };
    }),
  ],
  ['no OpenSearch client (opensearch-app-client-deleted-or-bypassed reports it)', variant(groups, (s) => (s.userPoolClients = []))],
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
  findings: Array<{ id: string; severity: 'error' | 'warning'; evidence: Record<string, unknown>; message?: RegExp }>;
}

const invalid: Invalid[] = [
  {
    name: 'mapping keyed on an old client id (fixture)',
    snapshot: loadFixture(`fail/${MISMATCH}.json`),
    findings: [
      {
        id: MISMATCH,
        severity: 'error',
        evidence: { mappingKey: OLD_KEY, openSearchKey: OS_KEY },
        message: /names app client 6t1m4p8r2v5x9b3d7f0h2k6n8q, which is not a provider/,
      },
    ],
  },
  {
    name: 'token mapping on an old client id with group roles (fixture)',
    snapshot: loadFixture(`fail/${MISMATCH}--with-groups.json`),
    findings: [
      { id: MISMATCH, severity: 'error', evidence: { mappingKey: OLD_KEY } },
      { id: IGNORED, severity: 'error', evidence: { openSearchKey: OS_KEY, mapping: null, otherMappingKeys: [OLD_KEY] } },
    ],
  },
  {
    name: 'stale mapping of a removed provider, Dashboards mapping fine: a warning (fixture)',
    snapshot: loadFixture(`fail/${MISMATCH}--stale-provider.json`),
    findings: [
      {
        id: MISMATCH,
        severity: 'warning',
        evidence: { mappingKey: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pq9RtV2wB:6t1m4p8r2v5x9b3d7f0h2k6n8q' },
        message: /matches no provider configured/,
      },
    ],
  },
  {
    name: 'a social-provider mapping whose provider was removed: a warning',
    snapshot: variant(
      groups,
      (s) => (s.identityPoolRoles!.RoleMappings!['graph.facebook.com'] = { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' }),
    ),
    findings: [{ id: MISMATCH, severity: 'warning', evidence: { mappingKey: 'graph.facebook.com' } }],
  },
  {
    name: 'the OpenSearch provider was removed but its mapping stayed',
    snapshot: variant(groups, (s) => (s.identityPool!.CognitoIdentityProviders = [])),
    findings: [{ id: MISMATCH, severity: 'error', evidence: { mappingKey: OS_KEY }, message: /no longer lists that client as a provider/ }],
  },
  {
    name: 'group roles and no mapping (fixture)',
    snapshot: loadFixture(`fail/${IGNORED}.json`),
    findings: [
      {
        id: IGNORED,
        severity: 'error',
        evidence: {
          ignoredGroups: [
            { GroupName: 'dashboards-admins', RoleArn: ADMIN, Precedence: 1 },
            { GroupName: 'dashboards-readers', RoleArn: READER, Precedence: 10 },
          ],
        },
        message: /Groups dashboards-admins, dashboards-readers carry roles/,
      },
    ],
  },
  {
    name: 'Rules that leave out the reader group role',
    snapshot: rulesOn(groups, [ADMIN]),
    findings: [
      {
        id: IGNORED,
        severity: 'error',
        evidence: { ignoredGroups: [{ GroupName: 'dashboards-readers', RoleArn: READER, Precedence: 10 }] },
        message: /is Type Rules, so the roles of group dashboards-readers/,
      },
    ],
  },
  {
    name: 'one role group on a domain without a mapping',
    snapshot: variant(fgac, (s) => (s.userPoolGroups = [{ GroupName: 'dashboards-admins', UserPoolId: UP, RoleArn: ADMIN, Precedence: 1 }])),
    findings: [{ id: IGNORED, severity: 'error', evidence: {}, message: /^Group dashboards-admins carries a role/ }],
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
      expect(got.resource).toBe(POOL_ARN);
      expect(got.evidence).toMatchObject(want.evidence);
      if (want.message) expect(got.message).toMatch(want.message);
    }
  });
});

describe(`${CHECK}: fixes keep every other mapping`, () => {
  it('a mapping on an old client is moved to the OpenSearch key', () => {
    const commands = runCheck(CHECK, loadFixture(`fail/${MISMATCH}.json`)).findings[0]!.fix.commands!;
    expect(commands[0]).toBe(`aws cognito-identity get-identity-pool-roles --region eu-west-1 --identity-pool-id ${IP} > identity-pool-roles.json`);
    expect(commands[1]).toContain(`--argjson from '"${OLD_KEY}"' --argjson to '"${OS_KEY}"'`);
    expect(commands[1]).toContain(`'.RoleMappings[$to] = .RoleMappings[$from] | del(.RoleMappings[$from])'`);
    expect(commands[2]).toBe('aws cognito-identity set-identity-pool-roles --region eu-west-1 --cli-input-json file://identity-pool-roles-fixed.json');
  });

  it('a stale mapping is deleted, nothing else', () => {
    const commands = runCheck(CHECK, loadFixture(`fail/${MISMATCH}--stale-provider.json`)).findings[0]!.fix.commands!;
    expect(commands[1]).toContain(`'del(.RoleMappings[$from])'`);
  });

  it('a removed OpenSearch provider is added back to the identity pool', () => {
    const commands = runCheck(
      CHECK,
      variant(groups, (s) => (s.identityPool!.CognitoIdentityProviders = [])),
    ).findings[0]!.fix.commands!;
    expect(commands[0]).toContain('describe-identity-pool');
    expect(commands[1]).toContain(`"ClientId":"${CID}"`);
  });

  it('ignored group roles: Type Token on the OpenSearch key, merged into the existing mappings', () => {
    const [finding] = runCheck(CHECK, loadFixture(`fail/${IGNORED}.json`)).findings;
    expect(finding!.fix.commands![1]).toContain(`--argjson key '"${OS_KEY}"'`);
    expect(finding!.fix.commands![1]).toContain('.RoleMappings = ((.RoleMappings // {}) | .[$key] = ');
    expect(finding!.fix.commands![1]).toContain('.Type = "Token"');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('GetIdentityPoolRoles denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.identityPoolRoles;
        s.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: IP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-identity:GetIdentityPoolRoles');
  });

  it('ListUserPoolClients denied → unknown (the OpenSearch key is unknown)', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture(`fail/${IGNORED}.json`), (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListUserPoolClients');
  });

  it('ListUserPoolClients denied does not hide a key that matches no provider', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture(`fail/${MISMATCH}.json`), (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([MISMATCH]);
    expect(r.findings[0]!.severity).toBe('error');
  });

  it('ListGroups denied with a Token mapping for the OpenSearch client → pass (the groups cannot be ignored)', () => {
    const r = runCheck(
      CHECK,
      variant(groups, (s) => {
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('pass');
  });

  it('ListGroups denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.userPoolGroups;
        s.errors = [{ operation: 'cognito-idp:ListGroups', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListGroups');
  });
});

describe(`${CHECK}: problems`, () => {
  it('what a key that applies to nothing is keyed on tells the three cases apart', () => {
    const keyedOn = (snapshot: Snapshot) =>
      problemsOf(roleMappingProvider, snapshot)
        .filter((p) => p.mode === MISMATCH)
        .map((p) => (p.data as { keyedOn: string }).keyedOn);
    expect(keyedOn(loadFixture(`fail/${MISMATCH}.json`))).toEqual(['otherClient']);
    expect(
      keyedOn(
        variant(groups, (s) => (s.identityPoolRoles!.RoleMappings!['graph.facebook.com'] = { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' })),
      ),
    ).toEqual(['otherProvider']);
    expect(keyedOn(variant(groups, (s) => (s.identityPool!.CognitoIdentityProviders = [])))).toEqual(['openSearchProviderGone']);
  });

  it('a mapping on an old client, with none on the OpenSearch key, is to be moved there', () => {
    const [problem] = problemsOf(roleMappingProvider, loadFixture(`fail/${MISMATCH}.json`));
    expect(problem).toMatchObject({ mode: MISMATCH, severity: 'error', data: { mappingKey: OLD_KEY, moveTo: OS_KEY, openSearchClientId: CID } });
  });

  it('Rules that leave out a group role: the ignored groups and the mapping, whose rules the fix keeps', () => {
    const [problem] = problemsOf(roleMappingProvider, rulesOn(groups, [ADMIN]));
    expect(problem).toMatchObject({
      mode: IGNORED,
      data: { openSearchKey: OS_KEY, mapping: { Type: 'Rules' }, ignoredGroups: [{ GroupName: 'dashboards-readers', RoleArn: READER }] },
    });
  });
});
