import * as aws from './aws.js';
import type { Clients } from './clients.js';
import type { Reads } from './reads.js';
import { regionOfPoolId } from '../model/pools.js';
import type { Snapshot } from '../snapshot/types.js';

/** The WAF read: the web ACL that protects the user pool's login pages. */
export class WafReads {
  constructor(
    private readonly reads: Reads,
    private readonly clients: Clients,
  ) {}

  /** The web ACL associated with the user pool (a regional WAF resource in the pool's Region), null when none. */
  userPoolWebAcl(snapshot: Snapshot, userPoolId: string) {
    const region = regionOfPoolId(userPoolId);
    const account = snapshot.accountId;
    if (!account) return undefined;
    const partition = snapshot.domain.ARN?.split(':')[1] ?? 'aws';
    const arn = `arn:${partition}:cognito-idp:${region}:${account}:userpool/${userPoolId}`;
    const waf = this.clients.wafv2(region);
    return this.reads.read(
      'wafv2:GetWebACLForResource',
      arn,
      async () => (await waf.send(new aws.GetWebACLForResourceCommand({ ResourceArn: arn }))).WebACL ?? null,
    );
  }
}
