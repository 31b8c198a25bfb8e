import type { CheckContext } from '../context/check-context.js';
import type { ClientCheck, ClientContext } from './client-context.js';
import type { Check, CheckMeta, FindingInput, MessagesOf, ProblemOf } from './types.js';

/** A check whose run() reports problems by failure mode, worded by its messages. */
export interface CheckDefinition<M extends MessagesOf> extends CheckMeta {
  messages: M;
  run(ctx: CheckContext): ProblemOf<M>[];
}

/** A check whose run() builds its findings itself. */
export interface FindingCheckDefinition extends CheckMeta {
  run(ctx: CheckContext): FindingInput[];
}

/** A check of `cogdoctor client` whose run() reports problems by failure mode, worded by its messages. */
export interface ClientCheckDefinition<M extends MessagesOf> extends CheckMeta {
  messages: M;
  run(ctx: ClientContext): ProblemOf<M>[];
}

/** A check of `cogdoctor client` whose run() builds its findings itself. */
export interface ClientFindingCheckDefinition extends CheckMeta {
  run(ctx: ClientContext): FindingInput[];
}

/** What every check must hold, whatever it runs on. */
function validate(check: CheckMeta & { messages?: MessagesOf }): void {
  for (const mode of check.modes) {
    if (mode.inferred && mode.severity === 'error') {
      throw new Error(`check ${check.id}: failure mode ${mode.id} rests on an inferred fact and cannot be an error`);
    }
  }
  for (const id of Object.keys(check.messages ?? {})) {
    if (!check.modes.some((mode) => mode.id === id)) throw new Error(`check ${check.id}: messages for ${id}, which is not one of its failure modes`);
  }
}

/** Declares a check: its metadata and its pure `run`. The built-in checks and plugins use the same call. */
export function defineCheck<M extends MessagesOf>(check: CheckDefinition<M>): Check;
export function defineCheck(check: FindingCheckDefinition): Check;
export function defineCheck(check: Check): Check;
export function defineCheck(check: Check): Check {
  validate(check);
  return Object.freeze({ scope: 'cognito', source: 'builtin', ...check });
}

/** Declares a check of `cogdoctor client` (checks/client/): it runs on one app client instead of a domain. */
export function defineClientCheck<M extends MessagesOf>(check: ClientCheckDefinition<M>): ClientCheck;
export function defineClientCheck(check: ClientFindingCheckDefinition): ClientCheck;
export function defineClientCheck(check: Omit<ClientCheck, 'kind'>): ClientCheck {
  validate(check);
  return Object.freeze({ source: 'builtin', ...check, kind: 'client' as const });
}
