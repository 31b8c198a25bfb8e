// `cogdoctor access`: can this IAM principal (or an unsigned caller) send this request to the
// domain? The access policy and the principal's own policies are evaluated as IAM does, and the
// statement that decides is named.
import { CheckContext, DataGap } from '../context/check-context.js';
import { roleNameOf } from '../util/arn.js';
import type { Finding, Fix, Gap } from '../engine/types.js';
import { gapOfFailedRead } from '../snapshot/gaps.js';
import { findingUid } from '../engine/uid.js';
import {
  accessPolicyOf,
  addDenyEdits,
  boundaryFix,
  editedAccessPolicy,
  evaluateAccessQuestion,
  grantStatement,
  identityPoliciesOf,
  identityPolicyCommand,
  ownDenySteps,
  ownPoliciesOf,
  principalsOf,
  requestContext,
  statementEvidence,
  statementLabel,
  statementLabels,
  type AccessCaller,
  type DenyEdits,
  type NamedPolicy,
  type OwnPoliciesRead,
  type PolicyEdit,
  type StatementRef,
} from '../model/access-policy/index.js';
import { domainArnOf, endpointHosts, fgacEnabled } from '../model/domain.js';
import { describeUndecided, mappingsOfRole, securityRolesMatching } from '../model/fgac.js';
import { accessPolicyUpdate } from '../model/fixes.js';
import { sh } from '../model/shell.js';
import { PolicyParseError, type PolicyDocument, type Statement } from '../policy/index.js';
import type { RolesMappingEntry, Snapshot, UserPolicies } from '../snapshot/types.js';
import { ACCESS_MODES } from './modes.js';
import type { AccessPrincipal } from './request.js';

export type { StatementRef };

export type AccessVerdict = 'allowed' | 'denied' | 'unknown';

export interface FgacView {
  /** The request passes the access policy, so FGAC decides. */
  decides: boolean;
  rolesMappingRead: boolean;
  /** Security roles the principal maps to (backend_roles for a role, users for a user). */
  securityRoles?: string[];
  /** backend_roles entries that name the role in another IAM path: they do not map it. */
  nearMisses?: Array<{ securityRole: string; listed: string }>;
  /** Security roles whose patterns cogdoctor cannot evaluate against the principal (a Java regex it cannot run safely). */
  undecided?: Array<{ securityRole: string; pattern: string; reason: string }>;
  /** Why the mappings are not known. */
  reason?: string;
  /** The mapping read was attempted and failed. */
  readFailed?: boolean;
}

export interface AccessResult {
  schema: 'cogdoctor/access/v1';
  tool: { name: 'cogdoctor'; version: string };
  target: { domain: string; region: string; accountId: string; domainArn: string; source: 'live' | 'snapshot'; file?: string };
  request: {
    principal: string;
    kind: AccessPrincipal['kind'];
    /** Who IAM sees: the role session, the user, or anonymous. */
    caller: string;
    action: string;
    resource: string;
    sameAccount: boolean;
  };
  verdict: AccessVerdict;
  /** The layer that refused the request when it is not a policy statement (decidedBy names those). */
  deniedBy?: 'fine-grained access control';
  /** The answer in one sentence. */
  line: string;
  decidedBy: StatementRef[];
  /** The identity policies read (by name); null when they were not read or do not apply. */
  identityPolicies: string[] | null;
  assumptions: string[];
  notes: string[];
  findings: Finding[];
  unknown?: Gap;
  fgac?: FgacView;
}

export interface AccessRunMeta {
  version: string;
  source: 'live' | 'snapshot';
  file?: string;
}

/** The caller's own policies, as the snapshot holds them; `arn` is the role's or user's ARN as IAM has it. */
type Identity = { state: 'read'; arn: string; own: OwnPoliciesRead } | { state: 'not-read'; arn: string; gap: Gap } | { state: 'none' };

const ROLE_READS = 'iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy';
const USER_READS =
  'iam:GetUser, iam:ListAttachedUserPolicies, iam:ListUserPolicies, iam:GetUserPolicy, iam:ListGroupsForUser, iam:ListAttachedGroupPolicies, iam:ListGroupPolicies, iam:GetGroupPolicy, iam:GetPolicy, iam:GetPolicyVersion';

function sameAccount(a: string, b: string): boolean {
  return a.split(':')[4] === b.split(':')[4];
}

