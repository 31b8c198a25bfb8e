// A CloudFormation template as the readers see it: its resources, what Ref and Fn::GetAtt of each
// give before deploy (ids generated from logical ids), and the builder that records what it leaves open.
import { SnapshotBuilder } from '../builder.js';
import {
  arnOf,
  clientIdOf,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  ec2IdOf,
  isObject,
  partitionOf,
  policyArnOf,
  roleArnOf,
  roleIdOf,
  uuidOf,
  type Json,
} from '../common.js';
import { NO_VALUE, Resolver, Unresolved, firstUnresolved } from '../resolve.js';

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

/** `cdk.out/LogsStack.template.json` → `LogsStack`. */
function stackNameOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/(?:\.template)?\.(?:json|ya?ml|template)$/i, '').replace(/[^A-Za-z0-9-]/g, '-');
  return /^[A-Za-z]/.test(name) ? name : 'stack';
}

export class Template {
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
          attribute === 'Arn'
            ? arnOf(this, 'cognito-idp', this.region, `userpool/${pool}`)
            : attribute === 'ProviderName'
              ? `cognito-idp.${this.region}.amazonaws.com/${pool}`
              : attribute === 'ProviderURL'
                ? `https://cognito-idp.${this.region}.amazonaws.com/${pool}`
                : attribute === 'UserPoolId'
                  ? pool
                  : unknown,
        );
      case 'AWS::Cognito::UserPoolClient':
        return attribute === 'ClientId' ? ref : attribute === 'Name' ? this.nameOf(id, 'ClientName', id) : unknown;
      case 'AWS::Cognito::IdentityPool':
        return attribute === 'Name' ? this.nameOf(id, 'IdentityPoolName', id) : attribute === 'Id' ? ref : unknown;
      case 'AWS::IAM::Role':
        return this.withString(ref, (name) => (attribute === 'Arn' ? roleArnOf(this, this.path(id), name) : attribute === 'RoleId' ? roleIdOf(id) : unknown));
      case 'AWS::IAM::ManagedPolicy':
        return attribute === 'PolicyArn' ? ref : unknown;
      case 'AWS::EC2::VPC':
      case 'AWS::EC2::Subnet':
      case 'AWS::EC2::SecurityGroup':
        return attribute === 'VpcId' || attribute === 'SubnetId' || attribute === 'GroupId' ? ref : unknown;
      case 'AWS::WAFv2::WebACL':
        return attribute === 'Arn'
          ? this.withString(this.nameOf(id, 'Name', id), (name) => arnOf(this, 'wafv2', this.region, `regional/webacl/${name}/${uuidOf(id)}`))
          : unknown;
      case 'AWS::OpenSearchService::Domain':
      case 'AWS::Elasticsearch::Domain':
        return this.withString(ref, (name) => (attribute === 'Arn' || attribute === 'DomainArn' ? arnOf(this, 'es', this.region, `domain/${name}`) : unknown));
      default:
        return unknown;
    }
  }
}

const CFN = { tool: 'cloudformation', what: 'template', openCode: 'Unresolvable', absentCode: 'NotInTemplate', absent: 'is not defined in the template' };

/** Builds one snapshot of a template; `errors` collects what the template leaves open. */
export class Builder extends SnapshotBuilder {
  constructor(
    readonly t: Template,
    file: string,
  ) {
    super(CFN, file);
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
