// Step 2. The user account (trace --user)
import { gapOfFailedRead } from '../../snapshot/gaps.js';
import { userSees } from '../messages.js';
import type { TraceStep } from '../types.js';
import { read, skipped, Step, type State } from './step.js';

const DAY_MS = 86_400_000;

export function userAccount(state: State): TraceStep {
  const account = state.identity.user;
  if (!account) return skipped(2, 'no user account was read: trace --user NAME reads it (live)');
  const step = new Step(2);
  const user = account.user;
  if (!user) {
    const error = account.userError;
    step.unknown(error ? gapOfFailedRead({ ...error, resource: account.username }).reason : `user ${account.username} was not read`);
    return step.done();
  }
  const name = user.Username ?? account.username;
  Object.assign(step.evidence, {
    Username: name,
    UserStatus: user.UserStatus ?? null,
    Enabled: user.Enabled ?? null,
    UserCreateDate: user.UserCreateDate ?? null,
  });
  if (user.Enabled === false) {
    step.fail('user-not-confirmed-or-disabled', `user ${name} is disabled`, userSees.userDisabled());
  } else if (user.UserStatus === 'UNCONFIRMED') {
    step.fail('user-not-confirmed-or-disabled', `user ${name} is UNCONFIRMED: the sign-up was never confirmed`, userSees.userNotConfirmed());
  } else if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    const pool = read(() => state.ctx.userPool());
    const created = Date.parse(user.UserCreateDate ?? '');
    if (pool.gap) step.unknown(`how long temporary passwords last is not known: ${pool.gap.reason}`);
    else if (Number.isNaN(created)) step.unknown(`user ${name} has a temporary password and no UserCreateDate to tell whether it expired`);
    else {
      const days = pool.value.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
      const age = Math.floor((state.now.getTime() - created) / DAY_MS);
      step.evidence['TemporaryPasswordValidityDays'] = days;
      const expires = new Date(created + days * DAY_MS).toISOString();
      if (state.now.getTime() - created > days * DAY_MS) {
        step.fail(
          'temporary-password-expired',
          `user ${name} still has the temporary password set on ${user.UserCreateDate} (${age} days ago), valid for ${days} days (TemporaryPasswordValidityDays)`,
          userSees.temporaryPasswordExpired(),
        );
        // AdminCreateUser with RESEND restarts the clock without changing UserCreateDate.
        if (user.UserLastModifiedDate && user.UserLastModifiedDate !== user.UserCreateDate)
          step.note(`the user was last changed on ${user.UserLastModifiedDate}: if a new temporary password was sent then, it counts from that day`);
      } else {
        step.ok(`user ${name} is enabled and has a temporary password`);
        step.note(`the user must choose a new password at the first sign-in; the temporary password expires on ${expires}`);
      }
    }
  } else if (user.UserStatus === 'RESET_REQUIRED') {
    step.ok(`user ${name} is enabled`);
    step.note('the user must reset the password first (RESET_REQUIRED): the hosted UI asks for the code Cognito sends');
  } else {
    step.ok(`user ${name} is ${user.UserStatus ?? 'in an unknown status'} and enabled`);
  }
  return step.done();
}
