// The resources that set a domain's access policy apart from the domain: aws_opensearch_domain_policy, aws_elasticsearch_domain_policy.
import type { Builder, PlanResource } from './plan.js';

export function domainPolicyOf(b: Builder, domainName: string): PlanResource | undefined {
  return [...b.where('aws_opensearch_domain_policy', 'domain_name', domainName), ...b.where('aws_elasticsearch_domain_policy', 'domain_name', domainName)][0];
}
