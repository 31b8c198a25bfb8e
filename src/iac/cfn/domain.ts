// An AWS::OpenSearchService::Domain (or AWS::Elasticsearch::Domain) as DescribeDomain gives it.
import type { Snapshot } from '../../snapshot/types.js';
import { setMasterUserMapping } from '../builder.js';
import { ec2IdOf, isObject, policyDocument, type Json } from '../common.js';
import { customAccessPolicyOf } from './access-policy.js';
import type { Builder } from './template.js';

export interface TemplateDomain {
  name: string;
  domain: Snapshot['domain'];
  /** The AdvancedSecurityOptions property as written. */
  security: Json | undefined;
  /** The CDK custom resource that sets the access policy, when there is one. */
  customPolicy: ReturnType<typeof customAccessPolicyOf>;
}

export function readDomain(b: Builder, domainId: string): TemplateDomain {
  const t = b.t;
  const props = t.props(domainId);
  const name = String(t.refOf(domainId));
  const legacy = t.type(domainId) === 'AWS::Elasticsearch::Domain';
  const domain: Snapshot['domain'] = {
    DomainName: name,
    ARN: String(t.attOf(domainId, 'Arn')),
    Created: true,
    Deleted: false,
    Processing: false,
  };
  const version = b.string(domainId, legacy ? 'ElasticsearchVersion' : 'EngineVersion', props[legacy ? 'ElasticsearchVersion' : 'EngineVersion']);
  if (version) {
    if (legacy) domain.ElasticsearchVersion = version;
    else domain.EngineVersion = version;
  }
  const cognitoRaw = props['CognitoOptions'];
  if (isObject(cognitoRaw)) {
    const cognito: Json = {};
    for (const key of ['Enabled', 'UserPoolId', 'IdentityPoolId', 'RoleArn']) {
      const value = b.field(domainId, `CognitoOptions.${key}`, cognitoRaw[key]);
      if (value !== undefined) cognito[key] = value;
    }
    domain.CognitoOptions = cognito;
  }
  const security = isObject(props['AdvancedSecurityOptions']) ? props['AdvancedSecurityOptions'] : undefined;
  if (security) {
    const out: Json = {};
    for (const key of ['Enabled', 'InternalUserDatabaseEnabled', 'AnonymousAuthEnabled', 'SAMLOptions']) {
      const value = b.field(domainId, `AdvancedSecurityOptions.${key}`, security[key]);
      if (value !== undefined) out[key] = value;
    }
    domain.AdvancedSecurityOptions = out;
  }
  const access = b.field(domainId, 'AccessPolicies', props['AccessPolicies']);
  if (access !== undefined) domain.AccessPolicies = policyDocument(access);
  // The CDK's Domain construct writes its access policy with a custom resource, which wins over the property.
  const customPolicy = customAccessPolicyOf(b, name);
  if (customPolicy?.document !== undefined) domain.AccessPolicies = customPolicy.document;
  else if (customPolicy) delete domain.AccessPolicies;
  // VPCOptions as DescribeDomain gives it: the VPC the subnets are in (the API derives VPCId).
  const vpc = b.field(domainId, 'VPCOptions', props['VPCOptions']);
  if (isObject(vpc)) {
    const subnets = Array.isArray(vpc['SubnetIds']) ? vpc['SubnetIds'].map(String) : [];
    const subnet = subnets.map((s) => b.find('AWS::EC2::Subnet', s)).find(Boolean);
    const vpcId = subnet ? t.resolver.resolve(t.props(subnet)['VpcId']) : undefined;
    domain.VPCOptions = { ...vpc, VPCId: typeof vpcId === 'string' ? vpcId : ec2IdOf('vpc', `${domainId}.VPCOptions`) };
  }
  for (const key of ['DomainEndpointOptions', 'EncryptionAtRestOptions', 'NodeToNodeEncryptionOptions', 'ClusterConfig', 'IPAddressType'] as const) {
    const value = b.field(domainId, key, props[key]);
    if (value !== undefined) (domain as Json)[key] = value;
  }

  return { name, domain, security, customPolicy };
}

/** FGAC's first role mapping: the master user the template names. */
export function readMasterUser(b: Builder, snapshot: Snapshot, domainId: string, { domain, security }: TemplateDomain): void {
  const master = security && isObject(security['MasterUserOptions']) ? security['MasterUserOptions'] : undefined;
  if (domain.AdvancedSecurityOptions?.Enabled === true && master) {
    setMasterUserMapping(
      b,
      snapshot,
      {
        arn: b.string(domainId, 'AdvancedSecurityOptions.MasterUserOptions.MasterUserARN', master['MasterUserARN']),
        name: b.string(domainId, 'AdvancedSecurityOptions.MasterUserOptions.MasterUserName', master['MasterUserName']),
      },
      String(domain.ARN),
      `${domainId}.AdvancedSecurityOptions.MasterUserOptions`,
    );
  }
}
