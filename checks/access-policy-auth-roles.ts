import {
  accessPolicyUpdate,
  accountIdOf,
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
  fixForRole,
  identityPolicyCommand,
  otherAccountOfRole,
  ownDenySteps,
  parsePolicy,
  PolicyParseError,
  placeOf,
  principalsOf,
  readAccessPolicy,
  roleNameOf,
  rolesUsersGet,
  statementEvidence,
  statementLabel,
  type AccessProbe,
  type DashboardsAccessResult,
  type DenyEdits,
  type DomainPlace,
  type Fix,
  type PolicyDocument,
  type PolicyStatementRef,
  type RoleGrant,
  type Severity,
  type Snapshot,
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

/**
 * The one change of the whole access policy that lets every failing role in (catalog G4: the policy
 * is replaced whole, so separate commands would undo each other); every role's finding carries it.
 */
interface PolicyChange {
  place: DomainPlace;
  /** How the Denies that block a role are narrowed or removed, as the access-policy engine words it. */
  denyChanges: string[];
  /** Roles the new policy grants es:ESHttp* on <domain ARN>/*. */
  addRoles: string[];
  /** The whole new access policy; null when the access policy needs no change. */
  policy: PolicyDocument | null;
}

/** A role Cognito users get whose Dashboards requests are refused. */
interface RefusedRole {
  place: DomainPlace;
  roleArn: string;
  /** Who gets the role (the authenticated users, a group, a rule). */
  users: string[];
  /** The session ARN the users sign their requests with. */
  session: string;
  policyChange: PolicyChange;
}

/** A Deny of the access policy or of the role's own policies matches the role's requests. */
interface DeniedRole extends RefusedRole {
  blockedBy: 'deny';
  denies: PolicyStatementRef[];
  requests: AccessProbe[];
  /** The Deny applies because its NotPrincipal names the role or account, not the session. */
  notPrincipal: boolean;
  dashboardsBlocked: boolean;
}

/** The role's permissions boundary does not allow the requests. */
interface BoundedRole extends RefusedRole {
  blockedBy: 'boundary';
  PermissionsBoundary: string;
  /** The boundary's document, when it was read and parses. */
  boundaryDocument: PolicyDocument | null;
  requests: AccessProbe[];
  dashboardsBlocked: boolean;
}

/** Statements admit the role, but not every request Dashboards sends. */
interface NarrowGrant extends RefusedRole {
  /** Whether access-policy statements (rather than the role's own policies) name the role. */
  accessPolicyNamesRole: boolean;
  notCovered: AccessProbe[];
  /** A statement's Resource is the bare domain ARN, which covers no subresource. */
  bareDomainArn: boolean;
}

/** No statement admits the role, or only the account principal does and the role's own policies do not allow it. */
interface RoleNotAdmitted extends RefusedRole {
  throughAccount: boolean;
  /** The role's account when it is not the domain's: only the access policy can admit it then. */
  otherAccount: string | null;
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
  messages: {
    'explicit-deny-blocks-auth-role': {
      message: (d: DeniedRole | BoundedRole) => {
        const role = roleNameOf(d.roleArn);
        const who = d.users.join(', ');
        if (d.blockedBy === 'boundary') {
          return `The permissions boundary ${d.PermissionsBoundary} of ${role} does not allow ${describeProbes(d.requests)}: a boundary caps what the role's sessions may do, grants of the access policy included, ${d.dashboardsBlocked ? 'so Dashboards is blocked' : 'so saving or deleting saved objects fails'} for ${who}.`;
        }
        const labels = d.denies.map(statementLabel).join(' and ');
        const effect = d.dashboardsBlocked
          ? 'so Dashboards is blocked for them'
          : 'so Dashboards loads and searches, but saving or deleting saved objects (index patterns, visualizations, dashboards) fails for them';
        const message = d.notPrincipal
          ? `${labels} denies every principal its NotPrincipal does not list, and it does not list ${d.session}, the session Cognito users of ${role} (${who}) sign their requests with. IAM documents that naming the role or its account in NotPrincipal may not exempt the role's sessions, and OpenSearch Service does not support NotPrincipal in access policies, so ${describeProbes(d.requests)} may be denied (${d.dashboardsBlocked ? 'Dashboards blocked' : 'saving or deleting saved objects fails'}).`
          : `${labels} denies ${role} (${who}) ${describeProbes(d.requests)}, ${effect}.`;
        return capitalize(message);
      },
      fix: (d: DeniedRole | BoundedRole) => {
        if (d.blockedBy === 'boundary') return roleBoundaryFix(d.place, d.roleArn, d.PermissionsBoundary, d.boundaryDocument ?? undefined);
        const inRole = d.denies.filter((deny) => deny.policy !== 'access policy');
        return withRoleSteps(policyFix(d.policyChange), inRole, d.roleArn, inRole.length === d.denies.length);
      },
    },
    'access-policy-resource-or-action-too-narrow': {
      message: (d: NarrowGrant) =>
        `${d.accessPolicyNamesRole ? 'The access policy' : "The role's own IAM policies"} admit${d.accessPolicyNamesRole ? 's' : ''} ${roleNameOf(d.roleArn)} (${d.users.join(', ')}) but not ${describeProbes(d.notCovered)}: it needs es:ESHttp* on ${domainArnOf(d.place)}/*${d.bareDomainArn ? ' (a Resource of the bare domain ARN covers no subresource: the trailing /* matters)' : ''}.`,
      fix: (d: NarrowGrant) => policyFix(d.policyChange),
    },
    'auth-role-not-in-access-policy': {
      message: (d: RoleNotAdmitted) => {
        const role = roleNameOf(d.roleArn);
        const who = d.users.join(', ');
        const domainArn = domainArnOf(d.place);
        return d.throughAccount
          ? `The access policy admits account ${domainArn.split(':')[4] ?? ''} only through each principal's own IAM policies, and no policy of ${role} (${who}) allows es:ESHttp* on ${domainArn}/*.`
          : `No statement of the access policy of ${d.place.domain.DomainName} admits ${role} (${who}): their Dashboards requests as ${d.session} are denied.`;
      },
      fix: (d: RoleNotAdmitted) => {
        const fix = policyFix(d.policyChange);
        const role = roleNameOf(d.roleArn);
        const domainArn = domainArnOf(d.place);
        if (d.throughAccount) {
          return fixForRole(d.place, d.roleArn, {
            summary: `Give ${role} an identity policy that allows es:ESHttp* on ${domainArn}/* (the access policy already delegates to IAM), or add it to the access policy.`,
            steps: [
              `IAM console → Roles → ${role} → Add permissions → Create inline policy: Action es:ESHttp*, Resource ${domainArn}/*.`,
              ...(fix.commands ?? []).map((c) => `Alternatively, add the role to the whole access policy: ${c}`),
            ],
            commands: [roleIdentityPolicyCommand(d.place, d.roleArn)],
            iac: fix.iac,
          });
        }
        // A role of another account needs the access policy to name it: its own policies are not enough.
        if (d.otherAccount) return fix;
        return {
          ...fix,
          steps: [
            ...(fix.steps ?? []),
            `Alternatively, give the role an identity policy (same account, so it is enough while no Deny matches): ${roleIdentityPolicyCommand(d.place, d.roleArn)}`,
          ],
        };
      },
    },
  },
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
    const policyChange = policyChangeOf(snapshot, policy, failing);
    const place = placeOf(snapshot);
    const domainArn = domainArnOf(snapshot);
    const problems = [];

    for (const { grant, result } of failing) {
      const access = result.access;
      const [home] = dashboardsProbes(snapshot);
      const refused: RefusedRole = { place, roleArn: grant.roleArn, users: grant.who, session: result.sessionArn, policyChange };
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
        const notPrincipal = access.notPrincipal === true;
        const data: DeniedRole = { ...refused, blockedBy: 'deny', denies, requests: access.requests, notPrincipal, dashboardsBlocked: blocking };
        problems.push({
          mode: 'explicit-deny-blocks-auth-role' as const,
          // A partial Deny is a deliberate guard on some operations; a NotPrincipal Deny's effect on the domain is not documented.
          severity: blocking && !notPrincipal ? severity : ('warning' as const),
          resource: inRole.length > 0 && inRole.length === denies.length ? grant.roleArn : domainArn,
          data,
          evidence: {
            ...base,
            denies: denies.map(statementEvidence),
            deniedRequests: access.requests.map((p) => `${p.action} ${p.resource}`),
            dashboardsBlocked: blocking,
            ...(notPrincipal
              ? {
                  notPrincipal:
                    'the Deny applies unless NotPrincipal exempts the session; it lists the role or account, not the session ARN (IAM User Guide, NotPrincipal), and OpenSearch Service does not support NotPrincipal (ac.md)',
                }
              : {}),
          },
        });
      } else if (access.outcome === 'boundary') {
        const blocking = blocksDashboards(access.requests);
        const data: BoundedRole = {
          ...refused,
          blockedBy: 'boundary',
          PermissionsBoundary: access.boundary,
          boundaryDocument: boundaryDocumentOf(snapshot, grant.roleArn) ?? null,
          requests: access.requests,
          dashboardsBlocked: blocking,
        };
        problems.push({
          mode: 'explicit-deny-blocks-auth-role' as const,
          severity: blocking ? severity : ('warning' as const),
          resource: grant.roleArn,
          data,
          evidence: {
            ...base,
            permissionsBoundary: access.boundary,
            deniedRequests: access.requests.map((p) => `${p.action} ${p.resource}`),
            dashboardsBlocked: blocking,
          },
        });
      } else if (access.outcome === 'too-narrow') {
        const data: NarrowGrant = {
          ...refused,
          accessPolicyNamesRole: access.statements.length > 0,
          notCovered: access.notCovered,
          bareDomainArn: access.statements.some((ref) => [ref.statement.Resource].flat().includes(domainArn)),
        };
        problems.push({
          mode: 'access-policy-resource-or-action-too-narrow' as const,
          severity,
          resource: domainArn,
          data,
          evidence: {
            ...base,
            namingStatements: access.statements.map(statementEvidence),
            notCovered: access.notCovered.map((p) => `${p.action} ${p.resource}`),
            required: { Action: 'es:ESHttp*', Resource: `${domainArn}/*` },
          },
        });
      } else {
        // account-only or not-in-policy
        const throughAccount = access.outcome === 'account-only';
        const data: RoleNotAdmitted = { ...refused, throughAccount, otherAccount: otherAccountOfRole(snapshot, grant.roleArn) ?? null };
        problems.push({
          mode: 'auth-role-not-in-access-policy' as const,
          severity,
          resource: throughAccount ? grant.roleArn : domainArn,
          data,
          evidence: {
            ...base,
            accessPolicy: policy ? { statements: policy.Statement.length, principals: principalsOf(policy) } : 'none (AccessPolicies is empty)',
            ...(access.outcome === 'account-only' ? { accountStatements: access.statements.map(statementEvidence) } : {}),
            ...(base.rolePoliciesRead ? {} : { note: "the role's own policies were not read: decided on the access policy alone" }),
          },
        });
      }
    }
    return problems;
  },
});

