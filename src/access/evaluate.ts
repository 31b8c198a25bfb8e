// `cogdoctor access`: can this IAM principal (or an unsigned caller) send this request to the
// domain? The access policy and the principal's own policies are evaluated as IAM does, and the
// statement that decides is named.
import { CheckContext, DataGap } from '../context/check-context.js';
import { roleNameOf } from '../util/arn.js';
import type { Finding, Fix, Gap } from '../engine/types.js';
import { gapOfFailedRead } from '../snapshot/gaps.js';
import { findingUid } from '../engine/uid.js';
import { accessPolicyOf, identityPoliciesOf } from '../model/access.js';
import { domainArnOf, endpointHosts, fgacEnabled } from '../model/domain.js';
import { describeUndecided, editedAccessPolicy, mappingsOfRole, narrowedDeny, readConditions, securityRolesMatching } from '../model/fgac.js';
import { accessPolicyUpdate } from '../model/fixes.js';
import { sh } from '../model/shell.js';
import {
  evaluatePolicy,
  evaluateSameAccountAccess,
  parsePolicy,
  PolicyParseError,
  type ContextValue,
  type PolicyDocument,
  type Principal,
  type Statement,
  type StatementMatch,
} from '../policy/index.js';
import type { RolePolicies, RolesMappingEntry, Snapshot, UserPolicies } from '../snapshot/types.js';
import { ACCESS_MODES } from './modes.js';
import type { AccessPrincipal } from './request.js';

export interface StatementRef {
  policy: 'access policy' | 'identity policy' | 'permissions boundary';
  /** The identity policy's ARN or name (`group <name>: <policy>` for a user's group). */
  policyName?: string;
  sid?: string;
  index?: number;
  effect: 'Allow' | 'Deny';
  statement: Statement;
}

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

interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

type Identity =
  | { state: 'read'; arn: string; policies: NamedPolicy[]; boundary?: NamedPolicy }
  | { state: 'not-read'; arn: string; gap: Gap }
  | { state: 'none' };

const ROLE_READS = 'iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy';
const USER_READS = 'iam:GetUser, iam:ListAttachedUserPolicies, iam:ListUserPolicies, iam:GetUserPolicy, iam:ListGroupsForUser, iam:ListAttachedGroupPolicies, iam:ListGroupPolicies, iam:GetGroupPolicy, iam:GetPolicy, iam:GetPolicyVersion';

