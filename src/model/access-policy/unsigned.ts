// Unsigned requests: what a browser without Cognito credentials (or any unsigned client) gets.
import { evaluatePolicy, type ContextValue, type PolicyDocument, type Statement } from '../../policy/index.js';
import type { Snapshot } from '../../snapshot/types.js';
import { dashboardsPath, domainArnOf } from '../domain.js';
import { conditionKeys, stringsOf, withoutKeys } from './conditions.js';
import { anonymousAllowStatements } from './documents.js';
import { DASHBOARDS_VERBS, dashboardsProbes } from './requests.js';

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
      const values = stringsOf(value);
      addresses.push(...values);
      if (/^ipaddress$/i.test(operator) && values.some((v) => /\/0$/.test(v.trim()))) everywhere = true;
    }
  }
  return { addresses, everywhere };
}

function describeUnsigned(policy: PolicyDocument, statement: Statement): UnsignedStatement {
  const conditions = Object.keys(statement.Condition ?? {}).length;
  const { addresses, everywhere } = sourceIpValues(statement);
  const entry: UnsignedStatement = {
    index: policy.Statement.indexOf(statement),
    statement,
    restriction: conditions === 0 || everywhere ? 'none' : 'source-ip',
    addresses,
  };
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
  for (const pattern of stringsOf(statement.Resource)) {
    const instance = pattern.replace(/[*?]/g, 'x');
    if (instance.startsWith(`${arn}/`) && !probes.includes(instance)) probes.push(instance);
  }
  return probes;
}

/** A source address no real policy names (TEST-NET-2): a request "from anywhere". */
const ANYWHERE = '198.51.100.45';

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
    return (
      evaluatePolicy({ Statement: [principalOnly] }, { principal: { type: 'Anonymous' }, ...home, context: ANONYMOUS_CONTEXT }, 'resource').decision === 'Allow'
    );
  });
}
