import type { Domain } from './types.js';

/** Reached only from inside its VPC: a VPC id, or endpoints keyed `vpc…`. */
export function isVpcDomain(domain: Domain): boolean {
  return Boolean(domain.VPCOptions?.VPCId) || Boolean(domain.Endpoints && Object.keys(domain.Endpoints).some((k) => k.startsWith('vpc')));
}
