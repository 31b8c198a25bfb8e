// Resolves CloudFormation intrinsic functions against what a template alone decides.
// Anything that depends on another stack, the deployed resource or a missing parameter
// stays an `Unresolved`: the caller leaves that field out and records why.

/** A value the template alone does not decide. */
export class Unresolved {
  constructor(readonly reason: string) {}
}

/** `Ref: AWS::NoValue`: the key or list item is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface ResolverOptions {
  region: string;
  accountId: string;
  partition: string;
  /** --parameters KEY=VALUE, pseudo parameters (AWS::StackName, …) included. */
  parameters: Record<string, string>;
  /** The stack's name: a symbol that stands for the same name wherever the template uses it. */
  stackName: string;
  /** What `Ref` gives for a resource of the template. */
  refOf(logicalId: string): unknown;
  /** What `Fn::GetAtt` gives for a resource of the template. */
  attOf(logicalId: string, attribute: string): unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first Unresolved anywhere inside a resolved value. */
export function firstUnresolved(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnresolved(item);
      if (found) return found;
    }
  } else if (isObject(value)) {
    for (const item of Object.values(value)) {
      const found = firstUnresolved(item);
      if (found) return found;
    }
  }
  return undefined;
}

function asString(value: unknown): string | Unresolved {
  if (value instanceof Unresolved) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return new Unresolved(`expected a string, got ${JSON.stringify(value)}`);
}

export class Resolver {
  private readonly conditionCache = new Map<string, boolean | undefined>();
  private readonly evaluating = new Set<string>();

  constructor(
    readonly template: Json,
    readonly options: ResolverOptions,
  ) {}

  private section(name: string): Json {
    const value = this.template[name];
    return isObject(value) ? value : {};
  }

  /** Ref to a parameter or pseudo parameter; undefined when the name is neither. */
  private parameter(name: string): unknown {
    const given = this.options.parameters[name];
    switch (name) {
      case 'AWS::Region':
        return given ?? this.options.region;
      case 'AWS::AccountId':
        return given ?? this.options.accountId;
      case 'AWS::Partition':
        return given ?? this.options.partition;
      case 'AWS::URLSuffix':
        return given ?? (this.options.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::StackName':
        return given ?? this.options.stackName;
      case 'AWS::StackId':
        return (
          given ??
          `arn:${this.options.partition}:cloudformation:${this.options.region}:${this.options.accountId}:stack/${this.options.stackName}/00000000-0000-4000-a000-000000000000`
        );
      default:
        break;
    }
    if (name.startsWith('AWS::')) return given ?? new Unresolved(`${name} is only known at deploy (pass --parameters ${name}=…)`);
    const declared = this.section('Parameters')[name];
    if (!isObject(declared)) return undefined;
    const value = given ?? (declared['Default'] !== undefined ? asString(declared['Default']) : undefined);
    if (value === undefined) return new Unresolved(`parameter ${name} has no Default (pass --parameters ${name}=…)`);
    if (value instanceof Unresolved) return value;
    const type = typeof declared['Type'] === 'string' ? declared['Type'] : '';
    if (type === 'CommaDelimitedList' || type.startsWith('List<')) return value.split(',').map((v) => v.trim());
    if (type.startsWith('AWS::SSM::Parameter::')) return new Unresolved(`parameter ${name} is read from SSM at deploy`);
    return value;
  }

  ref(name: string): unknown {
    const parameter = this.parameter(name);
    if (parameter !== undefined) return parameter;
    if (isObject(this.section('Resources')[name])) return this.options.refOf(name);
    return new Unresolved(`Ref ${name}: no such parameter or resource`);
  }

  getAtt(logicalId: string, attribute: string): unknown {
    if (!isObject(this.section('Resources')[logicalId])) return new Unresolved(`Fn::GetAtt ${logicalId}.${attribute}: no such resource`);
    return this.options.attOf(logicalId, attribute);
  }

  /** A named condition: true, false, or undefined when it depends on what is unknown. */
  condition(name: string): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    if (this.evaluating.has(name)) return undefined;
    this.evaluating.add(name);
    const result = this.evaluateCondition(this.section('Conditions')[name]);
    this.evaluating.delete(name);
    this.conditionCache.set(name, result);
    return result;
  }

