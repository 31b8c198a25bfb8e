// The resources that set a domain's access policy apart from the domain: the CDK's custom resource.
import { isObject, type Json } from '../common.js';
import { firstUnresolved } from '../resolve.js';
import type { Builder } from './template.js';

/** The custom resources the CDK writes a domain's access policy with (aws-opensearchservice, aws-elasticsearch). */
const ACCESS_POLICY_TYPES = ['Custom::OpenSearchAccessPolicy', 'Custom::ElasticsearchAccessPolicy'];

/**
 * The access policy a CDK custom resource sets on a domain: its `Create` (or `Update`) property is
 * the SDK call as a JSON string, `{"action":"updateDomainConfig","parameters":{"DomainName":…,
 * "AccessPolicies":"<the policy as a JSON string>"}}`, built with Fn::Join around the references.
 */
export function customAccessPolicyOf(b: Builder, domainName: string): { logicalId: string; document?: string } | undefined {
  for (const id of b.t.ofType(...ACCESS_POLICY_TYPES)) {
    const props = b.t.props(id);
    const call = b.t.resolver.resolve(props['Update'] ?? props['Create']);
    const unresolved = firstUnresolved(call);
    let parameters: Json | undefined;
    if (typeof call === 'string') {
      try {
        const parsed: unknown = JSON.parse(call);
        if (isObject(parsed) && isObject(parsed['parameters'])) parameters = parsed['parameters'];
      } catch {
        // Not the SDK call the construct writes: not an access policy.
      }
    }
    if (!parameters && !unresolved) continue;
    if (parameters && parameters['DomainName'] !== domainName) continue;
    if (!parameters || typeof parameters['AccessPolicies'] !== 'string') {
      b.unresolvable(`${id}.${props['Update'] ? 'Update' : 'Create'}`, unresolved?.reason ?? 'the custom resource sets no AccessPolicies');
      return { logicalId: id };
    }
    return { logicalId: id, document: parameters['AccessPolicies'] };
  }
  return undefined;
}
