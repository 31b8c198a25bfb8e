import {
  accountIdOf,
  COGNITO_ACCESS_IDENTITY_POOL_ACTIONS,
  COGNITO_ACCESS_USER_POOL_ACTIONS,
  DataGap,
  defineCheck,
  evaluatePolicy,
  evaluateSameAccountAccess,
  identityPoliciesOf,
  identityPoolArnOf,
  isCognitoAccessManagedPolicy,
  parsePolicy,
  partitionOf,
  placeOf,
  PolicyParseError,
  regionOfPoolId,
  roleNameOf,
  serviceRoleUserUses,
  sh,
  userPoolArnOf,
  type ContextValue,
  type DomainPlace,
  type PolicyDocument,
  type Statement,
  fixForRole,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonOpenSearchServiceCognitoAccess.html',
];

interface Identity {
  name: string;
  document: PolicyDocument;
}

interface Request {
  action: string;
  resource: string;
  /** What the resource is, in words. */
  on: string;
  context: Record<string, ContextValue>;
}

interface Refusal {
  action: string;
  on: string;
  resource: string;
  /** The Deny that refuses it, or nothing: no Allow. */
  deniedBy?: { source: string; policy?: string; statement: Statement };
}

/** Which calls of the service the Cognito access role may not make, and what its policies are. */
interface MissingPermissions {
  RoleArn: string;
  DomainName: string;
  refused: Refusal[];
  /** Allow statements that grant a refused action on other resources only. */
  misscoped: Array<{ action: string; policy: string; resources: unknown }>;
  attachedPolicies: Array<string | null>;
  inlinePolicies: Array<string | null>;
  permissionsBoundary?: string;
  /** AmazonOpenSearchServiceCognitoAccess (or the legacy AmazonESCognitoAccess) is attached. */
  managedPolicyAttached: boolean;
  partition: string;
  place: DomainPlace;
}

/** The entries of a list a hand-written snapshot may hold in any shape. */
function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value.filter((v) => v !== null && typeof v === 'object') : [];
}

/** Allow statements that name the action but only on other resources (hedge#237: cognito-idp:* on the es domain ARN). */
function elsewhere(documents: Identity[], request: Request): Array<{ policy: string; resources: unknown }> {
  const found: Array<{ policy: string; resources: unknown }> = [];
  for (const { name, document } of documents) {
    for (const statement of document.Statement) {
      if (statement.Effect !== 'Allow') continue;
      const anywhere: Statement = {
        Effect: 'Allow',
        Resource: '*',
        ...(statement.Action !== undefined ? { Action: statement.Action } : {}),
        ...(statement.NotAction !== undefined ? { NotAction: statement.NotAction } : {}),
      };
      const probe = { principal: { type: 'AWS' as const, arn: '' }, action: request.action, resource: request.resource, context: request.context };
      if (evaluatePolicy({ Statement: [anywhere] }, probe, 'identity').decision !== 'Allow') continue;
      if (evaluatePolicy({ Statement: [statement] }, probe, 'identity').decision === 'Allow') continue;
      found.push({ policy: name, resources: statement.Resource ?? statement.NotResource ?? null });
    }
  }
  return found;
}

