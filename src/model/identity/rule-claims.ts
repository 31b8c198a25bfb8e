import type { MappingRule } from '@aws-sdk/client-cognito-identity';
import { DataGap, type CheckContext } from '../../context/check-context.js';
import { openSearchClientOf, regionOfPoolId } from '../pools.js';
import { STANDARD_ATTRIBUTES } from '../standard-attributes.js';

// Rule-based mapping: which claims an ID token carries (catalog E8, decision rule 15).

/** Claims of a Cognito user pool ID token that rules can test, besides the pool's own attributes. */
export const ID_TOKEN_CLAIMS: ReadonlySet<string> = new Set([
  ...STANDARD_ATTRIBUTES,
  'aud',
  'iss',
  'token_use',
  'auth_time',
  'exp',
  'iat',
  'jti',
  'origin_jti',
  'event_id',
  'at_hash',
  'nonce',
  'cognito:username',
  'cognito:groups',
  'cognito:roles',
  'cognito:preferred_role',
]);

/** Claims every ID token carries, so a NotEqual rule on them is always evaluated. */
const ALWAYS_PRESENT = new Set(['sub', 'aud', 'iss', 'token_use', 'auth_time', 'exp', 'iat', 'jti', 'origin_jti', 'event_id', 'cognito:username']);

// Claim names people write for what the ID token calls otherwise.
const CLAIM_SUGGESTIONS: Record<string, string> = {
  username: 'cognito:username',
  'cognito:user': 'cognito:username',
  groups: 'cognito:groups',
  group: 'cognito:groups',
  'cognito:group': 'cognito:groups',
  roles: 'cognito:roles',
  preferred_role: 'cognito:preferred_role',
  email_address: 'email',
  mail: 'email',
  phone: 'phone_number',
};

export interface RuleClaimProblem {
  severity: 'error' | 'warning';
  /** Why the rule cannot match (or may not be evaluated), in words. */
  reason: string;
  /** A claim name that would work, when one is obvious. */
  suggestion?: string;
  /** The custom: attribute the rule tests and the user pool lacks: adding it is the fix (catalog D3). */
  missingCustomAttribute?: string;
}

/**
 * Whether SchemaAttributes is the pool's full schema as DescribeUserPool returns it (every pool has
 * the standard sub attribute), not an empty or hand-trimmed list.
 */
function schemaRead(schema: Array<{ Name?: string }>): boolean {
  return schema.some((a) => a.Name === 'sub');
}

/** Whether a rule can ever match a Dashboards login's ID token; undefined when it can. */
export function ruleClaimProblem(rule: MappingRule, ctx: CheckContext): RuleClaimProblem | undefined {
  const claim = rule.Claim ?? '';
  const schema = ctx.userPool().SchemaAttributes ?? [];
  const attribute = schema.find((a) => a.Name === claim);
  const lambda = ctx.userPool().LambdaConfig;
  const preToken = Boolean(lambda?.PreTokenGeneration || lambda?.PreTokenGenerationConfig?.LambdaArn);
  let problem: RuleClaimProblem | undefined;
  if (attribute?.DeveloperOnlyAttribute || claim.startsWith('dev:')) {
    problem = { severity: 'error', reason: `${claim} is a developer-only attribute, which ID tokens never carry` };
  } else if (!ID_TOKEN_CLAIMS.has(claim) && !claim.startsWith('custom:') && !attribute) {
    const custom = schema.find((a) => a.Name === `custom:${claim}`);
    const caseFix = [...ID_TOKEN_CLAIMS, ...schema.map((a) => a.Name ?? '')].find((n) => n.toLowerCase() === claim.toLowerCase());
    const suggestion = custom?.Name ?? CLAIM_SUGGESTIONS[claim.toLowerCase()] ?? caseFix;
    problem = custom
      ? { severity: 'error', reason: `${claim} is a custom attribute; the ID token names it ${custom.Name}`, suggestion }
      : {
          severity: 'error',
          reason: `no ID token from ${ctx.domain.CognitoOptions?.UserPoolId ?? 'the user pool'} has a ${claim} claim (it is neither a standard claim nor in the pool's SchemaAttributes)`,
          ...(suggestion ? { suggestion } : {}),
        };
    // A pre token generation Lambda can add any claim: the rule may match after all.
    if (preToken) problem = { ...problem, severity: 'warning', reason: `${problem.reason}, unless the pre token generation Lambda adds it` };
  } else if (claim.startsWith('custom:') && !attribute && schemaRead(schema) && !preToken) {
    // DescribeUserPool lists every custom attribute the pool has, so a custom: claim it does not list is in
    // no ID token. A pre token generation Lambda could add it, so then the rule stays possible.
    const caseFix = schema.map((a) => a.Name ?? '').find((n) => n.toLowerCase() === claim.toLowerCase());
    const customs = schema.filter((a) => a.Name?.startsWith('custom:')).map((a) => a.Name ?? '');
    problem = {
      severity: 'error',
      reason: `${ctx.domain.CognitoOptions?.UserPoolId ?? 'the user pool'} has no ${claim} attribute (its SchemaAttributes list ${customs.length > 0 ? `only the custom attributes ${customs.join(', ')}` : 'no custom attribute'}) and no pre token generation Lambda, so no ID token has that claim`,
      ...(caseFix ? { suggestion: caseFix } : { missingCustomAttribute: claim }),
    };
  } else if (rule.MatchType === 'NotEqual' && !ALWAYS_PRESENT.has(claim)) {
    problem = { severity: 'warning', reason: `a NotEqual rule is not evaluated when the token has no ${claim} claim, so users without it do not match` };
  }
  return problem;
}

