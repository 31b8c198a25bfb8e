// Helpers for the domain's own gate: its access policy (as the Cognito session and as an unsigned
// browser meet it) and the security plugin's role mappings.
import { DataGap, type CheckContext } from '../context/check-context.js';
import { undecidedInCode } from '../snapshot/gaps.js';
import {
  evaluatePolicy,
  evaluateSameAccountAccess,
  parsePolicy,
  PolicyParseError,
  type ContextValue,
  type PolicyDocument,
  type Statement,
} from '../policy/index.js';
import type { Role, RolePolicies, RolesMappingEntry, Snapshot } from '../snapshot/types.js';
import { accessPolicyOf, anonymousAllowStatements, cognitoSessionArn, identityPoliciesOf, isOpenPolicy } from './access.js';
import { dashboardsPath, domainArnOf, fgacEnabled, isElasticsearch, isVpcDomain, partitionOf } from './domain.js';
import { compareText } from '../util/order.js';
import { matchesWildcard } from '../policy/wildcard.js';
import { javaRegexMatches } from './security-regex.js';

// ---------------------------------------------------------------------------------------------
// The access policy
// ---------------------------------------------------------------------------------------------

/** The domain access policy; a document that does not parse leaves the checks undecided. */
export function readAccessPolicy(snapshot: Snapshot): PolicyDocument | undefined {
  // Before deploy, a policy the template or plan does not decide is left out: that is not "no policy".
  const unresolved = snapshot.errors?.find((e) => e.operation.endsWith(':Resolve') && /\.(?:AccessPolicies|access_policies)$/.test(e.resource ?? ''));
  if (unresolved) throw new DataGap({ kind: 'unknown', reason: `the domain access policy is not decided before deploy (${unresolved.resource}: ${unresolved.message ?? unresolved.code})` });
  try {
    return accessPolicyOf(snapshot);
  } catch (error) {
    if (error instanceof PolicyParseError) {
      throw new DataGap({ kind: 'unknown', reason: `the domain access policy could not be parsed (${error.message})` });
    }
    throw error;
  }
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Keys a request only has on the network path: the snapshot cannot know where users connect from. */
const NETWORK_KEYS = new Set(['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:vpcsourceip']);

function conditionKeys(statement: Statement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((block) => (block && typeof block === 'object' ? Object.keys(block) : [])).map((k) => k.toLowerCase());
}

function withoutKeys(statement: Statement, drop: (key: string) => boolean): Statement {
  const condition: Record<string, Record<string, unknown>> = {};
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const kept = Object.fromEntries(Object.entries(block ?? {}).filter(([key]) => !drop(key.toLowerCase())));
    if (Object.keys(kept).length > 0) condition[operator] = kept;
  }
  const copy: Statement = { ...statement };
  if (Object.keys(condition).length > 0) copy.Condition = condition;
  else delete copy.Condition;
  return copy;
}

/**
 * Reads the conditions the snapshot cannot settle. Network conditions (aws:SourceIp, aws:SourceVpc…)
 * are always read as the users' network allows: an address restriction is a deliberate boundary,
 * not a login failure. Other keys outside `known` are read `favourably` (Allow holds, Deny does not
 * apply) or not, so a caller can tell "fails whatever the values" from "depends on them".
 */
export function readConditions(
  doc: PolicyDocument,
  known: Set<string>,
  favourable: boolean,
): { doc: PolicyDocument; origin: Map<Statement, Statement>; network: Statement[]; unknownKeys: string[] } {
  const network: Statement[] = [];
  const unknownKeys = new Set<string>();
  const statements: Statement[] = [];
  const origin = new Map<Statement, Statement>();
  for (const statement of doc.Statement) {
    const keys = conditionKeys(statement);
    const networkKeys = keys.filter((k) => NETWORK_KEYS.has(k));
    const unknown = keys.filter((k) => !NETWORK_KEYS.has(k) && !known.has(k));
    unknown.forEach((k) => unknownKeys.add(k));
    if (networkKeys.length > 0) network.push(statement);
    const deny = statement.Effect === 'Deny';
    if (deny && networkKeys.length > 0) continue;
    if (unknown.length > 0 && (deny ? favourable : !favourable)) continue;
    const read = withoutKeys(statement, (k) => NETWORK_KEYS.has(k) || (unknown.includes(k) && (deny ? !favourable : favourable)));
    origin.set(read, statement);
    statements.push(read);
  }
  return { doc: { ...doc, Statement: statements }, origin, network, unknownKeys: [...unknownKeys] };
}

/** The policy as a user on an allowed network meets it (network conditions met, network Denies not applying). */
export function withNetworkAllowed(doc: PolicyDocument): PolicyDocument {
  const every = new Set(doc.Statement.flatMap(conditionKeys));
  return readConditions(doc, every, true).doc;
}

/**
 * FGAC on and a policy that admits every caller (from the listed networks, for an IP-based one):
 * FGAC decides who gets in (decision rule 5; the catalog's F1 entry skips IP-based policies too).
 */
