import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, report, runCheck, variant } from '../helpers.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/idp-attribute-mapping.js';

const CHECK = 'idp-attribute-mapping';
const ID = 'federated-attribute-mapping-error';
const UP = 'eu-west-1_Xk2LmQp7A';
const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const fgac = loadFixture('healthy/opensearch-fgac.json');

type Provider = NonNullable<Snapshot['identityProviders']>[number];

function provider(name: string, type: string, mapping: Record<string, string>, pool = UP): Provider {
  return { UserPoolId: pool, ProviderName: name, ProviderType: type as Provider['ProviderType'], ProviderDetails: {}, AttributeMapping: mapping };
}

/** The healthy pool with `providers` configured and offered on the OpenSearch client. */
function federated(providers: Provider[], edit: (s: Snapshot) => void = () => {}, onClient = providers.map((p) => p.ProviderName!)): Snapshot {
  return variant(fgac, (s) => {
    s.identityProviders = providers;
    s.userPoolClients![0]!.SupportedIdentityProviders = ['COGNITO', ...onClient];
    edit(s);
  });
}

const customAttribute = (name: string, mutable = true) => ({
  Name: name,
  AttributeDataType: 'String' as const,
  DeveloperOnlyAttribute: false,
  Mutable: mutable,
  Required: false,
});

const valid: Array<[string, Snapshot, string]> = [
  ['healthy: no identity provider on the client', fgac, 'pass'],
  ['healthy legacy domain', loadFixture('healthy/legacy-es-kibana.json'), 'pass'],
  ['healthy token groups', loadFixture('healthy/token-groups.json'), 'pass'],
  [
    'a provider on the client, providers not collected',
    variant(fgac, (s) => (s.userPoolClients![0]!.SupportedIdentityProviders = ['COGNITO', 'CorpEntraID'])),
    'not-evaluated',
  ],
  ['SAML mapping email from the emailaddress claim', federated([provider('CorpEntraID', 'SAML', { email: `${CLAIMS}/emailaddress` })]), 'pass'],
  ['OIDC mapping username from sub (allowed for OIDC)', federated([provider('CorpOkta', 'OIDC', { username: 'sub', email: 'email' })]), 'pass'],
  ['Google mapping username from sub', federated([provider('Google', 'Google', { email: 'email', username: 'sub', name: 'name' })]), 'pass'],
  [
    'a mutable custom attribute mapped with its custom: prefix',
    federated([provider('CorpEntraID', 'SAML', { email: `${CLAIMS}/emailaddress`, 'custom:department': 'department' })], (s) =>
      s.userPool!.SchemaAttributes!.push(customAttribute('custom:department')),
    ),
    'pass',
  ],
  [
    'a standard attribute the (trimmed) SchemaAttributes does not list',
    federated([provider('CorpEntraID', 'SAML', { email: `${CLAIMS}/emailaddress`, given_name: `${CLAIMS}/givenname` })]),
    'pass',
  ],
  [
    'WriteAttributes set and covering every mapped attribute',
    federated(
      [provider('CorpEntraID', 'SAML', { email: `${CLAIMS}/emailaddress`, name: `${CLAIMS}/name` })],
      (s) => (s.userPoolClients![0]!.WriteAttributes = ['email', 'name']),
    ),
    'pass',
  ],
  ['a broken provider that the OpenSearch client does not offer', federated([provider('Legacy', 'SAML', { department: 'x' })], () => {}, []), 'pass'],
  [
    'a broken provider of another pool with the same name',
    federated([
      provider('CorpEntraID', 'SAML', { department: 'x' }, 'eu-west-1_Ab9Cd8Ef7'),
      provider('CorpEntraID', 'SAML', { email: `${CLAIMS}/emailaddress` }),
    ]),
    'pass',
  ],
  ['the OpenSearch client is gone (opensearch-app-client reports it)', loadFixture('fail/opensearch-app-client-deleted-or-bypassed.json'), 'pass'],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe(status);
  });

  it('not evaluated names the reads that would collect the providers', () => {
    const r = runCheck(CHECK, valid[3]![1]);
    expect(r.reason).toContain('cognito-idp:ListIdentityProviders');
  });
});