/** A failed read of the snapshot's errors, as the reason and the permission to add. */
function failedRead(ctx: CheckContext, operations: string[], resource: string): Gap | undefined {
  for (const operation of operations) {
    const error = ctx.readError(operation, resource) ?? (/Policy$|PolicyVersion$/.test(operation) ? ctx.readError(operation) : undefined);
    if (error) return gapOfFailedRead(error);
  }
  return undefined;
}

/** The role's or user's own policies as the snapshot holds them; a principal that does not exist throws a 'not-applicable' DataGap. */
function identityOf(snapshot: Snapshot, ctx: CheckContext, principal: AccessPrincipal): Identity {
  if (principal.kind === 'anonymous') return { state: 'none' };
  if (principal.kind === 'role') {
    const lookup = ctx.lookupRole(principal.roleArn);
    if (lookup.state === 'not-found') {
      throw new DataGap({
        kind: 'not-applicable',
        reason: `role ${principal.name} does not exist in account ${principal.account} (iam:GetRole ${lookup.error.code}${lookup.error.message ? `: ${lookup.error.message}` : ''})`,
      });
    }
    const arn = lookup.state === 'found' ? (lookup.role.Arn ?? principal.roleArn) : principal.roleArn;
    const entries = Object.entries(snapshot.rolePolicies ?? {});
    const policies = snapshot.rolePolicies?.[arn] ?? entries.find(([key]) => roleNameOf(key) === principal.name && sameAccount(key, arn))?.[1];
    if (policies) return { state: 'read', arn, own: ownPoliciesOf(policies, arn.split(':')[1] ?? 'aws') };
    const gap = failedRead(
      ctx,
      ['iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
      principal.name,
    ) ??
      // A failed GetRole, or a role of another account, says more than "not in the snapshot".
      (lookup.state === 'unreadable' && !/is missing from the snapshot/.test(lookup.gap.reason) ? lookup.gap : undefined) ?? {
        kind: 'unknown' as const,
        reason: `the policies of role ${principal.name} are not in the snapshot (rolePolicies): ${ROLE_READS} would read them`,
        permission: ROLE_READS,
      };
    return { state: 'not-read', arn, gap };
  }
  const user = (snapshot.iamUsers ?? []).find(
    (u) => u.Arn === principal.userArn || (roleNameOf(u.Arn ?? '') === principal.name && sameAccount(u.Arn ?? '', principal.userArn)),
  );
  const getUser = ctx.readError('iam:GetUser', principal.name);
  if (!user && getUser && /NoSuchEntity|NotFound/i.test(getUser.code)) {
    throw new DataGap({
      kind: 'not-applicable',
      reason: `user ${principal.name} does not exist in account ${principal.account} (iam:GetUser ${getUser.code})`,
    });
  }
  const arn = user?.Arn ?? principal.userArn;
  const entries = Object.entries(snapshot.userPolicies ?? {});
  const policies: UserPolicies | undefined =
    snapshot.userPolicies?.[arn] ?? entries.find(([key]) => roleNameOf(key) === principal.name && sameAccount(key, arn))?.[1];
  if (policies) {
    const partition = arn.split(':')[1] ?? 'aws';
    const groups: NamedPolicy[] = (policies.groups ?? []).flatMap((group) =>
      identityPoliciesOf(group, partition).documents.map((p) => ({ ...p, name: `group ${group.GroupName ?? group.Arn ?? '?'}: ${p.name}` })),
    );
    return { state: 'read', arn, own: ownPoliciesOf(policies, partition, 'permissions boundary', groups) };
  }
  const gap = failedRead(
    ctx,
    [
      'iam:GetUser',
      'iam:ListAttachedUserPolicies',
      'iam:ListUserPolicies',
      'iam:GetUserPolicy',
      'iam:ListGroupsForUser',
      'iam:ListAttachedGroupPolicies',
      'iam:ListGroupPolicies',
      'iam:GetGroupPolicy',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
    ],
    principal.name,
  ) ?? {
    kind: 'unknown' as const,
    reason: `the policies of user ${principal.name} are not in the snapshot (iamUsers + userPolicies): ${USER_READS} would read them`,
    permission: USER_READS,
  };
  return { state: 'not-read', arn, gap };
}

/** The caller as the access-policy engine takes it. */
function callerOf(principal: AccessPrincipal, principalArn: string | undefined): AccessCaller {
  if (principal.kind === 'anonymous') return { kind: 'anonymous' };
  if (principal.kind === 'role')
    return { kind: 'role', sessionArn: principal.sessionArn, roleArn: principalArn ?? principal.roleArn, account: principal.account };
  return { kind: 'user', userArn: principal.userArn, account: principal.account };
}

const PRINCIPAL_SID = 'AllowPrincipalHttp';

function principalIdentityPolicyCommand(snapshot: Snapshot, principal: AccessPrincipal): string {
  const who =
    principal.kind === 'user'
      ? { kind: 'user' as const, name: principal.name }
      : { kind: 'role' as const, name: principal.kind === 'role' ? principal.name : '' };
  return identityPolicyCommand(snapshot, who, `opensearch-${snapshot.domain.DomainName}-http`);
}

const IAC =
  'If CloudFormation, Terraform or the CDK manages the domain or the principal, make the same change there, or the next deployment restores the old policy.';

function finding(id: string, message: string, resource: string, evidence: Record<string, unknown>, fix: Fix): Finding {
  const mode = ACCESS_MODES.find((m) => m.id === id)!;
  return {
    id,
    uid: findingUid({ id, resource, message }),
    check: 'access',
    severity: mode.severity,
    title: mode.title,
    symptom: mode.symptom,
    message,
    resource,
    evidence,
    fix,
    docs: mode.docs,
  };
}

function consoleName(principal: AccessPrincipal): string {
  return principal.kind === 'user' ? `Users → ${principal.name}` : principal.kind === 'role' ? `Roles → ${principal.name}` : '';
}

/** How to sign from Node, Python and curl; placeholders only, never credentials. */
function signingFix(snapshot: Snapshot, path: string, action: string): Fix {
  const host = endpointHosts(snapshot.domain).find((h) => h.kind !== 'custom')?.host ?? '<domain-endpoint>';
  const region = domainArnOf(snapshot).split(':')[3] ?? snapshot.region;
  const method = action.replace(/^es:ESHttp/, '').toUpperCase();
  const url = `https://${host}${path === '/*' ? '/' : path}`;
  return {
    summary:
      "Sign every request with SigV4 (service es) using the caller's IAM credentials, then check that principal: cogdoctor access <domain> --principal <its role ARN>.",
    steps: [
      `Node.js: const { Client } = require('@opensearch-project/opensearch'); const { AwsSigv4Signer } = require('@opensearch-project/opensearch/aws'); const { defaultProvider } = require('@aws-sdk/credential-provider-node'); const client = new Client({ ...AwsSigv4Signer({ region: '${region}', service: 'es', getCredentials: () => defaultProvider()() }), node: 'https://${host}' });`,
      `Python: from opensearchpy import OpenSearch, RequestsHttpConnection, AWSV4SignerAuth; import boto3; auth = AWSV4SignerAuth(boto3.Session().get_credentials(), '${region}', 'es'); client = OpenSearch(hosts=[{'host': '${host}', 'port': 443}], http_auth=auth, use_ssl=True, connection_class=RequestsHttpConnection)  (or requests-aws4auth: AWS4Auth(access_key, secret_key, '${region}', 'es', session_token=token))`,
      "In a Lambda function the execution role's credentials are in the environment: the default credential chain picks them up.",
    ],
    commands: [
      [
        'curl',
        '--aws-sigv4',
        sh(`aws:amz:${region}:es`),
        '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
        '-H "x-amz-security-token: $AWS_SESSION_TOKEN"',
        ...(method === 'GET' ? [] : ['-X', method]),
        sh(url),
      ].join(' '),
    ],
  };
}

function fgacView(snapshot: Snapshot, ctx: CheckContext, principal: AccessPrincipal, principalArn: string | undefined, decides: boolean): FgacView {
  let mapping: Record<string, RolesMappingEntry>;
  try {
    mapping = ctx.rolesMapping();
  } catch (error) {
    if (!(error instanceof DataGap)) throw error;
    return { decides, rolesMappingRead: false, reason: error.gap.reason, readFailed: error.gap.kind === 'unknown' };
  }
  let securityRoles: string[];
  let nearMisses: FgacView['nearMisses'] = [];
  let undecided: FgacView['undecided'] = [];
  if (principal.kind === 'role') ({ securityRoles, otherPath: nearMisses, undecided } = mappingsOfRole(mapping, principalArn ?? principal.roleArn));
  else if (principal.kind === 'user') ({ securityRoles, undecided } = securityRolesMatching(mapping, principalArn ?? principal.userArn));
  else {
    securityRoles = snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled
      ? Object.entries(mapping)
          .filter(([, e]) => (e.backend_roles ?? []).includes('opendistro_security_anonymous_backendrole'))
          .map(([name]) => name)
          .sort()
      : [];
  }
  return { decides, rolesMappingRead: true, securityRoles, ...(nearMisses.length > 0 ? { nearMisses } : {}), ...(undecided.length > 0 ? { undecided } : {}) };
}

export function evaluateAccess(snapshot: Snapshot, principal: AccessPrincipal, action: string, path: string, meta: AccessRunMeta): AccessResult {
  const domainArn = domainArnOf(snapshot);
  const resource = `${domainArn}${path}`;
  const domainAccount = domainArn.split(':')[4] ?? '';
  const ctx = new CheckContext(snapshot);
  const crossAccount = principal.kind !== 'anonymous' && principal.account !== domainAccount;
  const callerName = principal.kind === 'anonymous' ? 'anonymous' : principal.kind === 'role' ? principal.sessionArn : principal.userArn;
  const base: AccessResult = {
    schema: 'cogdoctor/access/v1',
    tool: { name: 'cogdoctor', version: meta.version },
    target: {
      domain: snapshot.domain.DomainName,
      region: snapshot.region,
      accountId: domainAccount,
      domainArn,
      source: meta.source,
      ...(meta.file ? { file: meta.file } : {}),
    },
    request: { principal: principal.given, kind: principal.kind, caller: callerName, action, resource, sameAccount: !crossAccount },
    verdict: 'unknown',
    line: '',
    decidedBy: [],
    identityPolicies: null,
    assumptions: [],
    notes: [],
    findings: [],
  };
  const unknown = (gap: Gap, line: string): AccessResult => ({ ...base, verdict: 'unknown', unknown: gap, line });

  let policy: PolicyDocument | undefined;
  try {
    policy = accessPolicyOf(snapshot);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    return unknown(
      { kind: 'unknown', reason: `the domain access policy could not be parsed (${error.message})` },
      'The access policy of the domain cannot be read, so the answer is unknown.',
    );
  }
  const identity = identityOf(snapshot, ctx, principal);
  const principalArn = identity.state === 'none' ? undefined : identity.arn;
  if (identity.state === 'read')
    base.identityPolicies = [
      ...identity.own.policies.map((p) => p.name),
      ...(identity.own.boundary ? [`${identity.own.boundary.name} (permissions boundary)`] : []),
    ];
  if (crossAccount && 'account' in principal)
    base.notes.push(
      `${principal.given} is in account ${principal.account}, not the domain's ${domainAccount}: a cross-account request needs the access policy to allow it, and its own policies too.`,
    );
  if (!policy) base.notes.push('The domain has no access policy.');

  const caller = callerOf(principal, principalArn);
  const question = (accessPolicy: PolicyDocument | undefined) =>
    evaluateAccessQuestion({
      policy: accessPolicy,
      caller,
      own: identity.state === 'read' ? identity.own : identity.state === 'not-read' ? { state: 'not-read' } : { state: 'none' },
      context: requestContext(snapshot, caller, principalArn),
      requests: [{ action, resource }],
      crossAccount,
    });
  const answer = question(policy);
  if (answer.networkRead)
    base.assumptions.push('network conditions (aws:SourceIp, aws:SourceVpc…) were read as met: cogdoctor cannot know where the request comes from');
  base.assumptions.push(...answer.assumptions);
  const verdict = answer.verdict;

  if (verdict.outcome === 'undecided' && verdict.cause === 'condition-keys') {
    return unknown(
      { kind: 'unknown', reason: verdict.reason },
      `Whether ${callerName} may send ${action} to ${resource} depends on condition keys cogdoctor cannot know.`,
    );
  }
  if (verdict.outcome === 'undecided' && verdict.cause === 'condition-operators') {
    return unknown({ kind: 'unknown', reason: verdict.reason }, 'The answer depends on condition operators cogdoctor cannot evaluate.');
  }

  const fgacOn = fgacEnabled(snapshot.domain);
  const withFgac = (result: AccessResult, decides: boolean, passedBy: StatementRef[] = []): AccessResult => {
    if (!fgacOn) return result;
    const view = fgacView(snapshot, ctx, principal, principalArn, decides);
    // The statements that let the request reach FGAC (a denial by FGAC itself lists no deciding statement).
    const open = passedBy.some(
      (d) => d.policy === 'access policy' && d.effect === 'Allow' && (d.statement.Principal === '*' || JSON.stringify(d.statement.Principal).includes('"*"')),
    );
    result.notes.push(
      decides
        ? `Fine-grained access control is on: ${open ? 'the open access policy lets the request through to FGAC' : 'the request passes IAM and reaches FGAC'}, which then decides by the security roles ${result.request.caller} maps to.`
        : 'Fine-grained access control is on, but the request is refused before it reaches FGAC.',
    );
    if (decides && view.rolesMappingRead) {
      result.notes.push(
        view.securityRoles!.length > 0
          ? `FGAC maps ${principal.kind === 'anonymous' ? 'anonymous requests' : principalArn} to ${view.securityRoles!.join(', ')}.`
          : view.undecided
            ? `Whether FGAC maps ${principalArn} to a security role is unknown: ${describeUndecided(view.undecided)}.`
            : principal.kind === 'anonymous'
              ? `FGAC ${snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled ? 'maps anonymous requests to no security role' : 'has anonymous authentication off'}: it refuses unsigned requests.`
              : `No FGAC role mapping lists ${principalArn} (backend_roles for a role, users for a user): FGAC answers 403 "no permissions" to it.`,
      );
      for (const miss of view.nearMisses ?? []) {
        result.notes.push(
          `${miss.securityRole} lists ${miss.listed}, the same role name in another IAM path: FGAC compares the full role ARN, path included, so that entry does not map ${principalArn}.`,
        );
      }
    }
    return { ...result, fgac: view };
  };

  if (verdict.outcome === 'explicit-deny') {
    const denies = verdict.denies;
    const inAccessPolicy = denies.filter((d) => d.policy === 'access policy');
    let fix: Fix;
    if (inAccessPolicy.length > 0 && policy) {
      const edits = addDenyEdits({ remove: [], replace: new Map(), changes: [] } satisfies DenyEdits, inAccessPolicy, callerName, [{ action, resource }]);
      fix = {
        summary: `Narrow or remove ${inAccessPolicy.map(statementLabel).join(' and ')}; the command replaces the access policy with the complete policy, every other statement kept.`,
        steps: [`OpenSearch console → Domains → ${snapshot.domain.DomainName} → Security configuration → Edit → Access policy (JSON).`],
        commands: [accessPolicyUpdate(snapshot, editedAccessPolicy(snapshot, policy, { remove: edits.remove, replace: edits.replace }))],
        iac: IAC,
      };
    } else fix = { summary: "Narrow or remove the Deny in the principal's own policy; the access policy needs no change.", steps: [], iac: IAC };
    if (principal.kind !== 'anonymous') fix.steps!.push(...ownDenySteps({ kind: principal.kind, name: principal.name }, denies, `${action} on ${resource}`));
    const message = `${statementLabels(denies)} denies ${callerName} ${action} on ${resource}: an explicit Deny wins over every Allow.`;
    const result = {
      ...base,
      verdict: 'denied' as const,
      decidedBy: denies,
      line: message,
      findings: [
        finding(
          'principal-explicit-deny',
          message,
          denies.every((d) => d.policy !== 'access policy') && principalArn ? principalArn : domainArn,
          { denies: denies.map(statementEvidence) },
          fix,
        ),
      ],
    };
    return withFgac(result, false);
  }

  if (verdict.outcome === 'allowed') {
    const line = `${statementLabels(verdict.decidedBy)} let${verdict.decidedBy.length === 1 ? 's' : ''} ${callerName} send ${action} to ${resource}.`;
    if (identity.state === 'not-read') {
      return crossAccount
        ? unknown(
            identity.gap,
            `The access policy lets ${callerName} send ${action} to ${resource}; as a principal of account ${principal.account}, its own policies must allow it too, and they could not be read: ${identity.gap.reason}.`,
          )
        : unknown(identity.gap, `${line} Whether a Deny in its own policies blocks it is unknown: ${identity.gap.reason}.`);
    }
    if (answer.notPrincipalDeny) {
      base.notes.push(
        `${statementLabels(answer.notPrincipalDeny.denies)} denies every principal its NotPrincipal does not list, and it lists ${principalArn ?? 'the role'} or its account, not the session ${callerName}: IAM documents that such a NotPrincipal may not exempt the role's sessions, and OpenSearch Service does not support NotPrincipal in access policies, so the request may be denied.`,
      );
    }
    // Past the access policy, FGAC decides; without anonymous authentication it refuses every unsigned request.
    if (principal.kind === 'anonymous' && fgacOn && snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled !== true) {
      const message = `${line.slice(0, -1)}, but fine-grained access control decides next and has anonymous authentication off (AdvancedSecurityOptions.AnonymousAuthEnabled ${String(snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled ?? 'not set')}), so it refuses the unsigned request.`;
      const passed = verdict.decidedBy.map(statementEvidence);
      const result = {
        ...base,
        verdict: 'denied' as const,
        deniedBy: 'fine-grained access control' as const,
        line: message,
        findings: [
          finding(
            'unsigned-request-denied',
            message,
            domainArn,
            {
              deniedBy: 'fine-grained access control',
              AnonymousAuthEnabled: snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled ?? null,
              accessPolicyAllows: passed,
            },
            signingFix(snapshot, path, action),
          ),
        ],
      };
      return withFgac(result, true, verdict.decidedBy);
    }
    return withFgac({ ...base, verdict: 'allowed', decidedBy: verdict.decidedBy, line }, true, verdict.decidedBy);
  }

  // Refused. Without the principal's own policies, an identity Allow could still grant a same-account request.
  if (identity.state === 'not-read' && !crossAccount) {
    const through =
      verdict.outcome === 'undecided'
        ? 'the access policy admits it only through its account principal, so its own policies decide'
        : 'the access policy does not let it in, but an identity policy could (same account)';
    return unknown(identity.gap, `For ${callerName}, ${through}, and they could not be read: ${identity.gap.reason}.`);
  }
  if (verdict.outcome === 'undecided') {
    // The own policies were read, but not all of their documents.
    return unknown({ kind: 'unknown', reason: `${verdict.reason}: ${answer.assumptions.join('; ')}` }, `For ${callerName}, ${verdict.reason}.`);
  }
  const mergedWith = (edit: PolicyEdit, add: boolean): PolicyDocument => {
    const edited = editedAccessPolicy(snapshot, policy, edit);
    return add && principalArn
      ? { ...edited, Statement: [...edited.Statement, grantStatement(snapshot, [principalArn], PRINCIPAL_SID, edited.Statement)] }
      : edited;
  };

  if (principal.kind === 'anonymous') {
    const message = `${resource} refuses ${action} from unsigned requests: they arrive as anonymous, and no statement of the access policy allows Principal "*" for them.`;
    const result = {
      ...base,
      verdict: 'denied' as const,
      line: message,
      findings: [
        finding('unsigned-request-denied', message, domainArn, { accessPolicyStatements: policy?.Statement.length ?? 0 }, signingFix(snapshot, path, action)),
      ],
    };
    return withFgac(result, false);
  }

  const arn = principalArn!;
  const name = principal.name;
  // A permissions boundary caps the principal, grants of the access policy included: when it
  // alone stands in the way, it is the cause, and the access policy needs no change.
  if (verdict.outcome === 'boundary') {
    const message = `The permissions boundary ${verdict.boundary} of ${name} does not allow ${action} on ${resource}: a boundary caps what ${name} may do, grants of the access policy included.`;
    const fix = boundaryFix(
      snapshot,
      { kind: principal.kind, name },
      verdict.boundary,
      identity.state === 'read' ? identity.own.boundary?.document : undefined,
    );
    return withFgac(
      {
        ...base,
        verdict: 'denied',
        line: message,
        decidedBy: [],
        findings: [finding('principal-explicit-deny', message, arn, { permissionsBoundary: verdict.boundary }, fix)],
      },
      false,
    );
  }
  if (verdict.outcome === 'too-narrow') {
    const refs = verdict.statements;
    const naming = refs.map((ref) => ref.statement);
    const bare = naming.filter((s) => [s.Resource].flat().includes(domainArn));
    const replace = new Map<Statement, Statement>(
      bare.map((s) => [s, { ...s, Resource: [s.Resource].flat().map((r) => (r === domainArn ? `${domainArn}/*` : r)) as string[] }]),
    );
    for (const [s, fixed] of replace)
      if (Array.isArray(fixed.Resource) && fixed.Resource.length === 1) replace.set(s, { ...fixed, Resource: fixed.Resource[0]! });
    const repaired = editedAccessPolicy(snapshot, policy, { replace });
    const repairedAllows = question(repaired).verdict.outcome === 'allowed';
    const fixedPolicy = repairedAllows ? repaired : mergedWith({ replace }, true);
    const why =
      bare.length > 0
        ? `its Resource is the bare domain ARN ${domainArn}, which covers no subresource (the trailing /* matters)`
        : `its Resource or Action does not cover ${action} on ${resource}`;
    const message = `${statementLabels(refs)} name${refs.length === 1 ? 's' : ''} ${name}, but ${why}.`;
    const fix: Fix = {
      summary: `Replace the access policy with the complete policy below: ${bare.length > 0 ? `the Resource becomes ${domainArn}/*` : ''}${bare.length > 0 && !repairedAllows ? ', and ' : ''}${!repairedAllows ? `a statement allows es:ESHttp* on ${domainArn}/* to ${name}` : ''}; every other statement is kept.`,
      steps: [`OpenSearch console → Domains → ${snapshot.domain.DomainName} → Security configuration → Edit → Access policy (JSON).`],
      commands: [accessPolicyUpdate(snapshot, fixedPolicy)],
      iac: IAC,
    };
    return withFgac(
      {
        ...base,
        verdict: 'denied',
        line: message,
        decidedBy: [],
        findings: [
          finding(
            'principal-statement-too-narrow',
            message,
            domainArn,
            { namingStatements: refs.map(statementEvidence), required: { Action: action, Resource: resource } },
            fix,
          ),
        ],
      },
      false,
    );
  }

  if (verdict.outcome === 'account-only') {
    const refs = verdict.statements;
    const message = `${statementLabels(refs)} trust${refs.length === 1 ? 's' : ''} account ${domainAccount}, which delegates to IAM, but no policy of ${name} allows ${action} on ${resource}.`;
    const fix: Fix = {
      summary: `Attach an identity policy to ${name} that allows es:ESHttp* on ${domainArn}/* (the access policy already delegates to IAM), or name ${name} in the access policy.`,
      steps: [
        `IAM console → ${consoleName(principal)} → Add permissions → Create inline policy: Action es:ESHttp*, Resource ${domainArn}/*.`,
        `Alternatively, name it in the whole access policy: ${accessPolicyUpdate(snapshot, mergedWith({}, true))}`,
      ],
      commands: [principalIdentityPolicyCommand(snapshot, principal)],
      iac: IAC,
    };
    return withFgac(
      {
        ...base,
        verdict: 'denied',
        line: message,
        findings: [
          finding(
            'principal-account-delegation-without-identity-policy',
            message,
            arn,
            { accountStatements: refs.map(statementEvidence), identityPolicies: base.identityPolicies },
            fix,
          ),
        ],
      },
      false,
    );
  }

  const message = crossAccount
    ? `No statement of the access policy of ${snapshot.domain.DomainName} names ${arn} or its account ${principal.account}: a principal of another account needs the access policy to allow it.`
    : `No statement of the access policy of ${snapshot.domain.DomainName} names ${name}, and none of its own policies allows ${action} on ${resource}.`;
  const fix: Fix = {
    summary: `Add a statement for ${name} (es:ESHttp* on ${domainArn}/*) to the access policy: the command replaces it with the complete policy, every other statement kept.`,
    steps: [
      `OpenSearch console → Domains → ${snapshot.domain.DomainName} → Security configuration → Edit → Access policy (JSON).`,
      ...(crossAccount
        ? [`Its own policies in account ${principal.account} must allow ${action} on ${domainArn}/* too.`]
        : [`Alternatively (same account, enough while no Deny matches), attach an identity policy: ${principalIdentityPolicyCommand(snapshot, principal)}`]),
    ],
    commands: [accessPolicyUpdate(snapshot, mergedWith({}, true))],
    iac: IAC,
  };
  return withFgac(
    {
      ...base,
      verdict: 'denied',
      line: message,
      findings: [
        finding('principal-not-in-access-policy', message, domainArn, { principals: principalsOf(policy), identityPolicies: base.identityPolicies }, fix),
      ],
    },
    false,
  );
}
