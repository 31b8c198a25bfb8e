// The hosted login pages: the user pool domain's description (classic hosted UI or managed login),
// the OpenSearch client's branding style, the web ACL in front of the pool (optional parts).
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider';
import type { CheckContext } from '../context/check-context.js';
import { gapOfFailedRead, gapOfUncollected, isDenied, isNotFound } from '../snapshot/gaps.js';
import type { ManagedLoginBranding, WebACL } from '../snapshot/types.js';
import { optionalPart } from './client.js';
import { regionOfPoolId } from './pools.js';
import { sh } from './shell.js';

export interface HostedUiDomain {
  /** UserPool.Domain and UserPool.CustomDomain, whichever are set. */
  names: string[];
  /** DescribeUserPoolDomain of one of them. */
  description: DomainDescriptionType;
  /** The domain the description is of. */
  name: string;
}

/**
 * The description of the user pool's hosted-UI domain, or undefined: no domain at all
 * (user-pool-domain-missing), the description not collected (not evaluated) or not readable
 * (unknown), or a description of some other pool's domain. Calls ctx.userPool().
 */
export function hostedUiDomainOf(ctx: CheckContext, what: string): HostedUiDomain | undefined {
  const pool = ctx.userPool();
  const names = [pool.Domain, pool.CustomDomain].filter((d): d is string => typeof d === 'string' && d.length > 0);
  if (names.length === 0) return undefined;
  const description = optionalPart(ctx, ctx.snapshot.userPoolDomain, {
    operations: ['cognito-idp:DescribeUserPoolDomain'],
    resource: names[0],
    notCollected: `the user pool domain ${names.join(' / ')} was not described, so ${what} could not be checked: cognito-idp:DescribeUserPoolDomain would read it`,
  });
  if (!description) return undefined;
  const name = description.Domain ?? names[0]!;
  if (!names.includes(name)) return undefined;
  return { names, description, name };
}

/** Managed login (the 2024 branding editor) rather than the classic hosted UI. */
export function usesManagedLogin(description: DomainDescriptionType): boolean {
  return description.ManagedLoginVersion === 2;
}

/**
 * The branding styles read for the OpenSearch app client (`[]`: it has none), or undefined with the
 * gap noted. A recorded ResourceNotFoundException of the read also means "none".
 */
export function managedLoginBrandingOf(ctx: CheckContext, userPoolId: string, clientId: string): ManagedLoginBranding[] | undefined {
  const recorded = ctx.snapshot.managedLoginBranding;
  const operation = 'cognito-idp:DescribeManagedLoginBrandingByClient';
  const resource = `${userPoolId}/${clientId}`;
  if (Array.isArray(recorded)) {
    // A style names its pool; the read was for this client (a hand-written snapshot may name the client too).
    return recorded.filter((b) => (!b.UserPoolId || b.UserPoolId === userPoolId) && (!b.ClientId || b.ClientId === clientId));
  }
  const error = ctx.readError(operation, clientId);
  if (error && isNotFound(error.code)) return [];
  if (error) {
    ctx.note(gapOfFailedRead({ ...error, resource: error.resource ?? resource }));
    return undefined;
  }
  ctx.note({
    kind: 'not-evaluated',
    reason: `the managed login branding of the OpenSearch app client ${clientId} was not collected: ${operation} would read it`,
    permission: operation,
  });
  return undefined;
}

/**
 * The web ACL associated with the user pool: the ACL, null when none is, or undefined with the gap
 * noted (not collected, or the read failed).
 */
export function userPoolWebAclOf(ctx: CheckContext, userPoolId: string): WebACL | null | undefined {
  const recorded = ctx.snapshot.userPoolWebAcl;
  if (recorded !== undefined) return recorded;
  const operation = 'wafv2:GetWebACLForResource';
  const error = ctx.readError(operation, userPoolId);
  if (error) {
    const gap = gapOfFailedRead({ ...error, resource: error.resource ?? userPoolId });
    // WAF also authorizes the call with two actions cogdoctor never sends.
    if (isDenied(error.code)) gap.reason += ', wafv2:GetWebACL and cognito-idp:GetWebACLForResource';
    ctx.note(gap);
    return undefined;
  }
  ctx.note(gapOfUncollected(`the web ACL of user pool ${userPoolId}`, operation));
  return undefined;
}

/** `update-user-pool-domain` back to the classic hosted UI (managed login version 1), keeping a custom domain's certificate. */
export function classicHostedUiCommand(userPoolId: string, domain: string, certificateArn?: string): string {
  return sh(
    'aws',
    'cognito-idp',
    'update-user-pool-domain',
    '--region',
    regionOfPoolId(userPoolId),
    '--user-pool-id',
    userPoolId,
    '--domain',
    domain,
    '--managed-login-version',
    '1',
    ...(certificateArn ? ['--custom-domain-config', `CertificateArn=${certificateArn}`] : []),
  );
}