export function fgacDecidesAccess(snapshot: Snapshot, policy: PolicyDocument | undefined): boolean {
  return fgacEnabled(snapshot.domain) && policy !== undefined && isOpenPolicy(snapshot, withNetworkAllowed(policy));
}

/** What IAM knows about a Cognito user's request to the domain, for the conditions that test it. */
export function cognitoSessionContext(snapshot: Snapshot, roleArn: string, role?: Role): Record<string, ContextValue> {
  const domainArn = domainArnOf(snapshot);
  const context: Record<string, ContextValue> = {
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalAccount': roleArn.split(':')[4] ?? '',
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
    'aws:ResourceAccount': domainArn.split(':')[4] ?? '',
    'aws:RequestedRegion': domainArn.split(':')[3] ?? snapshot.region,
  };
  if (snapshot.domain.DomainEndpointOptions?.EnforceHTTPS === true) context['aws:SecureTransport'] = 'true';
  if (role?.RoleId) context['aws:userid'] = `${role.RoleId}:CognitoIdentityCredentials`;
  return context;
}

/** The verbs Dashboards sends for a user (reads, saved objects, deletes, HEAD checks). */
export const DASHBOARDS_VERBS = ['ESHttpGet', 'ESHttpPost', 'ESHttpPut', 'ESHttpDelete', 'ESHttpHead'] as const;

export interface AccessProbe {
  action: string;
  resource: string;
}

/** The requests that stand for "can use Dashboards": the home page, then every verb on the Dashboards index. */
export function dashboardsProbes(snapshot: Snapshot): AccessProbe[] {
  const arn = domainArnOf(snapshot);
  return [
    { action: 'es:ESHttpGet', resource: `${arn}${dashboardsPath(snapshot.domain)}` },
    ...DASHBOARDS_VERBS.map((verb) => ({ action: `es:${verb}`, resource: `${arn}/.kibana/_search` })),
  ];
}

export interface PolicyStatementRef {
  /** Where the statement is: the domain access policy, or a named role policy or boundary. */
  source: 'access policy' | 'identity policy' | 'permissions boundary';
  policyName?: string;
  index?: number;
  sid?: string;
  statement: Statement;
}

export type DashboardsAccess =
  | { outcome: 'allowed' }
  | {
      outcome: 'explicit-deny';
      denies: PolicyStatementRef[];
      probes: AccessProbe[];
      /**
       * The Deny applies only if its NotPrincipal, which names the role or the account but not the
       * session ARN, does not exempt the session (see notPrincipalStrict).
       */
      notPrincipal?: true;
    }
  /** The role's permissions boundary alone keeps its sessions from these requests (it caps resource-policy grants too). */
  | { outcome: 'boundary'; probes: AccessProbe[]; boundaryArn: string }
  | { outcome: 'too-narrow'; notCovered: AccessProbe[]; statements: PolicyStatementRef[] }
  | { outcome: 'not-in-policy' }
  | { outcome: 'undecided'; reason: string };

export interface DashboardsAccessResult {
  access: DashboardsAccess;
  sessionArn: string;
  /** Readings cogdoctor had to make, for the evidence. */
  assumptions: string[];
}

function refOf(policy: PolicyDocument | undefined, statement: Statement, source: PolicyStatementRef['source'], policyName?: string): PolicyStatementRef {
  const ref: PolicyStatementRef = { source, statement };
  if (policyName) ref.policyName = policyName;
  const index = policy?.Statement.indexOf(statement) ?? -1;
  if (index >= 0) ref.index = index;
  if (statement.Sid) ref.sid = statement.Sid;
  return ref;
}

/** Allow statements whose principal covers the session, whatever their action, resource and condition. */
function statementsNaming(policy: PolicyDocument, sessionArn: string): Statement[] {
  return policy.Statement.filter((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const widened: Statement = { ...statement, Action: '*', Resource: '*' };
    delete widened.NotAction;
    delete widened.NotResource;
    delete widened.Condition;
    const match = evaluatePolicy({ Statement: [widened] }, { principal: { type: 'AWS', arn: sessionArn }, action: 'es:ESHttpGet', resource: '*', context: {} }, 'resource');
    return match.allows.some((m) => m.principalMatch !== 'account');
  });
}

interface Reading {
  policy: PolicyDocument | undefined;
  identity: Array<{ name: string; document: PolicyDocument }>;
  boundary: PolicyDocument | undefined;
  /** Each statement of the reading → the statement as written. */
  origin: Map<Statement, Statement>;
}

