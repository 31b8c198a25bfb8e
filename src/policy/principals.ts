import { isRecord } from '../util/records.js';
import { stringList } from './parse.js';

export type Principal = { type: 'AWS'; arn: string } | { type: 'Federated'; id: string } | { type: 'Service'; id: string } | { type: 'Anonymous' };

export type PrincipalMatch = 'wildcard' | 'exact' | 'session-of-role' | 'account' | 'not-principal';

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:([^:]+):iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
// The session ARN carries the role name without its path.
const SESSION_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
const CALLER_ARN = /^arn:([^:]+):[^:]*:[^:]*:(\d{12}):/;

export function isRoleArn(arn: string): boolean {
  return ROLE_ARN.test(arn);
}

// When several entries match, report the strongest: an 'account' match only delegates to IAM.
const STRENGTH: Record<PrincipalMatch, number> = {
  exact: 4,
  wildcard: 3,
  'session-of-role': 2,
  account: 1,
  'not-principal': 0,
};

/** How a Principal element ("*" or {"AWS": ..., "Federated": ..., "Service": ...}) matches the caller, if at all. */
export function matchPrincipalElement(element: unknown, principal: Principal): PrincipalMatch | undefined {
  if (element === '*') return 'wildcard';
  if (!isRecord(element)) return undefined;
  let best: PrincipalMatch | undefined;
  for (const [type, ids] of Object.entries(element)) {
    for (const id of stringList(ids)) {
      const match = matchPrincipalId(type, id, principal);
      if (match !== undefined && (best === undefined || STRENGTH[match] > STRENGTH[best])) best = match;
    }
  }
  return best;
}

function matchPrincipalId(type: string, id: string, principal: Principal): PrincipalMatch | undefined {
  if (type === 'AWS' && id === '*') return 'wildcard';
  if (type === 'AWS' && principal.type === 'AWS') return matchAwsId(id, principal.arn);
  if ((type === 'Federated' || type === 'Service') && principal.type === type) {
    return id.toLowerCase() === principal.id.toLowerCase() ? 'exact' : undefined;
  }
  return undefined;
}

function matchAwsId(id: string, callerArn: string): PrincipalMatch | undefined {
  if (id === callerArn) return 'exact';
  const caller = CALLER_ARN.exec(callerArn);
  if (caller === null) return undefined;
  const [, partition, account] = caller;

  if (ACCOUNT_ID.test(id)) return id === account ? 'account' : undefined;
  const root = ROOT_ARN.exec(id);
  if (root !== null) return root[1] === partition && root[2] === account ? 'account' : undefined;

  const role = ROLE_ARN.exec(id);
  const session = SESSION_ARN.exec(callerArn);
  if (role === null || session === null) return undefined;
  // Role names are unique regardless of case.
  const sameRole = role[1] === session[1] && role[2] === session[2] && role[3]?.toLowerCase() === session[3]?.toLowerCase();
  return sameRole ? 'session-of-role' : undefined;
}
