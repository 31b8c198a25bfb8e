import {
  accessPolicyUpdate,
  addDenyEdits,
  boundaryFix,
  capitalize,
  DataGap,
  dashboardsAccessOf,
  dashboardsPath,
  dashboardsProbes,
  defineCheck,
  describeProbes,
  domainArnOf,
  editedAccessPolicy,
  fgacDecidesAccess,
  fgacEnabled,
  identityPolicyCommand,
  ownDenySteps,
  parsePolicy,
  PolicyParseError,
  principalsOf,
  readAccessPolicy,
  roleNameOf,
  rolesUsersGet,
  statementEvidence,
  statementLabel,
  type DashboardsAccessResult,
  type DenyEdits,
  type FindingInput,
  type Fix,
  type PolicyDocument,
  type PolicyStatementRef,
  type RoleGrant,
  type Severity,
  type Snapshot,
  fixForRole,
  otherAccountOfRole,
  accountIdOf,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html',
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
];

const DENIED = '{"Message":"User: arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials is not authorized to perform: es:ESHttpGet"}';

type Failing = { grant: RoleGrant; result: DashboardsAccessResult };

/**
 * Whether denied requests stop Dashboards itself: the home page, or the GET and POST requests it
 * loads saved objects and searches with (_search, _msearch, _mget). A Deny of PUT, DELETE or HEAD
 * alone leaves Dashboards usable; saving or deleting objects then fails.
 */
function blocksDashboards(probes: Array<{ action: string }>): boolean {
  return probes.some((p) => /^es:ESHttp(?:Get|Post)$/i.test(p.action));
}

