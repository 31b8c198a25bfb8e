// sts: GetCallerIdentity, answered for the caller, and AssumeRole into the organization's roles.
import type { Handler } from './types.js';

export const stsOperations: Record<string, Handler> = {
  GetCallerIdentity: (_call, { caller }) => ({ UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
  AssumeRole: ({ params }, { caller, directory }) => directory.assumeRole(caller, params),
};
