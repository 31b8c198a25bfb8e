/** The policies cogdoctor evaluates: identity-pool role trust (failure mode E1) and domain access policies (F1–F3). */
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, evaluateSameAccountAccess, parsePolicy, type AccessRequest, type ContextValue } from '../../src/policy/index.js';
import { ACCOUNT, COGNITO, cognito, DASHBOARDS, dashboardsGet, DOMAIN, POOL, ROLE, ROOT } from './fixtures.js';

describe('identity-pool role trust policy (E1)', () => {
  // As IAM GetRole returns it: URL-encoded JSON.
  const trustPolicy = parsePolicy(
    encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: COGNITO },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { [`${COGNITO}:aud`]: POOL },
              'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'authenticated' },
            },
          },
        ],
      }),
    ),
  );
  const AMR = ['authenticated', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC:CognitoSignIn:sub'];
  const assume = (context: Record<string, ContextValue>): AccessRequest => ({
    principal: cognito,
    action: 'sts:AssumeRoleWithWebIdentity',
    resource: ROLE,
    context,
  });
  const decide = (context: Record<string, ContextValue>) => evaluatePolicy(trustPolicy, assume(context), 'resource').decision;

  it('allows the authenticated identity of the pool', () => {
    const result = evaluatePolicy(trustPolicy, assume({ [`${COGNITO}:aud`]: POOL, [`${COGNITO}:amr`]: AMR }), 'resource');
    expect(result.decision).toBe('Allow');
    expect(result.allows).toMatchObject([{ index: 0, principalMatch: 'exact' }]);
  });

  it('finds "authenticated" anywhere in amr (iam-simulate only looks at the first value)', () => {
    expect(decide({ [`${COGNITO}:aud`]: POOL, [`${COGNITO}:amr`]: [...AMR].reverse() })).toBe('Allow');
  });

  it.each<[string, Record<string, ContextValue>]>([
    ['another pool in aud (role reused, pool recreated)', { [`${COGNITO}:aud`]: 'us-east-1:99999999-8888-7777-6666-555555555555', [`${COGNITO}:amr`]: AMR }],
    ['an unauthenticated identity', { [`${COGNITO}:aud`]: POOL, [`${COGNITO}:amr`]: ['unauthenticated'] }],
    ['amr missing', { [`${COGNITO}:aud`]: POOL }],
    ['aud missing', { [`${COGNITO}:amr`]: AMR }],
  ])('denies %s', (_, context) => {
    expect(decide(context)).toBe('ImplicitDeny');
  });

  it('denies other callers and actions', () => {
    const context = { [`${COGNITO}:aud`]: POOL, [`${COGNITO}:amr`]: AMR };
    const idp = { ...assume(context), principal: { type: 'Federated', id: 'cognito-idp.amazonaws.com' } as const };
    expect(evaluatePolicy(trustPolicy, idp, 'resource').decision).toBe('ImplicitDeny');
    expect(evaluatePolicy(trustPolicy, { ...assume(context), action: 'sts:TagSession' }, 'resource').decision).toBe('ImplicitDeny');
  });

  it('does not accept the principal written as Service', () => {
    const asService = parsePolicy({
      Statement: [{ Effect: 'Allow', Principal: { Service: COGNITO }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    });
    expect(evaluatePolicy(asService, assume({ [`${COGNITO}:aud`]: POOL }), 'resource').decision).toBe('ImplicitDeny');
  });
});

describe('OpenSearch domain access policy (F1–F3)', () => {
  const allowRole = {
    Effect: 'Allow',
    Principal: { AWS: [ROLE] },
    Action: ['es:ESHttp*'],
    Resource: `${DOMAIN}/*`,
  };
  const decide = (...statements: object[]) => evaluatePolicy(parsePolicy({ Version: '2012-10-17', Statement: statements }), dashboardsGet, 'resource').decision;

  it("allows the authenticated role's session to load Dashboards", () => {
    expect(dashboardsGet.principal).toEqual({
      type: 'AWS',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Cognito_AuthRole/CognitoIdentityCredentials`,
    });
    expect(dashboardsGet.resource).toBe(DASHBOARDS);
    expect(decide(allowRole)).toBe('Allow');
  });

  it('denies when Resource is the bare domain ARN (F2)', () => {
    expect(decide({ ...allowRole, Resource: DOMAIN })).toBe('ImplicitDeny');
  });

  it('denies when the actions do not cover the request (F2)', () => {
    expect(decide({ ...allowRole, Action: ['es:ESHttpPost', 'es:ESHttpPut'] })).toBe('ImplicitDeny');
  });

  it('denies explicitly when a Deny es:* names the role (F3)', () => {
    expect(decide(allowRole, { Effect: 'Deny', Principal: { AWS: ROLE }, Action: 'es:*', Resource: `${DOMAIN}/*` })).toBe('ExplicitDeny');
  });

  it('denies explicitly when the "block Kibana" Deny covers _dashboards (F3)', () => {
    const blockDashboards = { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:*', Resource: `${DOMAIN}/_dashboards*` };
    expect(decide(allowRole, blockDashboards)).toBe('ExplicitDeny');
  });

  describe('with the account root as principal', () => {
    const resourcePolicy = parsePolicy({
      Version: '2012-10-17',
      Statement: [{ ...allowRole, Principal: { AWS: ROOT } }],
    });

    it('denies without an identity policy: the root principal delegates to IAM', () => {
      expect(evaluateSameAccountAccess({ resourcePolicy, request: dashboardsGet }).decision).toBe('ImplicitDeny');
    });

    it("allows when the role's identity policy grants es:ESHttp*", () => {
      const document = parsePolicy({ Statement: [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` }] });
      const result = evaluateSameAccountAccess({
        resourcePolicy,
        identityPolicies: [{ name: 'os-dashboards', document }],
        request: dashboardsGet,
      });
      expect(result.decision).toBe('Allow');
      expect(result.decidedBy.map(({ source, policyName }) => [source, policyName])).toEqual([
        ['resource', undefined],
        ['identity', 'os-dashboards'],
      ]);
    });
  });
});
