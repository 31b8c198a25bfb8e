import { describe, expect, it } from 'vitest';
import type { RolePolicies, Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'cognito-access-role-permissions';
const ID = 'cognito-access-role-missing-permissions';
const ROLE = 'arn:aws:iam::123456789012:role/service-role/CognitoAccessForAmazonOpenSearch';
const UP = 'eu-west-1_Xk2LmQp7A';
const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
const UP_ARN = `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${UP}`;
const IP_ARN = `arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/${IP}`;
const MANAGED = 'arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess';
const fgac = loadFixture('healthy/opensearch-fgac.json');

const USER_POOL_ACTIONS = [
  'cognito-idp:DescribeUserPool',
  'cognito-idp:CreateUserPoolClient',
  'cognito-idp:DeleteUserPoolClient',
  'cognito-idp:UpdateUserPoolClient',
  'cognito-idp:DescribeUserPoolClient',
  'cognito-idp:AdminInitiateAuth',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:ListUserPoolClients',
];
const IDENTITY_POOL_ACTIONS = ['cognito-identity:DescribeIdentityPool', 'cognito-identity:UpdateIdentityPool', 'cognito-identity:GetIdentityPoolRoles'];
const PASS_ROLE = {
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: 'arn:aws:iam::123456789012:role/*',
  Condition: { StringEquals: { 'iam:PassedToService': 'cognito-identity.amazonaws.com' } },
};

/** The service role with exactly these policies. */
function withPolicies(policies: RolePolicies, base: Snapshot = fgac): Snapshot {
  return variant(base, (s) => (s.rolePolicies![ROLE] = policies));
}
const inline = (...Statement: unknown[]) => ({ PolicyName: 'cognito-access', PolicyDocument: { Version: '2012-10-17', Statement } });
const exact = { Effect: 'Allow', Action: [...USER_POOL_ACTIONS, ...IDENTITY_POOL_ACTIONS], Resource: [UP_ARN, IP_ARN] };

const valid: Array<[string, Snapshot]> = [
  ['the managed policy with its document (healthy fixture)', fgac],
  [
    'the managed policy recorded without its document, as the collector does',
    withPolicies({ attached: [{ PolicyArn: MANAGED, PolicyName: 'AmazonOpenSearchServiceCognitoAccess' }], inline: [] }),
  ],
  ['legacy AmazonESCognitoAccess on CognitoAccessForAmazonES', loadFixture('healthy/legacy-es-kibana.json')],
  ['legacy managed policy without its document', withPolicies({ attached: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonESCognitoAccess' }] })],
  ['every new optional part (healthy managed login)', loadFixture('healthy/managed-login.json')],
  ['a hand-written inline policy with every action on the two pools (object)', withPolicies({ attached: [], inline: [inline(exact, PASS_ROLE)] })],
  [
    'the same inline policy URL-encoded, as GetRolePolicy returns it',
    withPolicies({
      attached: [],
      inline: [{ PolicyName: 'cognito-access', PolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [exact, PASS_ROLE] })) }],
    }),
  ],
  [
    'wildcards: cognito-idp:* and cognito-identity:* on every pool of the account',
    withPolicies({
      inline: [
        inline({
          Effect: 'Allow',
          Action: ['cognito-idp:*', 'cognito-identity:*', 'iam:PassRole'],
          Resource: ['arn:aws:cognito-idp:*:123456789012:userpool/*', 'arn:aws:cognito-identity:*:123456789012:identitypool/*', '*'],
        }),
      ],
    }),
  ],
  [
    'a customer managed policy as a JSON string, single strings instead of lists',
    withPolicies({
      attached: [
        {
          PolicyArn: 'arn:aws:iam::123456789012:policy/os-cognito',
          Document: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 'cognito-idp:*', Resource: UP_ARN },
              { Effect: 'Allow', Action: 'cognito-identity:*', Resource: IP_ARN },
              { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
            ],
          }),
        },
      ],
      inline: [],
    }),
  ],
  [
    'a condition on the Region the pools live in',
    withPolicies({ inline: [inline({ ...exact, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }, PASS_ROLE)] }),
  ],
  [
    'an unrelated Deny (es:ESHttpDelete)',
    withPolicies({ attached: [{ PolicyArn: MANAGED }], inline: [inline({ Effect: 'Deny', Action: 'es:ESHttpDelete', Resource: '*' })] }),
  ],
  [
    'the role is also the authenticated role: role confusion is cognito-access-role-untrusted',
    loadFixture('fail/cognito-access-role-untrusted--role-confusion.json'),
  ],
  ['the role does not exist: cognito-access-role-untrusted', loadFixture('fail/cognito-access-role-untrusted--no-such-role.json')],
  ['Cognito off', loadFixture('fail/dashboards-auth-missing.json')],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(['pass', 'not-applicable']).toContain(r.status);
  });

  it('ListGroups denied does not matter: the service role trusts only OpenSearch Service, so no group hands it out', () => {
    const s = variant(loadFixture('healthy/token-groups.json'), (x) => {
      delete x.userPoolGroups;
      x.errors = [
        ...(x.errors ?? []),
        { operation: 'cognito-idp:ListGroups', resource: x.domain.CognitoOptions!.UserPoolId!, code: 'AccessDeniedException', message: 'no' },
      ];
    });
    expect(runCheck(CHECK, s)).toMatchObject({ status: 'pass', ids: [] });
  });

  it('ListGroups denied and a role that misses permissions: the finding is reported, not unknown', () => {
    const s = variant(loadFixture(`fail/${ID}.json`), (x) => {
      x.errors = [
        ...(x.errors ?? []),
        { operation: 'cognito-idp:ListGroups', resource: x.domain.CognitoOptions!.UserPoolId!, code: 'AccessDeniedException', message: 'no' },
      ];
    });
    expect(runCheck(CHECK, s)).toMatchObject({ status: 'fail', ids: [ID] });
  });

  it('role confusion is left to the trust check', () => {
    expect(runCheck('cognito-access-role-trust', loadFixture('fail/cognito-access-role-untrusted--role-confusion.json')).ids).toEqual([
      'cognito-access-role-untrusted',
    ]);
  });
});

