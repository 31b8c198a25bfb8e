import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluatePolicy,
  evaluateSameAccountAccess,
  parsePolicy,
  type AccessRequest,
  type PolicyDocument,
  type Principal,
  type PrincipalMatch,
} from '../../src/policy/index.js';
import {
  ACCOUNT,
  anonymous,
  COGNITO,
  cognito,
  DASHBOARDS,
  dashboardsGet,
  DOMAIN,
  OTHER_ACCOUNT,
  OTHER_SESSION,
  policyOf,
  ROLE,
  ROOT,
  session,
  SESSION,
  USER,
} from './fixtures.js';

const user: Principal = { type: 'AWS', arn: USER };
const opensearch: Principal = { type: 'Service', id: 'opensearchservice.amazonaws.com' };

describe('principals in resource policies', () => {
  const matchFor = (element: unknown, principal: Principal, field = 'Principal'): PrincipalMatch | undefined => {
    const policy = policyOf({ Effect: 'Allow', [field]: element, Action: '*', Resource: '*' });
    return evaluatePolicy(policy, { ...dashboardsGet, principal }, 'resource').allows[0]?.principalMatch;
  };

  it.each<[string, unknown, Principal, PrincipalMatch | undefined]>([
    ['"*" matches a session', '*', session, 'wildcard'],
    ['"*" matches anonymous callers', '*', anonymous, 'wildcard'],
    ['{"AWS":"*"} matches anonymous callers', { AWS: '*' }, anonymous, 'wildcard'],
    ['{"AWS":"*"} matches federated callers', { AWS: '*' }, cognito, 'wildcard'],
    ['an account id matches a session in it', { AWS: ACCOUNT }, session, 'account'],
    ['an account id matches a user in it', { AWS: [ACCOUNT] }, user, 'account'],
    ['another account id does not match', { AWS: OTHER_ACCOUNT }, session, undefined],
    ['an account id does not match anonymous callers', { AWS: ACCOUNT }, anonymous, undefined],
    ['the account root matches a session in the account', { AWS: ROOT }, session, 'account'],
    ["another partition's root does not match", { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` }, session, undefined],
    ['a role ARN matches itself', { AWS: ROLE }, { type: 'AWS', arn: ROLE }, 'exact'],
    ['a role ARN matches its sessions', { AWS: ROLE }, session, 'session-of-role'],
    [
      'a role ARN with a path matches its sessions, whose ARN drops the path',
      { AWS: `arn:aws:iam::${ACCOUNT}:role/service-role/Cognito_AuthRole` },
      session,
      'session-of-role',
    ],
    ["a role ARN does not match other roles' sessions", { AWS: ROLE }, { type: 'AWS', arn: OTHER_SESSION }, undefined],
    ['a same-named role in another account does not match', { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/Cognito_AuthRole` }, session, undefined],
    [
      'partition variants work the same',
      { AWS: `arn:aws-us-gov:iam::${ACCOUNT}:role/Cognito_AuthRole` },
      { type: 'AWS', arn: `arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/Cognito_AuthRole/s` },
      'session-of-role',
    ],
    ['but a role does not match a session of another partition', { AWS: `arn:aws-cn:iam::${ACCOUNT}:role/Cognito_AuthRole` }, session, undefined],
    ['a session ARN matches exactly', { AWS: SESSION }, session, 'exact'],
    [
      'a session ARN does not match another session of the role',
      { AWS: SESSION },
      { type: 'AWS', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Cognito_AuthRole/other` },
      undefined,
    ],
    ['a user ARN matches exactly', { AWS: USER }, user, 'exact'],
    ['a user ARN does not match another user', { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, user, undefined],
    ['the strongest of several entries is reported', { AWS: [ROOT, ROLE] }, session, 'session-of-role'],
    ['Federated matches by id', { Federated: COGNITO }, cognito, 'exact'],
    ['Federated ids are case-insensitive', { Federated: 'Cognito-Identity.amazonaws.com' }, cognito, 'exact'],
    ['Federated accepts a list', { Federated: ['accounts.google.com', COGNITO] }, cognito, 'exact'],
    ['Federated does not match a Service with the same id', { Federated: COGNITO }, { type: 'Service', id: COGNITO }, undefined],
    ['Service matches by id', { Service: ['opensearchservice.amazonaws.com'] }, opensearch, 'exact'],
    ['Service does not match an AWS caller', { Service: 'opensearchservice.amazonaws.com' }, session, undefined],
    ['a Federated principal does not match an AWS caller', { Federated: COGNITO }, session, undefined],
  ])('%s', (_, element, principal, expected) => {
    expect(matchFor(element, principal)).toBe(expected);
  });

  it.each<[string, unknown, Principal, PrincipalMatch | undefined]>([
    ["NotPrincipal excludes the role's sessions", { AWS: ROLE }, session, undefined],
    ['NotPrincipal excludes accounts it names', { AWS: ACCOUNT }, user, undefined],
    ['NotPrincipal applies to everyone else', { AWS: ROLE }, { type: 'AWS', arn: OTHER_SESSION }, 'not-principal'],
    ['NotPrincipal applies to anonymous callers', { AWS: ROLE }, anonymous, 'not-principal'],
    ['NotPrincipal applies to federated callers it does not name', { AWS: ROLE }, cognito, 'not-principal'],
  ])('%s', (_, element, principal, expected) => {
    expect(matchFor(element, principal, 'NotPrincipal')).toBe(expected);
  });

  it('a resource-policy statement without Principal applies to no one', () => {
    const policy = policyOf({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(evaluatePolicy(policy, dashboardsGet, 'resource').decision).toBe('ImplicitDeny');
  });

  it('identity policies ignore principals: statements apply to the caller', () => {
    const policy = policyOf({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(evaluatePolicy(policy, dashboardsGet, 'identity').allows[0]?.principalMatch).toBeUndefined();
  });
});

describe('actions', () => {
  const allows = (field: 'Action' | 'NotAction', patterns: string | string[], action: string) =>
    evaluatePolicy(policyOf({ Effect: 'Allow', [field]: patterns, Resource: '*' }), { ...dashboardsGet, action }, 'identity').decision === 'Allow';

  it.each<['Action' | 'NotAction', string | string[], string, boolean]>([
    ['Action', 'es:ESHttp*', 'es:ESHttpGet', true],
    ['Action', 'es:eshttpget', 'es:ESHttpGet', true],
    ['Action', 'ES:ESHTTPGET', 'es:ESHttpGet', true],
    ['Action', 'es:ESHttpGet', 'es:ESHttpGetX', false],
    ['Action', 'es:ESHttp???', 'es:ESHttpPut', true],
    ['Action', 'es:ESHttp???', 'es:ESHttpHead', false],
    ['Action', 'sts:*', 'sts:AssumeRoleWithWebIdentity', true],
    ['Action', 'sts:*', 'es:ESHttpGet', false],
    ['Action', '*', 'es:ESHttpGet', true],
    ['Action', ['sts:AssumeRole', 'es:ESHttpGet'], 'es:ESHttpGet', true],
    ['NotAction', 'es:ESHttpDelete', 'es:ESHttpGet', true],
    ['NotAction', ['es:ESHttpDelete', 'es:ESHttp*'], 'es:ESHttpGet', false],
    ['NotAction', 'ES:*', 'es:ESHttpGet', false],
  ])('%s %j vs %s → %s', (field, patterns, action, expected) => {
    expect(allows(field, patterns, action)).toBe(expected);
  });
});

describe('resources', () => {
  const allows = (statement: object, resource: string) =>
    evaluatePolicy(policyOf({ Effect: 'Allow', Action: '*', ...statement }), { ...dashboardsGet, resource }, 'identity').decision === 'Allow';

  it.each<[object, string, boolean]>([
    [{ Resource: `${DOMAIN}/*` }, DASHBOARDS, true],
    [{ Resource: `${DOMAIN}/*` }, DOMAIN, false],
    [{ Resource: DOMAIN }, DASHBOARDS, false],
    [{ Resource: [DOMAIN, `${DOMAIN}/*`] }, DOMAIN, true],
    [{ Resource: `arn:aws:es:us-east-1:${ACCOUNT}:domain/Logs/*` }, DASHBOARDS, false],
    [{ Resource: `arn:aws:es:*:${ACCOUNT}:domain/logs/*` }, DASHBOARDS, true],
    [{ Resource: `arn:aws:es:us-east-1:*:domain/lo?s/*` }, DASHBOARDS, true],
    [{ Resource: `arn:aws:es:us-east-1:${ACCOUNT}:domain/*` }, DASHBOARDS, true],
    [{ Resource: `arn:aws:es:us-east-1:${OTHER_ACCOUNT}:domain/logs/*` }, DASHBOARDS, false],
    [{ Resource: `arn:aws:es:*:*:*` }, DASHBOARDS, true],
    [{ Resource: '*' }, DASHBOARDS, true],
    [{ Resource: 'arn:aws-cn:es:cn-north-1:123456789012:domain/logs/*' }, 'arn:aws-cn:es:cn-north-1:123456789012:domain/logs/x', true],
    [{ NotResource: `${DOMAIN}/_dashboards*` }, DASHBOARDS, false],
    [{ NotResource: [`${DOMAIN}/_plugin/*`] }, DASHBOARDS, true],
    [{}, DASHBOARDS, true], // no Resource: the resource the policy is attached to, as in trust policies
  ])('%j vs %s → %s', (statement, resource, expected) => {
    expect(allows(statement, resource)).toBe(expected);
  });
});

describe('evaluatePolicy decisions', () => {
  const policy = policyOf(
    { Sid: 'ReadAll', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` },
    { Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: 'es:ESHttpDelete', Resource: '*' },
  );

  it('an explicit Deny wins over an Allow', () => {
    const result = evaluatePolicy(policy, { ...dashboardsGet, action: 'es:ESHttpDelete' }, 'resource');
    expect(result.decision).toBe('ExplicitDeny');
    expect(result.allows.map(({ sid }) => sid)).toEqual(['ReadAll']);
    expect(result.denies).toEqual([{ index: 1, sid: 'NoDeletes', effect: 'Deny', principalMatch: 'wildcard', statement: policy.Statement[1] }]);
  });

  it('reports the matching Allow statements', () => {
    const result = evaluatePolicy(policy, dashboardsGet, 'resource');
    expect(result).toEqual({
      decision: 'Allow',
      allows: [{ index: 0, sid: 'ReadAll', effect: 'Allow', principalMatch: 'session-of-role', statement: policy.Statement[0] }],
      denies: [],
      unsupported: [],
    });
  });

  it('nothing matching is an implicit deny', () => {
    expect(evaluatePolicy(policy, { ...dashboardsGet, action: 'es:DescribeDomain' }, 'resource').decision).toBe('ImplicitDeny');
  });

  it('an empty statement list is an implicit deny', () => {
    expect(evaluatePolicy(parsePolicy({ Statement: [] }), dashboardsGet, 'identity').decision).toBe('ImplicitDeny');
  });
});

describe('evaluateSameAccountAccess', () => {
  const domainPolicy = (principal: unknown) => policyOf({ Effect: 'Allow', Principal: principal, Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` });
  const identity = (name: string, ...statements: object[]) => ({ name, document: policyOf(...statements) });
  const readDomain = identity('read-domain', { Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` });
  const everything = policyOf({ Effect: 'Allow', Action: '*', Resource: '*' });
  const onlySts = policyOf({ Effect: 'Allow', Action: 'sts:*', Resource: '*' });

  it('a resource policy naming the role allows its session without an identity policy', () => {
    const result = evaluateSameAccountAccess({ resourcePolicy: domainPolicy({ AWS: ROLE }), request: dashboardsGet });
    expect(result.decision).toBe('Allow');
    expect(result.decidedBy.map(({ source, match }) => [source, match.principalMatch])).toEqual([['resource', 'session-of-role']]);
  });

  it('an account-root principal delegates to IAM: no identity policy, no access', () => {
    const result = evaluateSameAccountAccess({ resourcePolicy: domainPolicy({ AWS: ROOT }), request: dashboardsGet });
    expect(result).toEqual({ decision: 'ImplicitDeny', decidedBy: [], unsupported: [] });
  });

  it('an account-root principal plus an identity Allow allows, and both are reported', () => {
    const result = evaluateSameAccountAccess({
      resourcePolicy: domainPolicy({ AWS: ACCOUNT }),
      identityPolicies: [readDomain],
      request: dashboardsGet,
    });
    expect(result.decision).toBe('Allow');
    expect(result.decidedBy.map(({ source, policyName, match }) => [source, policyName, match.principalMatch])).toEqual([
      ['resource', undefined, 'account'],
      ['identity', 'read-domain', undefined],
    ]);
  });

  it('an identity Allow is enough when the resource policy is silent', () => {
    const result = evaluateSameAccountAccess({
      resourcePolicy: domainPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:role/Other` }),
      identityPolicies: [readDomain],
      request: dashboardsGet,
    });
    expect(result.decision).toBe('Allow');
  });

  it('an identity Allow is enough without a resource policy', () => {
    expect(evaluateSameAccountAccess({ identityPolicies: [readDomain], request: dashboardsGet }).decision).toBe('Allow');
  });

  it('a Deny in an identity policy wins over a resource-policy Allow, naming the policy', () => {
    const result = evaluateSameAccountAccess({
      resourcePolicy: domainPolicy('*'),
      identityPolicies: [identity('no-es', { Effect: 'Deny', Action: 'es:*', Resource: '*' })],
      request: dashboardsGet,
    });
    expect(result.decision).toBe('ExplicitDeny');
    expect(result.decidedBy.map(({ source, policyName }) => [source, policyName])).toEqual([['identity', 'no-es']]);
  });

  it('a resource-policy Deny naming the account denies everyone in it', () => {
    const resourcePolicy = policyOf(
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      { Effect: 'Deny', Principal: { AWS: ROOT }, Action: 'es:*', Resource: '*' },
    );
    expect(evaluateSameAccountAccess({ resourcePolicy, request: dashboardsGet }).decision).toBe('ExplicitDeny');
  });

  describe('with a permissions boundary', () => {
    it('an identity Allow needs the boundary to allow too', () => {
      const denied = evaluateSameAccountAccess({ identityPolicies: [readDomain], boundary: onlySts, request: dashboardsGet });
      expect(denied.decision).toBe('ImplicitDeny');
      const allowed = evaluateSameAccountAccess({ identityPolicies: [readDomain], boundary: everything, request: dashboardsGet });
      expect(allowed.decision).toBe('Allow');
      expect(allowed.decidedBy.map(({ source }) => source)).toEqual(['identity', 'boundary']);
    });

    it('a Deny in the boundary is explicit', () => {
      const boundary = policyOf({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'es:*', Resource: '*' });
      const result = evaluateSameAccountAccess({ identityPolicies: [readDomain], boundary, request: dashboardsGet });
      expect(result.decision).toBe('ExplicitDeny');
      expect(result.decidedBy.map(({ source }) => source)).toEqual(['boundary']);
    });

    it('limits a resource policy that names the role, but not one that names the session', () => {
      const viaRole = evaluateSameAccountAccess({ resourcePolicy: domainPolicy({ AWS: ROLE }), boundary: onlySts, request: dashboardsGet });
      expect(viaRole.decision).toBe('ImplicitDeny');
      const viaSession = evaluateSameAccountAccess({
        resourcePolicy: domainPolicy({ AWS: SESSION }),
        boundary: onlySts,
        request: dashboardsGet,
      });
      expect(viaSession.decision).toBe('Allow');
    });

    it('makes a resource-policy Deny with NotPrincipal apply to everyone', () => {
      const resourcePolicy = policyOf(
        { Effect: 'Allow', Principal: { AWS: ROLE }, Action: '*', Resource: '*' },
        { Effect: 'Deny', NotPrincipal: { AWS: [ROLE, SESSION, ROOT] }, Action: '*', Resource: '*' },
      );
      expect(evaluateSameAccountAccess({ resourcePolicy, request: dashboardsGet }).decision).toBe('Allow');
      expect(evaluateSameAccountAccess({ resourcePolicy, boundary: everything, request: dashboardsGet }).decision).toBe('ExplicitDeny');
    });
  });

  describe('role trust policies', () => {
    const assumeRole: AccessRequest = { principal: user, action: 'sts:AssumeRole', resource: ROLE };
    const mayAssume = identity('assume', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE });

    it('an identity Allow is not enough when the trust policy does not trust the account', () => {
      const resourcePolicy = policyOf({ Effect: 'Allow', Principal: { Federated: COGNITO }, Action: 'sts:AssumeRoleWithWebIdentity' });
      expect(evaluateSameAccountAccess({ resourcePolicy, identityPolicies: [mayAssume], request: assumeRole }).decision).toBe('ImplicitDeny');
    });

    it('trusting the account root needs an identity Allow too', () => {
      const resourcePolicy = policyOf({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' });
      expect(evaluateSameAccountAccess({ resourcePolicy, request: assumeRole }).decision).toBe('ImplicitDeny');
      expect(evaluateSameAccountAccess({ resourcePolicy, identityPolicies: [mayAssume], request: assumeRole }).decision).toBe('Allow');
    });

    it('naming the user is enough on its own', () => {
      const resourcePolicy = policyOf({ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole' });
      expect(evaluateSameAccountAccess({ resourcePolicy, request: assumeRole }).decision).toBe('Allow');
    });
  });

  it('ignores identity policies and boundaries for callers that cannot have them', () => {
    const allowAll = identity('all', { Effect: 'Allow', Action: '*', Resource: '*' });
    for (const principal of [anonymous, cognito, opensearch]) {
      const result = evaluateSameAccountAccess({ identityPolicies: [allowAll], request: { ...dashboardsGet, principal } });
      expect(result.decision).toBe('ImplicitDeny');
    }
    const result = evaluateSameAccountAccess({
      resourcePolicy: domainPolicy('*'),
      boundary: onlySts,
      request: { ...dashboardsGet, principal: anonymous },
    });
    expect(result.decision).toBe('Allow');
  });

  it('collects unsupported operators from every policy, once each', () => {
    const odd = { BinaryEquals: { k: 'QUJD' } };
    const result = evaluateSameAccountAccess({
      resourcePolicy: policyOf({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: odd }),
      identityPolicies: [identity('odd', { Effect: 'Allow', Action: '*', Resource: '*', Condition: odd })],
      request: dashboardsGet,
    });
    expect(result).toEqual({ decision: 'ImplicitDeny', decidedBy: [], unsupported: ['BinaryEquals'] });
  });
});

describe('evaluation never throws', () => {
  it('on hand-built documents with values of the wrong types', () => {
    const odd = [
      { Effect: 'allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: 5, Resource: [null, 7], Principal: 42 },
      { Effect: 'Deny', NotAction: { a: 1 }, NotResource: true, NotPrincipal: ['*'] },
      { Effect: 'Allow', Action: ['*'], Principal: { AWS: [null, 1, '*'] }, Condition: { Null: null } },
      { Effect: 'Allow', Action: '*', Condition: { StringEquals: { k: [[['deep']]] }, 'ForAnyValue:Bool': { k: {} } } },
    ];
    const doc = { Statement: odd } as unknown as PolicyDocument;
    for (const principal of [session, anonymous, cognito, opensearch]) {
      const request = { ...dashboardsGet, principal, context: { k: ['a', 'b'], 'aws:SecureTransport': true, n: 3 } };
      for (const kind of ['resource', 'identity'] as const) expect(() => evaluatePolicy(doc, request, kind)).not.toThrow();
      const everywhere = { resourcePolicy: doc, identityPolicies: [{ name: 'x', document: doc }], boundary: doc, request };
      expect(() => evaluateSameAccountAccess(everywhere)).not.toThrow();
    }
  });

  it('on any document parsePolicy accepts', () => {
    const text = fc.oneof(fc.constantFrom('*', 'es:*', ROLE, ROOT, ACCOUNT, DOMAIN, 'true', '10.0.0.0/8', ''), fc.string());
    const stringOrList = fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }));
    const conditionValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.array(fc.oneof(text, fc.integer(), fc.boolean())));
    const operator = fc.oneof(
      fc.constantFrom('StringLike', 'ForAllValues:StringNotEquals', 'NumericLessThanIfExists', 'DateEquals', 'Bool', 'IpAddress', 'ArnLike', 'Null'),
      fc.string(),
    );
    const statement = fc.record(
      {
        Effect: fc.constantFrom('Allow', 'Deny'),
        Principal: fc.oneof(fc.constant('*'), fc.record({ AWS: stringOrList }, { requiredKeys: [] })),
        Action: stringOrList,
        Resource: stringOrList,
        Condition: fc.dictionary(operator, fc.dictionary(fc.oneof(text, fc.constant('aws:SourceIp')), conditionValue)),
      },
      { requiredKeys: ['Effect', 'Action'] },
    );
    const context = fc.dictionary(fc.oneof(text, fc.constant('aws:SourceIp')), fc.oneof(text, fc.integer(), fc.boolean(), fc.array(text)));
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), context, (statements, ctx) => {
        const doc = parsePolicy({ Statement: statements });
        const request = { ...dashboardsGet, context: ctx };
        expect(() => evaluatePolicy(doc, request, 'resource')).not.toThrow();
        const everywhere = { resourcePolicy: doc, identityPolicies: [{ name: 'p', document: doc }], boundary: doc, request };
        expect(() => evaluateSameAccountAccess(everywhere)).not.toThrow();
      }),
    );
  });
});