function boundaryOf(policies: RolePolicies): NamedPolicy | undefined {
  const raw = policies.boundary?.Document;
  if (raw === undefined) return undefined;
  try {
    return { name: policies.boundary?.PolicyArn ?? 'permissions boundary', document: parsePolicy(raw) };
  } catch (error) {
    if (error instanceof PolicyParseError) return undefined;
    throw error;
  }
}

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
      throw new DataGap({ kind: 'not-applicable', reason: `role ${principal.name} does not exist in account ${principal.account} (iam:GetRole ${lookup.error.code}${lookup.error.message ? `: ${lookup.error.message}` : ''})` });
    }
    const arn = lookup.state === 'found' ? (lookup.role.Arn ?? principal.roleArn) : principal.roleArn;
    const entries = Object.entries(snapshot.rolePolicies ?? {});
    const policies = snapshot.rolePolicies?.[arn] ?? entries.find(([key]) => roleNameOf(key) === principal.name && sameAccount(key, arn))?.[1];
    if (policies) return { state: 'read', arn, policies: identityPoliciesOf(policies, arn.split(':')[1]).documents, ...withBoundary(boundaryOf(policies)) };
    const gap =
      failedRead(ctx, ['iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'], principal.name) ??
      // A failed GetRole, or a role of another account, says more than "not in the snapshot".
      (lookup.state === 'unreadable' && !/is missing from the snapshot/.test(lookup.gap.reason) ? lookup.gap : undefined) ??
      { kind: 'unknown' as const, reason: `the policies of role ${principal.name} are not in the snapshot (rolePolicies): ${ROLE_READS} would read them`, permission: ROLE_READS };
    return { state: 'not-read', arn, gap };
  }
  const user = (snapshot.iamUsers ?? []).find((u) => u.Arn === principal.userArn || (roleNameOf(u.Arn ?? '') === principal.name && sameAccount(u.Arn ?? '', principal.userArn)));
  const getUser = ctx.readError('iam:GetUser', principal.name);
  if (!user && getUser && /NoSuchEntity|NotFound/i.test(getUser.code)) {
    throw new DataGap({ kind: 'not-applicable', reason: `user ${principal.name} does not exist in account ${principal.account} (iam:GetUser ${getUser.code})` });
  }
  const arn = user?.Arn ?? principal.userArn;
  const entries = Object.entries(snapshot.userPolicies ?? {});
  const policies: UserPolicies | undefined = snapshot.userPolicies?.[arn] ?? entries.find(([key]) => roleNameOf(key) === principal.name && sameAccount(key, arn))?.[1];
  if (policies) {
    const partition = arn.split(':')[1];
    const own = identityPoliciesOf(policies, partition).documents;
    const groups = (policies.groups ?? []).flatMap((group) => identityPoliciesOf(group, partition).documents.map((p) => ({ ...p, name: `group ${group.GroupName ?? group.Arn ?? '?'}: ${p.name}` })));
    return { state: 'read', arn, policies: [...own, ...groups], ...withBoundary(boundaryOf(policies)) };
  }
  const gap =
    failedRead(ctx, ['iam:GetUser', 'iam:ListAttachedUserPolicies', 'iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:ListGroupsForUser', 'iam:ListAttachedGroupPolicies', 'iam:ListGroupPolicies', 'iam:GetGroupPolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'], principal.name) ??
    { kind: 'unknown' as const, reason: `the policies of user ${principal.name} are not in the snapshot (iamUsers + userPolicies): ${USER_READS} would read them`, permission: USER_READS };
  return { state: 'not-read', arn, gap };
}

function withBoundary(boundary: NamedPolicy | undefined): { boundary?: NamedPolicy } {
  return boundary ? { boundary } : {};
}

/** What IAM knows about the request, for the conditions that test it. */
function requestContext(snapshot: Snapshot, principal: AccessPrincipal, principalArn: string | undefined): Record<string, ContextValue> {
  const domainArn = domainArnOf(snapshot);
  const context: Record<string, ContextValue> = {
    'aws:ResourceAccount': domainArn.split(':')[4] ?? '',
    'aws:RequestedRegion': domainArn.split(':')[3] ?? snapshot.region,
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
  };
  if (principal.kind !== 'anonymous' && principalArn) {
    context['aws:PrincipalArn'] = principalArn;
    context['aws:PrincipalAccount'] = principal.account;
    context['aws:PrincipalType'] = principal.kind === 'role' ? 'AssumedRole' : 'User';
  }
  if (snapshot.domain.DomainEndpointOptions?.EnforceHTTPS === true) context['aws:SecureTransport'] = 'true';
  return context;
}

interface Reading {
  resource: PolicyDocument | undefined;
  identity: NamedPolicy[];
  boundary: PolicyDocument | undefined;
  origin: Map<Statement, Statement>;
  network: boolean;
  unknownKeys: string[];
}

function readAll(policy: PolicyDocument | undefined, identity: Identity, known: Set<string>, favourable: boolean): Reading {
  const origin = new Map<Statement, Statement>();
  const unknownKeys = new Set<string>();
  let network = false;
  const read = (doc: PolicyDocument) => {
    const r = readConditions(doc, known, favourable);
    for (const [copy, written] of r.origin) origin.set(copy, written);
    r.unknownKeys.forEach((k) => unknownKeys.add(k));
    if (r.network.length > 0) network = true;
    return r.doc;
  };
  const policies = identity.state === 'read' ? identity.policies : [];
  const boundary = identity.state === 'read' ? identity.boundary : undefined;
  return {
    resource: policy ? read(policy) : undefined,
    identity: policies.map(({ name, document }) => ({ name, document: read(document) })),
    boundary: boundary ? read(boundary.document) : undefined,
    origin,
    network,
    unknownKeys: [...unknownKeys],
  };
}