export default defineCheck({
  id: 'access-policy-auth-roles',
  title: 'The domain access policy lets every role Cognito users get use Dashboards',
  description:
    "For each role users actually get (the identity pool's authenticated role, or the group or rule roles its RoleMappings entry for the OpenSearch app client hands out), evaluates the request a Dashboards user makes: the session arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials doing es:ESHttpGet on <domain ARN>/_dashboards/app/home (/_plugin/kibana/app/kibana on Elasticsearch), then GET, POST, PUT, DELETE and HEAD on <domain ARN>/.kibana/_search, against domain.AccessPolicies and, when rolePolicies holds the role, its own permission policies and boundary (a same-account identity Allow grants access, as IAM does; without them the access policy decides alone and the evidence says so). " +
    'The request carries the context IAM would know (aws:PrincipalArn, aws:PrincipalAccount, aws:ResourceAccount, aws:SecureTransport when HTTPS is enforced); aws:SourceIp and other network conditions are read as met, because an address restriction is a deliberate boundary and cogdoctor cannot know where users connect from; a decision that hangs on another unknown key, or on a condition operator cogdoctor cannot evaluate, is left not evaluated. A role of another account needs the access policy to admit it: its own policies alone are not enough. ' +
    'One id per role, most specific first (decision rule 10): a matching Deny, or a permissions boundary that alone keeps the session out (it caps grants of the access policy too) → explicit-deny-blocks-auth-role; an Allow that names the role (or everyone) but misses part of es:ESHttp* on <domain ARN>/* → access-policy-resource-or-action-too-narrow; otherwise auth-role-not-in-access-policy. ' +
    'Not applicable when fine-grained access control is on and the policy admits every caller (from its listed addresses, for an IP-based one): FGAC decides then. When only the account principal admits the role and its own policies were not read, the role is not evaluated. Severity is error when no role users get passes, warning when others do. ' +
    'A Deny that refuses only PUT, DELETE or HEAD leaves Dashboards usable (it loads with GET and POST): explicit-deny-blocks-auth-role at warning severity, naming the refused operations. ' +
    'A Deny with NotPrincipal that names the role or its account but not the session ARN: IAM documents that such a NotPrincipal may not exempt the role\'s sessions, and OpenSearch Service does not support NotPrincipal (ac.md), so it is explicit-deny-blocks-auth-role at warning severity, with a fix that rewrites it as Principal "*" and an aws:PrincipalArn condition.',
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'roles', 'rolePolicies'],
  modes: [
    {
      id: 'auth-role-not-in-access-policy',
      severity: 'error',
      title: 'The Cognito role is not in the domain access policy',
      symptom: DENIED,
      cause:
        'The authenticated (or group/rule) role users get has no es:ESHttp* permission on the domain: no statement of the access policy names it, and none of its own IAM policies allows it. OpenSearch Dashboards either does not load at all or does not work.',
      fix: 'Add a statement for the role (es:ESHttp* on <domain ARN>/*) to the whole access policy, or give the role an identity policy with the same action and resource.',
      docs: DOCS,
    },
    {
      id: 'access-policy-resource-or-action-too-narrow',
      severity: 'error',
      title: 'The access policy names the Cognito role but too narrowly',
      symptom: `${DENIED}, or Dashboards partly works (reads succeed, saving objects fails)`,
      cause:
        'A statement names the role (or everyone), but its Resource is the bare domain ARN (resource policies apply only to subresources: the trailing /* matters), a path such as /_dashboards*, or its Action lists only some of the es:ESHttp* verbs.',
      fix: 'Cover es:ESHttp* on <domain ARN>/* for the role, keeping every other statement of the policy.',
      docs: DOCS,
    },
    {
      id: 'explicit-deny-blocks-auth-role',
      severity: 'error',
      title: 'A Deny blocks the Cognito role',
      symptom:
        '{"Message":"User: arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials is not authorized to perform: es:ESHttpGet with an explicit deny"}',
      cause:
        'A Deny statement matches the Dashboards requests of the role: the "block Kibana" configuration (Deny on /_plugin/kibana* or /_dashboards*), a blanket Deny with a condition, or a Deny in the role\'s own policies or permissions boundary. An explicit Deny wins over every Allow.',
      fix: 'Narrow the Deny so it no longer covers the Dashboards paths for the role, or remove it; re-apply the whole access policy.',
      docs: [...DOCS, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html'],
    },
  ],
  run(ctx) {
    const snapshot = ctx.snapshot;
    const policy = readAccessPolicy(snapshot);
    if (fgacDecidesAccess(snapshot, policy)) {
      throw new DataGap({
        kind: 'not-applicable',
        reason: 'fine-grained access control is on and the access policy admits every caller: FGAC role mappings decide who gets in',
      });
    }

    const failing: Failing[] = [];
    let passing = 0;
    for (const grant of rolesUsersGet(ctx)) {
      const lookup = ctx.lookupRole(grant.roleArn);
      const result = dashboardsAccessOf(snapshot, policy, grant.roleArn, ctx.rolePolicies(grant.roleArn), lookup.state === 'found' ? lookup.role : undefined);
      if (result.access.outcome === 'undecided') {
        const recorded = ctx.snapshot.rolePolicies?.[grant.roleArn];
        // An attached policy whose document read failed: unknown, like any failed read (decision rule 2).
        const failed = (recorded?.attached ?? [])
          .filter((p) => (p.Document === undefined || p.Document === null) && typeof p.PolicyArn === 'string')
          .map((p) => ctx.readError('iam:GetPolicyVersion', p.PolicyArn) ?? ctx.readError('iam:GetPolicy', p.PolicyArn))
          .find((error) => error !== undefined);
        ctx.note(
          failed
            ? {
                kind: 'unknown',
                reason: `${grant.roleArn}: ${result.access.reason} (${failed.operation} ${failed.code} on ${failed.resource ?? 'an attached policy'})`,
                permission: failed.operation,
              }
            : {
                kind: 'not-evaluated',
                reason: `${grant.roleArn}: ${result.access.reason}`,
                ...(recorded
                  ? {}
                  : { permission: 'iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy' }),
              },
        );
        continue;
      }
      const elsewhere = otherAccountOfRole(snapshot, grant.roleArn);
      if (result.access.outcome === 'allowed' && elsewhere && !ctx.snapshot.rolePolicies?.[grant.roleArn]) {
        // A request from another account needs the role's own policies to allow it as well as the access policy.
        ctx.note({
          kind: 'unknown',
          reason: `${grant.roleArn} is in account ${elsewhere}: the access policy admits it, but a cross-account request also needs the role's own policies to allow es:ESHttp* on the domain, and they cannot be read from account ${accountIdOf(snapshot)}`,
          permission: 'iam:ListAttachedRolePolicies, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy',
        });
        continue;
      }
      if (result.access.outcome === 'allowed') passing += 1;
      else failing.push({ grant, result });
    }
    if (failing.length === 0) return [];

    const severity: Severity = passing > 0 ? 'warning' : 'error';
    const fix = policyFix(snapshot, policy, failing);
    const domainArn = domainArnOf(snapshot);
    const account = domainArn.split(':')[4] ?? '';

    return failing.map(({ grant, result }): FindingInput => {
      const access = result.access;
      const role = roleNameOf(grant.roleArn);
      const who = grant.who.join(', ');
      const [home] = dashboardsProbes(snapshot);
      const base = {
        roleArn: grant.roleArn,
        users: grant.who,
        session: result.sessionArn,
        request: `${home!.action} ${home!.resource}`,
        fineGrainedAccessControl: fgacEnabled(snapshot.domain),
        rolePoliciesRead: ctx.snapshot.rolePolicies?.[grant.roleArn] !== undefined,
        ...(result.assumptions.length > 0 ? { assumptions: result.assumptions } : {}),
      };
      if (access.outcome === 'explicit-deny') {
        const denies = access.denies;
        const inRole = denies.filter((d) => d.policy !== 'access policy');
        const blocking = blocksDashboards(access.requests);
        const labels = denies.map(statementLabel).join(' and ');
        const effect = blocking
          ? 'so Dashboards is blocked for them'
          : 'so Dashboards loads and searches, but saving or deleting saved objects (index patterns, visualizations, dashboards) fails for them';
        const message = access.notPrincipal
          ? `${labels} denies every principal its NotPrincipal does not list, and it does not list ${result.sessionArn}, the session Cognito users of ${role} (${who}) sign their requests with. IAM documents that naming the role or its account in NotPrincipal may not exempt the role's sessions, and OpenSearch Service does not support NotPrincipal in access policies, so ${describeProbes(access.requests)} may be denied (${blocking ? 'Dashboards blocked' : 'saving or deleting saved objects fails'}).`
          : `${labels} denies ${role} (${who}) ${describeProbes(access.requests)}, ${effect}.`;
        return {
          id: 'explicit-deny-blocks-auth-role',
          // A partial Deny is a deliberate guard on some operations; a NotPrincipal Deny's effect on the domain is not documented.
          severity: blocking && !access.notPrincipal ? severity : 'warning',
          message: capitalize(message),
          resource: inRole.length > 0 && inRole.length === denies.length ? grant.roleArn : domainArn,
          evidence: {
            ...base,
            denies: denies.map(statementEvidence),
            deniedRequests: access.requests.map((p) => `${p.action} ${p.resource}`),
            dashboardsBlocked: blocking,
            ...(access.notPrincipal
              ? {
                  notPrincipal:
                    'the Deny applies unless NotPrincipal exempts the session; it lists the role or account, not the session ARN (IAM User Guide, NotPrincipal), and OpenSearch Service does not support NotPrincipal (ac.md)',
                }
              : {}),
          },
          fix: withRoleSteps(fix, inRole, grant.roleArn, inRole.length === denies.length),
        };
      }
      if (access.outcome === 'boundary') {
        const blocking = blocksDashboards(access.requests);
        return {
          id: 'explicit-deny-blocks-auth-role',
          severity: blocking ? severity : 'warning',
          message: `The permissions boundary ${access.boundary} of ${role} does not allow ${describeProbes(access.requests)}: a boundary caps what the role's sessions may do, grants of the access policy included, ${blocking ? 'so Dashboards is blocked' : 'so saving or deleting saved objects fails'} for ${who}.`,
          resource: grant.roleArn,
          evidence: {
            ...base,
            permissionsBoundary: access.boundary,
            deniedRequests: access.requests.map((p) => `${p.action} ${p.resource}`),
            dashboardsBlocked: blocking,
          },
          fix: roleBoundaryFix(snapshot, grant.roleArn, access.boundary),
        };
      }
      if (access.outcome === 'too-narrow') {
        const missing = access.notCovered.map((p) => `${p.action} ${p.resource}`);
        const bare = access.statements.some((ref) => [ref.statement.Resource].flat().includes(domainArn));
        return {
          id: 'access-policy-resource-or-action-too-narrow',
          severity,
          message: `${access.statements.length > 0 ? 'The access policy' : "The role's own IAM policies"} admit${access.statements.length > 0 ? 's' : ''} ${role} (${who}) but not ${describeProbes(access.notCovered)}: it needs es:ESHttp* on ${domainArn}/*${bare ? ' (a Resource of the bare domain ARN covers no subresource: the trailing /* matters)' : ''}.`,
          resource: domainArn,
          evidence: {
            ...base,
            namingStatements: access.statements.map(statementEvidence),
            notCovered: missing,
            required: { Action: 'es:ESHttp*', Resource: `${domainArn}/*` },
          },
          fix,
        };
      }
      // account-only or not-in-policy
      const named = principalsOf(policy);
      const throughAccount = access.outcome === 'account-only';
      return {
        id: 'auth-role-not-in-access-policy',
        severity,
        message: throughAccount
          ? `The access policy admits account ${account} only through each principal's own IAM policies, and no policy of ${role} (${who}) allows es:ESHttp* on ${domainArn}/*.`
          : `No statement of the access policy of ${snapshot.domain.DomainName} admits ${role} (${who}): their Dashboards requests as ${result.sessionArn} are denied.`,
        resource: throughAccount ? grant.roleArn : domainArn,
        evidence: {
          ...base,
          accessPolicy: policy ? { statements: policy.Statement.length, principals: named } : 'none (AccessPolicies is empty)',
          ...(access.outcome === 'account-only' ? { accountStatements: access.statements.map(statementEvidence) } : {}),
          ...(base.rolePoliciesRead ? {} : { note: "the role's own policies were not read: decided on the access policy alone" }),
        },
        fix: throughAccount
          ? fixForRole(snapshot, grant.roleArn, {
              summary: `Give ${role} an identity policy that allows es:ESHttp* on ${domainArn}/* (the access policy already delegates to IAM), or add it to the access policy.`,
              steps: [
                `IAM console → Roles → ${role} → Add permissions → Create inline policy: Action es:ESHttp*, Resource ${domainArn}/*.`,
                ...(fix.commands ?? []).map((c) => `Alternatively, add the role to the whole access policy: ${c}`),
              ],
              commands: [roleIdentityPolicyCommand(snapshot, grant.roleArn)],
              iac: fix.iac,
            })
          : otherAccountOfRole(snapshot, grant.roleArn)
            ? fix // A role of another account needs the access policy to name it: its own policies are not enough.
            : {
                ...fix,
                steps: [
                  ...(fix.steps ?? []),
                  `Alternatively, give the role an identity policy (same account, so it is enough while no Deny matches): ${roleIdentityPolicyCommand(snapshot, grant.roleArn)}`,
                ],
              },
      };
    });
  },
});