function classify(
  snapshot: Snapshot,
  reading: Reading,
  original: PolicyDocument | undefined,
  sessionArn: string,
  context: Record<string, ContextValue>,
  rolePoliciesRead: boolean,
  boundaryArn = '(its ARN not recorded)',
): DashboardsAccess {
  const probes = dashboardsProbes(snapshot);
  const principal = { type: 'AWS' as const, arn: sessionArn };
  const results = probes.map((probe) => ({
    probe,
    result: evaluateSameAccountAccess({ resourcePolicy: reading.policy, identityPolicies: reading.identity, boundary: reading.boundary, request: { principal, ...probe, context } }),
  }));

  const denied = results.filter((r) => r.result.decision === 'ExplicitDeny');
  if (denied.length > 0) {
    const denies: PolicyStatementRef[] = [];
    for (const { result } of denied) {
      for (const d of result.decidedBy) {
        const source = d.source === 'resource' ? 'access policy' : d.source === 'identity' ? 'identity policy' : 'permissions boundary';
        // Point at the statement as written, not the copy the condition reading made.
        const statement = reading.origin.get(d.match.statement) ?? d.match.statement;
        if (denies.some((x) => x.statement === statement && x.policyName === d.policyName)) continue;
        denies.push(refOf(d.source === 'resource' ? original : undefined, statement, source, d.policyName));
      }
    }
    return { outcome: 'explicit-deny', denies, probes: denied.map((d) => d.probe) };
  }

  const naming = () => (reading.policy ? statementsNaming(reading.policy, sessionArn) : []).map((s) => refOf(original, reading.origin.get(s) ?? s, 'access policy'));
  const notCovered = results.filter((r) => r.result.decision !== 'Allow').map((r) => r.probe);
  // A permissions boundary caps the role's sessions, grants of the access policy included: when
  // it alone stands in the way, it is the cause, not the access policy (catalog F3).
  if (reading.boundary && notCovered.length > 0) {
    const unbounded = notCovered.every(
      (probe) => evaluateSameAccountAccess({ resourcePolicy: reading.policy, identityPolicies: reading.identity, request: { principal, ...probe, context } }).decision === 'Allow',
    );
    if (unbounded) return { outcome: 'boundary', probes: notCovered, boundaryArn };
  }
  if (results[0]!.result.decision === 'Allow') {
    return notCovered.length === 0 ? { outcome: 'allowed' } : { outcome: 'too-narrow', notCovered, statements: naming() };
  }
  if (!rolePoliciesRead && reading.policy && delegatesToAccount(reading.policy, sessionArn, probes[0]!, context)) {
    return {
      outcome: 'undecided',
      reason: 'the access policy admits the role only through its account principal, so the role\'s own policies decide, and they were not read',
    };
  }
  const statements = naming();
  if (statements.length > 0) return { outcome: 'too-narrow', notCovered, statements };
  return { outcome: 'not-in-policy' };
}

function delegatesToAccount(policy: PolicyDocument, sessionArn: string, probe: AccessProbe, context: Record<string, ContextValue>): boolean {
  const result = evaluatePolicy(policy, { principal: { type: 'AWS', arn: sessionArn }, ...probe, context }, 'resource');
  return result.allows.some((m) => m.principalMatch === 'account');
}

function awsIds(element: unknown): string[] {
  if (!element || typeof element !== 'object') return [];
  return list((element as Record<string, unknown>)['AWS']);
}

/**
 * The access policy read with NotPrincipal as IAM documents it for Deny: an assumed-role session is
 * exempt only when its own session ARN is listed; naming the role (or the account) may not be
 * enough ("If the NotPrincipal element was missing the ARN of the assumed-role user…", IAM User
 * Guide, NotPrincipal). OpenSearch Service does not support NotPrincipal at all (ac.md, "Policy
 * element reference"), so how the domain treats such a statement is not documented either way.
 * Undefined when no Deny of the access policy has a NotPrincipal that leaves the session out.
 */
function notPrincipalStrict(reading: Reading, sessionArn: string): Reading | undefined {
  if (!reading.policy) return undefined;
  const origin = new Map(reading.origin);
  let changed = false;
  const statements = reading.policy.Statement.map((statement) => {
    if (statement.Effect !== 'Deny' || statement.NotPrincipal === undefined) return statement;
    if (statement.NotPrincipal === '*' || awsIds(statement.NotPrincipal).includes(sessionArn)) return statement;
    const strict: Statement = { ...statement, Principal: '*' };
    delete strict.NotPrincipal;
    origin.set(strict, reading.origin.get(statement) ?? statement);
    changed = true;
    return strict;
  });
  return changed ? { ...reading, policy: { ...reading.policy, Statement: statements }, origin } : undefined;
}

/**
 * A Deny with NotPrincipal rewritten the way IAM recommends and OpenSearch Service supports:
 * Principal "*" with aws:PrincipalArn / aws:PrincipalAccount conditions that exempt what the
 * NotPrincipal listed (a session ARN exempts its role). Undefined when there is nothing to rewrite.
 */