export default defineCheck({
  id: 'cognito-access-role-permissions',
  title: 'The Cognito access role (CognitoOptions.RoleArn) may configure the user and identity pools',
  description:
    "OpenSearch Service uses the role in CognitoOptions.RoleArn to create its app client and add it to the identity pool. With the role's permission policies (optional part rolePolicies: attached managed policies, inline policies and the permissions boundary), evaluates with IAM's same-account rules each action of the AWS managed policy AmazonOpenSearchServiceCognitoAccess (or the legacy AmazonESCognitoAccess, which holds the same statements): " +
    'cognito-idp DescribeUserPool, CreateUserPoolClient, DeleteUserPoolClient, UpdateUserPoolClient, DescribeUserPoolClient, AdminInitiateAuth, AdminUserGlobalSignOut, ListUserPoolClients on arn:…:userpool/<UserPoolId>; cognito-identity DescribeIdentityPool, UpdateIdentityPool, GetIdentityPoolRoles on arn:…:identitypool/<IdentityPoolId>; and iam:PassRole to cognito-identity.amazonaws.com on the authenticated role. ' +
    'The managed policy attached counts with its known document when its document was not read; an explicit Deny (inline policy or boundary) still wins. Statements that grant the actions on another resource, such as cognito-idp:* on the es domain ARN, are named in the evidence. ' +
    'A missing iam:PassRole alone is a warning: the developer guide and the managed policy disagree on which identity-pool calls the service makes. Nothing is reported for a role that does not exist (cognito-access-role-untrusted) or that is also a role users get (role confusion: the fix there is a dedicated role, not more permissions). Policies not collected → not evaluated.',
  reads: ['domain', 'userPool', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles', 'rolePolicies'],
  modes: [
    {
      id: 'cognito-access-role-missing-permissions',
      severity: 'error',
      title: 'The Cognito access role lacks permissions on the pools',
      symptom:
        'An error occurred (ValidationException) when calling the CreateDomain operation: User is not authorized to perform: cognito-idp:<action> on resource: user pool',
      cause:
        'The role in CognitoOptions.RoleArn does not have the AmazonOpenSearchServiceCognitoAccess managed policy, and its own policies do not allow every call the service makes on the user pool and identity pool: a hand-written policy that is incomplete, scoped to the OpenSearch domain ARN instead of the pools, or cut by a Deny or a permissions boundary.',
      fix: 'Attach the AWS managed policy AmazonOpenSearchServiceCognitoAccess to the role (and remove any Deny on these actions).',
      docs: DOCS,
    },
  ],
  messages: {
    'cognito-access-role-missing-permissions': {
      message: (d: MissingPermissions) => {
        const byTarget = new Map<string, string[]>();
        for (const r of d.refused) byTarget.set(r.on, [...(byTarget.get(r.on) ?? []), r.action]);
        const missing = [...byTarget].map(([on, actions]) => `${actions.join(', ')} on ${on}`).join('; ');
        const scopedNote =
          d.misscoped.length > 0
            ? ` (${[...new Set(d.misscoped.map((m) => m.policy))].join(', ')} grant${d.misscoped.length === 1 ? 's' : ''} them only on ${[...new Set(d.misscoped.flatMap((m) => [m.resources].flat().map(String)))].join(', ')}, not on the pools)`
            : '';
        return `The Cognito access role ${roleNameOf(d.RoleArn)} (CognitoOptions.RoleArn of ${d.DomainName}) is not allowed ${missing}${scopedNote}, so OpenSearch Service cannot set up or keep its app client and identity-pool provider.`;
      },
      fix: (d: MissingPermissions) => {
        const name = roleNameOf(d.RoleArn);
        const denied = d.refused.filter((r) => r.deniedBy);
        const summary = [
          d.managedPolicyAttached ? undefined : `Attach the AWS managed policy AmazonOpenSearchServiceCognitoAccess to ${name}.`,
          denied.length > 0
            ? `Remove or narrow the Deny that refuses ${denied.map((r) => r.action).join(', ')} (${[...new Set(denied.map((r) => r.deniedBy!.policy ?? r.deniedBy!.source))].join(', ')}).`
            : undefined,
        ].filter(Boolean);
        const managedArn = `arn:${d.partition}:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess`;
        return fixForRole(d.place, d.RoleArn, {
          summary: summary.length > 0 ? summary.join(' ') : `Let the permissions boundary of ${name} allow these actions.`,
          steps: [
            `IAM console → Roles → ${name} → Permissions → Add permissions → Attach policies → AmazonOpenSearchServiceCognitoAccess.`,
            ...(denied.length > 0 ? [`In the same tab, edit the policy that denies ${denied.map((r) => r.action).join(', ')}.`] : []),
            `Then apply the Cognito options of ${d.DomainName} again (OpenSearch Service console → Security configuration → Edit → Save) if the domain change failed.`,
          ],
          commands: d.managedPolicyAttached ? [] : [sh('aws', 'iam', 'attach-role-policy', '--role-name', name, '--policy-arn', managedArn)],
          iac: 'If CloudFormation, CDK or Terraform defines this role, attach the managed policy there (managed_policy_arns / aws_iam_role_policy_attachment), or the next deployment removes it.',
        });
      },
    },
  },
  run(ctx) {
    const options = ctx.domain.CognitoOptions;
    const roleArn = options?.RoleArn;
    const userPoolId = options?.UserPoolId;
    const identityPoolId = options?.IdentityPoolId;
    if (typeof roleArn !== 'string' || typeof userPoolId !== 'string' || typeof identityPoolId !== 'string' || !roleArn || !userPoolId || !identityPoolId)
      return [];
    const snapshot = ctx.snapshot;

    const lookup = ctx.lookupRole(roleArn);
    if (lookup.state === 'not-found') return []; // cognito-access-role-untrusted: the role does not exist
    // Role confusion is cognito-access-role-untrusted's finding; adding the service's permissions to a users' role would make it worse.
    let confusionUnknown: DataGap | undefined;
    try {
      if (serviceRoleUserUses(ctx, roleArn)) return [];
    } catch (error) {
      if (!(error instanceof DataGap)) throw error;
      if (error.gap.kind !== 'not-applicable') confusionUnknown = error;
    }
    // Without GetRole a permissions boundary may be unknown: a pass would not be earned.
    if (lookup.state === 'unreadable') ctx.note(lookup.gap);

    const gaps = ctx.gaps.length;
    const policies = ctx.rolePolicies(roleArn);
    if (!policies) {
      if (ctx.gaps.length === gaps) {
        ctx.note({
          kind: 'not-evaluated',
          reason: `the permission policies of ${roleArn} were not collected: iam:ListAttachedRolePolicies, iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy and iam:GetPolicyVersion would read them`,
          permission: 'iam:ListAttachedRolePolicies',
        });
      }
      return [];
    }
    const partition = partitionOf(snapshot);
    const { documents, unread: unreadable } = identityPoliciesOf(policies, partition);
    let boundary: PolicyDocument | undefined;
    if (policies.boundary?.Document !== undefined && policies.boundary.Document !== null) {
      try {
        boundary = parsePolicy(policies.boundary.Document);
      } catch (error) {
        if (!(error instanceof PolicyParseError)) throw error;
        unreadable.push(`permissions boundary ${policies.boundary.PolicyArn ?? ''} (${error.message})`.trim());
      }
    } else if (policies.boundary?.PolicyArn) {
      unreadable.push(`permissions boundary ${policies.boundary.PolicyArn} (its document was not read)`);
    }

    const account = roleArn.split(':')[4] || accountIdOf(snapshot);
    const userPoolArn = userPoolArnOf(snapshot, userPoolId);
    const identityPoolArn = identityPoolArnOf(snapshot, identityPoolId);
    const base: Record<string, ContextValue> = {
      'aws:PrincipalArn': roleArn,
      'aws:PrincipalAccount': account,
      'aws:PrincipalType': 'AssumedRole',
      'aws:SecureTransport': 'true',
    };
    const requests: Request[] = [
      ...COGNITO_ACCESS_USER_POOL_ACTIONS.map((action) => ({
        action,
        resource: userPoolArn,
        on: `user pool ${userPoolId}`,
        context: { ...base, 'aws:RequestedRegion': regionOfPoolId(userPoolId) },
      })),
      ...COGNITO_ACCESS_IDENTITY_POOL_ACTIONS.map((action) => ({
        action,
        resource: identityPoolArn,
        on: `identity pool ${identityPoolId}`,
        context: { ...base, 'aws:RequestedRegion': regionOfPoolId(identityPoolId) },
      })),
    ];
    const passed = snapshot.identityPoolRoles?.Roles?.['authenticated'];
    if (typeof passed === 'string' && passed) {
      const services = partition === 'aws-us-gov' ? 'cognito-identity-us-gov.amazonaws.com' : 'cognito-identity.amazonaws.com';
      requests.push({ action: 'iam:PassRole', resource: passed, on: `role ${roleNameOf(passed)}`, context: { ...base, 'iam:PassedToService': services } });
    }

    const principal = { type: 'AWS' as const, arn: `arn:${partition}:sts::${account}:assumed-role/${roleNameOf(roleArn)}/OpenSearchService` };
    const refused: Refusal[] = [];
    const unsettled = new Set<string>();
    for (const request of requests) {
      const evaluation = evaluateSameAccountAccess({
        identityPolicies: documents,
        ...(boundary ? { boundary } : {}),
        request: { principal, action: request.action, resource: request.resource, context: request.context },
      });
      if (evaluation.decision === 'Allow') continue;
      const deny = evaluation.decidedBy.find((d) => d.match.effect === 'Deny');
      if (!deny && evaluation.unsupported.length > 0) {
        evaluation.unsupported.forEach((op) => unsettled.add(op));
        continue;
      }
      refused.push({
        action: request.action,
        on: request.on,
        resource: request.resource,
        ...(deny ? { deniedBy: { source: deny.source, ...(deny.policyName ? { policy: deny.policyName } : {}), statement: deny.match.statement } } : {}),
      });
    }
    if (unsettled.size > 0) {
      ctx.note({
        kind: 'unknown',
        reason: `the policies of ${roleArn} use condition operators cogdoctor cannot evaluate (${[...unsettled].join(', ')}); check the Cognito actions by hand`,
      });
    }
    if (refused.length === 0) {
      if (unreadable.length > 0) ctx.note({ kind: 'unknown', reason: `some policies of ${roleArn} could not be evaluated: ${unreadable.join('; ')}` });
      return [];
    }
    // A policy cogdoctor could not read may grant what is missing: no finding on a guess.
    if (unreadable.length > 0) {
      ctx.note({
        kind: 'unknown',
        reason: `${roleArn} seems to lack ${refused.map((r) => r.action).join(', ')}, but some of its policies could not be evaluated: ${unreadable.join('; ')}`,
      });
      return [];
    }

    // Only a finding needs to know the role is not also a users' role.
    if (confusionUnknown) ctx.note(confusionUnknown.gap);
    const misscoped = refused.flatMap((r) => elsewhere(documents, requests.find((q) => q.action === r.action)!).map((e) => ({ action: r.action, ...e })));
    const onlyPassRole = refused.every((r) => r.action === 'iam:PassRole');
    const attachedPolicies = list(policies.attached).map((p) => p.PolicyArn ?? p.PolicyName ?? null);
    const inlinePolicies = list(policies.inline).map((p) => p.PolicyName ?? null);
    const permissionsBoundary = policies.boundary?.PolicyArn || undefined;
    return [
      {
        mode: 'cognito-access-role-missing-permissions',
        ...(onlyPassRole ? { severity: 'warning' as const } : {}),
        resource: roleArn,
        data: {
          RoleArn: roleArn,
          DomainName: ctx.domain.DomainName,
          refused,
          misscoped,
          attachedPolicies,
          inlinePolicies,
          ...(permissionsBoundary ? { permissionsBoundary } : {}),
          managedPolicyAttached: list(policies.attached).some((p) => isCognitoAccessManagedPolicy(p.PolicyArn)),
          partition,
          place: placeOf(snapshot),
        },
        evidence: {
          RoleArn: roleArn,
          notAllowed: refused.map((r) => ({ action: r.action, resource: r.resource, ...(r.deniedBy ? { deniedBy: r.deniedBy } : {}) })),
          attachedPolicies,
          inlinePolicies,
          ...(permissionsBoundary ? { permissionsBoundary } : {}),
          ...(misscoped.length > 0 ? { grantedOnOtherResources: misscoped } : {}),
        },
      },
    ];
  },
});
