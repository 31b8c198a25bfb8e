// Step 4. Role selection, as the identity pool does it
import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import { roleNameOf } from '../../util/arn.js';
import { ruleClaimProblem } from '../../model/identity.js';
import { asStringList, preferredRoleOf, ruleMatches } from '../claims.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { read, Step, type State } from './step.js';

/** What a rule's claim depends on, for a user whose reads failed. */
function claimSource(claim: string): 'groups' | 'attributes' | undefined {
  if (claim === 'cognito:groups' || claim === 'cognito:roles' || claim === 'cognito:preferred_role') return 'groups';
  if (['iss', 'aud', 'token_use', 'cognito:username'].includes(claim)) return undefined;
  return 'attributes';
}

export function roleSelection(state: State): TraceStep {
  const { snapshot, ctx, identity } = state;
  const step = new Step(4);
  const roles = read(() => ctx.identityPoolRoles());
  if (roles.gap) {
    step.unknown(roles.gap.reason);
    return step.done();
  }
  if (!state.token) {
    step.unknown('the provider of the token is not known (step 3), so neither is its role mapping');
    return step.done();
  }
  const identityPoolId = snapshot.domain.CognitoOptions?.IdentityPoolId ?? '';
  const authenticated = roles.value.Roles?.['authenticated'];
  const key = `${state.token.providerName}:${state.token.clientId}`;
  const mapping: RoleMapping | undefined = roles.value.RoleMappings?.[key];
  Object.assign(step.evidence, {
    mappingKey: key,
    Type: mapping?.Type ?? null,
    AmbiguousRoleResolution: mapping?.AmbiguousRoleResolution ?? null,
    authenticatedRole: authenticated ?? null,
  });
  const claims = identity.claims;
  // A pre token generation Lambda may rewrite the role claims: the traced claims stand for its output.
  const lambda = snapshot.userPool?.LambdaConfig;
  const trigger = lambda?.PreTokenGenerationConfig?.LambdaArn ?? lambda?.PreTokenGeneration;
  if (trigger) {
    step.evidence['preTokenGenerationLambda'] = trigger;
    if (mapping?.Type === 'Token')
      step.note(
        `the user pool runs the pre token generation Lambda ${trigger}: the cognito:preferred_role and cognito:roles it sets choose the role; the claims traced here stand for what it returns`,
      );
    else
      step.note(
        `the user pool runs the pre token generation Lambda ${trigger}, but without a Token mapping for ${key} the identity pool ignores any cognito:preferred_role or cognito:roles it sets`,
        'pre-token-trigger-without-token-mapping',
      );
  }

  const choose = (arn: string | undefined, via: 'default' | 'group' | 'rule', why: string) => {
    if (!arn) {
      step.fail('identity-pool-trust-invalid', `${why}, and identity pool ${identityPoolId} has no authenticated role`, userSees.invalidPool());
      return;
    }
    state.role = { arn, via };
    step.evidence['role'] = arn;
    step.ok(`${why}: role ${roleNameOf(arn)}`);
  };
  const ambiguous = (why: string) => {
    if (mapping?.AmbiguousRoleResolution === 'Deny') {
      step.fail('ambiguous-role-mapping-denied', `${why}, and AmbiguousRoleResolution is Deny`, userSees.ambiguousDenied(state.token!.providerName));
    } else choose(authenticated, 'default', `${why}, so AmbiguousRoleResolution gives the default authenticated role`);
  };

  if (!mapping) {
    const keys = Object.keys(roles.value.RoleMappings ?? {});
    if (keys.length > 0) {
      const configured = new Set((ctx.snapshot.identityPool?.CognitoIdentityProviders ?? []).map((p) => `${p.ProviderName}:${p.ClientId}`));
      const stale = keys.filter((k) => !configured.has(k));
      step.note(
        `RoleMappings has no entry for ${key} (it has ${keys.join(', ')}), so the default role applies`,
        stale.length > 0 ? 'role-mapping-key-mismatch' : undefined,
      );
    }
    const groups = asStringList(claims['cognito:groups']);
    if (
      asStringList(claims['cognito:roles']).length > 0 ||
      (groups.length > 0 && preferredRoleOf((snapshot.userPoolGroups ?? []).filter((g) => groups.includes(g.GroupName ?? ''))).roles.length > 0)
    ) {
      step.note(
        `the user's groups (${groups.join(', ')}) carry roles, but without a Token mapping for this provider the identity pool ignores them`,
        'group-roles-ignored',
      );
    }
    choose(authenticated, 'default', 'no role mapping for this provider');
    return step.done();
  }

  if (mapping.Type === 'Token') {
    const preferred = claims['cognito:preferred_role'];
    const list = asStringList(claims['cognito:roles']);
    Object.assign(step.evidence, {
      'cognito:groups': claims['cognito:groups'] ?? null,
      'cognito:roles': claims['cognito:roles'] ?? null,
      'cognito:preferred_role': preferred ?? null,
    });
    if (typeof preferred === 'string' && preferred !== '') choose(preferred, 'group', 'cognito:preferred_role names the role');
    else if (list.length === 1) choose(list[0], 'group', 'cognito:roles holds a single role');
    else if (identity.unknown.groups) step.unknown(identity.unknown.groups);
    else {
      const names = asStringList(claims['cognito:groups']);
      const tie = preferredRoleOf((snapshot.userPoolGroups ?? []).filter((g) => names.includes(g.GroupName ?? ''))).tie;
      if (tie) {
        const precedence = typeof tie[0]!.Precedence === 'number' ? `precedence ${tie[0]!.Precedence}` : 'no precedence';
        step.note(
          `groups ${tie.map((g) => g.GroupName).join(' and ')} carry different roles and share ${precedence}, so Cognito sets no cognito:preferred_role`,
          'preferred-role-ambiguous',
        );
      }
      ambiguous(
        list.length > 1 ? `the token has ${list.length} roles in cognito:roles and no cognito:preferred_role` : 'the user is in no group that carries a role',
      );
    }
    return step.done();
  }

  const rules = mapping.RulesConfiguration?.Rules ?? [];
  const results: Array<Record<string, unknown>> = [];
  step.evidence['rules'] = results;
  for (const [index, rule] of rules.entries()) {
    const claim = rule.Claim ?? '';
    const label = `rule ${index + 1} (${claim} ${rule.MatchType} ${JSON.stringify(rule.Value ?? '')})`;
    const needs = claimSource(claim);
    if (claims[claim] === undefined && needs && identity.unknown[needs]) {
      step.unknown(`${label} cannot be evaluated: ${identity.unknown[needs]}`);
      return step.done();
    }
    const match = ruleMatches(rule, claims);
    results.push({ rule: index + 1, Claim: claim, MatchType: rule.MatchType, Value: rule.Value, claimValue: match.claimValue ?? null, matched: match.matched });
    if (match.claimValue === undefined) {
      const problem = read(() => ruleClaimProblem(rule, ctx)).value;
      if (rule.MatchType === 'NotEqual')
        step.note(`${label} does not match: the token has no ${claim} claim, and NotEqual is not evaluated on a missing claim`, 'rules-mapping-no-match');
      else if (problem?.severity === 'error')
        step.note(`${label} cannot match: ${problem.reason}${problem.suggestion ? ` (use ${problem.suggestion})` : ''}`, 'rules-mapping-no-match');
    }
    if (match.matched) {
      choose(rule.RoleARN, 'rule', `${label} matches ${JSON.stringify(match.claimValue)}, and the first matching rule wins`);
      return step.done();
    }
  }
  ambiguous(rules.length > 0 ? `none of the ${rules.length} rules matches` : 'the Rules mapping has no rules');
  return step.done();
}
