// A Terraform plan as the readers see it: its resources on one side of the plan, each value known,
// linked through the configuration's references to what decides it, or Unresolved; and the builder
// that records what the plan leaves open.
import { SnapshotBuilder } from '../builder.js';
import {
  arnOf,
  clientIdOf,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  identityPoolIdOf,
  isObject,
  partitionOf,
  policyArnOf,
  roleArnOf,
  roleIdOf,
  userPoolIdOf,
  type Json,
} from '../common.js';
import { Unresolved, firstUnresolved } from '../resolve.js';
import { compareText } from '../../util/order.js';

/** Attributes that hold a policy document: only a reference to another document may stand for one. */
const POLICY_ATTRIBUTES = new Set(['json', 'minified_json', 'policy', 'access_policies', 'assume_role_policy']);
/** Policy statement attributes whose elements are ARNs or patterns built around them. */
const RESOURCE_ATTRIBUTES = new Set(['resources', 'not_resources']);
/** Nested blocks the provider keeps as sets: their order in planned values is not the configuration's. */
const SET_BLOCKS = new Set(['cognito_identity_providers', 'role_mapping', 'inline_policy', 'schema', 'principals', 'not_principals', 'condition']);

export interface PlanOptions {
  file: string;
  /** Used when the plan does not say (no constant region in the provider configuration, no known ARN). */
  region?: string;
}

export interface PlanResource {
  address: string;
  mode: string;
  type: string;
  name: string;
  /** Address of the module instance the resource is in; '' for the root module. */
  module: string;
  values: Json;
  /** `after_unknown` of the resource's change: which values are known only after apply. */
  unknown: unknown;
  /** The resource's block in `configuration`. */
  expressions: Json | undefined;
}

interface Expression {
  constant_value?: unknown;
  references?: string[];
}

function isExpression(value: unknown): value is Expression {
  return isObject(value) && ('constant_value' in value || 'references' in value);
}

export function at(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Attributes a `dynamic` block leaves without expression, and the resource attribute that decides each. */
const DECIDED_BY: Record<string, { type: string; attribute: string }> = {
  user_pool_id: { type: 'aws_cognito_user_pool', attribute: 'id' },
  identity_pool_id: { type: 'aws_cognito_identity_pool', attribute: 'id' },
  role_arn: { type: 'aws_iam_role', attribute: 'arn' },
  master_user_arn: { type: 'aws_iam_role', attribute: 'arn' },
};

/** `module.a.module.b[0]` → `module.a`; `module.a` → ''. */
function parentOf(module: string): string {
  return module.replace(/\.?module\.[^.]+(?:\[[^\]]*\])?$/, '');
}

/** `module.a["x"].module.b[0]` → `module.a.module.b`: the module in the configuration. */
function moduleKeyOf(module: string): string {
  return module.replace(/\[[^\]]*\]/g, '');
}

/** The references that name a value, not the resource or module that holds it (`aws_x.y.id`, not `aws_x.y`). */
function valueReferences(references: string[]): string[] {
  const unique = [...new Set(references)];
  return unique.filter((ref) => !unique.some((other) => other !== ref && (other.startsWith(`${ref}.`) || other.startsWith(`${ref}[`))));
}

/**
 * The configured block of a set (whose order in planned values is not the configuration's) that a
 * planned element is: the one block whose constant attributes all equal the element's known values.
 */
