import {
  DASHBOARDS_SECURITY_ROLES,
  dashboardsSecurityRole,
  DataGap,
  defineCheck,
  describeUndecided,
  domainArnOf,
  fgacEnabled,
  isElasticsearch,
  isVpcDomain,
  mappingsOfRole,
  placeOf,
  readRolesMapping,
  roleNameOf,
  rolesMappingCreate,
  rolesMappingPatch,
  rolesUsersGet,
  sh,
  type DomainPlace,
  type Fix,
  type ProblemOf,
  type RoleMappingView,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac-iam.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
];

const DASHBOARDS_ROLES: readonly string[] = DASHBOARDS_SECURITY_ROLES;

/** A role users get that lacks a mapping, with what the domain's role mappings hold. */
interface RoleMappingProblem {
  roleArn: string;
  /** Who receives the role, in words. */
  users: string[];
  /** Security roles whose backend_roles match the role. */
  mappedSecurityRoles: string[];
  /** `Cognito/<pool>/<user>` entries in `users`: single users, spared. */
  cognitoUserEntries: RoleMappingView['cognitoUsers'];
  /** The security roles the domain has a mapping for. */
  securityRolesWithMappings: string[];
  /** opensearch_dashboards_user, or kibana_user on Elasticsearch. */
  dashboardsRole: string;
  place: DomainPlace;
}

/** No security role maps the role; entries that nearly do are named. */
interface MissingRole extends RoleMappingProblem {
  /** Entries that list the same role in another IAM path. */
  nearMisses: RoleMappingView['otherPath'];
  /** Security roles that list the role ARN under users, not backend_roles. */
  listedUnderUsers: string[];
}

/**
 * Appends the role (its full ARN, path included) to the mapping of `securityRole`, or creates that
 * mapping when the domain has none yet. None when the mapping or the endpoint cannot be written as
 * a safe URL: the console steps remain.
 */
function patches(d: RoleMappingProblem, securityRole: string): string[] {
  const command = d.securityRolesWithMappings.includes(securityRole)
    ? rolesMappingPatch(d.place, securityRole, d.roleArn)
    : rolesMappingCreate(d.place, securityRole, [d.roleArn]);
  return command === undefined ? [] : [command];
}

function securityApi(place: DomainPlace): string {
  return isElasticsearch(place.domain) ? '_opendistro/_security' : '_plugins/_security';
}

function consoleSteps(d: RoleMappingProblem, securityRole: string): string[] {
  return [
    `Sign in to ${isElasticsearch(d.place.domain) ? 'Kibana' : 'Dashboards'} as a master user → Security → Roles → ${securityRole} → Mapped users → Manage mapping → Backend roles: add ${d.roleArn} (the full ARN, IAM path included) → Map.`,
    `The REST commands replace nothing: PATCH appends to backend_roles of a mapping the domain has, and PUT creates one it does not have yet (a PUT to ${securityApi(d.place)}/api/rolesmapping/${securityRole} once it exists would replace it). Run them with the credentials of a principal mapped to all_access or security_manager${isVpcDomain(d.place.domain) ? ', from a host that reaches the VPC endpoint' : ''}.`,
  ];
}

function masterUserCommand(place: DomainPlace, roleArn: string): string {
  return sh(
    'aws',
    'opensearch',
    'update-domain-config',
    '--region',
    place.region,
    '--domain-name',
    place.domain.DomainName,
    '--advanced-security-options',
    `MasterUserOptions={MasterUserARN=${roleArn}}`,
  );
}

/** The users mapped one by one, who are spared. */
function individually(d: RoleMappingProblem): string {
  const users = [...new Set(d.cognitoUserEntries.flatMap((entry) => entry.users))];
  return users.length === 0 ? '' : `, except the ${users.length === 1 ? 'user' : `${users.length} users`} mapped one by one under users (${users.join(', ')})`;
}

/** The evidence both failure modes start with. */
function mappingEvidence(d: RoleMappingProblem): Record<string, unknown> {
  return {
    roleArn: d.roleArn,
    backendRole: d.roleArn,
    users: d.users,
    mappedSecurityRoles: d.mappedSecurityRoles,
    ...(d.cognitoUserEntries.length > 0
      ? {
          cognitoUserEntries: d.cognitoUserEntries,
          cognitoUserEntriesNote: 'users entries (Cognito/<user pool>/<user>) map single users; backend_roles is what maps everyone who gets the role',
        }
      : {}),
  };
}