interface Decision {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  decidedBy: StatementRef[];
  unsupported: string[];
}

function refOf(reading: Reading, written: PolicyDocument | undefined, source: StatementRef['policy'], match: StatementMatch, policyName?: string): StatementRef {
  const statement = reading.origin.get(match.statement) ?? match.statement;
  const ref: StatementRef = { policy: source, effect: match.effect, statement };
  if (policyName) ref.policyName = policyName;
  if (statement.Sid) ref.sid = statement.Sid;
  const index = source === 'access policy' ? (written?.Statement.indexOf(statement) ?? -1) : match.index;
  if (index >= 0) ref.index = index;
  return ref;
}

/**
 * Same account: IAM's rule (evaluateSameAccountAccess). Another account: the access policy must
 * allow (naming the principal or its account) and so must the principal's own policies.
 */
function decide(reading: Reading, policy: PolicyDocument | undefined, caller: Principal, action: string, resource: string, context: Record<string, ContextValue>, crossAccount: boolean): Decision {
  const request = { principal: caller, action, resource, context };
  const source = (s: 'resource' | 'identity' | 'boundary'): StatementRef['policy'] => (s === 'resource' ? 'access policy' : s === 'identity' ? 'identity policy' : 'permissions boundary');
  if (!crossAccount) {
    const result = evaluateSameAccountAccess({ resourcePolicy: reading.resource, identityPolicies: reading.identity, boundary: reading.boundary, request });
    return { decision: result.decision, decidedBy: result.decidedBy.map((d) => refOf(reading, policy, source(d.source), d.match, d.policyName)), unsupported: result.unsupported };
  }
  const res = reading.resource ? evaluatePolicy(reading.resource, request, 'resource') : undefined;
  const ids = reading.identity.map(({ name, document }) => ({ name, evaluation: evaluatePolicy(document, request, 'identity') }));
  const bound = reading.boundary ? evaluatePolicy(reading.boundary, request, 'identity') : undefined;
  const unsupported = [...new Set([...(res?.unsupported ?? []), ...ids.flatMap((i) => i.evaluation.unsupported), ...(bound?.unsupported ?? [])])];
  const denies = [
    ...(res?.denies ?? []).map((m) => refOf(reading, policy, 'access policy', m)),
    ...ids.flatMap((i) => i.evaluation.denies.map((m) => refOf(reading, policy, 'identity policy', m, i.name))),
    ...(bound?.denies ?? []).map((m) => refOf(reading, policy, 'permissions boundary', m)),
  ];
  if (denies.length > 0) return { decision: 'ExplicitDeny', decidedBy: denies, unsupported };
  const resourceAllows = (res?.allows ?? []).map((m) => refOf(reading, policy, 'access policy', m));
  const identityAllows = ids.flatMap((i) => i.evaluation.allows.map((m) => refOf(reading, policy, 'identity policy', m, i.name)));
  const boundaryOk = !bound || bound.allows.length > 0;
  const allowed = resourceAllows.length > 0 && identityAllows.length > 0 && boundaryOk;
  return { decision: allowed ? 'Allow' : 'ImplicitDeny', decidedBy: allowed ? [...resourceAllows, ...identityAllows] : resourceAllows, unsupported };
}

/** Allow statements of the access policy whose principal covers the caller, whatever their action, resource and condition. */
function statementsNaming(policy: PolicyDocument | undefined, caller: Principal, accountOnly: boolean): Statement[] {
  return (policy?.Statement ?? []).filter((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const widened: Statement = { ...statement, Action: '*', Resource: '*' };
    delete widened.NotAction;
    delete widened.NotResource;
    delete widened.Condition;
    const match = evaluatePolicy({ Statement: [widened] }, { principal: caller, action: 'es:ESHttpGet', resource: '*', context: {} }, 'resource');
    return match.allows.some((m) => (accountOnly ? m.principalMatch === 'account' : m.principalMatch !== 'account'));
  });
}

