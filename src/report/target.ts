import type { ReportTarget, Snapshot } from '../engine/types.js';
import { inertLine } from '../util/inert.js';
import { clientNameRegions, findDomainClient, identityPoolClientIdsOf, isServiceClientAtDeploy } from '../model/client.js';
import { accountIdOf, cognitoEnabled, dashboardsUrl, engineOf } from '../model/domain.js';

/** What a report of one snapshot inspected: the domain, its pools, the app client OpenSearch uses and the role it hands out. */
export function targetOf(snapshot: Snapshot, options: { source: ReportTarget['source']; file?: string }): ReportTarget {
  const domain = snapshot.domain;
  const cognito = cognitoEnabled(domain) ? domain.CognitoOptions : undefined;
  const client = snapshot.userPoolClients
    ? findDomainClient(domain, snapshot.userPoolClients, { regions: clientNameRegions(snapshot), identityPoolClientIds: identityPoolClientIdsOf(snapshot) })
        ?.client
    : undefined;
  const target: ReportTarget = {
    domain: domain.DomainName,
    region: snapshot.region,
    accountId: accountIdOf(snapshot),
    source: options.source,
    engine: engineOf(domain),
  };
  if (options.file) target.file = options.file;
  const url = dashboardsUrl(domain);
  if (url) target.dashboardsUrl = url;
  if (cognito?.UserPoolId) target.userPoolId = cognito.UserPoolId;
  if (cognito?.IdentityPoolId) target.identityPoolId = cognito.IdentityPoolId;
  if (client?.ClientId) {
    target.appClient = {
      id: client.ClientId,
      ...(client.ClientName ? { name: client.ClientName } : {}),
      ...(isServiceClientAtDeploy(snapshot, client) ? { createdAtDeploy: true } : {}),
    };
  }
  const authenticated = snapshot.identityPoolRoles?.Roles?.['authenticated'];
  if (cognito && authenticated) target.authenticatedRole = authenticated;
  return target;
}

/** What a report inspected, in words: `domain logs-prod`, or `app client 4q8v… of user pool eu-west-1_Xk2…`. */
export function targetName(target: ReportTarget): string {
  const client = target.userPoolClient;
  if (client) return `app client ${client.clientId}${client.name ? ` "${client.name}"` : ''} of user pool ${client.userPoolId}`;
  return `domain ${target.domain ?? ''}`;
}

/** Where the target is, for a report's first line: `eu-west-1, 111122223333` (the account when known). */
export function targetPlace(target: ReportTarget): string {
  return [target.region, target.accountId]
    .filter((v): v is string => Boolean(v))
    .map(inertLine)
    .join(', ');
}

/** A short id of what a report inspected: the domain name, or `<user pool id>/<client id>`. */
export function targetId(target: ReportTarget): string {
  const client = target.userPoolClient;
  return client ? `${client.userPoolId}/${client.clientId}` : (target.domain ?? '');
}
