import type { MappingRule, RoleMapping } from '@aws-sdk/client-cognito-identity';
import {
  addCustomAttributeCommand,
  defineCheck,
  freePrecedences,
  identityPoolArnOf,
  identityPoolRolesRoundTrip,
  openSearchRoleMapping,
  precedenceTies,
  providerNameOf,
  regionOfPoolId,
  roleBearingGroups,
  roleNameOf,
  ruleClaimProblem,
  ruleMatchesEveryone,
  ruleShadowedBy,
  sh,
  userPoolArnOf,
  type GroupType,
  type MessagesOf,
  type ProblemOf,
} from '../src/check-kit.js';

const RBAC_DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac-walkthrough-iam.html',
];
const GROUP_DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
  'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html',
];
const CLAIM_DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html',
];

function updateGroupCommand(userPoolId: string, group: GroupType, precedence: number): string {
  return sh(
    'aws',
    'cognito-idp',
    'update-group',
    '--region',
    regionOfPoolId(userPoolId),
    '--user-pool-id',
    userPoolId,
    '--group-name',
    group.GroupName ?? '',
    '--precedence',
    String(precedence),
    // update-group resets what it is not given: pass the role and description again.
    ...(group.RoleArn ? ['--role-arn', group.RoleArn] : []),
    // A hand-written snapshot may carry anything there; only a string is a description.
    ...(typeof group.Description === 'string' && group.Description ? ['--description', group.Description] : []),
  );
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Who gets what when the mapping cannot choose a role: denied, or the authenticated role. */
interface Fallback {
  AmbiguousRoleResolution: RoleMapping['AmbiguousRoleResolution'];
  /** Roles.authenticated of the identity pool. */
  authenticatedRole?: string;
}

function fallbackOf(d: Fallback): string {
  return d.AmbiguousRoleResolution === 'Deny'
    ? 'are denied'
    : `get the default authenticated role${d.authenticatedRole ? ` ${roleNameOf(d.authenticatedRole)}` : ''}`;
}

/** Role-bearing groups that share a precedence (null: none) while carrying different roles. */
interface PrecedenceTieProblem extends Fallback {
  userPoolId: string;
  mappingKey: string;
  precedence: number | null;
  groups: GroupType[];
  /** The groups the fix renumbers, with the free precedence each gets. */
  renumbered: Array<{ group: GroupType; Precedence: number }>;
}

/** AmbiguousRoleResolution Deny, and some users (or every user) resolve to no role. */
interface DeniedLogins {
  userPoolId: string;
  identityPoolId: string;
  mappingKey: string;
  Type: 'Token' | 'Rules';
  /** Token: the groups that carry a role. */
  roleBearingGroups?: string[];
  /** Rules: the mapping's rules. */
  rules?: MappingRule[];
  everyUser: boolean;
  denied: string[];
}

/** A rule whose Claim the ID token lacks, or that an earlier rule with another role catches first. */
interface UnmatchableRule extends Fallback {
  userPoolId: string;
  identityPoolId: string;
  mappingKey: string;
  ruleIndex: number;
  rule: MappingRule;
  reason: string;
  /** False when the rule may still match for some users (a warning). */
  neverMatches: boolean;
  suggestedClaim?: string;
  shadowedBy?: { ruleIndex: number; rule: MappingRule };
  /** A custom:<name> claim the user pool's schema lacks. */
  missingCustomAttribute?: string;
  /** Identity providers whose AttributeMapping already fills that attribute. */
  attributeMappedBy: string[];
}

function toAuthenticatedRole(identityPoolId: string, key: string): string[] {
  return identityPoolRolesRoundTrip(identityPoolId, '.RoleMappings[$key].AmbiguousRoleResolution = "AuthenticatedRole"', { key });
}

function bothOf(names: string[]): string {
  return names.length === 2 ? `both ${list(names)}` : `two or more of ${names.join(', ')}`;
}

const messages = {
  'preferred-role-ambiguous': {
    message: (d: PrecedenceTieProblem) => {
      const names = d.groups.map((g) => g.GroupName ?? '');
      // Decision rule 16: groups without a precedence rank after every numbered group, so they only tie for users in no numbered role group.
      const who = `users in ${bothOf(names)} (and in no role group with ${d.precedence === null ? 'a precedence' : 'a lower precedence'})`;
      return d.precedence === null
        ? `Groups ${list(names)} carry different roles and have no precedence, so ${who} have no cognito:preferred_role and ${fallbackOf(d)}.`
        : `Groups ${list(names)} carry different roles and share precedence ${d.precedence}, so ${who} have no cognito:preferred_role and ${fallbackOf(d)}.`;
    },
    fix: (d: PrecedenceTieProblem) => {
      const names = list(d.groups.map((g) => g.GroupName ?? ''));
      return {
        summary: `Give ${names} distinct precedences; the commands keep ${d.groups[0]?.GroupName}${d.precedence === null ? ' first' : ` at ${d.precedence}`} — swap the numbers if another group's role should win for users in several groups.`,
        steps: [`Amazon Cognito console → User pools → ${d.userPoolId} → Groups → each of ${names} → Edit → Precedence.`],
        commands: d.renumbered.map(({ group, Precedence }) => updateGroupCommand(d.userPoolId, group, Precedence)),
      };
    },
  },
  'ambiguous-role-mapping-denied': {
    message: (d: DeniedLogins) => {
      if (d.Type === 'Token') {
        return d.everyUser
          ? `The role mapping ${d.mappingKey} chooses the role from the token and denies ambiguous logins, but no group of ${d.userPoolId} carries a role, so every user is denied.`
          : `The role mapping ${d.mappingKey} denies ambiguous logins: ${list(d.denied)} are denied.`;
      }
      const count = d.rules?.length ?? 0;
      return d.everyUser
        ? `The role mapping ${d.mappingKey} denies logins that match no rule, and ${count === 0 ? 'it has no rules' : count === 1 ? 'its only rule cannot match' : `none of its ${count} rules can match`}, so every user is denied.`
        : `The role mapping ${d.mappingKey} denies logins that match no rule: users matching none of its ${count} rule${count === 1 ? '' : 's'} are denied.`;
    },
    fix: (d: DeniedLogins) => {
      const toDefault = `Identity pools → ${d.identityPoolId} → User access → the user pool provider → Edit → Role resolution: Use default authenticated role.`;
      const commands = toAuthenticatedRole(d.identityPoolId, d.mappingKey);
      if (d.Type === 'Rules') {
        return {
          summary: d.everyUser
            ? 'Fix the rules (see rules-mapping-no-match), or let users who match no rule get the authenticated role.'
            : 'Make sure every Dashboards user matches a rule, or let the others get the authenticated role.',
          steps: [`Amazon Cognito console → ${toDefault}`],
          commands,
        };
      }
      if (d.everyUser) {
        return {
          summary: 'Give a group a role and add the Dashboards users to it, or let users without a group role get the authenticated role.',
          steps: [
            `Amazon Cognito console → User pools → ${d.userPoolId} → Groups → create or edit a group, set its IAM role, and add the users.`,
            `Or: ${toDefault}`,
          ],
          commands,
        };
      }
      const groups = list(d.roleBearingGroups ?? []);
      return {
        summary: `Add every Dashboards user to one of ${groups}, or let the others get the authenticated role.`,
        steps: [
          `Amazon Cognito console → User pools → ${d.userPoolId} → Groups → one of ${groups} → Add user to group, for each Dashboards user outside the groups.`,
          `Or: ${toDefault}`,
        ],
        commands,
      };
    },
  },
  'rules-mapping-no-match': {
    message: (d: UnmatchableRule) => {
      const label = `rule ${d.ruleIndex + 1} (${d.rule.Claim} ${d.rule.MatchType} ${d.rule.Value} → ${roleNameOf(d.rule.RoleARN ?? '')})`;
      return d.shadowedBy
        ? `In the role mapping ${d.mappingKey}, ${label} ${d.neverMatches ? 'can never match' : 'may never match'}: ${d.reason}; those users get ${roleNameOf(d.shadowedBy.rule.RoleARN ?? '')} instead.`
        : `In the role mapping ${d.mappingKey}, ${label} ${d.neverMatches ? 'can never match' : 'may not match'}: ${d.reason}; those users ${fallbackOf(d)}.`;
    },
    fix: (d: UnmatchableRule) => {
      const rule = d.rule;
      const missingCustom = d.missingCustomAttribute;
      const addAttribute = missingCustom ? addCustomAttributeCommand(d.userPoolId, missingCustom) : undefined;
      return {
        summary: d.shadowedBy
          ? `Move rule ${d.ruleIndex + 1} before rule ${d.shadowedBy.ruleIndex + 1} (rules are evaluated in order and the first match wins), or narrow rule ${d.shadowedBy.ruleIndex + 1}; keep every other rule and mapping.`
          : d.suggestedClaim
            ? `Change the rule's Claim from ${rule.Claim} to ${d.suggestedClaim}, keeping every other rule and mapping.`
            : missingCustom
              ? `Add ${missingCustom} to ${d.userPoolId} as a custom attribute (a mutable String; custom attributes cannot be removed later)${d.attributeMappedBy.length > 0 ? `: the attribute mapping of ${list(d.attributeMappedBy)} already fills it at each federated sign-in` : ', and give the users a value for it'}, or change the rule to a claim the ID token carries.`
              : rule.MatchType === 'NotEqual'
                ? 'Rewrite the rule as a positive match (Equals, Contains, StartsWith) on a claim every user has, or order it after rules that catch users without the claim.'
                : `Use a claim the ID token carries (see the user pool's attributes; custom ones as custom:<name>), or add ${rule.Claim} as a custom attribute and set it for the users.`,
        steps: [
          ...(addAttribute
            ? [
                `Amazon Cognito console → User pools → ${d.userPoolId} → Sign-up → Custom attributes → Add custom attributes: ${missingCustom!.slice('custom:'.length)}, type String, mutable.`,
              ]
            : []),
          `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → the user pool provider → Edit → Role settings: rule ${d.ruleIndex + 1}.`,
        ],
        ...(d.suggestedClaim
          ? {
              commands: identityPoolRolesRoundTrip(d.identityPoolId, '.RoleMappings[$key].RulesConfiguration.Rules[$index].Claim = $claim', {
                key: d.mappingKey,
                index: d.ruleIndex,
                claim: d.suggestedClaim,
              }),
            }
          : addAttribute
            ? { commands: [addAttribute] }
            : {}),
      };
    },
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'role-resolution',
  title: 'Every Dashboards user resolves to exactly one role',
  description:
    "Follows the role mapping for the OpenSearch provider. Token: role-bearing user pool groups that share a Precedence while carrying different roles leave cognito:preferred_role unset (decision rule 16); groups without a Precedence rank after every numbered group, so two of them with different roles tie with each other (an error like any tie) and one of them beside numbered groups does not tie. Rules: each rule's Claim must be a claim the ID token carries (a standard claim, or an attribute in the user pool's SchemaAttributes, custom ones as custom:<name>); NotEqual rules are not evaluated when the claim is absent; custom:<name> claims the schema (read with the pool, which lists every custom attribute) does not have never match unless a pre token generation Lambda may add them. A rule that an earlier rule with another role always catches first (rules are evaluated in order, the first match wins) never matches; for list claims such as cognito:groups that rests on how Cognito compares the list, so it is a warning. With AmbiguousRoleResolution Deny, names who is denied: every user when no group carries a role or no rule can match, otherwise users outside the role groups or matching no rule.",
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'identityProviders'],
  modes: [
    {
      id: 'ambiguous-role-mapping-denied',
      severity: 'error',
      title: 'The role mapping denies users it cannot give a role',
      symptom: 'NotAuthorizedException: The ambiguous role mapping rules for: <provider> denied this request.',
      cause:
        'AmbiguousRoleResolution is Deny and the user resolves to no role: not in a group with a role (Token), no rule matched (Rules), or several roles with no single best precedence.',
      fix: 'Add the users to a group that carries a role, fix the rules or precedences, or set AmbiguousRoleResolution to AuthenticatedRole.',
      docs: RBAC_DOCS,
    },
    {
      id: 'preferred-role-ambiguous',
      severity: 'error',
      title: 'Role-bearing groups tie on precedence',
      symptom:
        'Users in several groups get the default role (or "The ambiguous role mapping rules for: <provider> denied this request.") instead of the group role they expect.',
      cause:
        'cognito:preferred_role is the role of the group with the single lowest Precedence; when two groups with different roles share it, the claim is not set and AmbiguousRoleResolution applies. Groups without a Precedence rank after every numbered group ("Groups with lower Precedence values take precedence over groups with higher or null Precedence values", CreateGroup reference), so two role groups with different roles and no precedence tie for users in no numbered role group, while a group without a precedence beside a numbered one does not tie (the numbered one wins).',
      fix: 'Give each role-bearing group a distinct Precedence with update-group (passing its role and description again).',
      docs: GROUP_DOCS,
    },
    {
      id: 'rules-mapping-no-match',
      severity: 'error',
      title: 'A role mapping rule can never match',
      symptom:
        'Users who should match a rule get the default authenticated role, or: NotAuthorizedException: The ambiguous role mapping rules for: <provider> denied this request.',
      cause:
        'The rule\'s Claim is not in the ID token: a custom attribute written without the custom: prefix, a claim name of another token (username instead of cognito:username), or an attribute the user pool does not have. A NotEqual rule on a claim the token may lack is not evaluated for those users. Rules are evaluated in order and the first match wins, so a rule after one that catches the same users (a catch-all on aud, or Contains "ops" before Contains "ops-admins") never hands out its role.',
      fix: "Correct the rule's Claim (custom:<name>, cognito:username, ...) or its place in the order, with a get → edit → set round trip that keeps every other mapping.",
      docs: CLAIM_DOCS,
    },
  ],
  messages,
  run(ctx) {
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!userPoolId || !identityPoolId) return [];
    const entry = openSearchRoleMapping(ctx);
    if (!entry) return []; // no mapping: every user gets the authenticated role
    const { key, mapping } = entry;
    const clientId = key.slice(providerNameOf(userPoolId).length + 1);
    const deny = mapping.AmbiguousRoleResolution === 'Deny';
    const authenticatedRole = ctx.identityPoolRoles().Roles?.['authenticated'];
    const fallback: Fallback = { AmbiguousRoleResolution: mapping.AmbiguousRoleResolution, ...(authenticatedRole ? { authenticatedRole } : {}) };
    const poolArn = identityPoolArnOf(ctx.snapshot, identityPoolId);
    const problems: ProblemOf<typeof messages>[] = [];
    const denied: string[] = [];

    if (mapping.Type === 'Token') {
      const groups = ctx.userPoolGroups();
      const withRoles = roleBearingGroups(groups);
      for (const tie of precedenceTies(groups)) {
        const [, ...others] = tie.groups;
        const start = tie.precedence ?? Math.max(-1, ...groups.map((g) => (typeof g.Precedence === 'number' ? g.Precedence : -1)));
        const free = freePrecedences(groups, start, tie.precedence === null ? tie.groups.length : others.length);
        const renumber = tie.precedence === null ? tie.groups : others;
        denied.push(`users in ${bothOf(tie.groups.map((g) => g.GroupName ?? ''))} (their groups tie)`);
        problems.push({
          mode: 'preferred-role-ambiguous',
          resource: userPoolArnOf(ctx.snapshot, userPoolId),
          data: {
            ...fallback,
            userPoolId,
            mappingKey: key,
            precedence: tie.precedence,
            groups: tie.groups,
            renumbered: renumber.map((group, i) => ({ group, Precedence: free[i]! })),
          },
          evidence: {
            precedence: tie.precedence,
            groups: tie.groups.map((g) => ({ GroupName: g.GroupName, RoleArn: g.RoleArn, Precedence: g.Precedence ?? null })),
            AmbiguousRoleResolution: mapping.AmbiguousRoleResolution,
            mappingKey: key,
          },
        });
      }
      if (deny) {
        const names = withRoles.map((g) => g.GroupName ?? '');
        if (names.length > 0) denied.unshift(`users in none of the groups ${list(names)}`);
        const everyUser = names.length === 0;
        const data: DeniedLogins = {
          userPoolId,
          identityPoolId,
          mappingKey: key,
          Type: 'Token',
          roleBearingGroups: names,
          everyUser,
          denied: everyUser ? ['every user'] : denied,
        };
        problems.push({
          mode: 'ambiguous-role-mapping-denied',
          ...(everyUser ? {} : { severity: 'warning' as const }),
          resource: poolArn,
          data,
          evidence: {
            mappingKey: key,
            Type: mapping.Type,
            AmbiguousRoleResolution: 'Deny',
            roleBearingGroups: everyUser ? [] : withRoles.map((g) => g.GroupName),
            denied: data.denied,
          },
        });
      }
      return problems;
    }

    if (mapping.Type !== 'Rules') return problems;
    const rules = mapping.RulesConfiguration?.Rules ?? [];
    let matchable = 0;
    const claimProblems = rules.map((rule) => ruleClaimProblem(rule, ctx));
    // A rule that can never match shadows nothing.
    const neverMatches = (i: number) => claimProblems[i]?.severity === 'error';
    rules.forEach((rule, index) => {
      const claimProblem = claimProblems[index];
      const shadow = claimProblem ? undefined : ruleShadowedBy(rules, index, clientId, userPoolId, neverMatches);
      const problem = claimProblem ?? (shadow ? { severity: shadow.severity, reason: shadow.reason } : undefined);
      if (!problem || problem.severity === 'warning') matchable += 1;
      if (!problem) return;
      const shadowedBy = shadow ? { ruleIndex: shadow.by, rule: rules[shadow.by]! } : undefined;
      const suggestedClaim = claimProblem?.suggestion;
      const missingCustom = claimProblem?.missingCustomAttribute;
      // An identity provider that already maps the attribute fills it once the pool has it.
      const attributeMappedBy = missingCustom
        ? (ctx.snapshot.identityProviders ?? []).filter((p) => p.AttributeMapping?.[missingCustom] !== undefined).map((p) => p.ProviderName ?? '')
        : [];
      problems.push({
        mode: 'rules-mapping-no-match',
        severity: problem.severity,
        resource: poolArn,
        data: {
          ...fallback,
          userPoolId,
          identityPoolId,
          mappingKey: key,
          ruleIndex: index,
          rule,
          reason: problem.reason,
          neverMatches: problem.severity === 'error',
          ...(suggestedClaim ? { suggestedClaim } : {}),
          ...(shadowedBy ? { shadowedBy } : {}),
          ...(missingCustom ? { missingCustomAttribute: missingCustom } : {}),
          attributeMappedBy,
        },
        evidence: {
          mappingKey: key,
          ruleIndex: index,
          rule,
          reason: problem.reason,
          ...(suggestedClaim ? { suggestedClaim } : {}),
          ...(shadowedBy ? { shadowedBy } : {}),
        },
      });
    });
    if (deny && !rules.some((r) => ruleMatchesEveryone(r, clientId, userPoolId))) {
      const everyUser = matchable === 0;
      const data: DeniedLogins = {
        userPoolId,
        identityPoolId,
        mappingKey: key,
        Type: 'Rules',
        rules,
        everyUser,
        denied: [everyUser ? 'every user' : 'users matching no rule'],
      };
      problems.push({
        mode: 'ambiguous-role-mapping-denied',
        ...(everyUser ? {} : { severity: 'warning' as const }),
        resource: poolArn,
        data,
        evidence: { mappingKey: key, Type: 'Rules', AmbiguousRoleResolution: 'Deny', rules, denied: data.denied },
      });
    }
    return problems;
  },
});