function roleIdentityPolicyCommand(snapshot: Snapshot, roleArn: string): string {
  return identityPolicyCommand(snapshot, { kind: 'role', name: roleNameOf(roleArn) }, 'opensearch-dashboards-access');
}

/** Let the role's permissions boundary allow what Dashboards sends (in the role's account, so through fixForRole). */
function roleBoundaryFix(snapshot: Snapshot, roleArn: string, boundaryArn: string): Fix {
  let document: PolicyDocument | undefined;
  try {
    document = parsePolicy(snapshot.rolePolicies?.[roleArn]?.boundary?.Document);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
  }
  return fixForRole(snapshot, roleArn, boundaryFix(snapshot, { kind: 'role', name: roleNameOf(roleArn) }, boundaryArn, document));
}

/** Console steps for Denies that live in the role's own policies. */
function withRoleSteps(fix: Fix, inRole: PolicyStatementRef[], roleArn: string, onlyInRole: boolean): Fix {
  if (inRole.length === 0) return fix;
  const steps = ownDenySteps({ kind: 'role', name: roleNameOf(roleArn) }, inRole, "the domain's Dashboards requests");
  if (onlyInRole) {
    return {
      summary: `Narrow or remove the Deny in the role's own ${inRole.map((d) => `${d.policy} ${d.policyName ?? ''}`.trim()).join(', ')}; the access policy needs no change for this role.`,
      steps,
      iac: 'If the role is managed as code (an inline policy, a managed policy attachment, a permissions boundary set by a landing-zone baseline), change it there, or the next deployment restores the Deny.',
    };
  }
  return { ...fix, steps: [...steps, ...(fix.steps ?? [])] };
}