function missingRoleEvidence(d: MissingRole): Record<string, unknown> {
  return {
    ...mappingEvidence(d),
    ...(d.nearMisses.length > 0
      ? {
          nearMisses: d.nearMisses,
          pathNote:
            "FGAC sees the backend role as the IAM role ARN with its path (the security plugin's errors show backend_roles=[arn:aws:iam::…:role/service-role/…]); an entry for the same role name in another path, or without the path, does not match it",
        }
      : {}),
    ...(d.listedUnderUsers.length > 0
      ? {
          listedUnderUsers: d.listedUnderUsers,
          usersNote:
            'a users entry matches requests signed with the role itself (user name = role ARN), not Cognito users: they reach FGAC as Cognito/<user pool>/<user> with the role as a backend role (fgac.html, "Mapping roles to users": IAM role ARNs go in backend roles)',
        }
      : {}),
    securityRolesWithMappings: d.securityRolesWithMappings,
  };
}

function missingRoleMessage(d: MissingRole): string {
  const role = roleNameOf(d.roleArn);
  const who = d.users.join(', ');
  if (d.nearMisses.length > 0) {
    const listedElsewhere = d.nearMisses.map((m) => `${m.listed} (${m.securityRole})`).join(', ');
    return `The role mappings list the role ${role} only in another IAM path: ${listedElsewhere}. FGAC compares the full ARN, path included, and sees ${d.roleArn}, so the role's users (${who}) see "Missing Role" after signing in${individually(d)}.`;
  }
  if (d.listedUnderUsers.length > 0) {
    return `The role ARN ${d.roleArn} is listed under users of ${d.listedUnderUsers.join(', ')}, not under backend_roles: IAM role ARNs go in backend_roles, and a Cognito user's user name is Cognito/<user pool>/<user>, so the role's users (${who}) see "Missing Role" after signing in. Move the ARN to backend_roles.`;
  }
  return `No role mapping lists ${d.roleArn} in backend_roles, so the role's users (${who}) see "Missing Role" after signing in${individually(d)}.`;
}

function missingRoleFix(d: MissingRole): Fix {
  const { roleArn, dashboardsRole } = d;
  const asUser = d.listedUnderUsers.length > 0;
  const adminPatches = patches(d, 'all_access');
  // The security roles the mappings meant to give the role: where its ARN stands under users, or in another path.
  const intended = asUser ? d.listedUnderUsers : [...new Set(d.nearMisses.map((m) => m.securityRole))];
  return {
    summary: asUser
      ? `Move ${roleArn} from users to backend_roles of ${d.listedUnderUsers.join(', ')} (a PATCH that appends to backend_roles; remove the users entry afterwards), and map it to ${dashboardsRole} if it is not there yet.`
      : d.nearMisses.length > 0
        ? `Map ${roleArn}, with its path, to ${intended.join(', ')} where the other-path entry stands (a PATCH that appends to backend_roles; run it as a master user), and to ${dashboardsRole} if none of them gives Dashboards access.`
        : `Map ${roleArn} to ${dashboardsRole} plus a data role (readall for read-only access; all_access for administrators) with signed requests run as a master user.`,
    steps: [
      ...consoleSteps(d, dashboardsRole),
      `For administrators, map the role to all_access instead${adminPatches.length > 0 ? `: ${adminPatches.join(' && ')}` : ' (Security → Roles → all_access → Mapped users)'}`,
      `Alternatively make the role the master user, which maps it to all_access (every user who gets it becomes an administrator, and the current master user loses its all_access mapping; check whether the domain uses the internal user database first): ${masterUserCommand(d.place, roleArn)}`,
      `Console for that: OpenSearch console → Domains → ${d.place.domain.DomainName} → Actions → Edit security configuration → Fine-grained access control → Set IAM ARN as master user → ${roleArn}.`,
    ],
    commands:
      intended.length > 0
        ? [...new Set([...intended, ...(intended.some((r) => DASHBOARDS_ROLES.includes(r)) ? [] : [dashboardsRole])])].flatMap((r) => patches(d, r))
        : [...patches(d, dashboardsRole), ...patches(d, 'readall')],
    iac: `If Terraform or CloudFormation sets the master user (master_user_arn / MasterUserARN; the terraform-aws-modules/opensearch module defaults it to the deployer), set it there or add the mapping to your roles-mapping code; otherwise the next apply reverts the change. Role: ${roleNameOf(roleArn)}.`,
  };
}

