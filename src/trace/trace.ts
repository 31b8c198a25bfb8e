// Replays one Dashboards login against a snapshot, step by step, as the services involved would
// judge it: the hosted UI, the user account, the identity pool, role selection, STS, the domain
// access policy and fine-grained access control (one file per step in ./steps). Pure: a snapshot
// and an identity in, steps out.
import { CheckContext } from '../context/check-context.js';
import { roleNameOf } from '../util/arn.js';
import { dashboardsUrl } from '../model/domain.js';
import type { Snapshot } from '../snapshot/types.js';
import { accessPolicy } from './steps/access-policy.js';
import { assumeRole } from './steps/assume-role.js';
import { fineGrained } from './steps/fine-grained.js';
import { hostedUi } from './steps/hosted-ui.js';
import { roleSelection } from './steps/role-selection.js';
import { skipped, type State } from './steps/step.js';
import { tokenToIdentityPool } from './steps/token-to-identity-pool.js';
import { userAccount } from './steps/user-account.js';
import type { TraceIdentity, TraceOutcome, TraceResult, TraceStep } from './types.js';

export { STEP_NAMES } from './steps/step.js';

export interface TraceOptions {
  /** The Dashboards URL the user opens; default: the domain's (its custom endpoint first). */
  url?: string;
  /** The time of the login, for expiry of temporary passwords and tokens. */
  now: Date;
  version: string;
  source: 'live' | 'snapshot';
  file?: string;
}

function outcomeOf(steps: TraceStep[], state: State): TraceOutcome {
  const failed = steps.find((s) => s.status === 'fail');
  if (failed?.failure) {
    return {
      result: 'failure',
      line: `the user sees: ${failed.failure.userSees}`,
      step: failed.number,
      id: failed.failure.id,
      userSees: failed.failure.userSees,
    };
  }
  const unknown = steps.find((s) => s.status === 'unknown');
  if (unknown || !state.role) {
    const at = unknown ? `step ${unknown.number} (${unknown.name}) could not be decided: ${unknown.summary}` : 'no role was chosen';
    return { result: 'unknown', line: `the outcome is unknown: ${at}`, ...(unknown ? { step: unknown.number } : {}) };
  }
  const role = state.role.arn;
  const related = [...new Set(steps.flatMap((s) => s.notes.flatMap((n) => (n.id ? [n.id] : []))))];
  const warnings = related.length > 0 ? ` (see the notes: ${related.join(', ')})` : '';
  if (state.securityRoles) {
    return {
      result: 'success',
      line: `login succeeds as role ${roleNameOf(role)} with security roles ${state.securityRoles.join(', ')}${warnings}`,
      role,
      securityRoles: state.securityRoles,
    };
  }
  return {
    result: 'success',
    line: `login succeeds as role ${roleNameOf(role)} with security roles: none (fine-grained access control is off)${warnings}`,
    role,
  };
}

const STEPS: Array<(state: State) => TraceStep> = [hostedUi, userAccount, tokenToIdentityPool, roleSelection, assumeRole, accessPolicy, fineGrained];

/** Walks the login through every step; after a failure the rest are skipped, after an unknown they go on. */
export function traceLogin(snapshot: Snapshot, identity: TraceIdentity, options: TraceOptions): TraceResult {
  const url = options.url ?? dashboardsUrl(snapshot.domain);
  const state: State = { snapshot, ctx: new CheckContext(snapshot), identity, now: options.now, ...(url ? { url } : {}) };
  const steps: TraceStep[] = [];
  let stoppedAt: number | undefined;
  STEPS.forEach((run, index) => {
    if (stoppedAt !== undefined) {
      steps.push(skipped(index + 1, `the login stops at step ${stoppedAt}`));
      return;
    }
    const step = run(state);
    steps.push(step);
    if (step.status === 'fail') stoppedAt = step.number;
  });
  return {
    schema: 'cogdoctor/trace/v1',
    tool: { name: 'cogdoctor', version: options.version },
    target: {
      domain: snapshot.domain.DomainName,
      region: snapshot.region,
      ...(snapshot.accountId ? { accountId: snapshot.accountId } : {}),
      source: options.source,
      ...(options.file ? { file: options.file } : {}),
      ...(url ? { url } : {}),
      ...(state.redirectUri ? { redirectUri: state.redirectUri } : {}),
    },
    identity: {
      source: identity.source,
      label: identity.label,
      ...(identity.token ? { token: identity.token } : {}),
      claims: identity.claims,
      derived: identity.derived,
    },
    steps,
    outcome: outcomeOf(steps, state),
  };
}