export function rewrittenNotPrincipalDeny(statement: Statement): Statement | undefined {
  if (statement.Effect !== 'Deny' || statement.NotPrincipal === undefined || statement.NotPrincipal === '*') return undefined;
  const arns: string[] = [];
  const accounts: string[] = [];
  for (const id of awsIds(statement.NotPrincipal)) {
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(id);
    const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(id);
    if (/^\d{12}$/.test(id)) accounts.push(id);
    else if (root) accounts.push(root[1]!);
    else if (session) arns.push(`arn:${session[1]}:iam::${session[2]}:role/${session[3]}`);
    else arns.push(id);
  }
  if (arns.length + accounts.length === 0) return undefined;
  const condition: Record<string, Record<string, unknown>> = { ...(statement.Condition ?? {}) };
  const add = (operator: string, key: string, values: string[]) => {
    if (values.length === 0) return;
    const block = { ...(condition[operator] ?? {}) };
    const unique = [...new Set([...list(block[key]), ...values])];
    block[key] = unique.length === 1 ? unique[0]! : unique;
    condition[operator] = block;
  };
  // Account entries sit next to role ARNs because IAM may check the account first; they state an
  // exemption of their own only when nothing narrower is listed ("deny everyone outside the account").
  if (arns.length > 0) add('ArnNotEquals', 'aws:PrincipalArn', arns);
  else add('StringNotEquals', 'aws:PrincipalAccount', accounts);
  const rewritten: Statement = { ...statement, Principal: { AWS: '*' }, Condition: condition };
  delete rewritten.NotPrincipal;
  return rewritten;
}

function safeParse(raw: unknown): PolicyDocument | undefined {
  try {
    return parsePolicy(raw);
  } catch {
    return undefined;
  }
}

/**
 * Can Cognito users holding `roleArn` use Dashboards (decision rules 5 and 10)? Like roleAccess in
 * access.ts, but the request carries the context IAM would know (principal, accounts, HTTPS), network
 * conditions are read as met, and a decision that hangs on a key nobody can know is 'undecided'.
 * A Cognito user reaches Dashboards over HTTPS even when the domain does not enforce it: Cognito
 * sends the browser back only to an https:// callback URL, and Dashboards' requests go to that
 * origin, so aws:SecureTransport is true on this path (a "deny unless HTTPS" statement is met).
 */
export function dashboardsAccessOf(snapshot: Snapshot, policy: PolicyDocument | undefined, roleArn: string, rolePolicies: RolePolicies | undefined, role?: Role): DashboardsAccessResult {
  const sessionArn = cognitoSessionArn(snapshot, roleArn);
  const context = { ...cognitoSessionContext(snapshot, roleArn, role), 'aws:SecureTransport': 'true' };
  const known = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  const { documents: identity, unread } = rolePolicies ? identityPoliciesOf(rolePolicies, partitionOf(snapshot)) : { documents: [], unread: [] };
  // A policy whose document is missing may hold the role's Allow: only whole policies decide for the role.
  const policiesRead = rolePolicies !== undefined && unread.length === 0;
  const boundary = rolePolicies?.boundary?.Document !== undefined ? safeParse(rolePolicies.boundary.Document) : undefined;
  const boundaryArn = rolePolicies?.boundary?.PolicyArn;

  const read = (favourable: boolean) => {
    const resource = policy ? readConditions(policy, known, favourable) : undefined;
    const ids = identity.map(({ name, document }) => ({ name, read: readConditions(document, known, favourable) }));
    const bound = boundary ? readConditions(boundary, known, favourable) : undefined;
    const origin = new Map<Statement, Statement>([...(resource?.origin ?? []), ...ids.flatMap((i) => [...i.read.origin]), ...(bound?.origin ?? [])]);
    return {
      reading: { policy: resource?.doc, identity: ids.map(({ name, read: r }) => ({ name, document: r.doc })), boundary: bound?.doc, origin },
      network: [...(resource?.network ?? []), ...ids.flatMap((i) => i.read.network), ...(bound?.network ?? [])],
      unknownKeys: [...new Set([...(resource?.unknownKeys ?? []), ...ids.flatMap((i) => i.read.unknownKeys), ...(bound?.unknownKeys ?? [])])],
    };
  };

  const assumptions: string[] = [];
  if (!rolePolicies) assumptions.push("the role's own policies were not read: decided on the access policy alone");
  if (unread.length > 0) assumptions.push(`not in the snapshot, so not counted: ${unread.join(', ')}`);
  const favourable = read(true);
  if (favourable.network.length > 0) {
    assumptions.push('network conditions (aws:SourceIp, aws:SourceVpc…) were read as met: cogdoctor cannot know where users connect from');
  }
  const best = classify(snapshot, favourable.reading, policy, sessionArn, context, policiesRead, boundaryArn);
  if (best.outcome === 'allowed') {
    const strict = notPrincipalStrict(favourable.reading, sessionArn);
    if (strict) {
      const denied = classify(snapshot, strict, policy, sessionArn, context, policiesRead, boundaryArn);
      if (denied.outcome === 'explicit-deny') return { access: { ...denied, notPrincipal: true }, sessionArn, assumptions };
    }
  }
  if (best.outcome !== 'allowed' || favourable.unknownKeys.length === 0) return { access: best, sessionArn, assumptions };
  const worst = classify(snapshot, read(false).reading, policy, sessionArn, context, policiesRead, boundaryArn);
  if (worst.outcome === 'allowed') return { access: best, sessionArn, assumptions };
  return {
    access: { outcome: 'undecided', reason: `the decision depends on condition keys cogdoctor cannot know (${favourable.unknownKeys.join(', ')})` },
    sessionArn,
    assumptions,
  };
}