const invalid: Array<{ name: string; snapshot: Snapshot; problems: Array<Record<string, unknown>> }> = [
  {
    name: 'custom attribute mapped without custom: (fixture)',
    snapshot: loadFixture('fail/federated-attribute-mapping-error.json'),
    problems: [{ attribute: 'department', kind: 'not-in-schema', suggestion: 'custom:department' }],
  },
  {
    name: 'immutable target (fixture)',
    snapshot: loadFixture('fail/federated-attribute-mapping-error--immutable.json'),
    problems: [{ attribute: 'custom:employee_id', kind: 'immutable' }],
  },
  {
    name: 'username on a SAML provider (fixture)',
    snapshot: loadFixture('fail/federated-attribute-mapping-error--saml-username.json'),
    problems: [{ attribute: 'username', kind: 'not-in-schema', suggestion: 'preferred_username' }],
  },
  {
    name: 'required email not mapped (fixture)',
    snapshot: loadFixture('fail/federated-attribute-mapping-error--required-not-mapped.json'),
    problems: [{ attribute: 'email', kind: 'required-not-mapped' }],
  },
  {
    name: 'mapped attribute not in WriteAttributes (fixture)',
    snapshot: loadFixture('fail/federated-attribute-mapping-error--write-attributes.json'),
    problems: [{ attribute: 'name', kind: 'not-writable' }],
  },
  {
    name: 'custom attribute the pool does not have',
    snapshot: federated([provider('CorpEntraID', 'SAML', { email: `${CLAIMS}/emailaddress`, 'custom:x': 'x' })]),
    problems: [{ attribute: 'custom:x', kind: 'not-in-schema' }],
  },
  {
    name: 'wrong case of a standard attribute',
    snapshot: federated([provider('CorpOkta', 'OIDC', { Email: 'email', email: 'email' })]),
    problems: [{ attribute: 'Email', kind: 'not-in-schema', suggestion: 'email' }],
  },
  {
    name: 'sub as target (immutable)',
    snapshot: federated([provider('CorpOkta', 'OIDC', { email: 'email', sub: 'sub' })]),
    problems: [{ attribute: 'sub', kind: 'immutable' }],
  },
  {
    name: 'a developer-only attribute',
    snapshot: federated([provider('CorpOkta', 'OIDC', { email: 'email', 'dev:custom:tier': 'tier' })], (s) =>
      s.userPool!.SchemaAttributes!.push({ ...customAttribute('dev:custom:tier'), DeveloperOnlyAttribute: true }),
    ),
    problems: [{ attribute: 'dev:custom:tier', kind: 'not-writable' }],
  },
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = runCheck(CHECK, c.snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('error');
    expect(finding!.resource).toBe(`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`);
    expect(finding!.evidence['problems']).toEqual(c.problems.map((p) => expect.objectContaining(p)));
  });

  it('the message names the provider and every problem of its mapping', () => {
    expect(runCheck(CHECK, loadFixture('fail/federated-attribute-mapping-error--required-not-mapped.json')).findings[0]!.message).toMatch(
      /^Users of the OIDC identity provider \S+ cannot sign in to Dashboards: .*email/,
    );
  });

  it('one finding per broken provider on the client', () => {
    const r = runCheck(CHECK, federated([provider('A', 'SAML', { department: 'd' }), provider('B', 'OIDC', { name: 'name' })]));
    expect(r.findings.map((f) => f.evidence['provider']).sort()).toEqual(['A', 'B']);
  });

  it('the fix round-trips the provider with the corrected mapping', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/federated-attribute-mapping-error.json')).findings;
    const commands = finding!.fix.commands!;
    expect(commands[0]).toBe(
      `aws cognito-idp describe-identity-provider --region eu-west-1 --user-pool-id ${UP} --provider-name CorpEntraID --query IdentityProvider > identity-provider.json`,
    );
    expect(commands[1]).toContain('"custom:department":"http://schemas.microsoft.com/ws/2008/06/identity/claims/department"');
    expect(commands[1]).not.toContain('"department":');
    expect(commands[2]).toBe('aws cognito-idp update-identity-provider --region eu-west-1 --cli-input-json file://identity-provider-fixed.json');
  });

  it('OIDC: the fix maps the required attribute from the claim of the same name', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/federated-attribute-mapping-error--required-not-mapped.json')).findings;
    expect(finding!.fix.commands![1]).toContain(`'{"email":"email","name":"name","username":"sub"}'`);
  });

  it('SAML: a required attribute has no command, the step says what to map', () => {
    const [finding] = runCheck(CHECK, federated([provider('CorpEntraID', 'SAML', { name: `${CLAIMS}/name` })])).findings;
    expect(finding!.fix.commands).toBeUndefined();
    expect(finding!.fix.steps!.join(' ')).toContain('emailaddress');
  });

  it('WriteAttributes: the fix round-trips the real client', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/federated-attribute-mapping-error--write-attributes.json')).findings;
    expect(finding!.fix.commands![0]).toContain(`--user-pool-id ${UP} --client-id ${CID}`);
    expect(finding!.fix.commands![1]).toContain(`--argjson attributes '["name"]'`);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('ListIdentityProviders denied → unknown, naming the permission', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.userPoolClients![0]!.SupportedIdentityProviders = ['COGNITO', 'CorpEntraID'];
        s.errors = [{ operation: 'cognito-idp:ListIdentityProviders', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:ListIdentityProviders');
  });

  it('DescribeUserPool denied → unknown', () => {
    const r = runCheck(
      CHECK,
      federated([provider('CorpEntraID', 'SAML', { department: 'd' })], (s) => {
        delete s.userPool;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: UP, code: 'AccessDeniedException' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('cognito-idp:DescribeUserPool');
  });
});

describe('fixes that agree with each other (catalog D3)', () => {
  const snapshot = loadFixture('fail/federated-attribute-mapping-error--rule-needs-it.json');
  const findings = report(snapshot).findings;
  const ADD_TEAM = `aws cognito-idp add-custom-attributes --region eu-west-1 --user-pool-id eu-west-1_Xk2LmQp7A --custom-attributes '[{"Name":"team","AttributeDataType":"String","Mutable":true}]'`;

  it('a mapping to a custom: attribute the pool lacks: the fix adds the attribute and keeps the mapping', () => {
    const fix = findings.find((f) => f.id === 'federated-attribute-mapping-error')!.fix;
    expect(fix.commands).toEqual([ADD_TEAM]);
    expect(fix.summary).toBe("Add custom:team to eu-west-1_Xk2LmQp7A as mutable custom attribute, keeping the provider's mapping to it.");
  });

  it('the rule that tests that attribute gets the same fix, naming the provider that fills it', () => {
    const fix = findings.find((f) => f.id === 'rules-mapping-no-match')!.fix;
    expect(fix.commands).toEqual([ADD_TEAM]);
    expect(fix.summary).toContain('the attribute mapping of CorpEntraID already fills it');
  });

  it('no fix drops the mapping or the rules the other findings need', () => {
    const commands = findings.flatMap((f) => f.fix.commands ?? []);
    expect(commands.filter((c) => c.includes('update-identity-provider') || c.includes('.AttributeMapping ='))).toEqual([]);
    expect(commands.filter((c) => c.includes('del(.RulesConfiguration)'))).toEqual([]);
    const ignored = findings.find((f) => f.id === 'group-roles-ignored')!.fix;
    expect(ignored.commands).toBeUndefined();
    expect(ignored.summary).toMatch(/^Keep the 1 rule of .* and add one for each ignored group/);
  });

  it('the attribute to add is data, the mapping left as it is', () => {
    const [problem] = problemsOf(check, snapshot);
    expect(problem).toMatchObject({
      mode: 'federated-attribute-mapping-error',
      data: { provider: 'CorpEntraID', addedAttributes: ['custom:team'], unwritable: [] },
    });
    expect(problem!.data).not.toHaveProperty('correctedMapping');
  });

  it('a custom attribute name Cognito would refuse (longer than 20 characters) is unmapped as before', () => {
    const long = variant(snapshot, (s) => {
      s.identityProviders![0]!.AttributeMapping = {
        email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
        'custom:a-very-long-attribute-name': 'groups',
      };
    });
    expect(problemsOf(check, long)).toMatchObject([
      { data: { addedAttributes: [], correctedMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' } } },
    ]);
    const fix = report(long).findings.find((f) => f.id === 'federated-attribute-mapping-error')!.fix;
    expect(fix.commands!.join('\n')).not.toContain('add-custom-attributes');
    expect(fix.commands!.join('\n')).toContain('.AttributeMapping = $mapping');
  });
});
