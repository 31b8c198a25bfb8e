// What the steps of a trace share: the step being judged, the state one step hands the next, and
// reads that turn a missing part of the snapshot into an unknown.
import { DataGap, type CheckContext } from '../../context/check-context.js';
import type { Gap } from '../../engine/types.js';
import type { Snapshot, UserPoolClientType } from '../../snapshot/types.js';
import type { StepStatus, TraceFailure, TraceIdentity, TraceNote, TraceStep } from '../types.js';

export const STEP_NAMES = [
  'Hosted UI',
  'User account',
  'Token to identity pool',
  'Role selection',
  'STS AssumeRoleWithWebIdentity',
  'Domain access policy',
  'Fine-grained access control',
] as const;

/** One step being judged: the first failure decides it, then an unknown, else it passes. */
export class Step {
  private status: Exclude<StepStatus, 'skipped'> = 'pass';
  private failure?: TraceFailure;
  private readonly passed: string[] = [];
  private readonly unknowns: string[] = [];
  readonly evidence: Record<string, unknown> = {};
  readonly notes: TraceNote[] = [];

  constructor(readonly number: number) {}

  ok(text: string): void {
    this.passed.push(text);
  }

  unknown(reason: string): void {
    this.unknowns.push(reason);
    if (this.status === 'pass') this.status = 'unknown';
  }

  fail(id: string, message: string, text: string): void {
    if (this.failure) return;
    this.failure = { id, message, userSees: text };
    this.status = 'fail';
  }

  note(text: string, id?: string): void {
    this.notes.push(id ? { text, id } : { text });
  }

  done(): TraceStep {
    const summary = this.failure?.message ?? (this.status === 'unknown' ? this.unknowns.join('; ') : this.passed.join('; '));
    // Behind a failure, what could not be checked is still worth knowing.
    const notes = this.failure ? [...this.notes, ...this.unknowns.map((reason) => ({ text: `not checked: ${reason}` }))] : this.notes;
    return {
      number: this.number,
      name: STEP_NAMES[this.number - 1]!,
      status: this.status,
      summary,
      evidence: this.evidence,
      notes,
      ...(this.failure ? { failure: this.failure } : {}),
    };
  }
}

export function skipped(number: number, reason: string): TraceStep {
  return { number, name: STEP_NAMES[number - 1]!, status: 'skipped', summary: reason, evidence: {}, notes: [] };
}

export type Read<T> = { value: T; gap?: undefined } | { gap: Gap; value?: undefined };

export function read<T>(get: () => T): Read<T> {
  try {
    return { value: get() };
  } catch (error) {
    if (error instanceof DataGap) return { gap: error.gap };
    throw error;
  }
}

/** What one step hands on to the next. */
export interface State {
  snapshot: Snapshot;
  ctx: CheckContext;
  identity: TraceIdentity;
  now: Date;
  url?: string;
  client?: UserPoolClientType;
  redirectUri?: string;
  /** The user pool and client of the token, from its iss and aud (step 3). */
  token?: { userPoolId: string; providerName: string; clientId: string };
  role?: { arn: string; via: 'default' | 'group' | 'rule' };
  securityRoles?: string[];
}