  private evaluateCondition(expression: unknown): boolean | undefined {
    if (typeof expression === 'boolean') return expression;
    if (!isObject(expression)) return undefined;
    const [key, arg] = Object.entries(expression)[0] ?? [];
    const args = Array.isArray(arg) ? arg : [];
    switch (key) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg) : undefined;
      case 'Fn::Equals': {
        const [a, b] = args.map((v) => this.resolve(v));
        if (firstUnresolved(a) || firstUnresolved(b)) return undefined;
        return JSON.stringify(a) === JSON.stringify(b) || (a !== undefined && b !== undefined && String(a) === String(b));
      }
      case 'Fn::Not': {
        const inner = this.evaluateCondition(args[0]);
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And': {
        const values = args.map((v) => this.evaluateCondition(v));
        if (values.includes(false)) return false;
        return values.includes(undefined) ? undefined : true;
      }
      case 'Fn::Or': {
        const values = args.map((v) => this.evaluateCondition(v));
        if (values.includes(true)) return true;
        return values.includes(undefined) ? undefined : false;
      }
      default:
        return undefined;
    }
  }

  /** Whether a resource is created: its Condition, when decidable (undefined when not). */
  created(logicalId: string): boolean | undefined {
    const resource = this.section('Resources')[logicalId];
    if (!isObject(resource) || typeof resource['Condition'] !== 'string') return true;
    return this.condition(resource['Condition']);
  }

  private sub(template: unknown, variables: Json): unknown {
    if (typeof template !== 'string') return new Unresolved('Fn::Sub: the template is not a string');
    let failure: Unresolved | undefined;
    const out = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      let value: unknown;
      if (name in variables) value = this.resolve(variables[name]);
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        value = this.getAtt(name.slice(0, dot), name.slice(dot + 1));
      } else value = this.ref(name);
      const text = asString(value);
      if (text instanceof Unresolved) {
        failure ??= text;
        return whole;
      }
      return text;
    });
    return failure ?? out;
  }

  private intrinsic(name: string, arg: unknown): unknown {
    const args = Array.isArray(arg) ? arg : [];
    switch (name) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg) : new Unresolved('Ref: not a name');
      case 'Fn::GetAtt': {
        const [id, attribute] = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : args.map((v) => this.resolve(v));
        return typeof id === 'string' && typeof attribute === 'string'
          ? this.getAtt(id, attribute)
          : new Unresolved('Fn::GetAtt: not a resource and attribute');
      }
      case 'Fn::Sub':
        if (typeof arg === 'string') return this.sub(arg, {});
        return this.sub(args[0], isObject(args[1]) ? args[1] : {});
      case 'Fn::Join': {
        const delimiter = args[0];
        const list = this.resolve(args[1]);
        if (list instanceof Unresolved) return list;
        if (typeof delimiter !== 'string' || !Array.isArray(list)) return new Unresolved('Fn::Join: not a delimiter and a list');
        const parts = list.map(asString);
        return parts.find((p) => p instanceof Unresolved) ?? parts.join(delimiter);
      }
      case 'Fn::Select': {
        const index = Number(this.resolve(args[0]));
        const list = this.resolve(args[1]);
        if (list instanceof Unresolved) return list;
        if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) return new Unresolved('Fn::Select: index out of range');
        return list[index];
      }
      case 'Fn::Split': {
        const source = asString(this.resolve(args[1]));
        if (source instanceof Unresolved) return source;
        return typeof args[0] === 'string' ? source.split(args[0]) : new Unresolved('Fn::Split: no delimiter');
      }
      case 'Fn::If': {
        const decided = typeof args[0] === 'string' ? this.condition(args[0]) : undefined;
        if (decided === undefined) return new Unresolved(`Fn::If: condition ${String(args[0])} depends on what is only known at deploy`);
        return this.resolve(decided ? args[1] : args[2]);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = args.map((v) => this.resolve(v));
        for (const key of [map, top, second]) if (key instanceof Unresolved) return key;
        const value = (this.section('Mappings')[String(map)] as Json | undefined)?.[String(top)] as Json | undefined;
        const found = isObject(value) ? value[String(second)] : undefined;
        return found === undefined ? new Unresolved(`Fn::FindInMap: ${String(map)}.${String(top)}.${String(second)} not found`) : this.resolve(found);
      }
      case 'Fn::ImportValue':
        return new Unresolved(`Fn::ImportValue ${JSON.stringify(this.resolve(arg))}: the export of another stack is only known at deploy`);
      default:
        return new Unresolved(`${name} is not resolved before deploy`);
    }
  }

  /** Resolves every intrinsic function inside a value; what cannot be resolved becomes an Unresolved in place. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return this.intrinsic(keys[0]!, value[keys[0]!]);
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.resolve(item);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }
}