// ---------------------------------------------------------------------------------------------
// Unsigned requests: what a browser without Cognito credentials gets
// ---------------------------------------------------------------------------------------------

export interface UnsignedStatement {
  index: number;
  sid?: string;
  statement: Statement;
  /** 'none': anyone, from anywhere; 'source-ip': anyone from the listed addresses. */
  restriction: 'none' | 'source-ip';
  addresses: string[];
}

function sourceIpValues(statement: Statement): { addresses: string[]; everywhere: boolean } {
  const addresses: string[] = [];
  let everywhere = false;
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(block ?? {})) {
      if (key.toLowerCase() !== 'aws:sourceip') continue;
      const values = list(value);
      addresses.push(...values);
      if (/^ipaddress$/i.test(operator) && values.some((v) => /\/0$/.test(v.trim()))) everywhere = true;
    }
  }
  return { addresses, everywhere };
}

function describeUnsigned(policy: PolicyDocument, statement: Statement): UnsignedStatement {
  const conditions = Object.keys(statement.Condition ?? {}).length;
  const { addresses, everywhere } = sourceIpValues(statement);
  const entry: UnsignedStatement = { index: policy.Statement.indexOf(statement), statement, restriction: conditions === 0 || everywhere ? 'none' : 'source-ip', addresses };
  if (statement.Sid) entry.sid = statement.Sid;
  return entry;
}

/**
 * Allow statements that open the Dashboards page to unsigned requests (catalog B1): a wildcard
 * principal with no condition, or with only aws:SourceIp conditions.
 */
export function unsignedDashboardsStatements(snapshot: Snapshot, policy: PolicyDocument): UnsignedStatement[] {
  return anonymousAllowStatements(snapshot, policy).map((s) => describeUnsigned(policy, s));
}

function resourceProbes(snapshot: Snapshot, statement: Statement): string[] {
  const arn = domainArnOf(snapshot);
  const probes = [`${arn}${dashboardsPath(snapshot.domain)}`, `${arn}/_search`, `${arn}/_cluster/health`];
  for (const pattern of list(statement.Resource)) {
    const instance = pattern.replace(/[*?]/g, 'x');
    if (instance.startsWith(`${arn}/`) && !probes.includes(instance)) probes.push(instance);
  }
  return probes;
}

/**
 * Allow statements that let anyone, from anywhere, send some es:ESHttp* request to the domain
 * (an open policy: wildcard principal and no condition, or an aws:SourceIp condition that lists /0).
 */
export function openStatements(snapshot: Snapshot, policy: PolicyDocument): UnsignedStatement[] {
  // A Deny elsewhere in the policy (NotIpAddress, say) can take back "from anywhere".
  const denies = policy.Statement.filter((statement) => statement.Effect === 'Deny');
  return policy.Statement.filter((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const entry = describeUnsigned(policy, statement);
    if (entry.restriction !== 'none') return false;
    const keys = conditionKeys(statement);
    if (keys.some((k) => k !== 'aws:sourceip')) return false;
    const bare: Statement = { ...statement };
    delete bare.Condition;
    return resourceProbes(snapshot, statement).some((resource) =>
      [...DASHBOARDS_VERBS, 'ESHttpPatch'].some((verb) => {
        const request = { principal: { type: 'Anonymous' as const }, action: `es:${verb}`, resource };
        return (
          evaluatePolicy({ Statement: [bare] }, { ...request, context: {} }, 'resource').decision === 'Allow' &&
          evaluatePolicy({ Statement: [bare, ...denies] }, { ...request, context: { 'aws:SourceIp': ANYWHERE } }, 'resource').decision === 'Allow'
        );
      }),
    );
  }).map((s) => describeUnsigned(policy, s));
}

/** A source address no real policy names (TEST-NET-2): a request "from anywhere". */
const ANYWHERE = '198.51.100.45';

/** Condition keys that describe the signing principal: an unsigned request has none of them (or the anonymous values). */
function isPrincipalKey(key: string): boolean {
  return /^aws:(?:principal|userid$|username$)/.test(key);
}

/** What IAM knows about the principal of an unsigned request (the anonymous values of the global keys). */
const ANONYMOUS_CONTEXT: Record<string, ContextValue> = {
  'aws:PrincipalType': 'Anonymous',
  'aws:userid': 'anonymous',
  'aws:PrincipalIsAWSService': 'false',
};

/**
 * Whether any Allow statement could let an unsigned request reach the Dashboards page (catalog
 * B3: "every Allow statement names IAM principals" when none can). Conditions on the request
 * (aws:SourceIp and the like) are read as met; conditions on the principal (aws:PrincipalOrgID,
 * aws:PrincipalAccount, aws:PrincipalArn, principal tags) are evaluated as IAM does for an
 * anonymous caller, which has none of those values: a wildcard principal narrowed to the
 * organization or the account admits only signed requests.
 */
