// `cogdoctor client`: the checks of checks/client/ on one app client, in the report every command prints.
import { builtinClientChecks } from '../engine/builtin-client.js';
import { ClientContext, hostedUiUrlOf, issuerOf, type ClientCheck, type ClientReads, type RelyingParty } from '../engine/client-context.js';
import { assembleReport, collectOutcomes, settleCheck } from '../engine/run.js';
import type { Report, ReportTarget } from '../engine/types.js';
import { compareText } from '../util/order.js';
import { regionOfPoolId } from '../model/pools.js';

function targetOf(reads: ClientReads, options: { source: ReportTarget['source']; file?: string }): ReportTarget {
  const issuer = issuerOf(reads.userPoolId);
  const pool = reads.userPool;
  // The base the relying party is configured with: an ACTIVE domain, the custom one first.
  const candidates = [
    ...(pool?.CustomDomain ? [{ name: pool.CustomDomain, custom: true }] : []),
    ...(pool?.Domain ? [{ name: pool.Domain, custom: false }] : []),
  ];
  const active = candidates.find((c) => reads.domains.some((d) => d.Domain === c.name && d.Status === 'ACTIVE')) ?? candidates[0];
  const name = reads.client?.ClientName;
  return {
    region: regionOfPoolId(reads.userPoolId),
    ...(reads.accountId ? { accountId: reads.accountId } : {}),
    source: options.source,
    ...(options.file ? { file: options.file } : {}),
    userPoolClient: {
      userPoolId: reads.userPoolId,
      clientId: reads.clientId,
      ...(name ? { name } : {}),
      issuer,
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      ...(active ? { hostedUiUrl: hostedUiUrlOf(reads.userPoolId, active.name, active.custom) } : {}),
    },
  };
}

/** Runs the checks of `cogdoctor client` (the built-in ones by default) on one app client and assembles the report. */
export function runClientChecks(
  reads: ClientReads,
  party: RelyingParty,
  options: { version: string; source: ReportTarget['source']; file?: string },
  checks: ClientCheck[] = builtinClientChecks,
): Report {
  const outcomes = [...checks]
    .sort((a, b) => compareText(a.id, b.id))
    .map((check) => {
      const ctx = new ClientContext(reads, party);
      return settleCheck(check, ctx, () => check.run(ctx));
    });
  return assembleReport(collectOutcomes(outcomes), targetOf(reads, options), options.version);
}
