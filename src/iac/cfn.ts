// `cogdoctor check --cfn`: a CloudFormation template (JSON, YAML with short-form tags, `cdk synth`
// output) turned into one snapshot per OpenSearch Service domain, before anything is deployed.
// Ids AWS would assign are generated deterministically from logical ids; anything the template
// alone does not decide is left out and recorded in `errors`, so the checks needing it say unknown.
import type { Report } from '../engine/types.js';
import type { ReadError, RolePolicies, Snapshot, UserPoolClientType } from '../snapshot/types.js';
import {
  arnOf,
  clientIdOf,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  leaveAccountUndecided,
  recordRolesOutside,
  recordUndecided,
  serviceClientOf,
  ec2IdOf,
  type DeclaredProvider,
  type Placement,
  isObject,
  KNOWN_MANAGED,
  masterUserMapping,
  partitionOf,
  policyArnOf,
  policyDocument,
  roleArnOf,
  roleIdOf,
  uuidOf,
  type IacIndex,
  type Json,
} from './common.js';
import { parseTemplate, TemplateError } from './parse.js';
import { apiAttributeName } from '../model/posture.js';
import { NO_VALUE, Resolver, Unresolved, firstUnresolved } from './resolve.js';

export { TemplateError };

/** A template without a domain: an error for one template, a stack to pass over in a cloud assembly. */
export class NoDomainError extends TemplateError {
  override name = 'NoDomainError';
}

const DOMAIN_TYPES = new Set(['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain']);

export interface CfnOptions {
  file: string;
  region?: string;
  /** --parameters KEY=VALUE: template parameters and pseudo parameters (AWS::AccountId, AWS::Region, …). */
  parameters?: Record<string, string>;
  /** The stack's name (from cdk.out's manifest, else the file's name); `--parameters AWS::StackName=…` wins. */
  stackName?: string;
}

/**
 * The account and Region an environment-specific template is written for: those of the CDK
 * bootstrap resources it names (`cdk-<qualifier>-assets-<account>-<region>`), else the one account
 * and the one Region that the ARNs written out in its resources name. Undefined when the template
 * names none, or several: its pseudo parameters then stand for themselves.
 */
export function environmentOf(template: Json): { accountId?: string; region?: string; accounts?: string[] } {
  const text = JSON.stringify(template['Resources'] ?? {});
  const bootstrap = /cdk-[a-z0-9]+-(?:assets|container-assets)-(\d{12})-([a-z]{2}(?:-[a-z]+)+-\d)/.exec(text);
  if (bootstrap) return { accountId: bootstrap[1]!, region: bootstrap[2]! };
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const match of text.matchAll(/arn:aws[\w-]*:[\w-]+:([a-z]{2}(?:-[a-z]+)+-\d)?:(\d{12}):/g)) {
    accounts.add(match[2]!);
    if (match[1]) regions.add(match[1]);
  }
  return {
    ...(accounts.size === 1 ? { accountId: [...accounts][0]! } : {}),
    ...(accounts.size > 1 ? { accounts: [...accounts].sort() } : {}),
    ...(regions.size === 1 ? { region: [...regions][0]! } : {}),
  };
}

export interface CfnSnapshot {
  /** Logical id of the domain. */
  logicalId: string;
  snapshot: Snapshot;
  /** Notes worth telling the user (stderr), e.g. a template client taken as the domain's app client. */
  notes: string[];
  placement: Placement;
}

export interface CfnResult extends IacIndex {
  snapshots: CfnSnapshot[];
}