export function anyUnsignedPathToDashboards(snapshot: Snapshot, policy: PolicyDocument | undefined): boolean {
  if (!policy) return false;
  const home = dashboardsProbes(snapshot)[0]!;
  return policy.Statement.some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const principalOnly = withoutKeys(statement, (key) => !isPrincipalKey(key));
    return evaluatePolicy({ Statement: [principalOnly] }, { principal: { type: 'Anonymous' }, ...home, context: ANONYMOUS_CONTEXT }, 'resource').decision === 'Allow';
  });
}

// ---------------------------------------------------------------------------------------------
// Whole-policy fixes (catalog G4: the access policy is replaced whole)
// ---------------------------------------------------------------------------------------------

export const COGNITO_ACCESS_SID = 'CognitoDashboardsAccess';

/** The statement AWS documents for the Cognito roles: es:ESHttp* on every subresource of the domain. */
export function cognitoRolesStatement(snapshot: Snapshot, roleArns: string[], taken: Statement[] = []): Statement {
  let sid = COGNITO_ACCESS_SID;
  for (let n = 2; taken.some((s) => s.Sid === sid); n += 1) sid = `${COGNITO_ACCESS_SID}${n}`;
  const unique = [...new Set(roleArns)];
  return { Sid: sid, Effect: 'Allow', Principal: { AWS: unique.length === 1 ? unique[0] : unique }, Action: 'es:ESHttp*', Resource: `${domainArnOf(snapshot)}/*` };
}

export interface PolicyEdit {
  /** Statements to leave out (by identity with the parsed policy's statements). */
  remove?: Statement[];
  /** Statements to put in place of others (same identity), e.g. a narrowed Deny. */
  replace?: Map<Statement, Statement>;
  /** Roles that get the Cognito statement. */
  addRoles?: string[];
}

/** The statements as the domain returned them (key order and all), when they line up with the parsed ones. */
function writtenStatements(snapshot: Snapshot, policy: PolicyDocument): { version?: string; statements?: unknown[] } {
  const raw = snapshot.domain.AccessPolicies;
  let doc: unknown;
  try {
    doc = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return {};
  }
  if (!doc || typeof doc !== 'object') return {};
  const { Statement: written, Version: version } = doc as { Statement?: unknown; Version?: unknown };
  const statements = Array.isArray(written) ? written : written && typeof written === 'object' ? [written] : [];
  return { ...(typeof version === 'string' ? { version } : {}), ...(statements.length === policy.Statement.length ? { statements } : {}) };
}

/** The complete policy after an edit: every other statement kept as written. */
export function editedAccessPolicy(snapshot: Snapshot, policy: PolicyDocument | undefined, edit: PolicyEdit): PolicyDocument {
  const written = policy ? writtenStatements(snapshot, policy) : {};
  const kept: Statement[] = [];
  (policy?.Statement ?? []).forEach((s, index) => {
    if ((edit.remove ?? []).includes(s)) return;
    const replaced = edit.replace?.get(s);
    kept.push(replaced ?? ((written.statements?.[index] as Statement | undefined) ?? s));
  });
  const statements = edit.addRoles && edit.addRoles.length > 0 ? [...kept, cognitoRolesStatement(snapshot, edit.addRoles, kept)] : kept;
  const doc: PolicyDocument = { Version: written.version ?? policy?.Version ?? '2012-10-17', Statement: statements };
  if (policy?.Id) doc.Id = policy.Id;
  return doc;
}

/** "es:ESHttpGet on <home> and es:ESHttpGet, es:ESHttpPost on <index>": probes grouped by resource. */
export function describeProbes(probes: AccessProbe[]): string {
  const byResource = new Map<string, string[]>();
  for (const probe of probes) byResource.set(probe.resource, [...(byResource.get(probe.resource) ?? []), probe.action]);
  return [...byResource].map(([resource, actions]) => `${actions.join(', ')} on ${resource}`).join(' and ');
}

/**
 * A Deny narrowed so that it no longer covers the given requests: the Resource entries that cover
 * them are dropped; undefined when nothing would be left (the Deny has to go, or be rewritten by hand).
 */
export function narrowedDeny(statement: Statement, sessionArn: string, probes: AccessProbe[]): Statement | undefined {
  const resources = list(statement.Resource);
  if (resources.length < 2 || statement.Effect !== 'Deny') return undefined;
  const covers = (resource: string) =>
    probes.some((probe) => {
      const single: Statement = { ...statement, Resource: resource };
      delete single.Condition;
      return evaluatePolicy({ Statement: [single] }, { principal: { type: 'AWS', arn: sessionArn }, ...probe, context: {} }, 'resource').decision === 'ExplicitDeny';
    });
  const keep = resources.filter((r) => !covers(r));
  if (keep.length === 0 || keep.length === resources.length) return undefined;
  return { ...statement, Resource: keep.length === 1 ? keep[0]! : keep };
}