function roleIdentityPolicyCommand(place: DomainPlace, roleArn: string): string {
  return identityPolicyCommand(place, { kind: 'role', name: roleNameOf(roleArn) }, 'opensearch-dashboards-access');
}

/** The role's permissions boundary document, when it was read and parses. */
function boundaryDocumentOf(snapshot: Snapshot, roleArn: string): PolicyDocument | undefined {
  try {
    return parsePolicy(snapshot.rolePolicies?.[roleArn]?.boundary?.Document);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    return undefined;
  }
}

/** Let the role's permissions boundary allow what Dashboards sends (in the role's account, so through fixForRole). */
function roleBoundaryFix(place: DomainPlace, roleArn: string, boundaryArn: string, document: PolicyDocument | undefined): Fix {
  return fixForRole(place, roleArn, boundaryFix(place, { kind: 'role', name: roleNameOf(roleArn) }, boundaryArn, document));
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
 * One whole-policy change for every failing role (catalog G4: the policy is replaced whole, so
 * separate commands would undo each other): Denies in the access policy that block a role are
 * narrowed (their covering Resource entries dropped) or removed, and one statement grants
 * es:ESHttp* on <domain ARN>/* to every role still not let in.
 */
function policyChangeOf(snapshot: Snapshot, policy: PolicyDocument | undefined, failing: Failing[]): PolicyChange {
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
  const changed = remove.length + replace.size + addRoles.length > 0;
  return {
    place: placeOf(snapshot),
    denyChanges: changes,
    addRoles,
    policy: changed ? editedAccessPolicy(snapshot, policy, { remove, replace, addRoles }) : null,
  };
}

/** The whole-policy change as a fix: the complete new policy, or none when only the roles' own policies need a change. */
function policyFix(change: PolicyChange): Fix {
  const domainArn = domainArnOf(change.place);
  const changes = [
    ...change.denyChanges,
    ...(change.addRoles.length > 0 ? [`adds a statement allowing es:ESHttp* on ${domainArn}/* to ${change.addRoles.map(roleNameOf).join(', ')}`] : []),
  ];
  const commands = change.policy ? [accessPolicyUpdate(change.place, change.policy)] : [];
  return {
    summary:
      commands.length > 0
        ? `Replace the access policy with the complete policy below: it keeps every other statement, ${changes.join('; ')}. One command covers every role this check lists.`
        : "Change the role's own policies as the steps say; the access policy needs no change.",
    steps: [
      `OpenSearch console → Domains → ${change.place.domain.DomainName} → Security configuration → Edit → Access policy (JSON): ${changes.join('; ') || 'no change'}.`,
      `Dashboards users send es:ESHttp* requests to ${domainArn}${dashboardsPath(change.place.domain)} and the Dashboards index; the trailing /* in the Resource is required.`,
    ],
    commands,
    iac: 'If CloudFormation (AccessPolicies), Terraform (access_policies / aws_opensearch_domain_policy) or the CDK manages the domain, make the same change there, or the next deployment restores the old policy.',
  };
}
