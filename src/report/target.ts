import type { ReportTarget } from '../engine/types.js';

/** What a report inspected, in words: `domain logs-prod`, or `app client 4q8v… of user pool eu-west-1_Xk2…`. */
export function targetName(target: ReportTarget): string {
  const client = target.userPoolClient;
  if (client) return `app client ${client.clientId}${client.name ? ` "${client.name}"` : ''} of user pool ${client.userPoolId}`;
  return `domain ${target.domain ?? ''}`;
}

/** A short id of what a report inspected: the domain name, or `<user pool id>/<client id>`. */
export function targetId(target: ReportTarget): string {
  const client = target.userPoolClient;
  return client ? `${client.userPoolId}/${client.clientId}` : (target.domain ?? '');
}