/** KEY=VALUE pairs of --parameters. */
export function parseParameters(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new TemplateError(`--parameters takes KEY=VALUE, not ${JSON.stringify(pair)}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** `cdk.out/LogsStack.template.json` → `LogsStack`. */
function stackNameOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/(?:\.template)?\.(?:json|ya?ml|template)$/i, '').replace(/[^A-Za-z0-9-]/g, '-');
  return /^[A-Za-z]/.test(name) ? name : 'stack';
}

class Template {
  readonly resources: Record<string, Json>;
  readonly resolver: Resolver;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** The accounts the template names when it does not say which one it deploys to (several). */
  readonly undecidedAccounts: string[] | undefined;
  private readonly names = new Map<string, unknown>();

  constructor(template: Json, options: CfnOptions) {
    const parameters = options.parameters ?? {};
    const environment = environmentOf(template);
    this.region = parameters['AWS::Region'] ?? options.region ?? environment.region ?? DEFAULT_REGION;
    this.accountId = parameters['AWS::AccountId'] ?? environment.accountId ?? DEFAULT_ACCOUNT_ID;
    this.undecidedAccounts = parameters['AWS::AccountId'] ? undefined : environment.accounts;
    this.partition = parameters['AWS::Partition'] ?? partitionOf(this.region);
    this.resources = {};
    for (const [id, resource] of Object.entries(template['Resources'] as Json)) if (isObject(resource)) this.resources[id] = resource;
    this.resolver = new Resolver(template, {
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      parameters,
      stackName: options.stackName ?? stackNameOf(options.file),
      refOf: (id) => this.refOf(id),
      attOf: (id, attribute) => this.attOf(id, attribute),
    });
  }

  type(id: string): string {
    return String(this.resources[id]?.['Type'] ?? '');
  }

  props(id: string): Json {
    const props = this.resources[id]?.['Properties'];
    return isObject(props) ? props : {};
  }

  /** The resources of a type that the template creates (a false Condition leaves one out). */
  ofType(...types: string[]): string[] {
    return Object.keys(this.resources)
      .filter((id) => types.includes(this.type(id)) && this.resolver.created(id) !== false)
      .sort();
  }

  /** A property's name, or the name AWS would generate (here: from the logical id). */
  private nameOf(id: string, property: string, fallback: string): unknown {
    const key = `${id}.${property}`;
    if (!this.names.has(key)) {
      this.names.set(key, new Unresolved(`${key} refers to itself`));
      const raw = this.props(id)[property];
      this.names.set(key, raw === undefined ? fallback : this.resolver.resolve(raw));
    }
    return this.names.get(key);
  }

  private withString(value: unknown, f: (s: string) => unknown): unknown {
    return typeof value === 'string' ? f(value) : value instanceof Unresolved ? value : new Unresolved(`not a string: ${JSON.stringify(value)}`);
  }

  refOf(id: string): unknown {
    switch (this.type(id)) {
      case 'AWS::Cognito::UserPool':
        return `${this.region}_${id}`;
      case 'AWS::Cognito::UserPoolClient':
        return clientIdOf(id);
      case 'AWS::Cognito::IdentityPool':
        return `${this.region}:${uuidOf(id)}`;
      case 'AWS::Cognito::UserPoolDomain':
        return this.resolver.resolve(this.props(id)['Domain']);
      case 'AWS::Cognito::UserPoolGroup':
        return this.nameOf(id, 'GroupName', id);
      case 'AWS::IAM::Role':
        return this.nameOf(id, 'RoleName', id);
      case 'AWS::IAM::ManagedPolicy':
        return this.withString(this.nameOf(id, 'ManagedPolicyName', id), (name) => policyArnOf(this, this.path(id), name));
      case 'AWS::OpenSearchService::Domain':
      case 'AWS::Elasticsearch::Domain':
        return this.nameOf(id, 'DomainName', id.toLowerCase());
      case 'AWS::EC2::VPC':
        return ec2IdOf('vpc', id);
      case 'AWS::EC2::Subnet':
        return ec2IdOf('subnet', id);
      case 'AWS::EC2::SecurityGroup':
        return ec2IdOf('sg', id);
      default:
        return new Unresolved(`Ref ${id} (${this.type(id)}) is only known at deploy`);
    }
  }

  private path(id: string): string {
    const path = this.resolver.resolve(this.props(id)['Path']);
    return typeof path === 'string' ? path : '/';
  }

  attOf(id: string, attribute: string): unknown {
    const type = this.type(id);
    const ref = this.refOf(id);
    const unknown = new Unresolved(`Fn::GetAtt ${id}.${attribute} is only known at deploy`);
    switch (type) {
      case 'AWS::Cognito::UserPool':
        return this.withString(ref, (pool) =>
          attribute === 'Arn' ? arnOf(this, 'cognito-idp', this.region, `userpool/${pool}`)
          : attribute === 'ProviderName' ? `cognito-idp.${this.region}.amazonaws.com/${pool}`
          : attribute === 'ProviderURL' ? `https://cognito-idp.${this.region}.amazonaws.com/${pool}`
          : attribute === 'UserPoolId' ? pool
          : unknown);
      case 'AWS::Cognito::UserPoolClient':
        return attribute === 'ClientId' ? ref : attribute === 'Name' ? this.nameOf(id, 'ClientName', id) : unknown;
      case 'AWS::Cognito::IdentityPool':
        return attribute === 'Name' ? this.nameOf(id, 'IdentityPoolName', id) : attribute === 'Id' ? ref : unknown;
      case 'AWS::IAM::Role':
        return this.withString(ref, (name) =>
          attribute === 'Arn' ? roleArnOf(this, this.path(id), name) : attribute === 'RoleId' ? roleIdOf(id) : unknown);
      case 'AWS::IAM::ManagedPolicy':
        return attribute === 'PolicyArn' ? ref : unknown;
      case 'AWS::EC2::VPC':
      case 'AWS::EC2::Subnet':
      case 'AWS::EC2::SecurityGroup':
        return attribute === 'VpcId' || attribute === 'SubnetId' || attribute === 'GroupId' ? ref : unknown;
      case 'AWS::WAFv2::WebACL':
        return attribute === 'Arn' ? this.withString(this.nameOf(id, 'Name', id), (name) => arnOf(this, 'wafv2', this.region, `regional/webacl/${name}/${uuidOf(id)}`)) : unknown;
      case 'AWS::OpenSearchService::Domain':
      case 'AWS::Elasticsearch::Domain':
        return this.withString(ref, (name) => (attribute === 'Arn' || attribute === 'DomainArn' ? arnOf(this, 'es', this.region, `domain/${name}`) : unknown));
      default:
        return unknown;
    }
  }
}