/**
 * One whole-policy command for every failing role (catalog G4: the policy is replaced whole, so
 * separate commands would undo each other): Denies in the access policy that block a role are
 * narrowed (their covering Resource entries dropped) or removed, and one statement grants
 * es:ESHttp* on <domain ARN>/* to every role still not let in.
 */
function policyFix(snapshot: Snapshot, policy: PolicyDocument | undefined, failing: Failing[]): Fix {
  const domainArn = domainArnOf(snapshot);
  const edits: DenyEdits = { remove: [], replace: new Map(), changes: [] };
  for (const { result } of failing) {
    if (result.access.outcome === 'explicit-deny')
      addDenyEdits(edits, result.access.denies, result.sessionArn, result.access.requests, result.access.notPrincipal === true);
  }
  const { remove, replace, changes } = edits;
  const withoutDenies = editedAccessPolicy(snapshot, policy, { remove, replace });
  const addRoles = failing
    .filter(({ grant, result }) => {
      // The boundary, not the access policy, keeps that role out.
      if (result.access.outcome === 'boundary') return false;
      if (result.access.outcome !== 'explicit-deny') return true;
      if (result.access.denies.some((d) => d.policy !== 'access policy')) return false;
      // After the Deny is gone, does the rest of the policy let the role in?
      const again = dashboardsAccessOf(snapshot, withoutDenies, grant.roleArn, snapshot.rolePolicies?.[grant.roleArn] ?? undefined);
      return again.access.outcome !== 'allowed';
    })
    .map(({ grant }) => grant.roleArn);
  if (addRoles.length > 0) changes.push(`adds a statement allowing es:ESHttp* on ${domainArn}/* to ${addRoles.map(roleNameOf).join(', ')}`);
  const commands =
    remove.length + replace.size + addRoles.length > 0
      ? [accessPolicyUpdate(snapshot, editedAccessPolicy(snapshot, policy, { remove, replace, addRoles }))]
      : [];
  return {
    summary:
      commands.length > 0
        ? `Replace the access policy with the complete policy below: it keeps every other statement, ${changes.join('; ')}. One command covers every role this check lists.`
        : "Change the role's own policies as the steps say; the access policy needs no change.",
    steps: [
      `OpenSearch console → Domains → ${snapshot.domain.DomainName} → Security configuration → Edit → Access policy (JSON): ${changes.join('; ') || 'no change'}.`,
      `Dashboards users send es:ESHttp* requests to ${domainArn}${dashboardsPath(snapshot.domain)} and the Dashboards index; the trailing /* in the Resource is required.`,
    ],
    commands,
    iac: 'If CloudFormation (AccessPolicies), Terraform (access_policies / aws_opensearch_domain_policy) or the CDK manages the domain, make the same change there, or the next deployment restores the old policy.',
  };
}