function label(ref: StatementRef): string {
  const which = ref.sid ? `statement ${ref.sid}` : ref.index !== undefined ? `statement ${ref.index + 1}` : 'a statement';
  const where = ref.policy === 'access policy' ? 'the access policy' : `${ref.policy} ${ref.policyName ?? ''}`.trim();
  return `${which} of ${where}`;
}

const PRINCIPAL_SID = 'AllowPrincipalHttp';

function principalStatement(snapshot: Snapshot, arn: string, taken: Statement[]): Statement {
  let sid = PRINCIPAL_SID;
  for (let n = 2; taken.some((s) => s.Sid === sid); n += 1) sid = `${PRINCIPAL_SID}${n}`;
  return { Sid: sid, Effect: 'Allow', Principal: { AWS: arn }, Action: 'es:ESHttp*', Resource: `${domainArnOf(snapshot)}/*` };
}

function identityPolicyCommand(snapshot: Snapshot, principal: AccessPrincipal): string {
  const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${domainArnOf(snapshot)}/*` }] };
  const policyName = `opensearch-${snapshot.domain.DomainName}-http`;
  if (principal.kind === 'user') return sh('aws', 'iam', 'put-user-policy', '--user-name', principal.name, '--policy-name', policyName, '--policy-document', JSON.stringify(document));
  return sh('aws', 'iam', 'put-role-policy', '--role-name', principal.kind === 'role' ? principal.name : '', '--policy-name', policyName, '--policy-document', JSON.stringify(document));
}

const IAC = 'If CloudFormation, Terraform or the CDK manages the domain or the principal, make the same change there, or the next deployment restores the old policy.';

function finding(id: string, message: string, resource: string, evidence: Record<string, unknown>, fix: Fix): Finding {
  const mode = ACCESS_MODES.find((m) => m.id === id)!;
  return { id, uid: findingUid({ id, resource, message }), check: 'access', severity: mode.severity, title: mode.title, symptom: mode.symptom, message, resource, evidence, fix, docs: mode.docs };
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
    summary: 'Sign every request with SigV4 (service es) using the caller\'s IAM credentials, then check that principal: cogdoctor access <domain> --principal <its role ARN>.',
    steps: [
      `Node.js: const { Client } = require('@opensearch-project/opensearch'); const { AwsSigv4Signer } = require('@opensearch-project/opensearch/aws'); const { defaultProvider } = require('@aws-sdk/credential-provider-node'); const client = new Client({ ...AwsSigv4Signer({ region: '${region}', service: 'es', getCredentials: () => defaultProvider()() }), node: 'https://${host}' });`,
      `Python: from opensearchpy import OpenSearch, RequestsHttpConnection, AWSV4SignerAuth; import boto3; auth = AWSV4SignerAuth(boto3.Session().get_credentials(), '${region}', 'es'); client = OpenSearch(hosts=[{'host': '${host}', 'port': 443}], http_auth=auth, use_ssl=True, connection_class=RequestsHttpConnection)  (or requests-aws4auth: AWS4Auth(access_key, secret_key, '${region}', 'es', session_token=token))`,
      'In a Lambda function the execution role\'s credentials are in the environment: the default credential chain picks them up.',
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
      ? Object.entries(mapping).filter(([, e]) => (e.backend_roles ?? []).includes('opendistro_security_anonymous_backendrole')).map(([name]) => name).sort()
      : [];
  }
  return { decides, rolesMappingRead: true, securityRoles, ...(nearMisses.length > 0 ? { nearMisses } : {}), ...(undecided.length > 0 ? { undecided } : {}) };
}

export function evaluateAccess(snapshot: Snapshot, principal: AccessPrincipal, action: string, path: string, meta: AccessRunMeta): AccessResult {
  const domainArn = domainArnOf(snapshot);
  const resource = `${domainArn}${path}`;
  const domainAccount = domainArn.split(':')[4] ?? '';
  const ctx = new CheckContext(snapshot);
  const caller: Principal =
    principal.kind === 'anonymous' ? { type: 'Anonymous' } : { type: 'AWS', arn: principal.kind === 'role' ? principal.sessionArn : principal.userArn };
  const crossAccount = principal.kind !== 'anonymous' && principal.account !== domainAccount;
  const base: AccessResult = {
    schema: 'cogdoctor/access/v1',
    tool: { name: 'cogdoctor', version: meta.version },
    target: { domain: snapshot.domain.DomainName, region: snapshot.region, accountId: domainAccount, domainArn, source: meta.source, ...(meta.file ? { file: meta.file } : {}) },
    request: { principal: principal.given, kind: principal.kind, caller: caller.type === 'AWS' ? caller.arn : 'anonymous', action, resource, sameAccount: !crossAccount },
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
    return unknown({ kind: 'unknown', reason: `the domain access policy could not be parsed (${error.message})` }, 'The access policy of the domain cannot be read, so the answer is unknown.');
  }
  const identity = identityOf(snapshot, ctx, principal);
  const principalArn = identity.state === 'none' ? undefined : identity.arn;
  if (identity.state === 'read') base.identityPolicies = [...identity.policies.map((p) => p.name), ...(identity.boundary ? [`${identity.boundary.name} (permissions boundary)`] : [])];
  if (crossAccount && 'account' in principal) base.notes.push(`${principal.given} is in account ${principal.account}, not the domain's ${domainAccount}: a cross-account request needs the access policy to allow it, and its own policies too.`);
  if (!policy) base.notes.push('The domain has no access policy.');

  const context = requestContext(snapshot, principal, principalArn);
  const known = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  const favourable = readAll(policy, identity, known, true);
  if (favourable.network) base.assumptions.push('network conditions (aws:SourceIp, aws:SourceVpc…) were read as met: cogdoctor cannot know where the request comes from');
  const best = decide(favourable, policy, caller, action, resource, context, crossAccount);
  if (best.decision === 'Allow' && favourable.unknownKeys.length > 0) {
    const worst = decide(readAll(policy, identity, known, false), policy, caller, action, resource, context, crossAccount);
    if (worst.decision !== 'Allow') {
      return unknown({ kind: 'unknown', reason: `the decision depends on condition keys cogdoctor cannot know (${favourable.unknownKeys.join(', ')})` }, `Whether ${base.request.caller} may send ${action} to ${resource} depends on condition keys cogdoctor cannot know.`);
    }
  }
  if (best.decision !== 'ExplicitDeny' && best.unsupported.length > 0) {
    return unknown({ kind: 'unknown', reason: `a policy uses condition operators cogdoctor cannot evaluate (${best.unsupported.join(', ')}); check it by hand` }, 'The answer depends on condition operators cogdoctor cannot evaluate.');
  }

  const fgacOn = fgacEnabled(snapshot.domain);
  const withFgac = (result: AccessResult, decides: boolean): AccessResult => {
    if (!fgacOn) return result;
    const view = fgacView(snapshot, ctx, principal, principalArn, decides);
    // The statements that let the request reach FGAC (a denial by FGAC itself lists no deciding statement).
    const open = best.decidedBy.some((d) => d.policy === 'access policy' && d.effect === 'Allow' && (d.statement.Principal === '*' || JSON.stringify(d.statement.Principal).includes('"*"')));
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
        result.notes.push(`${miss.securityRole} lists ${miss.listed}, the same role name in another IAM path: FGAC compares the full role ARN, path included, so that entry does not map ${principalArn}.`);
      }
    }
    return { ...result, fgac: view };
  };

  if (best.decision === 'ExplicitDeny') {
    const denies = best.decidedBy;
    const inAccessPolicy = denies.filter((d) => d.policy === 'access policy');
    let fix: Fix;
    if (inAccessPolicy.length > 0 && policy) {
      const replace = new Map<Statement, Statement>();
      const remove: Statement[] = [];
      for (const d of inAccessPolicy) {
        const narrowed = narrowedDeny(d.statement, base.request.caller, [{ action, resource }]);
        if (narrowed) replace.set(d.statement, narrowed);
        else remove.push(d.statement);
      }
      fix = {
        summary: `Narrow or remove ${inAccessPolicy.map(label).join(' and ')}; the command replaces the access policy with the complete policy, every other statement kept.`,
        steps: [`OpenSearch console → Domains → ${snapshot.domain.DomainName} → Security configuration → Edit → Access policy (JSON).`],
        commands: [accessPolicyUpdate(snapshot, editedAccessPolicy(snapshot, policy, { remove, replace }))],
        iac: IAC,
      };
    } else fix = { summary: 'Narrow or remove the Deny in the principal\'s own policy; the access policy needs no change.', steps: [], iac: IAC };
    for (const d of denies.filter((x) => x.policy !== 'access policy')) {
      fix.steps!.push(`IAM console → ${consoleName(principal)} → ${d.policy} ${d.policyName ?? ''}: narrow or remove the Deny ${d.sid ? `statement ${d.sid}` : 'statement'} so it no longer covers ${action} on ${resource}.`);
    }
    const message = `${capitalize(denies.map(label).join(' and '))} denies ${base.request.caller} ${action} on ${resource}: an explicit Deny wins over every Allow.`;
    const result = { ...base, verdict: 'denied' as const, decidedBy: denies, line: message, findings: [finding('principal-explicit-deny', message, denies.every((d) => d.policy !== 'access policy') && principalArn ? principalArn : domainArn, { denies: denies.map(evidenceOf) }, fix)] };
    return withFgac(result, false);
  }

  if (best.decision === 'Allow') {
    const line = `${capitalize(best.decidedBy.map(label).join(' and '))} let${best.decidedBy.length === 1 ? 's' : ''} ${base.request.caller} send ${action} to ${resource}.`;
    if (identity.state === 'not-read') {
      return unknown(identity.gap, `${line} Whether a Deny in its own policies blocks it is unknown: ${identity.gap.reason}.`);
    }
    // Past the access policy, FGAC decides; without anonymous authentication it refuses every unsigned request.
    if (principal.kind === 'anonymous' && fgacOn && snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled !== true) {
      const message = `${line.slice(0, -1)}, but fine-grained access control decides next and has anonymous authentication off (AdvancedSecurityOptions.AnonymousAuthEnabled ${String(snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled ?? 'not set')}), so it refuses the unsigned request.`;
      const passed = best.decidedBy.map(evidenceOf);
      const result = {
        ...base,
        verdict: 'denied' as const,
        deniedBy: 'fine-grained access control' as const,
        line: message,
        findings: [finding('unsigned-request-denied', message, domainArn, { deniedBy: 'fine-grained access control', AnonymousAuthEnabled: snapshot.domain.AdvancedSecurityOptions?.AnonymousAuthEnabled ?? null, accessPolicyAllows: passed }, signingFix(snapshot, path, action))],
      };
      return withFgac(result, true);
    }
    return withFgac({ ...base, verdict: 'allowed', decidedBy: best.decidedBy, line }, true);
  }

  // Implicitly denied. Without the principal's own policies, an identity Allow could still grant a same-account request.
  const delegating = statementsNaming(policy, caller, true);
  if (identity.state === 'not-read' && crossAccount && best.decidedBy.some((d) => d.policy === 'access policy' && d.effect === 'Allow')) {
    return unknown(identity.gap, `The access policy lets ${base.request.caller} send ${action} to ${resource}; as a principal of account ${principal.account}, its own policies must allow it too, and they could not be read: ${identity.gap.reason}.`);
  }
  if (identity.state === 'not-read' && !crossAccount) {
    const through = delegating.length > 0 ? 'the access policy admits it only through its account principal, so its own policies decide' : 'the access policy does not let it in, but an identity policy could (same account)';
    return unknown(identity.gap, `For ${base.request.caller}, ${through}, and they could not be read: ${identity.gap.reason}.`);
  }
  const mergedWith = (edit: Parameters<typeof editedAccessPolicy>[2], add: boolean): PolicyDocument => {
    const edited = editedAccessPolicy(snapshot, policy, edit);
    return add && principalArn ? { ...edited, Statement: [...edited.Statement, principalStatement(snapshot, principalArn, edited.Statement)] } : edited;
  };

  if (principal.kind === 'anonymous') {
    const message = `${resource} refuses ${action} from unsigned requests: they arrive as anonymous, and no statement of the access policy allows Principal "*" for them.`;
    const result = { ...base, verdict: 'denied' as const, line: message, findings: [finding('unsigned-request-denied', message, domainArn, { accessPolicyStatements: policy?.Statement.length ?? 0 }, signingFix(snapshot, path, action))] };
    return withFgac(result, false);
  }

  const arn = principalArn!;
  const name = principal.name;
  // A permissions boundary caps the principal, grants of the access policy included: when it
  // alone stands in the way, it is the cause, and the access policy needs no change.
  if (identity.state === 'read' && identity.boundary) {
    const { boundary, ...unbounded } = identity;
    if (decide(readAll(policy, unbounded, known, true), policy, caller, action, resource, context, crossAccount).decision === 'Allow') {
      const message = `The permissions boundary ${boundary.name} of ${name} does not allow ${action} on ${resource}: a boundary caps what ${name} may do, grants of the access policy included.`;
      const fix: Fix = {
        summary: `Let the permissions boundary ${boundary.name} allow es:ESHttp* on ${domainArn}/*, or remove it from ${name}; the access policy needs no change.`,
        steps: [`IAM console → Policies → ${boundary.name.split('/').pop()} → Edit: add an Allow of es:ESHttp* on ${domainArn}/* (every principal with this boundary gets it), or IAM console → ${consoleName(principal)} → Permissions boundary → Remove.`],
        iac: IAC,
      };
      return withFgac({ ...base, verdict: 'denied', line: message, decidedBy: [], findings: [finding('principal-explicit-deny', message, arn, { permissionsBoundary: boundary.name }, fix)] }, false);
    }
  }
  const naming = statementsNaming(policy, caller, false);
  if (naming.length > 0) {
    const refs = naming.map((s) => ({ policy: 'access policy' as const, effect: 'Allow' as const, statement: s, index: policy!.Statement.indexOf(s), ...(s.Sid ? { sid: s.Sid } : {}) }));
    const bare = naming.filter((s) => [s.Resource].flat().includes(domainArn));
    const replace = new Map<Statement, Statement>(bare.map((s) => [s, { ...s, Resource: [s.Resource].flat().map((r) => (r === domainArn ? `${domainArn}/*` : r)) as string[] }]));
    for (const [s, fixed] of replace) if (Array.isArray(fixed.Resource) && fixed.Resource.length === 1) replace.set(s, { ...fixed, Resource: fixed.Resource[0]! });
    const repaired = editedAccessPolicy(snapshot, policy, { replace });
    const again = decide(readAll(repaired, identity, known, true), repaired, caller, action, resource, context, crossAccount);
    const fixedPolicy = again.decision === 'Allow' ? repaired : mergedWith({ replace }, true);
    const why = bare.length > 0
      ? `its Resource is the bare domain ARN ${domainArn}, which covers no subresource (the trailing /* matters)`
      : `its Resource or Action does not cover ${action} on ${resource}`;
    const message = `${capitalize(refs.map(label).join(' and '))} name${refs.length === 1 ? 's' : ''} ${name}, but ${why}.`;
    const fix: Fix = {
      summary: `Replace the access policy with the complete policy below: ${bare.length > 0 ? `the Resource becomes ${domainArn}/*` : ''}${bare.length > 0 && again.decision !== 'Allow' ? ', and ' : ''}${again.decision !== 'Allow' ? `a statement allows es:ESHttp* on ${domainArn}/* to ${name}` : ''}; every other statement is kept.`,
      steps: [`OpenSearch console → Domains → ${snapshot.domain.DomainName} → Security configuration → Edit → Access policy (JSON).`],
      commands: [accessPolicyUpdate(snapshot, fixedPolicy)],
      iac: IAC,
    };
    return withFgac({ ...base, verdict: 'denied', line: message, decidedBy: [], findings: [finding('principal-statement-too-narrow', message, domainArn, { namingStatements: refs.map(evidenceOf), required: { Action: action, Resource: resource } }, fix)] }, false);
  }

  if (delegating.length > 0 && !crossAccount) {
    const refs = delegating.map((s) => ({ policy: 'access policy' as const, effect: 'Allow' as const, statement: s, index: policy!.Statement.indexOf(s), ...(s.Sid ? { sid: s.Sid } : {}) }));
    const message = `${capitalize(refs.map(label).join(' and '))} trust${refs.length === 1 ? 's' : ''} account ${domainAccount}, which delegates to IAM, but no policy of ${name} allows ${action} on ${resource}.`;
    const fix: Fix = {
      summary: `Attach an identity policy to ${name} that allows es:ESHttp* on ${domainArn}/* (the access policy already delegates to IAM), or name ${name} in the access policy.`,
      steps: [
        `IAM console → ${consoleName(principal)} → Add permissions → Create inline policy: Action es:ESHttp*, Resource ${domainArn}/*.`,
        `Alternatively, name it in the whole access policy: ${accessPolicyUpdate(snapshot, mergedWith({}, true))}`,
      ],
      commands: [identityPolicyCommand(snapshot, principal)],
      iac: IAC,
    };
    return withFgac({ ...base, verdict: 'denied', line: message, findings: [finding('principal-account-delegation-without-identity-policy', message, arn, { accountStatements: refs.map(evidenceOf), identityPolicies: base.identityPolicies }, fix)] }, false);
  }

  const message = crossAccount
    ? `No statement of the access policy of ${snapshot.domain.DomainName} names ${arn} or its account ${principal.account}: a principal of another account needs the access policy to allow it.`
    : `No statement of the access policy of ${snapshot.domain.DomainName} names ${name}, and none of its own policies allows ${action} on ${resource}.`;
  const fix: Fix = {
    summary: `Add a statement for ${name} (es:ESHttp* on ${domainArn}/*) to the access policy: the command replaces it with the complete policy, every other statement kept.`,
    steps: [
      `OpenSearch console → Domains → ${snapshot.domain.DomainName} → Security configuration → Edit → Access policy (JSON).`,
      ...(crossAccount ? [`Its own policies in account ${principal.account} must allow ${action} on ${domainArn}/* too.`] : [`Alternatively (same account, enough while no Deny matches), attach an identity policy: ${identityPolicyCommand(snapshot, principal)}`]),
    ],
    commands: [accessPolicyUpdate(snapshot, mergedWith({}, true))],
    iac: IAC,
  };
  return withFgac({ ...base, verdict: 'denied', line: message, findings: [finding('principal-not-in-access-policy', message, domainArn, { principals: principalsOf(policy), identityPolicies: base.identityPolicies }, fix)] }, false);
}

function evidenceOf(ref: StatementRef): Record<string, unknown> {
  return { in: ref.policy === 'access policy' ? 'access policy' : `${ref.policy} ${ref.policyName ?? ''}`.trim(), ...(ref.sid ? { sid: ref.sid } : {}), ...(ref.index !== undefined ? { index: ref.index } : {}), statement: ref.statement };
}

function principalsOf(policy: PolicyDocument | undefined): string[] {
  const names = new Set<string>();
  for (const s of policy?.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    if (s.Principal === '*') names.add('*');
    else if (s.Principal && typeof s.Principal === 'object') {
      for (const ids of Object.values(s.Principal as Record<string, unknown>)) for (const id of [ids].flat()) names.add(String(id));
    }
  }
  return [...names].sort();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
