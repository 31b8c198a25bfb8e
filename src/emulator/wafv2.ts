// wafv2 read operations: the web ACL associated with a user pool, answered from the snapshots.
import { ApiError } from './errors.js';
import type { Handler } from './types.js';
import { requiredString } from './wire.js';

const INVALID = 'WAFInvalidParameterException';

export const wafv2Operations: Record<string, Handler> = {
  GetWebACLForResource: ({ params }, { account }) => {
    const arn = requiredString(params, 'ResourceArn', INVALID);
    const pool = /^arn:[a-z-]+:cognito-idp:[^:]+:\d{12}:userpool\/(.+)$/.exec(arn)?.[1];
    // Only user pools are served; any other resource is unknown to the emulator, as to WAF.
    if (!pool || !account.userPools.has(pool)) {
      throw new ApiError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.');
    }
    const acl = account.webAcls.get(pool);
    // AWS answers a resource without a web ACL with no WebACL member.
    return acl ? { WebACL: acl } : {};
  },
};
