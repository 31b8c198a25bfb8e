// wafv2 read operations: the web ACL associated with a user pool, answered from the snapshots.
import { ApiError } from './errors.js';
import { regionOfPoolId } from './account.js';
import type { Handler } from './types.js';
import { requiredString } from './wire.js';

const INVALID = 'WAFInvalidParameterException';

export const wafv2Operations: Record<string, Handler> = {
  GetWebACLForResource: (call, { account }) => {
    const arn = requiredString(call.params, 'ResourceArn', INVALID);
    const match = /^arn:([a-z-]+):cognito-idp:([^:]+):(\d{12}):userpool\/(.+)$/.exec(arn);
    const [, partition, region, owner, pool] = match ?? [];
    // Only user pools of this account, in the Region the request is signed for, are served; any
    // other resource is unknown to the emulator, as to WAF in that Region.
    const here = partition === account.partition && owner === account.accountId && region === call.scope?.region && region === regionOfPoolId(pool ?? '');
    if (!pool || !here || !(account.userPools.has(pool) || account.namesUserPool(pool))) {
      throw new ApiError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.');
    }
    if (!account.webAclsRead.has(pool)) throw account.notCollected(call);
    const acl = account.webAcls.get(pool);
    // AWS answers a resource without a web ACL with no WebACL member.
    return acl ? { WebACL: acl } : {};
  },
};