// ---------------------------------------------------------------------------------------------
// Security-plugin role mappings
// ---------------------------------------------------------------------------------------------

/** Security roles that give Dashboards access (decision rule 13). */
export const DASHBOARDS_SECURITY_ROLES = ['all_access', 'opensearch_dashboards_user', 'kibana_user'] as const;

/** The Dashboards role by its engine-era name. */
export function dashboardsSecurityRole(snapshot: Snapshot): 'kibana_user' | 'opensearch_dashboards_user' {
  return isElasticsearch(snapshot.domain) ? 'kibana_user' : 'opensearch_dashboards_user';
}

/** A pattern cogdoctor cannot evaluate, with why. */
export interface UndecidablePattern {
  pattern: string;
  reason: string;
}

/** Whether a security-plugin pattern matches a value: yes, no, or that cannot be told. */
export type PatternVerdict = boolean | UndecidablePattern;

/**
 * The security plugin's matcher: `/regex/` (a Java regular expression matched against the whole
 * value), `*` and `?` wildcards, or an exact, case-sensitive string. Both run in bounded time on
 * any pattern; a regex that needs Java-only or backtracking semantics is undecidable.
 */
export function securityPatternVerdict(pattern: string, value: string): PatternVerdict {
  if (pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/')) {
    const verdict = javaRegexMatches(pattern.slice(1, -1), value);
    return 'matches' in verdict ? verdict.matches : { pattern, reason: verdict.undecidable };
  }
  return matchesWildcard(pattern, value);
}

/** Some item matches: yes as soon as one does; undecidable when none does but one cannot be told. */
function some<T>(items: T[], verdict: (item: T) => PatternVerdict): PatternVerdict {
  let open: UndecidablePattern | undefined;
  for (const item of items) {
    const result = verdict(item);
    if (result === true) return true;
    if (result !== false) open ??= result;
  }
  return open ?? false;
}

/** Every item matches: no as soon as one does not; undecidable when none fails but one cannot be told. */
function every<T>(items: T[], verdict: (item: T) => PatternVerdict): PatternVerdict {
  let open: UndecidablePattern | undefined;
  for (const item of items) {
    const result = verdict(item);
    if (result === false) return false;
    if (result !== true) open ??= result;
  }
  return open ?? true;
}

const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:(.*)\/)?([^/]+)$/;

/** `arn:aws:iam::123456789012:role/dashboards/X` with its parts; undefined for anything else. */
function roleArnParts(arn: string): { partition: string; account: string; path: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { partition: match[1]!, account: match[2]!, path: match[3] ? `/${match[3]}/` : '/', name: match[4]! } : undefined;
}

/**
 * Whether a backend_roles entry names the same role in another IAM path (the ARN without the path,
 * or with a different one): a near miss that never matches the session's backend role.
 */
function namesRoleInOtherPath(pattern: string, roleArn: string): boolean {
  const role = roleArnParts(roleArn);
  if (!role) return false;
  const listed = roleArnParts(pattern);
  if (listed && !/[*?]/.test(pattern)) return listed.partition === role.partition && listed.account === role.account && listed.name === role.name && listed.path !== role.path;
  // A wildcard or regex written for the ARN without its path.
  const bare = `arn:${role.partition}:iam::${role.account}:role/${role.name}`;
  return bare !== roleArn && securityPatternVerdict(pattern, bare) === true;
}

export interface RoleMappingView {
  /** Security roles whose backend_roles match the role as FGAC sees it. */
  securityRoles: string[];
  /**
   * Near misses: security roles that list the same role in another IAM path (most often the ARN
   * without its path) but not the role's own ARN, with the entry as written.
   */
  otherPath: Array<{ securityRole: string; listed: string }>;
  /** `Cognito/<pool>/<user>` entries in `users`: they map single users, not the role. */
  cognitoUsers: Array<{ securityRole: string; users: string[] }>;
  /**
   * Security roles that list the role ARN under `users`, not `backend_roles`. That matches requests
   * signed with the role itself (their user name is the role ARN), but a Cognito user's user name is
   * `Cognito/<pool>/<user>` and the role arrives as a backend role: IAM role ARNs belong in backend
   * roles (fgac.html, "Mapping roles to users").
   */
  asUser: string[];
  /** Security roles whose patterns cogdoctor cannot evaluate and that may map the role: the answer for them is unknown. */
  undecided: Array<{ securityRole: string } & UndecidablePattern>;
}

/**
 * How the role mappings treat a role. FGAC sees a Cognito session's role as a backend role written
 * as the IAM role ARN with its path (`arn:<partition>:iam::<account>:role/<path>/<name>`): the
 * assumed-role session ARN carries no path, but the security plugin's own errors name the backend
 * role with it (`backend_roles=[arn:aws:iam::…:role/service-role/KinesisFirehoseServiceRole-…]`,
 * `backend_roles=[arn:aws:iam::…:role/aws-reserved/sso.amazonaws.com/…/AWSReservedSSO_…]`), so a
 * mapping matches the full ARN only.
 */
