import { createHash } from 'node:crypto';

/**
 * A finding's identity across runs. The message names the specific URL, role or group with the real
 * values, so two findings of one failure id on one resource stay apart; fields that change from run
 * to run (dates, order) are not part of it.
 */
export function findingUid(finding: { id: string; resource: string; message: string }): string {
  return createHash('sha256').update(`${finding.id}\n${finding.resource}\n${finding.message}`).digest('hex').slice(0, 16);
}