/** Builds the snapshots; `errors` of each collects what the template leaves open. */
class Builder {
  readonly errors: ReadError[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly t: Template,
    readonly file: string,
  ) {}

  /**
   * Records that the API read `operation` on `apiResource` would give what the template leaves
   * undecided at `where` (`LogicalId.Property`), so the checks needing it name that value.
   */
  undecided(operation: string, apiResource: string, where: string): void {
    recordUndecided(this.errors, { tool: 'cloudformation', file: this.file, what: 'template' }, operation, apiResource, where);
  }

  unresolvable(resource: string, reason: string, code = 'Unresolvable'): void {
    if (!this.errors.some((e) => e.resource === resource && e.code === code)) {
      this.errors.push({ operation: 'cloudformation:Resolve', resource, code, message: reason });
    }
  }

  /** One property, resolved; undefined (and an error entry) when any part of it is not decidable. */
  field(id: string, property: string, raw: unknown): unknown {
    if (raw === undefined) return undefined;
    const value = this.t.resolver.resolve(raw);
    const unresolved = firstUnresolved(value);
    if (unresolved) {
      this.unresolvable(`${id}.${property}`, unresolved.reason);
      return undefined;
    }
    return value === NO_VALUE ? undefined : value;
  }

  /** Every property of a resource, each resolved on its own. */
  fields(id: string, skip: string[] = []): Json {
    const out: Json = {};
    for (const [key, raw] of Object.entries(this.t.props(id))) {
      if (skip.includes(key)) continue;
      const value = this.field(id, key, raw);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /** The template resource of a type whose Ref is `value`. */
  find(type: string, value: unknown): string | undefined {
    return typeof value === 'string' ? this.t.ofType(type).find((id) => this.t.refOf(id) === value) : undefined;
  }

  string(id: string, property: string, raw: unknown): string | undefined {
    const value = this.field(id, property, raw);
    return typeof value === 'string' ? value : undefined;
  }
}

/** The custom resources the CDK writes a domain's access policy with (aws-opensearchservice, aws-elasticsearch). */
const ACCESS_POLICY_TYPES = ['Custom::OpenSearchAccessPolicy', 'Custom::ElasticsearchAccessPolicy'];

/**
 * The access policy a CDK custom resource sets on a domain: its `Create` (or `Update`) property is
 * the SDK call as a JSON string, `{"action":"updateDomainConfig","parameters":{"DomainName":…,
 * "AccessPolicies":"<the policy as a JSON string>"}}`, built with Fn::Join around the references.
 */
function customAccessPolicyOf(b: Builder, domainName: string): { logicalId: string; document?: string } | undefined {
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

/** The identity pool's providers as the template declares them, each client id resolved on its own. */
function declaredProviders(b: Builder, identityPoolId: string): DeclaredProvider[] | undefined {
  const raw = b.t.props(identityPoolId)['CognitoIdentityProviders'];
  if (raw === undefined) return [];
  const list = b.t.resolver.resolve(raw);
  if (!Array.isArray(list)) {
    b.unresolvable(`${identityPoolId}.CognitoIdentityProviders`, firstUnresolved(list)?.reason ?? 'not a list');
    return undefined;
  }
  return list.filter(isObject).map((p) => ({
    ...(typeof p['ProviderName'] === 'string' ? { ProviderName: p['ProviderName'] } : {}),
    ...(typeof p['ClientId'] === 'string' ? { ClientId: p['ClientId'] } : {}),
    ServerSideTokenCheck: p['ServerSideTokenCheck'] === true || p['ServerSideTokenCheck'] === 'true',
  }));
}

/**
 * A role mapping's IdentityProvider: `<provider name>:<client id>`. A client id only known at deploy
 * (read by a custom resource, imported from another stack) can only be the service's client, whose
 * id no template knows: the mapping is keyed on it.
 */
function mappingProvider(t: Template, raw: unknown, serviceClientId: string | undefined): unknown {
  const value = t.resolver.resolve(raw);
  if (!serviceClientId || !firstUnresolved(value)) return raw;
  const parts = isObject(raw) && Array.isArray(raw['Fn::Join']) && raw['Fn::Join'][0] === '' && Array.isArray(raw['Fn::Join'][1]) ? (raw['Fn::Join'][1] as unknown[]) : undefined;
  const resolvedParts = parts?.map((part) => t.resolver.resolve(part));
  const prefix = resolvedParts?.slice(0, -1);
  if (prefix && prefix.every((part) => typeof part === 'string') && firstUnresolved(resolvedParts!.at(-1))) {
    const head = (prefix as string[]).join('');
    if (head.startsWith('cognito-idp.') && head.endsWith(':')) return `${head}${serviceClientId}`;
  }
  return raw;
}

function buildSnapshot(t: Template, domainId: string, file: string): CfnSnapshot {
  const b = new Builder(t, file);
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

  const snapshot: Snapshot = { schema: 'cogdoctor/snapshot/v1', region: t.region, accountId: t.accountId, domain };
  const cognito = domain.CognitoOptions;
  let roleAttachment: string | undefined;

  const master = security && isObject(security['MasterUserOptions']) ? security['MasterUserOptions'] : undefined;
  if (domain.AdvancedSecurityOptions?.Enabled === true && master) {
    const mapping = masterUserMapping(
      b.string(domainId, 'AdvancedSecurityOptions.MasterUserOptions.MasterUserARN', master['MasterUserARN']),
      b.string(domainId, 'AdvancedSecurityOptions.MasterUserOptions.MasterUserName', master['MasterUserName']),
    );
    if (mapping) snapshot.securityPlugin = mapping;
    else b.undecided('es:ESHttpGet', `${domain.ARN}/_plugins/_security/api/rolesmapping`, `${domainId}.AdvancedSecurityOptions.MasterUserOptions`);
  }

  if (cognito?.Enabled === true) {
    const notInTemplate = (property: string, what: string, operation: string) => {
      b.unresolvable(`${domainId}.CognitoOptions.${property}`, `${what} is not defined in the template`, 'NotInTemplate');
      b.undecided(operation, String((cognito as Json)[property]), `${domainId}.CognitoOptions.${property}`);
    };
    // User pool, its domain, clients and groups.
    let providersAfterDeploy: DeclaredProvider[] | undefined;
    const poolId = b.find('AWS::Cognito::UserPool', cognito.UserPoolId);
    if (poolId) {
      const pool = b.fields(poolId, ['UserPoolName', 'Schema', 'UserPoolTags', 'UserPoolAddOns']);
      const poolProps = t.props(poolId);
      const userPool: Json = {
        Id: cognito.UserPoolId,
        Arn: t.attOf(poolId, 'Arn'),
        Name: b.string(poolId, 'UserPoolName', poolProps['UserPoolName']) ?? poolId,
        ...pool,
      };
      const schema = b.field(poolId, 'Schema', poolProps['Schema']);
      if (Array.isArray(schema)) {
        userPool['SchemaAttributes'] = schema.map((a) => (isObject(a) && typeof a['Name'] === 'string' ? { ...a, Name: apiAttributeName(a['Name']) } : a));
      } else if (schema !== undefined) userPool['SchemaAttributes'] = schema;
      const addOns = b.field(poolId, 'UserPoolAddOns', poolProps['UserPoolAddOns']);
      if (addOns !== undefined) userPool['UserPoolAddOns'] = addOns;
      const poolDomainId = t.ofType('AWS::Cognito::UserPoolDomain').find((id) => b.field(id, 'UserPoolId', t.props(id)['UserPoolId']) === cognito.UserPoolId);
      if (poolDomainId) {
        const d = b.fields(poolDomainId);
        if (typeof d['Domain'] === 'string') {
          userPool[d['CustomDomainConfig'] ? 'CustomDomain' : 'Domain'] = d['Domain'];
          snapshot.userPoolDomain = { UserPoolId: cognito.UserPoolId, AWSAccountId: t.accountId, Domain: d['Domain'], Status: 'ACTIVE', ...(d['CustomDomainConfig'] ? { CustomDomainConfig: d['CustomDomainConfig'] } : {}), ...(typeof d['ManagedLoginVersion'] === 'number' ? { ManagedLoginVersion: d['ManagedLoginVersion'] } : {}) } as Snapshot['userPoolDomain'];
        }
      }
      snapshot.userPool = userPool as Snapshot['userPool'];
      // A web ACL reaches the user pool only through an association the template would hold.
      const association = t.ofType('AWS::WAFv2::WebACLAssociation').find((id) => b.field(id, 'ResourceArn', t.props(id)['ResourceArn']) === userPool['Arn']);
      const aclArn = association ? b.string(association, 'WebACLArn', t.props(association)['WebACLArn']) : undefined;
      if (!association) snapshot.userPoolWebAcl = null;
      else if (aclArn) snapshot.userPoolWebAcl = { ARN: aclArn, Name: aclArn.split('/').at(-2) ?? aclArn } as Snapshot['userPoolWebAcl'];

      const clients = t.ofType('AWS::Cognito::UserPoolClient')
        .filter((id) => b.field(id, 'UserPoolId', t.props(id)['UserPoolId']) === cognito.UserPoolId)
        .map((id) => {
          const c = b.fields(id, ['GenerateSecret']);
          return {
            ...c,
            UserPoolId: cognito.UserPoolId,
            ClientId: t.refOf(id) as string,
            ClientName: typeof c['ClientName'] === 'string' ? c['ClientName'] : id,
            ...(t.props(id)['GenerateSecret'] === true ? { ClientSecret: '<redacted>' } : {}),
          };
        });
      const identityPoolLogical = b.find('AWS::Cognito::IdentityPool', cognito.IdentityPoolId);
      const service = serviceClientOf({
        domainName: name,
        domainRegion: t.region,
        userPoolId: String(cognito.UserPoolId),
        clients: clients as UserPoolClientType[],
        declared: identityPoolLogical ? declaredProviders(b, identityPoolLogical) : undefined,
        seed: domainId,
        code: 'template',
      });
      snapshot.userPoolClients = service.clients;
      if (service.serviceClientAtDeploy) snapshot.serviceClientAtDeploy = service.serviceClientAtDeploy;
      b.notes.push(...service.notes);
      if (identityPoolLogical && service.providers) providersAfterDeploy = service.providers;
      snapshot.userPoolGroups = t.ofType('AWS::Cognito::UserPoolGroup')
        .filter((id) => b.field(id, 'UserPoolId', t.props(id)['UserPoolId']) === cognito.UserPoolId)
        .map((id) => ({ ...b.fields(id), GroupName: t.refOf(id) as string, UserPoolId: cognito.UserPoolId }));
    } else if (cognito.UserPoolId !== undefined) notInTemplate('UserPoolId', `user pool ${String(cognito.UserPoolId)}`, 'cognito-idp:DescribeUserPool');

    // Identity pool and its roles.
    const identityPoolId = b.find('AWS::Cognito::IdentityPool', cognito.IdentityPoolId);
    if (identityPoolId) {
      const p = b.fields(identityPoolId, ['CognitoIdentityProviders']);
      const providers = providersAfterDeploy ?? (poolId ? undefined : b.field(identityPoolId, 'CognitoIdentityProviders', t.props(identityPoolId)['CognitoIdentityProviders']));
      snapshot.identityPool = {
        IdentityPoolId: cognito.IdentityPoolId as string,
        IdentityPoolName: typeof p['IdentityPoolName'] === 'string' ? p['IdentityPoolName'] : identityPoolId,
        AllowUnauthenticatedIdentities: p['AllowUnauthenticatedIdentities'] === true,
        AllowClassicFlow: p['AllowClassicFlow'] === true,
        ...(Array.isArray(providers) ? { CognitoIdentityProviders: providers as never } : {}),
        ...(isObject(p['SupportedLoginProviders']) ? { SupportedLoginProviders: p['SupportedLoginProviders'] as Record<string, string> } : {}),
        ...(Array.isArray(p['SamlProviderARNs']) ? { SamlProviderARNs: p['SamlProviderARNs'] as string[] } : {}),
        ...(Array.isArray(p['OpenIdConnectProviderARNs']) ? { OpenIdConnectProviderARNs: p['OpenIdConnectProviderARNs'] as string[] } : {}),
      };
      if (!Array.isArray(providers) && poolId) b.unresolvable(`${identityPoolId}.CognitoIdentityProviders`, 'the providers of the identity pool are only known at deploy');
      // "Attributes for access control": a template without the resource sets no map.
      snapshot.principalTagAttributeMaps = t.ofType('AWS::Cognito::IdentityPoolPrincipalTag')
        .filter((id) => b.field(id, 'IdentityPoolId', t.props(id)['IdentityPoolId']) === cognito.IdentityPoolId)
        .map((id) => {
          const tag = b.fields(id);
          return {
            IdentityPoolId: cognito.IdentityPoolId as string,
            ...(typeof tag['IdentityProviderName'] === 'string' ? { IdentityProviderName: tag['IdentityProviderName'] } : {}),
            ...(typeof tag['UseDefaults'] === 'boolean' ? { UseDefaults: tag['UseDefaults'] } : {}),
            ...(isObject(tag['PrincipalTags']) ? { PrincipalTags: tag['PrincipalTags'] as Record<string, string> } : {}),
          };
        });
      const attachment = t.ofType('AWS::Cognito::IdentityPoolRoleAttachment').find((id) => b.field(id, 'IdentityPoolId', t.props(id)['IdentityPoolId']) === cognito.IdentityPoolId);
      roleAttachment = attachment;
      if (attachment) {
        const a = t.props(attachment);
        const roles = b.field(attachment, 'Roles', a['Roles']);
        const mappingsRaw = isObject(a['RoleMappings']) ? a['RoleMappings'] : {};
        const RoleMappings: Json = {};
        let complete = roles !== undefined || a['Roles'] === undefined;
        for (const [key, raw] of Object.entries(mappingsRaw)) {
          const mapping = isObject(raw) ? { ...raw, IdentityProvider: mappingProvider(t, raw['IdentityProvider'], snapshot.serviceClientAtDeploy) } : raw;
          const resolved = b.field(attachment, `RoleMappings.${key}`, mapping);
          if (!isObject(resolved)) {
            complete = false;
            continue;
          }
          // CloudFormation keys the mappings by any name and names the provider inside; the API keys them by provider.
          const { IdentityProvider, ...rest } = resolved;
          RoleMappings[typeof IdentityProvider === 'string' ? IdentityProvider : key] = rest;
        }
        if (!complete) b.undecided('cognito-identity:GetIdentityPoolRoles', String(cognito.IdentityPoolId), attachment);
        else {
          snapshot.identityPoolRoles = {
            IdentityPoolId: cognito.IdentityPoolId as string,
            Roles: (roles ?? {}) as Record<string, string>,
            ...(Object.keys(RoleMappings).length > 0 ? { RoleMappings: RoleMappings as never } : {}),
          };
        }
      } else {
        b.unresolvable(`${domainId}.CognitoOptions.IdentityPoolId`, 'no AWS::Cognito::IdentityPoolRoleAttachment for the identity pool in the template', 'NotInTemplate');
        b.undecided('cognito-identity:GetIdentityPoolRoles', String(cognito.IdentityPoolId), `${domainId}.CognitoOptions.IdentityPoolId`);
      }
    } else if (cognito.IdentityPoolId !== undefined) notInTemplate('IdentityPoolId', `identity pool ${String(cognito.IdentityPoolId)}`, 'cognito-identity:DescribeIdentityPool');
  }

  // IAM roles defined in the template, with the policies the template gives them.
  const roles: NonNullable<Snapshot['roles']> = [];
  const rolePolicies: Record<string, RolePolicies> = {};
  const attachedBy = new Map<string, { PolicyArn: string; PolicyName: string; Document: unknown }[]>();
  const inlineBy = new Map<string, { PolicyName: string; PolicyDocument: unknown }[]>();
  for (const id of t.ofType('AWS::IAM::ManagedPolicy')) {
    const p = t.props(id);
    const document = b.field(id, 'PolicyDocument', p['PolicyDocument']);
    const arn = t.refOf(id);
    const names = b.field(id, 'Roles', p['Roles']);
    if (typeof arn !== 'string' || document === undefined || !Array.isArray(names)) continue;
    for (const role of names) attachedBy.set(String(role), [...(attachedBy.get(String(role)) ?? []), { PolicyArn: arn, PolicyName: arn.slice(arn.lastIndexOf('/') + 1), Document: document }]);
  }
  for (const id of t.ofType('AWS::IAM::Policy', 'AWS::IAM::RolePolicy')) {
    const p = t.props(id);
    const document = b.field(id, 'PolicyDocument', p['PolicyDocument']);
    const policyName = b.string(id, 'PolicyName', p['PolicyName']) ?? id;
    const names = t.type(id) === 'AWS::IAM::RolePolicy' ? [b.field(id, 'RoleName', p['RoleName'])] : b.field(id, 'Roles', p['Roles']);
    if (document === undefined || !Array.isArray(names)) continue;
    for (const role of names) inlineBy.set(String(role), [...(inlineBy.get(String(role)) ?? []), { PolicyName: policyName, PolicyDocument: document }]);
  }
  for (const id of t.ofType('AWS::IAM::Role')) {
    const p = t.props(id);
    const roleName = t.refOf(id);
    const arn = t.attOf(id, 'Arn');
    if (typeof roleName !== 'string' || typeof arn !== 'string') {
      b.unresolvable(`${id}.RoleName`, firstUnresolved(roleName)?.reason ?? 'the role name is only known at deploy');
      continue;
    }
    const trust = b.field(id, 'AssumeRolePolicyDocument', p['AssumeRolePolicyDocument']);
    // A role whose trust policy is not decided is left out: the checks reading it answer unknown.
    if (trust === undefined) {
      b.undecided('iam:GetRole', arn, `${id}.AssumeRolePolicyDocument`);
      continue;
    }
    const role: Json = { Path: typeof p['Path'] === 'string' ? p['Path'] : '/', RoleName: roleName, RoleId: t.attOf(id, 'RoleId'), Arn: arn, AssumeRolePolicyDocument: trust };
    const duration = b.field(id, 'MaxSessionDuration', p['MaxSessionDuration']);
    if (duration !== undefined) role['MaxSessionDuration'] = Number(duration);
    const boundary = b.field(id, 'PermissionsBoundary', p['PermissionsBoundary']);
    if (typeof boundary === 'string') role['PermissionsBoundary'] = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary };
    roles.push(role as never);

    // Policies: complete only when every document is in the template (or is the known Cognito access policy).
    const inlineRaw = b.field(id, 'Policies', p['Policies']);
    const managed = b.field(id, 'ManagedPolicyArns', p['ManagedPolicyArns']);
    let complete = (inlineRaw !== undefined || p['Policies'] === undefined) && (managed !== undefined || p['ManagedPolicyArns'] === undefined) && boundary === undefined;
    const attached: NonNullable<RolePolicies['attached']> = [...(attachedBy.get(roleName) ?? [])];
    for (const policyArn of Array.isArray(managed) ? managed.map(String) : []) {
      const local = t.ofType('AWS::IAM::ManagedPolicy').find((m) => t.refOf(m) === policyArn);
      if (local) {
        const document = b.field(local, 'PolicyDocument', t.props(local)['PolicyDocument']);
        if (document === undefined) complete = false;
        else attached.push({ PolicyArn: policyArn, PolicyName: policyArn.slice(policyArn.lastIndexOf('/') + 1), Document: document });
      } else if (KNOWN_MANAGED.test(policyArn)) attached.push({ PolicyArn: policyArn, PolicyName: policyArn.slice(policyArn.lastIndexOf('/') + 1) });
      else {
        complete = false;
        b.unresolvable(`${id}.ManagedPolicyArns`, `the document of ${policyArn} is not in the template`, 'NotInTemplate');
      }
    }
    if (complete) {
      const inline = (Array.isArray(inlineRaw) ? inlineRaw : []).filter(isObject).map((x) => ({ PolicyName: String(x['PolicyName'] ?? ''), PolicyDocument: x['PolicyDocument'] }));
      rolePolicies[arn] = { attached, inline: [...inline, ...(inlineBy.get(roleName) ?? [])] };
    }
  }
  snapshot.roles = roles;
  snapshot.rolePolicies = rolePolicies;
  snapshot.errors = b.errors;
  if (t.undecidedAccounts) {
    leaveAccountUndecided(snapshot, t.undecidedAccounts, {
      tool: 'cloudformation',
      file,
      what: 'template',
      accessPolicyAt: `${customPolicy?.logicalId ?? domainId}.AccessPolicies`,
      parameter: 'pass --parameters AWS::AccountId=…',
    });
  }
  recordRolesOutside(snapshot, { file, what: 'template', errorCode: 'NotInTemplate' });
  const placement: Placement = {
    ...(customPolicy ? { accessPolicy: customPolicy.logicalId } : {}),
    ...(roleAttachment ? { roleMappings: roleAttachment } : {}),
  };
  return { logicalId: domainId, snapshot, notes: b.notes, placement };
}

/** Every string a finding's resource may be built from → the logical id that defines it. */
function indexOf(t: Template): Map<string, string> {
  const index = new Map<string, string>();
  const add = (value: unknown, id: string) => {
    if (typeof value === 'string' && value.length > 0 && !index.has(value)) index.set(value, id);
  };
  for (const id of Object.keys(t.resources).sort()) {
    const type = t.type(id);
    const attributes =
      type === 'AWS::IAM::Role' ? ['Arn']
      : type === 'AWS::Cognito::UserPool' ? ['Arn', 'ProviderName']
      : DOMAIN_TYPES.has(type) ? ['Arn']
      : [];
    for (const attribute of attributes) add(t.attOf(id, attribute), id);
    const ref = t.refOf(id);
    add(ref, id);
    if (type === 'AWS::Cognito::IdentityPool' && typeof ref === 'string') add(arnOf(t, 'cognito-identity', t.region, `identitypool/${ref}`), id);
  }
  return index;
}

/** Reads a template and builds one snapshot per OpenSearch Service domain with Cognito on (every domain when none has it on). */
export function snapshotsFromTemplate(text: string, options: CfnOptions): CfnResult {
  const { template, lines } = parseTemplate(text);
  const t = new Template(template, options);
  const domains = t.ofType(...DOMAIN_TYPES);
  if (domains.length === 0) throw new NoDomainError(`${options.file}: no AWS::OpenSearchService::Domain or AWS::Elasticsearch::Domain in the template`);
  const withCognito = domains.filter((id) => {
    const enabled = t.resolver.resolve((t.props(id)['CognitoOptions'] as Json | undefined)?.['Enabled']);
    return enabled === true || enabled === 'true';
  });
  const snapshots = (withCognito.length > 0 ? withCognito : domains).map((id) => buildSnapshot(t, id, options.file));
  return {
    snapshots,
    index: indexOf(t),
    lines,
    file: options.file,
    types: new Map(Object.keys(t.resources).map((id) => [id, t.type(id)])),
    placements: new Map(snapshots.map((s) => [s.logicalId, s.placement])),
  };
}