export function mappingsOfRole(rolesMapping: Record<string, RolesMappingEntry>, roleArn: string, userPoolId?: string): RoleMappingView {
  const view: RoleMappingView = { securityRoles: [], otherPath: [], cognitoUsers: [], asUser: [], undecided: [] };
  // Two unrelated user names: a users pattern that matches both maps every user of the pool.
  const anyUsers = [`Cognito/${userPoolId ?? 'pool'}/a`, `Cognito/${userPoolId ?? 'pool'}/zq-9e1f7c2b-user@example.com`];
  for (const [securityRole, entry] of Object.entries(rolesMapping).sort(([a], [b]) => compareText(a, b))) {
    const patterns = entry.backend_roles ?? [];
    const users = entry.users ?? [];
    const allOf = entry.and_backend_roles ?? [];
    const maps = some<() => PatternVerdict>(
      [
        () => some(patterns, (p) => securityPatternVerdict(p, roleArn)),
        // and_backend_roles maps users who hold every role it lists; a Cognito user holds just this one.
        () => (allOf.length > 0 ? every(allOf, (p) => securityPatternVerdict(p, roleArn)) : false),
        // users: ["*"] (or Cognito/<pool>/*) maps every user, Cognito users included, whatever their backend roles.
        () => some(users, (u) => every(anyUsers, (name) => securityPatternVerdict(u, name))),
      ],
      (verdict) => verdict(),
    );
    if (maps === true) view.securityRoles.push(securityRole);
    else {
      if (maps !== false) view.undecided.push({ securityRole, ...maps });
      const listed = [...patterns, ...allOf].find((p) => namesRoleInOtherPath(p, roleArn));
      if (listed !== undefined) view.otherPath.push({ securityRole, listed });
    }
    const prefix = userPoolId ? `Cognito/${userPoolId}/` : 'Cognito/';
    const cognitoUsers = users.filter((u) => u.startsWith(prefix));
    if (cognitoUsers.length > 0) view.cognitoUsers.push({ securityRole, users: cognitoUsers });
    if (users.includes(roleArn)) view.asUser.push(securityRole);
  }
  return view;
}

/** "all_access lists /(a)\\1/, which cogdoctor cannot evaluate (backreference …)", for an unknown's reason. */
export function describeUndecided(undecided: RoleMappingView['undecided']): string {
  return undecided.map((u) => `${u.securityRole} lists ${u.pattern}, which cogdoctor cannot evaluate (${u.reason})`).join('; ');
}

/** The security roles whose users or backend_roles patterns match a value (an IAM user ARN), and those that cannot be told. */
export function securityRolesMatching(rolesMapping: Record<string, RolesMappingEntry>, value: string): { securityRoles: string[]; undecided: Array<{ securityRole: string } & UndecidablePattern> } {
  const securityRoles: string[] = [];
  const undecided: Array<{ securityRole: string } & UndecidablePattern> = [];
  for (const [securityRole, entry] of Object.entries(rolesMapping).sort(([a], [b]) => compareText(a, b))) {
    const verdict = some([...(entry.users ?? []), ...(entry.backend_roles ?? [])], (p) => securityPatternVerdict(p, value));
    if (verdict === true) securityRoles.push(securityRole);
    else if (verdict !== false) undecided.push({ securityRole, ...verdict });
  }
  return { securityRoles, undecided };
}

/** Whether the code of a failed security-plugin read says the network, rather than the caller, is the problem. */
function unreachable(code: string): boolean {
  return /timeout|timedout|econn|enotfound|ehostunreach|network|socket/i.test(code);
}

/**
 * The FGAC role mappings (decision rule 14). Not collected → not evaluated; a failed read → unknown,
 * naming what is missing: a caller mapped to all_access or security_manager, and network reach for
 * VPC domains.
 */
export function readRolesMapping(ctx: CheckContext): Record<string, RolesMappingEntry> {
  try {
    return ctx.rolesMapping();
  } catch (error) {
    if (!(error instanceof DataGap) || error.gap.kind !== 'unknown') throw error;
    const failure = ctx.rolesMappingError();
    if (failure && undecidedInCode(failure)) throw error;
    const where = failure?.resource ?? `${domainArnOf(ctx.snapshot)}/_plugins/_security/api/rolesmapping`;
    const code = failure?.code ?? 'an error';
    const vpc = isVpcDomain(ctx.domain);
    const caller = 'run cogdoctor as a principal mapped to all_access or security_manager';
    const reach = vpc ? ' from a host that reaches the VPC endpoint' : '';
    const reason = unreachable(code)
      ? `the security plugin at ${where} could not be reached (${code}): ${caller}${reach}`
      : `the security plugin at ${where} answered ${code}: ${caller}${reach}`;
    throw new DataGap({ kind: 'unknown', reason, permission: 'es:ESHttpGet' });
  }
}
