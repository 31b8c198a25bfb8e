/**
 * Differential test: our evaluator against @cloud-copilot/iam-simulate (AGPL, so a devDependency used only here).
 *
 * Generated cases are restricted to what both sides model the same way. Shapes left out on purpose:
 * - Multi-valued `cognito-identity.amazonaws.com:amr`. iam-simulate's data types amr as a single-valued String and
 *   keeps only the first value of a list, but Cognito sends a list (["authenticated", "cognito-idp...", ...]) and
 *   trust policies test it with ForAnyValue. Here amr has at most one value; the real list is a unit test.
 * - Operators without ForAnyValue/ForAllValues on a multi-valued key (aws:PrincipalOrgPaths). iam-simulate never
 *   matches them; we treat a positive operator like ForAnyValue and a negated one as "no value matches", and IAM's
 *   documentation does not say which is right.
 * - NotIpAddress with a bare IP and a caller of the other IP family. iam-simulate then says the address is not
 *   outside "203.0.113.7" although it is outside "203.0.113.7/32"; an IPv6 caller is outside both. Negated IP
 *   operators therefore get CIDRs here, and the bare form is a unit test.
 * - Empty lists as context values (we treat them as an absent key; iam-simulate as a present one), non-canonical
 *   IP spellings (iam-simulate compares bare IPs as text), epoch-second dates (iam-simulate compares them with ISO
 *   dates in milliseconds, so dates here are ISO only), policy variables, and callers from another account.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSameAccountAccess, parsePolicy, type Principal } from '../../src/policy/index.js';

const RUNS = Number(process.env.ORACLE_RUNS ?? 2000);

// Every ARN is written with %P% (partition) and %R% (region) and rendered per case.
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const ROLE = `arn:%P%:iam::${ACCOUNT}:role/Cognito_AuthRole`;
const ROLE_WITH_PATH = `arn:%P%:iam::${ACCOUNT}:role/service-role/Cognito_AuthRole`;
const OTHER_ROLE = `arn:%P%:iam::${ACCOUNT}:role/OtherRole`;
const SESSION = `arn:%P%:sts::${ACCOUNT}:assumed-role/Cognito_AuthRole/CognitoIdentityCredentials`;
const OTHER_SESSION = `arn:%P%:sts::${ACCOUNT}:assumed-role/OtherRole/admin`;
const USER = `arn:%P%:iam::${ACCOUNT}:user/alice`;
const ROOT = `arn:%P%:iam::${ACCOUNT}:root`;
const OTHER_ROOT = `arn:%P%:iam::${OTHER_ACCOUNT}:root`;
const DOMAIN = `arn:%P%:es:%R%:${ACCOUNT}:domain/logs`;
const OTHER_DOMAIN = `arn:%P%:es:%R%:${ACCOUNT}:domain/metrics`;
const COGNITO = 'cognito-identity.amazonaws.com';
const OPENSEARCH = 'opensearchservice.amazonaws.com';
const POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
const OTHER_POOL = 'us-east-1:99999999-8888-7777-6666-555555555555';
const AUD = `${COGNITO}:aud`;
const AMR = `${COGNITO}:amr`;
const ORG_PATHS = 'aws:PrincipalOrgPaths';
const MFA_AGE = 'aws:MultiFactorAuthAge';
const CURRENT_TIME = 'aws:CurrentTime';

const PARTITIONS = [
  { partition: 'aws', region: 'us-east-1' },
  { partition: 'aws-cn', region: 'cn-north-1' },
  { partition: 'aws-us-gov', region: 'us-gov-west-1' },
];

type Json = string | boolean | Json[] | { [key: string]: Json };
type Document = { Version: string; Statement: Json[] };

const oneOrMore = <T extends Json>(values: readonly T[]): fc.Arbitrary<T | T[]> =>
  fc.oneof(fc.constantFrom(...values), fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }));

const ACTION_PATTERNS = [
  '*',
  'es:*',
  'es:ESHttp*',
  'es:ESHttpGet',
  'es:eshttpget',
  'es:ESHttp???',
  'es:ESHttpP*',
  'es:DescribeDomain',
  'sts:*',
  'sts:AssumeRole*',
  'sts:AssumeRoleWithWebIdentity',
  'sts:TagSession',
];

const RESOURCE_PATTERNS = [
  '*',
  DOMAIN,
  `${DOMAIN}/*`,
  `arn:%P%:es:%R%:${ACCOUNT}:domain/*`,
  `arn:%P%:es:*:${ACCOUNT}:domain/logs/*`,
  `arn:%P%:es:%R%:*:domain/lo?s/*`,
  `${DOMAIN}/_dashboards*`,
  `${OTHER_DOMAIN}/*`,
  ROLE,
  `arn:%P%:iam::${ACCOUNT}:role/*`,
  `arn:%P%:iam::${ACCOUNT}:role/Cognito_*`,
];

// Weighted towards the forms whose handling differs: role vs its session, account root, the caller's own ARN.
const principalId = fc.oneof(
  { arbitrary: fc.constant(['AWS', '*']), weight: 1 },
  { arbitrary: fc.constantFrom(['AWS', ACCOUNT], ['AWS', ROOT]), weight: 3 },
  { arbitrary: fc.constant(['AWS', OTHER_ROOT]), weight: 1 },
  { arbitrary: fc.constantFrom(['AWS', ROLE], ['AWS', ROLE_WITH_PATH]), weight: 4 },
  { arbitrary: fc.constantFrom(['AWS', OTHER_ROLE], ['AWS', SESSION], ['AWS', USER]), weight: 3 },
  { arbitrary: fc.constant(['Federated', COGNITO]), weight: 2 },
  { arbitrary: fc.constant(['Service', OPENSEARCH]), weight: 1 },
);

const principalObject = fc.uniqueArray(principalId, { minLength: 1, maxLength: 3, selector: ([type, id]) => `${type}:${id}` }).map((entries) => {
  const grouped: Record<string, string[]> = {};
  for (const [type = '', id = ''] of entries) (grouped[type] ??= []).push(id);
  return Object.fromEntries(Object.entries(grouped).map(([type, ids]) => [type, ids.length === 1 ? ids[0]! : ids])) as Json;
});

const principalElement = fc.oneof(
  { arbitrary: fc.tuple(fc.constant('Principal'), fc.oneof(fc.constant<Json>('*'), principalObject)), weight: 4 },
  { arbitrary: fc.tuple(fc.constant('NotPrincipal'), principalObject), weight: 1 },
);

// [operator, key, policy values]; only forms both evaluators model alike (see the header).
const conditionAtom: fc.Arbitrary<[string, string, Json]> = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'StringEquals',
      'StringNotEquals',
      'StringLike',
      'StringEqualsIfExists',
      'StringNotEqualsIfExists',
      'StringLikeIfExists',
      'StringNotLike',
      'StringEqualsIgnoreCase',
      'StringNotEqualsIgnoreCase',
      'ForAnyValue:StringLike',
    ),
    fc.constant(AUD),
    oneOrMore([POOL, OTHER_POOL, POOL.toUpperCase(), 'us-east-1:*']),
  ),
  fc.tuple(
    fc.constantFrom('ForAnyValue:StringLike', 'ForAllValues:StringLike', 'StringLike', 'StringEquals', 'ForAnyValue:StringLikeIfExists'),
    fc.constant(AMR),
    oneOrMore(['authenticated', 'unauthenticated', 'cognito-idp.*']),
  ),
  fc.tuple(fc.constantFrom('Bool', 'BoolIfExists'), fc.constant('aws:SecureTransport'), fc.constantFrom<Json>('true', 'false', true, false)),
  fc.tuple(
    fc.constantFrom('IpAddress', 'IpAddressIfExists'),
    fc.constant('aws:SourceIp'),
    oneOrMore(['10.0.0.0/8', '192.168.1.0/24', '203.0.113.7', '2001:db8::/32', '2001:db8::1']),
  ),
  fc.tuple(
    fc.constantFrom('NotIpAddress', 'NotIpAddressIfExists'),
    fc.constant('aws:SourceIp'),
    oneOrMore(['10.0.0.0/8', '192.168.1.0/24', '203.0.113.7/32', '2001:db8::/32', '2001:db8::1/128']),
  ),
  fc.tuple(
    fc.constantFrom('ArnLike', 'ArnEquals', 'ArnNotLike', 'ArnNotEquals', 'ArnLikeIfExists'),
    fc.constant('aws:PrincipalArn'),
    oneOrMore([`arn:%P%:iam::${ACCOUNT}:role/*`, ROLE, `arn:%P%:iam::*:user/alice`, `arn:%P%:iam::${ACCOUNT}:role/Other*`]),
  ),
  fc.tuple(
    fc.constantFrom(
      'ForAnyValue:StringLike',
      'ForAllValues:StringLike',
      'ForAnyValue:StringEquals',
      'ForAllValues:StringEquals',
      'ForAnyValue:StringNotEquals',
      'ForAllValues:StringNotLike',
      'ForAnyValue:StringLikeIfExists',
    ),
    fc.constant(ORG_PATHS),
    oneOrMore(['o-abc/r-root/ou-a/', 'o-abc/*', 'o-xyz/r-root/']),
  ),
  fc.tuple(
    fc.constantFrom('NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericEquals', 'NumericNotEquals', 'NumericLessThanIfExists'),
    fc.constant(MFA_AGE),
    oneOrMore(['300', '3600', '3600.5']),
  ),
  fc.tuple(
    fc.constantFrom('DateGreaterThan', 'DateLessThanEquals', 'DateEquals', 'DateNotEquals', 'DateGreaterThanIfExists'),
    fc.constant(CURRENT_TIME),
    oneOrMore(['2024-01-01T00:00:00Z', '2024-06-01T12:00:00Z', '2025-01-01T00:00:00Z']),
  ),
  fc.tuple(fc.constant('Null'), fc.constantFrom(AUD, AMR, 'aws:SourceIp', ORG_PATHS, 'aws:SecureTransport', MFA_AGE), fc.constantFrom<Json>('true', 'false')),
);

const condition = fc.array(conditionAtom, { minLength: 1, maxLength: 2 }).map((atoms) => {
  const block: Record<string, Record<string, Json>> = {};
  for (const [operator, key, values] of atoms) (block[operator] ??= {})[key] = values;
  return block as Json;
});

function statement(principal: fc.Arbitrary<[string, Json] | null>, resourceRequired: boolean) {
  const resource = fc.tuple(fc.constantFrom('Resource', 'NotResource'), oneOrMore(RESOURCE_PATTERNS));
  return fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      principal,
      action: fc.tuple(fc.constantFrom('Action', 'Action', 'NotAction'), oneOrMore(ACTION_PATTERNS)),
      resource: resourceRequired ? resource : fc.option(resource),
      condition: fc.option(condition, { freq: 2 }),
    })
    .map(({ effect, principal, action, resource, condition }) => {
      const built: Record<string, Json> = { Effect: effect };
      for (const entry of [principal, action, resource]) if (entry !== null) built[entry[0]] = entry[1];
      if (condition !== null) built.Condition = condition;
      return built as Json;
    });
}

// Statements as people write them, mixed with the random ones so that the delegation paths (account root plus an
// identity policy, the trust-policy exception, permissions boundaries) are reached often enough.
const RESOURCE_TEMPLATES: Json[] = [
  {
    Effect: 'Allow',
    Principal: { Federated: COGNITO },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [AUD]: POOL }, 'ForAnyValue:StringLike': { [AMR]: 'authenticated' } },
  },
  { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' },
  { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
  { Effect: 'Allow', Principal: { AWS: [ROLE] }, Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` },
  { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'es:*', Resource: `${DOMAIN}/*` },
  { Effect: 'Deny', Principal: { AWS: ROLE }, Action: 'es:*', Resource: `${DOMAIN}/_dashboards*` },
];
const IDENTITY_TEMPLATES: Json[] = [
  { Effect: 'Allow', Action: '*', Resource: '*' },
  { Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${DOMAIN}/*` },
  { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE },
];

const policy = (templates: Json[], statements: fc.Arbitrary<Json>, maxLength: number): fc.Arbitrary<Document> =>
  fc
    .tuple(fc.option(fc.constantFrom(...templates), { freq: 2 }), fc.array(statements, { maxLength }))
    .filter(([template, random]) => template !== null || random.length > 0)
    .map(([template, random]) => ({
      Version: '2012-10-17',
      Statement: template === null ? random : [template, ...random],
    }));

const resourcePolicy = policy(RESOURCE_TEMPLATES, statement(principalElement, false), 3);
const identityPolicy = policy(IDENTITY_TEMPLATES, statement(fc.constant(null), true), 2);

const SESSION_PRINCIPAL: Principal = { type: 'AWS', arn: SESSION };
const PRINCIPALS: Principal[] = [
  SESSION_PRINCIPAL,
  { type: 'AWS', arn: OTHER_SESSION },
  { type: 'AWS', arn: USER },
  { type: 'Federated', id: COGNITO },
  { type: 'Service', id: OPENSEARCH },
  { type: 'Anonymous' },
];

const request = fc.oneof(
  fc.record({
    action: fc.constantFrom('sts:AssumeRoleWithWebIdentity', 'sts:AssumeRole', 'sts:TagSession'),
    resource: fc.constant(ROLE),
  }),
  fc.record({
    action: fc.constantFrom('es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete', 'es:ESHttpHead', 'es:ESHttpPatch', 'es:DescribeDomain'),
    resource: fc.constantFrom(DOMAIN, `${DOMAIN}/_dashboards/app/home`, `${DOMAIN}/logs-2024/_search`, `${OTHER_DOMAIN}/_dashboards`),
  }),
);

const context = fc
  .record({
    [AUD]: fc.option(fc.constantFrom(POOL, OTHER_POOL), { freq: 2 }),
    [AMR]: fc.option(fc.constantFrom<Json>('authenticated', 'unauthenticated', ['authenticated'], ['unauthenticated']), { freq: 2 }),
    'aws:SecureTransport': fc.option(fc.constantFrom('true', 'false'), { freq: 2 }),
    'aws:SourceIp': fc.option(fc.constantFrom('10.1.2.3', '192.168.1.77', '203.0.113.7', '2001:db8::1', '2001:db9::1'), { freq: 2 }),
    'aws:PrincipalArn': fc.option(fc.constantFrom(ROLE, OTHER_ROLE, USER), { freq: 2 }),
    [MFA_AGE]: fc.option(fc.constantFrom('0', '300', '3600', '86400'), { freq: 2 }),
    [CURRENT_TIME]: fc.option(fc.constantFrom('2024-01-01T00:00:00Z', '2024-03-15T08:30:00Z', '2025-06-01T00:00:00Z'), {
      freq: 2,
    }),
    [ORG_PATHS]: fc.option(
      fc.uniqueArray(fc.constantFrom('o-abc/r-root/ou-a/', 'o-abc/r-root/ou-b/', 'o-xyz/r-root/'), {
        minLength: 1,
        maxLength: 3,
      }),
      { freq: 2 },
    ),
  })
  .map((entries) => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== null)) as OracleCase['context']);

interface OracleCase {
  principal: Principal;
  request: { action: string; resource: string };
  context: Record<string, string | string[]>;
  resourcePolicy: Document | null;
  identityPolicies: Document[];
  boundary: Document | null;
}

const oracleCase: fc.Arbitrary<OracleCase> = fc
  .record({
    place: fc.constantFrom(...PARTITIONS),
    principal: fc.oneof({ arbitrary: fc.constant(SESSION_PRINCIPAL), weight: 4 }, { arbitrary: fc.constantFrom(...PRINCIPALS), weight: 5 }),
    request,
    context,
    resourcePolicy: fc.option(resourcePolicy, { freq: 8 }),
    identityPolicies: fc.array(identityPolicy, { maxLength: 2 }),
    boundary: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: identityPolicy, weight: 1 }),
  })
  .map(({ place, ...rest }) => {
    // Identity policies and boundaries exist only for IAM users and role sessions.
    const isIamIdentity = rest.principal.type === 'AWS';
    const scenario = {
      ...rest,
      identityPolicies: isIamIdentity ? rest.identityPolicies : [],
      boundary: isIamIdentity ? rest.boundary : null,
    };
    const rendered = JSON.stringify(scenario).replaceAll('%P%', place.partition).replaceAll('%R%', place.region);
    return JSON.parse(rendered) as OracleCase;
  });

const ORACLE_DECISION = { Allowed: 'Allow', ImplicitlyDenied: 'ImplicitDeny', ExplicitlyDenied: 'ExplicitDeny' } as const;

async function oracleDecision(testCase: OracleCase) {
  const { principal, request, context, resourcePolicy, identityPolicies, boundary } = testCase;
  const simulation: Simulation = {
    request: {
      principal: principal.type === 'AWS' ? principal.arn : principal.type === 'Anonymous' ? principal : principal.id,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: identityPolicies.map((document, index) => ({ name: `identity-${index}`, policy: document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy !== null && { resourcePolicy }),
    ...(boundary !== null && { permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }] }),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType !== 'single') {
    throw new Error(`iam-simulate could not run the case: ${JSON.stringify(result)}`);
  }
  return {
    decision: ORACLE_DECISION[result.overallResult],
    // iam-simulate drops context keys that do not apply to the action (AWS would not send them either).
    ignoredContextKeys: result.result.ignoredContextKeys ?? [],
  };
}

function ourDecision(testCase: OracleCase, ignoredContextKeys: string[]) {
  const { principal, request, resourcePolicy, identityPolicies, boundary } = testCase;
  const context = Object.fromEntries(Object.entries(testCase.context).filter(([key]) => !ignoredContextKeys.includes(key)));
  return evaluateSameAccountAccess({
    ...(resourcePolicy !== null && { resourcePolicy: parsePolicy(resourcePolicy) }),
    identityPolicies: identityPolicies.map((document, index) => ({
      name: `identity-${index}`,
      document: parsePolicy(document),
    })),
    ...(boundary !== null && { boundary: parsePolicy(boundary) }),
    request: { principal, action: request.action, resource: request.resource, context },
  }).decision;
}

describe('differential test against @cloud-copilot/iam-simulate', () => {
  it(
    `agrees on the decision for ${RUNS} generated trust-policy and domain-access-policy cases`,
    async () => {
      const seen = { Allow: 0, ImplicitDeny: 0, ExplicitDeny: 0 };
      await fc.assert(
        fc.asyncProperty(oracleCase, async (testCase) => {
          const oracle = await oracleDecision(testCase);
          const ours = ourDecision(testCase, oracle.ignoredContextKeys);
          seen[ours] += 1;
          expect(ours, JSON.stringify(testCase)).toBe(oracle.decision);
        }),
        { numRuns: RUNS },
      );
      // The generator must keep exercising all three outcomes, or agreement means little.
      if (RUNS >= 1000) {
        for (const count of Object.values(seen)) expect(count).toBeGreaterThan(RUNS * 0.05);
      }
    },
    Math.max(60_000, RUNS * 30),
  );
});