function sameBlock(item: unknown, blocks: unknown[]): unknown {
  if (!isObject(item)) return undefined;
  const matches = blocks.filter((block) => {
    if (!isObject(block)) return false;
    const constants = Object.entries(block).filter(([, e]) => isExpression(e) && 'constant_value' in e);
    return (
      constants.length > 0 &&
      constants.every(([key, e]) => item[key] === undefined || JSON.stringify(item[key]) === JSON.stringify((e as Expression).constant_value))
    );
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Whether the configuration leaves a value unset: a block it writes out lacks the attribute. A block
 * absent from the configuration may be a `dynamic` one, which the plan's configuration never shows.
 */
function unconfigured(expressions: Json | undefined, path: (string | number)[]): boolean {
  let current: unknown = expressions;
  for (const [depth, key] of path.entries()) {
    if (current === undefined || isExpression(current)) return false;
    if (Array.isArray(current)) current = typeof key === 'number' ? current[key] : undefined;
    else if (isObject(current)) {
      if (!(key in current)) return !(depth === 0 && path.length > 1);
      current = current[key];
    } else return false;
  }
  return false;
}

/** Which side of the plan: what applying it gives, or the state it starts from. */
export type PlanSide = 'after' | 'before';

export class Plan {
  readonly resources = new Map<string, PlanResource>();
  /** The accounts the plan names when nothing says which one it applies to (several). */
  readonly undecidedAccounts: string[] | undefined;
  /** `resource_changes[].change` by address. */
  readonly changes = new Map<string, Json>();
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly plan: Json,
    side: PlanSide,
    options: PlanOptions,
  ) {
    const changes = this.changes;
    for (const change of Array.isArray(plan['resource_changes']) ? plan['resource_changes'] : []) {
      if (isObject(change) && typeof change['address'] === 'string' && isObject(change['change'])) changes.set(change['address'], change['change']);
    }
    const prior = at(plan, ['prior_state', 'values', 'root_module']);
    if (side === 'after') {
      this.addModule(at(plan, ['planned_values', 'root_module']), changes);
      // Data sources read while planning are in prior_state only.
      this.addModule(prior, new Map(), (r) => r['mode'] === 'data');
    } else {
      this.addModule(prior, new Map());
    }
    this.region = this.providerRegion() ?? this.dataValue('aws_region', 'name') ?? this.knownArnPart(3) ?? options.region ?? DEFAULT_REGION;
    const account = this.dataValue('aws_caller_identity', 'account_id') ?? this.knownArnPart(4);
    const literal = this.literalAccounts();
    this.accountId = account ?? (literal.length === 1 ? literal[0]! : DEFAULT_ACCOUNT_ID);
    this.undecidedAccounts = account === undefined && literal.length > 1 ? literal : undefined;
    this.partition = partitionOf(this.region);
  }

  private addModule(module: unknown, changes: Map<string, Json>, only: (resource: Json) => boolean = () => true): void {
    if (!isObject(module)) return;
    const address = typeof module['address'] === 'string' ? module['address'] : '';
    for (const r of Array.isArray(module['resources']) ? module['resources'] : []) {
      if (!isObject(r) || typeof r['address'] !== 'string' || this.resources.has(r['address']) || !only(r)) continue;
      const mode = String(r['mode'] ?? 'managed');
      const type = String(r['type'] ?? '');
      const name = String(r['name'] ?? '');
      this.resources.set(r['address'], {
        address: r['address'],
        mode,
        type,
        name,
        module: address,
        values: isObject(r['values']) ? r['values'] : {},
        unknown: changes.get(r['address'])?.['after_unknown'],
        expressions: this.configOf(address, `${mode === 'data' ? 'data.' : ''}${type}.${name}`),
      });
    }
    for (const child of Array.isArray(module['child_modules']) ? module['child_modules'] : []) this.addModule(child, changes, only);
  }

  /** The configuration of a module (by instance address, keys dropped). */
  private moduleConfig(module: string): Json | undefined {
    let config = at(this.plan, ['configuration', 'root_module']);
    for (const match of moduleKeyOf(module).matchAll(/module\.([^.]+)/g)) config = at(config, ['module_calls', match[1]!, 'module']);
    return isObject(config) ? config : undefined;
  }

  private configOf(module: string, address: string): Json | undefined {
    const resources = this.moduleConfig(module)?.['resources'];
    const found = Array.isArray(resources) ? resources.find((r) => isObject(r) && r['address'] === address) : undefined;
    return isObject(found) && isObject(found['expressions']) ? found['expressions'] : undefined;
  }

  private providerRegion(): string | undefined {
    const expression = at(this.plan, ['configuration', 'provider_config', 'aws', 'expressions', 'region']);
    if (!isExpression(expression)) return undefined;
    if (typeof expression.constant_value === 'string') return expression.constant_value;
    const refs = valueReferences(expression.references ?? []);
    const variable = refs.length === 1 && refs[0]!.startsWith('var.') ? at(this.plan, ['variables', refs[0]!.slice(4), 'value']) : undefined;
    return typeof variable === 'string' ? variable : undefined;
  }

  /** A value of a data source read while planning (`data.aws_caller_identity`, `data.aws_region`), when all of them agree. */
  private dataValue(type: string, attribute: string): string | undefined {
    const values = new Set(
      [...this.resources.values()]
        .filter((r) => r.mode === 'data' && r.type === type)
        .map((r) => r.values[attribute])
        .filter((v): v is string => typeof v === 'string' && v !== ''),
    );
    return values.size === 1 ? [...values][0] : undefined;
  }

  /** The accounts the ARNs written in the plan's values name (policies, role ARNs). */
  private literalAccounts(): string[] {
    const accounts = new Set<string>();
    for (const r of this.resources.values()) {
      for (const match of JSON.stringify(r.values).matchAll(/arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/g)) accounts.add(match[1]!);
    }
    return [...accounts].sort();
  }

  /** A part of the ARN of a resource the plan manages (region 3, account 4), when one is known. */
  private knownArnPart(index: 3 | 4): string | undefined {
    for (const r of [...this.resources.values()].sort((a, b) => compareText(a.address, b.address))) {
      const arn = r.mode === 'managed' ? r.values['arn'] : undefined;
      const part = typeof arn === 'string' ? arn.split(':')[index] : undefined;
      if (part && (index === 3 || /^\d{12}$/.test(part))) return part;
    }
    return undefined;
  }

  ofType(...types: string[]): PlanResource[] {
    return [...this.resources.values()].filter((r) => r.mode === 'managed' && types.includes(r.type)).sort((a, b) => compareText(a.address, b.address));
  }

  /** A value of a resource: known, linked through a reference, or Unresolved (anywhere inside). */
  value(resource: PlanResource, path: (string | number)[]): unknown {
    const expression = this.expressionAt(resource.expressions, path);
    const unknown = at(resource.unknown, path) === true || path.slice(0, -1).some((_, i) => at(resource.unknown, path.slice(0, i + 1)) === true);
    // A computed attribute the configuration leaves unset is what AWS defaults to, as when the API omits it.
    // (A data source's results are never configured: one read at apply is simply unknown.)
    if (unknown && resource.mode === 'managed' && unconfigured(resource.expressions, path)) return undefined;
    if (unknown) return this.link(resource, path, expression);
    return this.merge(resource, path, at(resource.values, path), at(resource.unknown, path), expression);
  }

  private expressionAt(expressions: unknown, path: (string | number)[]): unknown {
    let current = expressions;
    for (const key of path) {
      if (isExpression(current)) return { element: current };
      if (Array.isArray(current)) current = typeof key === 'number' ? current[key] : undefined;
      else if (isObject(current)) current = current[key];
      else return undefined;
    }
    return current;
  }

  private merge(resource: PlanResource, path: (string | number)[], known: unknown, unknown: unknown, expression: unknown): unknown {
    if (unknown === true) return this.link(resource, path, expression);
    const attribute = [...path].reverse().find((k): k is string => typeof k === 'string') ?? '';
    if (Array.isArray(known) || Array.isArray(unknown)) {
      const items = Array.isArray(known) ? known : [];
      const marks = Array.isArray(unknown) ? unknown : [];
      const length = Math.max(items.length, marks.length);
      const open = marks.filter((m) => m === true).length;
      return Array.from({ length }, (_, i) => {
        let child: unknown;
        if (Array.isArray(expression)) {
          const unordered = length > 1 && SET_BLOCKS.has(attribute) && marks.length > 0;
          child = expression.length !== length ? undefined : unordered ? sameBlock(items[i], expression) : expression[i];
        } else if (isExpression(expression) || (isObject(expression) && 'element' in expression))
          child = open === 1 ? { element: isExpression(expression) ? expression : expression['element'] } : undefined;
        return this.merge(resource, [...path, i], items[i], marks[i], child);
      });
    }
    if (isObject(known) || isObject(unknown)) {
      const out: Json = {};
      const values = isObject(known) ? known : {};
      const marks = isObject(unknown) ? unknown : {};
      for (const key of new Set([...Object.keys(values), ...Object.keys(marks)])) {
        const child = isExpression(expression) ? { element: expression } : isObject(expression) && !('element' in expression) ? expression[key] : undefined;
        const value = this.merge(resource, [...path, key], values[key], marks[key], child);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    return known === null ? undefined : known;
  }

  /** A value known only after apply: the one reference the configuration gives it, resolved. */
  private link(resource: PlanResource, path: (string | number)[], expression: unknown): unknown {
    const where = `${resource.address}.${path.filter((k) => typeof k === 'string').join('.')}`;
    const element = isObject(expression) && 'element' in expression;
    const own = element ? (expression['element'] as Expression) : isExpression(expression) ? expression : undefined;
    if (!own)
      return (
        this.linkByType(resource, path) ??
        new Unresolved(`${where} is known only after apply, and the configuration in the plan does not say where it comes from`)
      );
    if ('constant_value' in own && !element) return own.constant_value;
    const refs = valueReferences(own.references ?? []);
    const attribute = String([...path].reverse().find((k) => typeof k === 'string'));
    // A RoleMappings key is `<provider name>:<client id>`, the one form the API accepts.
    if (attribute === 'identity_provider' && refs.length === 2) {
      const [a, b] = refs.map((ref) => this.reference(ref, resource.module, false));
      const provider = [a, b].find((v) => typeof v === 'string' && v.startsWith('cognito-idp.'));
      const client = [a, b].find((v) => v !== provider);
      return typeof provider === 'string' && typeof client === 'string' ? `${provider}:${client}` : new Unresolved(`${where} is known only after apply`);
    }
    if (refs.length !== 1) return new Unresolved(`${where} is known only after apply, from ${refs.length} references`);
    // A statement's resource is usually written around an ARN ("${aws_opensearch_domain.x.arn}/*"), which the plan does not show.
    if (RESOURCE_ATTRIBUTES.has(attribute)) {
      return new Unresolved(
        `${where} is known only after apply: the plan names ${refs[0]} but not whether the resource is that ARN or built around it (such as "<arn>/*")`,
      );
    }
    return this.reference(refs[0]!, resource.module, POLICY_ATTRIBUTES.has(attribute), where);
  }

  /**
   * A value the configuration has no expression for (a `dynamic` block, as modules write them): the
   * one resource of the type that decides it among the references of the module's inputs, followed
   * up through the module calls (`cognito_options = { user_pool_id = aws_cognito_user_pool.this.id }`).
   */
  private linkByType(resource: PlanResource, path: (string | number)[]): unknown {
    const attribute = String([...path].reverse().find((k) => typeof k === 'string'));
    const source = DECIDED_BY[attribute];
    if (!source) return undefined;
    for (let module = resource.module; module; module = parentOf(module)) {
      const parent = parentOf(module);
      const name = /module\.([^.[]+)(?:\[[^\]]*\])?$/.exec(module)![1]!;
      const inputs = at(this.moduleConfig(parent), ['module_calls', name, 'expressions']);
      if (!isObject(inputs)) continue;
      const fitting = (expressions: unknown[]) => {
        const references = expressions.flatMap((e) => (isExpression(e) ? (e.references ?? []) : []));
        return [
          ...new Set(valueReferences(references).filter((ref) => new RegExp(`^${source.type}\\.[\\w-]+(?:\\[[^\\]]*\\])?\\.${source.attribute}$`).test(ref))),
        ];
      };
      // The input named like the block (`cognito_options`) first, then every input of the call.
      const own = fitting([inputs[String(path[0])]]);
      const candidates = own.length === 1 ? own : fitting(Object.values(inputs));
      if (candidates.length === 1) return this.reference(candidates[0]!, parent, false);
      if (candidates.length > 1) return undefined;
    }
    return undefined;
  }

  /** What each value reference of an attribute's expression names (`roles = { authenticated = aws_iam_role.a.arn }`). */
  referencedValues(resource: PlanResource, attribute: string): unknown[] {
    const e = resource.expressions?.[attribute];
    if (!isExpression(e)) return [];
    return valueReferences(e.references ?? []).map((ref) => this.reference(ref, resource.module, false));
  }

  /** Each configured block's value of a field, resolved (blocks a `dynamic` writes are not in the configuration). */
  blockValues(resource: PlanResource, block: string, field: string): unknown[] {
    const blocks = resource.expressions?.[block];
    if (!Array.isArray(blocks)) return [];
    return blocks.filter(isObject).map((b) => {
      const e = b[field];
      if (!isExpression(e)) return new Unresolved(`${resource.address}.${block}.${field} is not in the configuration`);
      if ('constant_value' in e) return e.constant_value;
      const refs = valueReferences(e.references ?? []);
      return refs.length === 1
        ? this.reference(refs[0]!, resource.module, false)
        : new Unresolved(`${resource.address}.${block}.${field} combines ${refs.length} references`);
    });
  }

  /** The value a reference names, in a module's scope; a policy field only takes another policy document. */
  private reference(ref: string, module: string, policy: boolean, where = ref, depth = 0): unknown {
    const fail = (why: string) => new Unresolved(`${where} is known only after apply: ${why}`);
    if (depth > 16) return fail(`${ref} is too deep a chain of references`);
    const prefix = module ? `${module}.` : '';
    const variable = /^var\.([\w-]+)$/.exec(ref);
    if (variable) {
      if (!module) {
        const value = at(this.plan, ['variables', variable[1]!, 'value']);
        return value === undefined ? fail(`variable ${variable[1]} has no value in the plan`) : value;
      }
      const parent = module.replace(/\.?module\.[^.]+(?:\[[^\]]*\])?$/, '');
      const name = /module\.([^.[]+)(?:\[[^\]]*\])?$/.exec(module)![1]!;
      const input = at(this.moduleConfig(parent), ['module_calls', name, 'expressions', variable[1]!]);
      return this.expression(input, parent, policy, where, depth, `input ${variable[1]} of ${module}`);
    }
    const output = /^module\.([\w-]+)(\[[^\]]*\])?\.([\w-]+)/.exec(ref);
    if (output) {
      const child = `${prefix}module.${output[1]}${output[2] ?? ''}`;
      const expression = at(this.moduleConfig(child), ['outputs', output[3]!, 'expression']);
      return this.expression(expression, child, policy, where, depth, `output ${output[3]} of ${child}`);
    }
    const target = /^((?:data\.)?[a-z0-9_]+\.[\w-]+(?:\[[^\]]*\])?)\.([\w-]+)/.exec(ref);
    if (!target) return fail(`${ref} is not a resource attribute`);
    const resource = this.resources.get(`${prefix}${target[1]}`) ?? this.onlyInstance(`${prefix}${target[1]}`);
    if (!resource) return fail(`${prefix}${target[1]} is not in the plan`);
    if (policy !== POLICY_ATTRIBUTES.has(target[2]!)) return fail(`${ref} is an expression around a reference`);
    return this.attribute(resource, target[2]!);
  }

  private expression(expression: unknown, module: string, policy: boolean, where: string, depth: number, what: string): unknown {
    if (!isExpression(expression)) return new Unresolved(`${where} is known only after apply: ${what} is not in the plan`);
    if ('constant_value' in expression) return expression.constant_value;
    const refs = valueReferences(expression.references ?? []);
    if (refs.length !== 1) return new Unresolved(`${where} is known only after apply: ${what} combines ${refs.length} references`);
    return this.reference(refs[0]!, module, policy, where, depth + 1);
  }

  private onlyInstance(address: string): PlanResource | undefined {
    const instances = [...this.resources.values()].filter((r) => r.address.startsWith(`${address}[`));
    return instances.length === 1 ? instances[0] : undefined;
  }

  /** A resource attribute: known, else generated as AWS would assign it, else linked. */
  attribute(resource: PlanResource, attribute: string): unknown {
    const key = `${resource.address} ${attribute}`;
    if (this.cache.has(key)) return this.cache.get(key);
    this.cache.set(key, new Unresolved(`${resource.address}.${attribute} refers to itself`));
    const value = this.computeAttribute(resource, attribute);
    this.cache.set(key, value);
    return value;
  }

  private computeAttribute(r: PlanResource, attribute: string): unknown {
    const own = this.value(r, [attribute]);
    if (own !== undefined && !(own instanceof Unresolved)) return own;
    const string = (value: unknown, f: (s: string) => unknown) => (typeof value === 'string' ? f(value) : value instanceof Unresolved ? value : own);
    const generated = (): unknown => {
      switch (r.type) {
        case 'aws_cognito_user_pool': {
          const id = () => this.attribute(r, 'id');
          if (attribute === 'id') return userPoolIdOf(this.region, r.module || r.address.endsWith(']') ? r.address : r.name);
          if (attribute === 'arn') return string(id(), (pool) => arnOf(this, 'cognito-idp', this.region, `userpool/${pool}`));
          if (attribute === 'endpoint') return string(id(), (pool) => `cognito-idp.${this.region}.amazonaws.com/${pool}`);
          return undefined;
        }
        case 'aws_cognito_user_pool_client':
          return attribute === 'id' ? clientIdOf(r.address) : undefined;
        case 'aws_cognito_identity_pool':
          if (attribute === 'id') return identityPoolIdOf(this.region, r.address);
          return attribute === 'arn'
            ? string(this.attribute(r, 'id'), (pool) => arnOf(this, 'cognito-identity', this.region, `identitypool/${pool}`))
            : undefined;
        case 'aws_iam_role':
        case 'aws_iam_policy': {
          const path = typeof r.values['path'] === 'string' ? r.values['path'] : '/';
          const name = () => this.attribute(r, 'name');
          if (attribute === 'name') return `${typeof r.values['name_prefix'] === 'string' ? r.values['name_prefix'] : 'terraform-'}${clientIdOf(r.address)}`;
          if (r.type === 'aws_iam_role') {
            if (attribute === 'id') return name();
            if (attribute === 'unique_id') return roleIdOf(r.address);
            return attribute === 'arn' ? string(name(), (n) => roleArnOf(this, path, n)) : undefined;
          }
          return attribute === 'arn' || attribute === 'id' ? string(name(), (n) => policyArnOf(this, path, n)) : undefined;
        }
        case 'aws_opensearch_domain':
        case 'aws_elasticsearch_domain':
          return attribute === 'arn' || attribute === 'id'
            ? string(this.attribute(r, 'domain_name'), (n) => arnOf(this, 'es', this.region, `domain/${n}`))
            : undefined;
        case 'aws_iam_policy_document':
          return attribute === 'json' || attribute === 'minified_json' ? this.policyDocumentOf(r) : undefined;
        default:
          return undefined;
      }
    };
    return generated() ?? own;
  }

  /** A `data.aws_iam_policy_document` deferred to apply, written from its statement blocks. */
  private policyDocumentOf(r: PlanResource): unknown {
    for (const merged of ['source_json', 'override_json', 'source_policy_documents', 'override_policy_documents']) {
      const value = r.values[merged];
      if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
        return new Unresolved(`${r.address}.json is known only after apply: it merges ${merged}`);
    }
    const statements = this.value(r, ['statement']);
    const unresolved = firstUnresolved(statements);
    if (unresolved) return unresolved;
    const one = (list: unknown) => (Array.isArray(list) && list.length === 1 ? list[0] : list);
    const nonEmpty = (list: unknown) => Array.isArray(list) && list.length > 0;
    const principals = (blocks: unknown) => {
      const out: Json = {};
      for (const p of Array.isArray(blocks) ? blocks.filter(isObject) : []) {
        if (p['type'] === '*') return '*';
        out[String(p['type'])] = one(p['identifiers']);
      }
      return out;
    };
    const Statement = (Array.isArray(statements) ? statements.filter(isObject) : []).map((s) => {
      const out: Json = {};
      if (typeof s['sid'] === 'string' && s['sid']) out['Sid'] = s['sid'];
      out['Effect'] = typeof s['effect'] === 'string' && s['effect'] ? s['effect'] : 'Allow';
      if (nonEmpty(s['actions'])) out['Action'] = one(s['actions']);
      if (nonEmpty(s['not_actions'])) out['NotAction'] = one(s['not_actions']);
      if (nonEmpty(s['resources'])) out['Resource'] = one(s['resources']);
      if (nonEmpty(s['not_resources'])) out['NotResource'] = one(s['not_resources']);
      if (nonEmpty(s['principals'])) out['Principal'] = principals(s['principals']);
      if (nonEmpty(s['not_principals'])) out['NotPrincipal'] = principals(s['not_principals']);
      if (nonEmpty(s['condition'])) {
        const condition: Record<string, Json> = {};
        for (const c of (s['condition'] as unknown[]).filter(isObject)) (condition[String(c['test'])] ??= {})[String(c['variable'])] = one(c['values']);
        out['Condition'] = condition;
      }
      return out;
    });
    return JSON.stringify({
      Version: typeof r.values['version'] === 'string' ? r.values['version'] : '2012-10-17',
      ...(typeof r.values['policy_id'] === 'string' ? { Id: r.values['policy_id'] } : {}),
      Statement,
    });
  }
}

/** API list fields that mean something when empty (no callback URLs is not "unset"). */
const LIST_FIELDS = new Set(['CallbackURLs', 'LogoutURLs', 'AllowedOAuthFlows', 'AllowedOAuthScopes', 'SupportedIdentityProviders']);

const TERRAFORM = { tool: 'terraform', what: 'plan', openCode: 'UnknownAfterApply', absentCode: 'NotInPlan', absent: 'is not managed in the plan' };

/** Builds one snapshot of a plan; `errors` collects what the plan leaves open. */
export class Builder extends SnapshotBuilder {
  constructor(
    readonly p: Plan,
    file: string,
  ) {
    super(TERRAFORM, file);
  }

  /** One value, whole: undefined (and an error entry) when any part of it is known only after apply. */
  field(r: PlanResource, ...path: (string | number)[]): unknown {
    const value = this.p.value(r, path);
    const unresolved = firstUnresolved(value);
    if (unresolved) {
      this.unresolvable(`${r.address}.${path.filter((k) => typeof k === 'string').join('.')}`, unresolved.reason);
      return undefined;
    }
    return value;
  }

  string(r: PlanResource, ...path: (string | number)[]): string | undefined {
    const value = this.field(r, ...path);
    return typeof value === 'string' ? value : undefined;
  }

  id(r: PlanResource, attribute: string): string | undefined {
    const value = this.p.attribute(r, attribute);
    if (value instanceof Unresolved) this.unresolvable(`${r.address}.${attribute}`, value.reason);
    return typeof value === 'string' ? value : undefined;
  }

  /** A block of the plan as the API shapes it: each attribute named in `names` under its API field name. */
  shape(r: PlanResource, path: (string | number)[], names: Record<string, string>): Json | undefined {
    const block = this.p.value(r, path);
    if (block instanceof Unresolved) this.unresolvable(`${r.address}.${path.filter((k) => typeof k === 'string').join('.')}`, block.reason);
    if (!isObject(block) || block instanceof Unresolved) return undefined;
    const out: Json = {};
    for (const [attribute, field] of Object.entries(names)) {
      if (!(attribute in block)) continue;
      const value = this.field(r, ...path, attribute);
      if (LIST_FIELDS.has(field) && value !== undefined && !Array.isArray(value)) this.notA('list', r, [...path, attribute]);
      else if (value !== undefined && !(Array.isArray(value) && value.length === 0 && !LIST_FIELDS.has(field))) out[field] = value;
    }
    return out;
  }

  /** A whole map or list known only after apply links to one reference, which gives its elements but not its shape. */
  notA(kind: 'map' | 'list', r: PlanResource, path: (string | number)[]): undefined {
    this.unresolvable(
      `${r.address}.${path.filter((k) => typeof k === 'string').join('.')}`,
      `known only after apply, and the plan does not say which ${kind === 'map' ? 'keys' : 'elements'} the configuration gives it`,
    );
    return undefined;
  }

  /** The resources of a type whose attribute equals a value (a link counts as equal). */
  where(type: string, attribute: string, value: unknown): PlanResource[] {
    return value === undefined ? [] : this.p.ofType(type).filter((r) => this.p.value(r, [attribute]) === value);
  }
}