/** A rule that every Dashboards login matches (so no user falls through to the ambiguous resolution). */
export function ruleMatchesEveryone(rule: MappingRule, clientId: string | undefined, userPoolId: string): boolean {
  const value = rule.Value ?? '';
  const issuer = `https://cognito-idp.${regionOfPoolId(userPoolId)}.amazonaws.com/${userPoolId}`;
  const target = rule.Claim === 'aud' ? clientId : rule.Claim === 'iss' ? issuer : rule.Claim === 'token_use' ? 'id' : undefined;
  if (!target) return false;
  if (rule.MatchType === 'Equals') return value === target;
  if (rule.MatchType === 'StartsWith') return target.startsWith(value);
  if (rule.MatchType === 'Contains') return target.includes(value);
  return false;
}

/** Claims that carry a list; how Cognito serialises them for a rule's comparison is not documented. */
const LIST_CLAIMS = new Set(['cognito:groups', 'cognito:roles', 'identities']);

export interface RuleShadow {
  /** The index of the earlier rule that catches every login this one matches. */
  by: number;
  /** `error` when certain; `warning` when it rests on how a list claim is compared (inferred). */
  severity: 'error' | 'warning';
  reason: string;
}

/**
 * Whether an earlier rule of the same mapping matches every token this rule matches, so this rule
 * is never the first match ("Rules are evaluated in order. The first one to match specifies the
 * role."). Only reported when the earlier rule hands out another role.
 */
export function ruleShadowedBy(
  rules: MappingRule[],
  index: number,
  clientId: string | undefined,
  userPoolId: string,
  neverMatches: (index: number) => boolean = () => false,
): RuleShadow | undefined {
  const rule = rules[index];
  if (!rule) return undefined;
  const v = rule.Value ?? '';
  for (let i = 0; i < index; i += 1) {
    const earlier = rules[i]!;
    if (earlier.RoleARN === rule.RoleARN || neverMatches(i)) continue;
    const label = `rule ${i + 1} (${earlier.Claim} ${earlier.MatchType} ${earlier.Value})`;
    if (ruleMatchesEveryone(earlier, clientId, userPoolId)) {
      return { by: i, severity: 'error', reason: `${label} comes first and matches every Dashboards login, and the first matching rule wins` };
    }
    if (earlier.Claim !== rule.Claim) continue;
    const e = earlier.Value ?? '';
    const t = rule.MatchType;
    let covers = false;
    if (earlier.MatchType === rule.MatchType && e === v) covers = true;
    else if (earlier.MatchType === 'Contains') covers = (t === 'Equals' || t === 'Contains' || t === 'StartsWith') && v.includes(e);
    else if (earlier.MatchType === 'StartsWith') covers = (t === 'Equals' || t === 'StartsWith') && v.startsWith(e);
    else if (earlier.MatchType === 'NotEqual') covers = t === 'Equals' && v !== e;
    if (!covers) continue;
    const list = LIST_CLAIMS.has(rule.Claim ?? '');
    const how = earlier.MatchType === rule.MatchType && e === v ? 'the same test' : `a test that every ${rule.Claim} value matching this rule also passes`;
    return {
      by: i,
      severity: list ? 'warning' : 'error',
      reason: `${label} comes first with ${how}, and the first matching rule wins${list ? ` (assuming Cognito compares ${rule.Claim} as text, as for Contains on group names; not documented)` : ''}`,
    };
  }
  return undefined;
}

/** The OpenSearch app client id, or undefined when it cannot be found or read (other checks report that). */
export function openSearchClientIdOrGap(ctx: CheckContext): string | undefined {
  try {
    return openSearchClientOf(ctx)?.ClientId;
  } catch (error) {
    if (!(error instanceof DataGap)) throw error;
    if (error.gap.kind !== 'not-applicable') ctx.note(error.gap);
    return undefined;
  }
}
