// An aws_opensearch_domain (or aws_elasticsearch_domain) as DescribeDomain gives it.
import type { Snapshot } from '../../snapshot/types.js';
import { setMasterUserMapping } from '../builder.js';
import type { Json } from '../common.js';
import { domainPolicyOf } from './access-policy.js';
import type { Builder, PlanResource } from './plan.js';

export interface PlanDomain {
  name: string;
  arn: string | undefined;
  domain: Snapshot['domain'];
  cognito: Json | undefined;
  security: Json | undefined;
  /** The domain policy resource that sets the access policy, when there is one. */
  policyResource: PlanResource | undefined;
}

export function readDomain(b: Builder, d: PlanResource): PlanDomain {
  const p = b.p;
  const legacy = d.type === 'aws_elasticsearch_domain';
  const name = b.string(d, 'domain_name') ?? d.name;
  const domain: Snapshot['domain'] = { DomainName: name, Created: true, Deleted: false, Processing: false };
  const arn = b.id(d, 'arn');
  if (arn) domain.ARN = arn;
  const version = b.string(d, legacy ? 'elasticsearch_version' : 'engine_version');
  if (version) {
    if (legacy) domain.ElasticsearchVersion = version;
    else domain.EngineVersion = version;
  }
  const endpoint = p.value(d, ['endpoint']);
  const vpc = b.shape(d, ['vpc_options', 0], {
    vpc_id: 'VPCId',
    subnet_ids: 'SubnetIds',
    security_group_ids: 'SecurityGroupIds',
    availability_zones: 'AvailabilityZones',
  });
  if (typeof endpoint === 'string' && endpoint) {
    if (vpc) domain.Endpoints = { vpc: endpoint };
    else domain.Endpoint = endpoint;
  }
  const cognito = b.shape(d, ['cognito_options', 0], {
    enabled: 'Enabled',
    user_pool_id: 'UserPoolId',
    identity_pool_id: 'IdentityPoolId',
    role_arn: 'RoleArn',
  });
  if (cognito) domain.CognitoOptions = cognito;
  const security = b.shape(d, ['advanced_security_options', 0], {
    enabled: 'Enabled',
    internal_user_database_enabled: 'InternalUserDatabaseEnabled',
    anonymous_auth_enabled: 'AnonymousAuthEnabled',
  });
  if (security) domain.AdvancedSecurityOptions = security;
  // A separate domain policy resource replaces the domain's own access_policies.
  const policyResource = domainPolicyOf(b, name);
  const access = policyResource ? b.string(policyResource, 'access_policies') : b.string(d, 'access_policies');
  if (access) domain.AccessPolicies = access;
  const endpointOptions = b.shape(d, ['domain_endpoint_options', 0], {
    enforce_https: 'EnforceHTTPS',
    tls_security_policy: 'TLSSecurityPolicy',
    custom_endpoint_enabled: 'CustomEndpointEnabled',
    custom_endpoint: 'CustomEndpoint',
    custom_endpoint_certificate_arn: 'CustomEndpointCertificateArn',
  });
  if (endpointOptions) domain.DomainEndpointOptions = endpointOptions;
  if (vpc) domain.VPCOptions = vpc;
  const atRest = b.shape(d, ['encrypt_at_rest', 0], { enabled: 'Enabled', kms_key_id: 'KmsKeyId' });
  if (atRest) domain.EncryptionAtRestOptions = atRest;
  const nodeToNode = b.shape(d, ['node_to_node_encryption', 0], { enabled: 'Enabled' });
  if (nodeToNode) domain.NodeToNodeEncryptionOptions = nodeToNode;

  return { name, arn, domain, cognito, security, policyResource };
}

/** FGAC's first role mapping: the master user the plan names. */
export function readMasterUser(b: Builder, snapshot: Snapshot, d: PlanResource, { name, arn, security }: PlanDomain): void {
  if (security?.['Enabled'] === true) {
    setMasterUserMapping(
      b,
      snapshot,
      {
        arn: b.string(d, 'advanced_security_options', 0, 'master_user_options', 0, 'master_user_arn'),
        name: b.string(d, 'advanced_security_options', 0, 'master_user_options', 0, 'master_user_name'),
      },
      arn ?? name,
      `${d.address}.advanced_security_options`,
    );
  }
}