const invalid: Array<[string, Snapshot, 'error' | 'warning', string[], Record<string, unknown>]> = [
  [
    "inline policy from the guide's prose: SetIdentityPoolRoles instead of UpdateIdentityPool, no UpdateUserPoolClient (fixture)",
    loadFixture('fail/cognito-access-role-missing-permissions.json'),
    'error',
    ['cognito-idp:UpdateUserPoolClient', 'cognito-identity:UpdateIdentityPool'],
    { inlinePolicies: ['opensearch-cognito-access'], attachedPolicies: [] },
  ],
  [
    'cognito-idp:* scoped to the es domain ARN (hedge#237, fixture)',
    loadFixture('fail/cognito-access-role-missing-permissions--domain-arn.json'),
    'error',
    [...USER_POOL_ACTIONS, ...IDENTITY_POOL_ACTIONS],
    {
      grantedOnOtherResources: expect.arrayContaining([
        { action: 'cognito-idp:CreateUserPoolClient', policy: 'opensearch-cognito', resources: 'arn:aws:es:eu-west-1:123456789012:domain/logs-prod/*' },
      ]),
    },
  ],
  [
    'a permissions boundary that allows no Cognito action (fixture)',
    loadFixture('fail/cognito-access-role-missing-permissions--boundary.json'),
    'error',
    [...USER_POOL_ACTIONS, ...IDENTITY_POOL_ACTIONS],
    { permissionsBoundary: 'arn:aws:iam::123456789012:policy/org-service-role-boundary' },
  ],
  ['no policy at all', withPolicies({ attached: [], inline: [] }), 'error', [...USER_POOL_ACTIONS, ...IDENTITY_POOL_ACTIONS, 'iam:PassRole'], {}],
  [
    'the managed policy, cut by an inline Deny on DeleteUserPoolClient',
    withPolicies({ attached: [{ PolicyArn: MANAGED }], inline: [inline({ Effect: 'Deny', Action: 'cognito-idp:Delete*', Resource: '*' })] }),
    'error',
    ['cognito-idp:DeleteUserPoolClient'],
    {
      notAllowed: [
        expect.objectContaining({
          action: 'cognito-idp:DeleteUserPoolClient',
          deniedBy: expect.objectContaining({ source: 'identity', policy: 'cognito-access' }),
        }),
      ],
    },
  ],
  ['only iam:PassRole missing: a warning', withPolicies({ inline: [inline(exact)] }), 'warning', ['iam:PassRole'], {}],
  [
    'PassRole only to another service',
    withPolicies({ inline: [inline(exact, { ...PASS_ROLE, Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } })] }),
    'warning',
    ['iam:PassRole'],
    {},
  ],
  [
    'the pools of another Region',
    withPolicies({
      inline: [
        inline(
          { ...exact, Resource: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/*', 'arn:aws:cognito-identity:us-east-1:123456789012:identitypool/*'] },
          PASS_ROLE,
        ),
      ],
    }),
    'error',
    [...USER_POOL_ACTIONS, ...IDENTITY_POOL_ACTIONS],
    {},
  ],
];

describe(`${CHECK}: fires`, () => {
  it.each(invalid)('%s', (_name, snapshot, severity, actions, evidence) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.status).toBe('fail');
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe(severity);
    expect(finding!.resource).toBe(ROLE);
    expect((finding!.evidence['notAllowed'] as Array<{ action: string }>).map((n) => n.action).sort()).toEqual([...actions].sort());
    expect(finding!.evidence).toMatchObject(evidence);
  });

  it('the message names the pools and the domain-ARN scoping', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/cognito-access-role-missing-permissions--domain-arn.json')).findings;
    expect(finding!.message).toContain(`on user pool ${UP}`);
    expect(finding!.message).toContain('arn:aws:es:eu-west-1:123456789012:domain/logs-prod/*, not on the pools');
  });

  it('the fix attaches the AWS managed policy to the real role', () => {
    const [finding] = runCheck(CHECK, loadFixture('fail/cognito-access-role-missing-permissions.json')).findings;
    expect(finding!.fix.commands).toEqual([`aws iam attach-role-policy --role-name CognitoAccessForAmazonOpenSearch --policy-arn ${MANAGED}`]);
  });

  it('with the managed policy already attached, the fix is about the Deny and attaches nothing', () => {
    const [finding] = runCheck(CHECK, invalid[4]![1]).findings;
    expect(finding!.fix.commands).toEqual([]);
    expect(finding!.fix.summary).toContain('Remove or narrow the Deny');
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('role policies not collected → not evaluated, naming the permission', () => {
    const r = runCheck(CHECK, loadFixture('partial/not-collected.json'));
    expect(r.status).toBe('not-evaluated');
    expect(r.reason).toContain('iam:ListAttachedRolePolicies');
  });

  it('ListAttachedRolePolicies denied → unknown', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        delete s.rolePolicies![ROLE];
        s.errors = [{ operation: 'iam:ListAttachedRolePolicies', resource: ROLE, code: 'AccessDenied', message: 'not authorized' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:ListAttachedRolePolicies');
  });

  it('GetRole denied: a permissions boundary may be unknown, so no pass is earned', () => {
    const r = runCheck(
      CHECK,
      variant(fgac, (s) => {
        s.roles = s.roles!.filter((role) => role.Arn !== ROLE);
        s.errors = [{ operation: 'iam:GetRole', resource: ROLE, code: 'AccessDenied' }];
      }),
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('iam:GetRole');
  });

  it('a customer managed policy without its document → unknown, not a failure', () => {
    const r = runCheck(CHECK, withPolicies({ attached: [{ PolicyArn: 'arn:aws:iam::123456789012:policy/os-cognito' }], inline: [] }));
    expect(r).toMatchObject({ status: 'unknown', ids: [] });
    expect(r.reason).toContain('arn:aws:iam::123456789012:policy/os-cognito');
  });

  it('a condition operator the evaluator does not know → unknown', () => {
    const r = runCheck(
      CHECK,
      withPolicies({ inline: [inline({ ...exact, Condition: { StringEqualsMadeUp: { 'aws:PrincipalTag/team': 'search' } } }, PASS_ROLE)] }),
    );
    expect(r).toMatchObject({ status: 'unknown', ids: [] });
  });
});
