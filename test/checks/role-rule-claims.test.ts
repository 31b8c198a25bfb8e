import { describe, expect, it } from 'vitest';
import type { Snapshot, UserPoolClientType } from '../../src/index.js';
import roleRuleClaims from '../../checks/role-rule-claims.js';
import { problemsOf } from '../../src/testing.js';
import { loadFixture, runCheck, variant } from '../helpers.js';
import { fgac, groups, IP, OS_KEY, UP } from './identity-helpers.js';

const CHECK = 'role-rule-claims';
const ID = 'role-rules-on-mutable-claims';
const SPA_ID = '7c3e9g1j5l7n9p1r3t5v7x9z1b';
const fixture = loadFixture('fail/role-rules-on-mutable-claims.json');
const signUp = loadFixture('fail/role-rules-on-mutable-claims--sign-up.json');

const spa = (s: Snapshot): UserPoolClientType => s.userPoolClients!.find((c) => c.ClientId === SPA_ID)!;
const rule = (s: Snapshot, index = 0) => s.identityPoolRoles!.RoleMappings![OS_KEY]!.RulesConfiguration!.Rules![index]!;

const valid: Array<[string, Snapshot]> = [
  ['healthy: no rule-based mapping', fgac],
  ['healthy token groups', groups],
  ['NotEqual on custom:team with only the confidential OpenSearch client', loadFixture('fail/rules-mapping-no-match--not-equal.json')],
  ['the rule tests cognito:groups (administrators set it)', variant(fixture, (s) => (rule(s).Claim = 'cognito:groups'))],
  ["the public client's WriteAttributes leaves the attribute out", variant(fixture, (s) => (spa(s).WriteAttributes = ['email', 'name']))],
  ['the other client is confidential (its backend decides what users change)', variant(fixture, (s) => (spa(s).ClientSecret = '<redacted>'))],
  ['the public client has no user sign-in flow and no OAuth', variant(fixture, (s) => (spa(s).ExplicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH']))],
  [
    'public code flow without the aws.cognito.signin.user.admin scope',
    variant(fixture, (s) => {
      Object.assign(spa(s), {
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
      });
    }),
  ],
  [
    'an immutable attribute, self sign-up off',
    variant(fixture, (s) => (s.userPool!.SchemaAttributes!.find((a) => a.Name === 'custom:department')!.Mutable = false)),
  ],
  ['self sign-up on, immutable attribute, but the only writer is confidential', variant(signUp, (s) => (spa(s).ClientSecret = '<redacted>'))],
  [
    'email must be verified before an update takes effect',
    variant(fixture, (s) => {
      rule(s).Claim = 'email';
      rule(s).MatchType = 'Equals';
      rule(s).Value = 'lead@example.com';
      s.userPool!.UserAttributeUpdateSettings = { AttributesRequireVerificationBeforeUpdate: ['email'] };
    }),
  ],
  ['a rule on a claim that is no attribute (rules-mapping-no-match reports it)', variant(fixture, (s) => (rule(s).Claim = 'department'))],
  [
    'a mapping for another client is not the Dashboards one',
    variant(fixture, (s) => {
      const mappings = s.identityPoolRoles!.RoleMappings!;
      mappings[`cognito-idp.eu-west-1.amazonaws.com/${UP}:${SPA_ID}`] = mappings[OS_KEY]!;
      delete mappings[OS_KEY];
      s.identityPool!.CognitoIdentityProviders!.push({
        ProviderName: `cognito-idp.eu-west-1.amazonaws.com/${UP}`,
        ClientId: SPA_ID,
        ServerSideTokenCheck: false,
      });
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

describe(`${CHECK}: fires`, () => {
  it.each([
    ['SRP sign-in on a public client, default WriteAttributes (fixture)', fixture, [{ clientId: SPA_ID, how: 'UpdateUserAttributes' }]],
    ['self sign-up through a public client, immutable attribute (fixture)', signUp, [{ clientId: SPA_ID, how: 'SignUp' }]],
    [
      'ExplicitAuthFlows absent on a public client (the defaults include SRP)',
      variant(fixture, (s) => delete spa(s).ExplicitAuthFlows),
      [{ clientId: SPA_ID, how: 'UpdateUserAttributes' }],
    ],
    [
      'implicit flow handing out the admin scope, even with a secret',
      variant(fixture, (s) =>
        Object.assign(spa(s), {
          ClientSecret: '<redacted>',
          ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['implicit'],
          AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
        }),
      ),
      [{ clientId: SPA_ID, how: 'UpdateUserAttributes' }],
    ],
    [
      'an email rule without verification before update',
      variant(fixture, (s) => {
        rule(s).Claim = 'email';
        rule(s).MatchType = 'Equals';
        rule(s).Value = 'lead@example.com';
      }),
      [{ clientId: SPA_ID, how: 'UpdateUserAttributes' }],
    ],
  ] as const)('%s', (_name, snapshot, paths) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('warning');
    expect(finding!.resource).toBe(`arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`);
    expect(finding!.evidence).toMatchObject({ mappingKey: OS_KEY, ruleIndex: 0, writePaths: paths.map((p) => expect.objectContaining(p)) });
  });

  it("the fix takes the attribute out of the real client's WriteAttributes", () => {
    const [finding] = runCheck(CHECK, fixture).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toContain(`--user-pool-id ${UP} --client-id ${SPA_ID}`);
    expect(commands[1]).toContain(`--argjson attribute '"custom:department"'`);
    expect(commands[1]).toContain('.WriteAttributes = ((.WriteAttributes // $default) - [$attribute])');
    expect(finding!.fix.summary).toContain('cognito:groups');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListUserPoolClients denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fixture, (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListUserPoolClients');
  });

  it('DescribeUserPool denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fixture, (s) => {
        delete s.userPool;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
  });
});

describe(`${CHECK}: the fix never takes away write access an identity provider needs`, () => {
  const PROVIDER = {
    UserPoolId: UP,
    ProviderName: 'CorpEntraID',
    ProviderType: 'SAML' as const,
    AttributeMapping: {
      email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      'custom:department': 'http://schemas.microsoft.com/ws/2008/06/identity/claims/department',
    },
  };
  const federated = (mapsDepartment: boolean | 'not read') =>
    variant(fixture, (s) => {
      spa(s).SupportedIdentityProviders = ['COGNITO', 'CorpEntraID'];
      if (mapsDepartment === 'not read') delete s.identityProviders;
      else s.identityProviders = [mapsDepartment ? PROVIDER : { ...PROVIDER, AttributeMapping: { email: PROVIDER.AttributeMapping.email } }];
    });

  it('a client whose identity provider maps the claim keeps it writable: no command removes it there', () => {
    const r = runCheck(CHECK, federated(true));
    expect(r.ids).toEqual([ID]);
    const fix = r.findings[0]!.fix;
    expect(fix.commands).toEqual([]);
    expect(fix.summary).toMatch(
      /^Match rule 1 on cognito:groups .*: custom:department must stay writable on 7c3e9g1j5l7n9p1r3t5v7x9z1b, because an identity provider there maps it/,
    );
  });

  it('identity providers not read: the client is kept writable too, never a guess that breaks sign-in', () => {
    expect(runCheck(CHECK, federated('not read')).findings[0]!.fix.commands).toEqual([]);
  });

  it('which clients the claim comes out of, and which keep it for an identity provider', () => {
    const split = (snapshot: Snapshot) =>
      problemsOf(roleRuleClaims, snapshot).map((p) => ({
        removableFrom: (p.data as { removableFrom: string[] }).removableFrom,
        federatedWriters: (p.data as { federatedWriters: string[] }).federatedWriters,
      }));
    expect(split(federated(true))).toEqual([{ removableFrom: [], federatedWriters: [SPA_ID] }]);
    expect(split(federated(false))).toEqual([{ removableFrom: [SPA_ID], federatedWriters: [] }]);
  });

  it('a provider that maps other attributes only: the command removes the claim as before', () => {
    const fix = runCheck(CHECK, federated(false)).findings[0]!.fix;
    expect(fix.commands!.join('\n')).toContain(`--client-id ${SPA_ID}`);
  });
});
