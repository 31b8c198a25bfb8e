import { settleCheck, sortFindings, summarize } from '../engine/run.js';
import type { CheckResult, Finding, Report, ReportTarget } from '../engine/types.js';
import { regionOfPoolId } from '../model/pools.js';
import { RELYING_PARTY_CHECKS } from './checks/index.js';
import { ClientContext, hostedUiUrlOf, issuerOf, type ClientReads, type RelyingParty } from './context.js';

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

/** Runs every relying-party check on one app client and assembles the report, in a stable order. */
export function runClientChecks(reads: ClientReads, party: RelyingParty, options: { version: string; source: ReportTarget['source']; file?: string }): Report {
  const results: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const check of RELYING_PARTY_CHECKS) {
    const ctx = new ClientContext(reads, party);
    const outcome = settleCheck(check, ctx, () => check.run(ctx));
    results.push(outcome.result);
    findings.push(...outcome.findings);
  }
  sortFindings(findings);
  return {
    schema: 'cogdoctor/report/v1',
    tool: { name: 'cogdoctor', version: options.version },
    target: targetOf(reads, options),
    summary: summarize(findings, results),
    findings,
    checks: results,
  };
}