/** How each failure mode reads. */
const messages = {
  'missing-role': { message: missingRoleMessage, fix: missingRoleFix },
  'dashboards-permissions-not-mapped': {
    message: (d: RoleMappingProblem) =>
      `${roleNameOf(d.roleArn)} (${d.users.join(', ')}) is mapped to ${d.mappedSecurityRoles.join(', ')} but to none of ${DASHBOARDS_ROLES.join(', ')}: Dashboards loads, then its requests fail with "no permissions".`,
    fix: (d: RoleMappingProblem) => ({
      summary: `Map ${d.roleArn} to ${d.dashboardsRole} as well (a PATCH that appends to backend_roles; run it as a master user).`,
      steps: consoleSteps(d, d.dashboardsRole),
      commands: patches(d, d.dashboardsRole),
      iac: 'If the mappings are managed as code (the opensearch_roles_mapping Terraform resource, a custom resource), add the role there, or the next apply removes it.',
    }),
  },
};

export default defineCheck({
  id: 'fgac-role-mappings',
  title: 'Fine-grained access control maps every role Cognito users get, with Dashboards access',
  description:
    "With fine-grained access control on (AdvancedSecurityOptions.Enabled), reads the security plugin's rolesmapping (securityPlugin.rolesMapping) and, for each role users actually get (decision rule 3), looks for the role in the backend_roles of every security role (or in and_backend_roles, when every role it lists matches this one; a users pattern such as * or Cognito/<pool>/* maps everyone), with the plugin's own matching (exact and case-sensitive, * and ? wildcards, /regex/ as a Java regular expression over the whole value; one that needs Java-only or backtracking semantics, such as backreferences or lookaround, leaves that role unknown, naming the pattern). " +
    'A role no backend_roles entry lists → missing-role (decision rule 4: error when no role users get is mapped, warning when only some are; users entries of the form Cognito/<user pool>/<user> map single users and are shown in the evidence but do not count). ' +
    'A role that is mapped, but to none of all_access, opensearch_dashboards_user or kibana_user → dashboards-permissions-not-mapped (decision rule 13; error when no role users get has Dashboards access, warning when some do). ' +
    'Role ARNs are compared as FGAC sees them: the backend role of a Cognito session is the IAM role ARN with its path (arn:<partition>:iam::<account>:role/<path>/<name>), although the assumed-role session ARN carries no path. Evidence: the security plugin\'s own errors name backend roles with their paths, e.g. "no permissions for [indices:data/write/bulk] and User [name=arn:aws:iam::123456789012:role/service-role/KinesisFirehoseServiceRole-…, backend_roles=[arn:aws:iam::123456789012:role/service-role/KinesisFirehoseServiceRole-…]]" for a Firehose delivery role (public reports: aws-samples access-log workshop README, code index id 42571422774; a Firehose log-pipeline README, id 6292187793), and "backend_roles=[arn:aws:iam::…:role/aws-reserved/sso.amazonaws.com/us-west-2/AWSReservedSSO_…]" for an IAM Identity Center role (a CloudFormation generator comment, id 37540573933); the AWS troubleshooting article (repost.aws/knowledge-center/opensearch-fgac-errors) says to map "the user or backend role" the error names. So a mapping must list the full ARN; an entry with the same role name in another path (most often the ARN without the path, as EKS aws-auth needs, which is not how FGAC compares) is a near miss: it maps nothing, and the finding names it. ' +
    'Mappings not collected → not evaluated; a failed read → unknown, naming the caller it needs (mapped to all_access or security_manager) and, for VPC domains, network reach (decision rule 14). Not applicable when fine-grained access control is off.',
  reads: ['domain', 'userPool', 'userPoolClients', 'userPoolGroups', 'identityPool', 'identityPoolRoles', 'securityPlugin'],
  modes: [
    {
      id: 'missing-role',
      severity: 'error',
      title: 'The Cognito role is not mapped in fine-grained access control',
      symptom: 'Missing Role: No roles available for this user, please contact your system administrator.',
      cause:
        "Fine-grained access control is on and the IAM role users get after the Cognito login (the authenticated role, or a group or rule role) is in no role mapping's backend_roles. Typical causes: the master user is another IAM principal (the deployer's role, a CI role) or an internal user, the mapping names an old role ARN, the identity pool hands out a different role than the one mapped, or the mapping lists a role that has an IAM path without that path (arn:aws:iam::<account>:role/X for role/dashboards/X): FGAC sees the backend role as the full role ARN, path included, as the security plugin's own errors show (backend_roles=[arn:aws:iam::<account>:role/service-role/KinesisFirehoseServiceRole-…], backend_roles=[…:role/aws-reserved/sso.amazonaws.com/…/AWSReservedSSO_…]).",
      fix: 'Add the role, by its full ARN with the IAM path, to backend_roles of a security role (opensearch_dashboards_user plus a data role, or all_access for administrators) with a signed PATCH as the master user, or make the role the master user.',
      docs: [...DOCS, 'https://repost.aws/knowledge-center/opensearch-fgac-errors'],
    },
    {
      id: 'dashboards-permissions-not-mapped',
      severity: 'error',
      title: 'The Cognito role has no Dashboards permissions in fine-grained access control',
      symptom:
        '{"statusCode":403,"error":"Forbidden","message":"no permissions for [indices:data/read/search] and User [name=..., backend_roles=[arn:aws:iam::...:role/...], requestedTenant=null]: security_exception"}',
      cause:
        'The role is mapped to data roles only: none of all_access, opensearch_dashboards_user (kibana_user on Elasticsearch) lists it, so Dashboards cannot read or write its own index and panels fail.',
      fix: 'Add the role to backend_roles of opensearch_dashboards_user (kibana_user on Elasticsearch) with a signed PATCH as the master user.',
      docs: [...DOCS, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/handling-errors.html'],
    },
  ],
  messages,
  run(ctx) {
    if (!fgacEnabled(ctx.domain)) {
      throw new DataGap({ kind: 'not-applicable', reason: 'fine-grained access control is off: no security-plugin role mappings apply' });
    }
    const snapshot = ctx.snapshot;
    const rolesMapping = readRolesMapping(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    const views = rolesUsersGet(ctx).map((grant) => ({ grant, view: mappingsOfRole(rolesMapping, grant.roleArn, userPoolId) }));
    if (views.length === 0) return [];

    const resource = domainArnOf(snapshot);
    const mappings = {
      securityRolesWithMappings: Object.keys(rolesMapping).sort(),
      dashboardsRole: dashboardsSecurityRole(snapshot),
      place: placeOf(snapshot),
    };
    const mappedAtAll = views.filter(({ view }) => view.securityRoles.length > 0).length;
    const withDashboards = views.filter(({ view }) => view.securityRoles.some((r) => DASHBOARDS_ROLES.includes(r))).length;
    const problems: Array<ProblemOf<typeof messages>> = [];
    for (const { grant, view } of views) {
      // A pattern that cannot be evaluated may map the role to what it lacks: unknown, not a finding.
      if (view.undecided.length > 0 && !view.securityRoles.some((r) => DASHBOARDS_ROLES.includes(r))) {
        ctx.note({ kind: 'unknown', reason: `whether ${grant.roleArn} is mapped is unknown: ${describeUndecided(view.undecided)}` });
        continue;
      }
      const problem: RoleMappingProblem = {
        roleArn: grant.roleArn,
        users: grant.who,
        mappedSecurityRoles: view.securityRoles,
        cognitoUserEntries: view.cognitoUsers,
        ...mappings,
      };
      if (view.securityRoles.length === 0) {
        const data: MissingRole = { ...problem, nearMisses: view.otherPath, listedUnderUsers: view.asUser };
        problems.push({ mode: 'missing-role', severity: mappedAtAll > 0 ? 'warning' : 'error', resource, data, evidence: missingRoleEvidence(data) });
        continue;
      }
      if (view.securityRoles.some((r) => DASHBOARDS_ROLES.includes(r))) continue;
      problems.push({
        mode: 'dashboards-permissions-not-mapped',
        severity: withDashboards > 0 ? 'warning' : 'error',
        resource,
        data: problem,
        evidence: { ...mappingEvidence(problem), requiredOneOf: [...DASHBOARDS_ROLES] },
      });
    }
    return problems;
  },
});
