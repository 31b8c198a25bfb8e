// Who sends a request to the domain, and what IAM knows about it for the conditions that test it.
import { roleNameOf } from '../../util/arn.js';
import type { ContextValue, Principal } from '../../policy/index.js';
import type { Role, Snapshot } from '../../snapshot/types.js';
import { accountIdOf, dashboardsPath, domainArnOf, partitionOf } from '../domain.js';

/** One request to the domain: an es:ESHttp* action on a path of the domain ARN. */
export interface AccessProbe {
  action: string;
  resource: string;
}

/** The caller as IAM sees it: a role session, an IAM user, or an unsigned (anonymous) request. */
export type AccessCaller =
  | { kind: 'role'; sessionArn: string; roleArn: string; account: string; roleId?: string }
  | { kind: 'user'; userArn: string; account: string }
  | { kind: 'anonymous' };

/** The policy principal of the caller. */
export function principalOf(caller: AccessCaller): Principal {
  if (caller.kind === 'anonymous') return { type: 'Anonymous' };
  return { type: 'AWS', arn: caller.kind === 'role' ? caller.sessionArn : caller.userArn };
}

/** The credentials a Cognito user holds: the role's session named CognitoIdentityCredentials. */
export function cognitoSessionArn(snapshot: Snapshot, roleArn: string): string {
  const account = roleArn.split(':')[4] || accountIdOf(snapshot);
  return `arn:${partitionOf(snapshot)}:sts::${account}:assumed-role/${roleNameOf(roleArn)}/CognitoIdentityCredentials`;
}

/**
 * What IAM knows about a request to the domain, for the conditions that test it. `principalArn` is
 * the ARN aws:PrincipalArn carries (the role's, for a role session).
 */
export function requestContext(snapshot: Snapshot, caller: AccessCaller, principalArn?: string): Record<string, ContextValue> {
  const domainArn = domainArnOf(snapshot);
  const context: Record<string, ContextValue> = {};
  if (caller.kind !== 'anonymous' && principalArn) {
    context['aws:PrincipalArn'] = principalArn;
    context['aws:PrincipalAccount'] = caller.account;
    context['aws:PrincipalType'] = caller.kind === 'role' ? 'AssumedRole' : 'User';
  }
  Object.assign(context, {
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
    'aws:ResourceAccount': domainArn.split(':')[4] ?? '',
    'aws:RequestedRegion': domainArn.split(':')[3] ?? snapshot.region,
  });
  if (snapshot.domain.DomainEndpointOptions?.EnforceHTTPS === true) context['aws:SecureTransport'] = 'true';
  if (caller.kind === 'role' && caller.roleId) context['aws:userid'] = `${caller.roleId}:CognitoIdentityCredentials`;
  return context;
}

/** The caller a Cognito user is: the role's CognitoIdentityCredentials session. */
export function cognitoCaller(snapshot: Snapshot, roleArn: string, role?: Role): Extract<AccessCaller, { kind: 'role' }> {
  return {
    kind: 'role',
    sessionArn: cognitoSessionArn(snapshot, roleArn),
    roleArn,
    account: roleArn.split(':')[4] ?? '',
    ...(role?.RoleId ? { roleId: role.RoleId } : {}),
  };
}

/** What IAM knows about a Cognito user's request to the domain, for the conditions that test it. */
export function cognitoSessionContext(snapshot: Snapshot, roleArn: string, role?: Role): Record<string, ContextValue> {
  return requestContext(snapshot, cognitoCaller(snapshot, roleArn, role), roleArn);
}

/** The verbs Dashboards sends for a user (reads, saved objects, deletes, HEAD checks). */
export const DASHBOARDS_VERBS = ['ESHttpGet', 'ESHttpPost', 'ESHttpPut', 'ESHttpDelete', 'ESHttpHead'] as const;

/** The requests that stand for "can use Dashboards": the home page, then every verb on the Dashboards index. */
export function dashboardsProbes(snapshot: Snapshot): AccessProbe[] {
  const arn = domainArnOf(snapshot);
  return [
    { action: 'es:ESHttpGet', resource: `${arn}${dashboardsPath(snapshot.domain)}` },
    ...DASHBOARDS_VERBS.map((verb) => ({ action: `es:${verb}`, resource: `${arn}/.kibana/_search` })),
  ];
}

/** "es:ESHttpGet on <home> and es:ESHttpGet, es:ESHttpPost on <index>": probes grouped by resource. */
export function describeProbes(probes: AccessProbe[]): string {
  const byResource = new Map<string, string[]>();
  for (const probe of probes) byResource.set(probe.resource, [...(byResource.get(probe.resource) ?? []), probe.action]);
  return [...byResource].map(([resource, actions]) => `${actions.join(', ')} on ${resource}`).join(' and ');
}
