// sts: only GetCallerIdentity, answered as a fixed emulator user in the snapshot's account.
import { callerArn } from './errors.js';
import type { Handler } from './types.js';

export const stsOperations: Record<string, Handler> = {
  GetCallerIdentity: (_call, { account }) => ({
    UserId: 'AIDACOGDOCTOREMULATOR',
    Account: account.accountId,
    Arn: callerArn(account.accountId),
  }),
};
