// `cogdoctor check --terraform-plan`: the JSON of a Terraform plan (`terraform show -json plan.out`)
// turned into one snapshot per OpenSearch Service domain, before anything is applied. Values come
// from planned_values (data sources read at plan time from prior_state); a value known only after
// apply is linked through the configuration's references to the resource that decides it, with ids
// generated from resource addresses; anything no reference decides is left out and recorded in
// `errors`, so the checks needing it say unknown.
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
  type DeclaredProvider,
  type Placement,
  identityPoolIdOf,
  isObject,
  KNOWN_MANAGED,
  masterUserMapping,
  partitionOf,
  policyArnOf,
  roleArnOf,
  roleIdOf,
  userPoolIdOf,
  type IacIndex,
  type Json,
} from './common.js';
import { Unresolved, firstUnresolved } from './resolve.js';
import { compareText } from '../util/order.js';
import { apiAttributeName } from '../model/posture.js';
import { roleMappingKeyOf } from '../model/pools.js';

export class PlanError extends Error {
  override name = 'PlanError';
}

const DOMAIN_TYPES = ['aws_opensearch_domain', 'aws_elasticsearch_domain'];
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

export interface PlanSnapshot {
  /** Address of the domain resource. */
  address: string;
  snapshot: Snapshot;
  notes: string[];
  placement: Placement;
}

export interface PlanResult extends IacIndex {
  snapshots: PlanSnapshot[];
}

interface PlanResource {
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

function at(value: unknown, path: (string | number)[]): unknown {
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
    return constants.length > 0 && constants.every(([key, e]) => item[key] === undefined || JSON.stringify(item[key]) === JSON.stringify((e as Expression).constant_value));
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
      if (!(key in current)) return depth === 0 && path.length > 1 ? false : true;
      current = current[key];
    } else return false;
  }
  return false;
}

/** Reads `terraform show -json` output; refuses anything else. */
export function parsePlan(text: string): Json {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new PlanError(`not a Terraform plan: ${(error as Error).message}`);
  }
  if (!isPlan(plan)) throw new PlanError('not a Terraform plan: expected the output of terraform show -json (format_version 1.x, planned_values)');
  return plan;
}

export function isPlan(value: unknown): value is Json {
  return isObject(value) && typeof value['format_version'] === 'string' && /^1\./.test(value['format_version']) && isObject(value['planned_values']);
}

/** Which side of the plan: what applying it gives, or the state it starts from. */
export type PlanSide = 'after' | 'before';

class Plan {
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
    const values = new Set([...this.resources.values()].filter((r) => r.mode === 'data' && r.type === type).map((r) => r.values[attribute]).filter((v): v is string => typeof v === 'string' && v !== ''));
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
        }
        else if (isExpression(expression) || isObject(expression) && 'element' in expression) child = open === 1 ? { element: isExpression(expression) ? expression : expression['element'] } : undefined;
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
    if (!own) return this.linkByType(resource, path) ?? new Unresolved(`${where} is known only after apply, and the configuration in the plan does not say where it comes from`);
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
      return new Unresolved(`${where} is known only after apply: the plan names ${refs[0]} but not whether the resource is that ARN or built around it (such as "<arn>/*")`);
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
        const references = expressions.flatMap((e) => (isExpression(e) ? e.references ?? [] : []));
        return [...new Set(valueReferences(references).filter((ref) => new RegExp(`^${source.type}\\.[\\w-]+(?:\\[[^\\]]*\\])?\\.${source.attribute}$`).test(ref)))];
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
      return refs.length === 1 ? this.reference(refs[0]!, resource.module, false) : new Unresolved(`${resource.address}.${block}.${field} combines ${refs.length} references`);
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
          return attribute === 'arn' ? string(this.attribute(r, 'id'), (pool) => arnOf(this, 'cognito-identity', this.region, `identitypool/${pool}`)) : undefined;
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
          return attribute === 'arn' || attribute === 'id' ? string(this.attribute(r, 'domain_name'), (n) => arnOf(this, 'es', this.region, `domain/${n}`)) : undefined;
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
      if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) return new Unresolved(`${r.address}.json is known only after apply: it merges ${merged}`);
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
    return JSON.stringify({ Version: typeof r.values['version'] === 'string' ? r.values['version'] : '2012-10-17', ...(typeof r.values['policy_id'] === 'string' ? { Id: r.values['policy_id'] } : {}), Statement });
  }
}

/** Builds one snapshot; `errors` collects what the plan leaves open. */
class Builder {
  readonly errors: ReadError[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly p: Plan,
    readonly file: string,
  ) {}

  /** See recordUndecided: the read that would give what the plan leaves undecided at `where`. */
  undecided(operation: string, apiResource: string, where: string): void {
    recordUndecided(this.errors, { tool: 'terraform', file: this.file, what: 'plan' }, operation, apiResource, where);
  }

  unresolvable(resource: string, reason: string, code = 'UnknownAfterApply'): void {
    if (!this.errors.some((e) => e.resource === resource && e.code === code)) this.errors.push({ operation: 'terraform:Resolve', resource, code, message: reason });
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
    this.unresolvable(`${r.address}.${path.filter((k) => typeof k === 'string').join('.')}`, `known only after apply, and the plan does not say which ${kind === 'map' ? 'keys' : 'elements'} the configuration gives it`);
    return undefined;
  }

  /** The resources of a type whose attribute equals a value (a link counts as equal). */
  where(type: string, attribute: string, value: unknown): PlanResource[] {
    return value === undefined ? [] : this.p.ofType(type).filter((r) => this.p.value(r, [attribute]) === value);
  }
}

/** API list fields that mean something when empty (no callback URLs is not "unset"). */
const LIST_FIELDS = new Set(['CallbackURLs', 'LogoutURLs', 'AllowedOAuthFlows', 'AllowedOAuthScopes', 'SupportedIdentityProviders']);


const LAMBDA_TRIGGERS: Record<string, string> = {
  create_auth_challenge: 'CreateAuthChallenge', custom_message: 'CustomMessage', define_auth_challenge: 'DefineAuthChallenge', kms_key_id: 'KMSKeyID',
  post_authentication: 'PostAuthentication', post_confirmation: 'PostConfirmation', pre_authentication: 'PreAuthentication', pre_sign_up: 'PreSignUp',
  pre_token_generation: 'PreTokenGeneration', user_migration: 'UserMigration', verify_auth_challenge_response: 'VerifyAuthChallengeResponse',
};

const CLIENT_FIELDS: Record<string, string> = {
  callback_urls: 'CallbackURLs', logout_urls: 'LogoutURLs', default_redirect_uri: 'DefaultRedirectURI', allowed_oauth_flows: 'AllowedOAuthFlows',
  allowed_oauth_scopes: 'AllowedOAuthScopes', allowed_oauth_flows_user_pool_client: 'AllowedOAuthFlowsUserPoolClient', supported_identity_providers: 'SupportedIdentityProviders',
  explicit_auth_flows: 'ExplicitAuthFlows', read_attributes: 'ReadAttributes', write_attributes: 'WriteAttributes', refresh_token_validity: 'RefreshTokenValidity',
  id_token_validity: 'IdTokenValidity', access_token_validity: 'AccessTokenValidity', prevent_user_existence_errors: 'PreventUserExistenceErrors',
  enable_token_revocation: 'EnableTokenRevocation', enable_propagate_additional_user_context_data: 'EnablePropagateAdditionalUserContextData', auth_session_validity: 'AuthSessionValidity',
};

/** Which key of an identity pool's roles map a role fills, from the amr its trust policy admits. */
function amrOf(p: Plan, roleArn: string): 'authenticated' | 'unauthenticated' | undefined {
  const role = p.ofType('aws_iam_role').find((r) => p.attribute(r, 'arn') === roleArn);
  const trust = role ? p.value(role, ['assume_role_policy']) : undefined;
  if (typeof trust !== 'string') return undefined;
  const amr = /cognito-identity\.amazonaws\.com:amr"\s*:\s*(?:\[\s*)?"(authenticated|unauthenticated)"/.exec(trust);
  return amr ? (amr[1] as 'authenticated' | 'unauthenticated') : undefined;
}

/**
 * The attachment's roles map. On a first deploy the provider marks the whole map known only after
 * apply, so the plan shows neither keys nor values; the configuration still names the roles, and
 * each one's trust policy says which key it fills (amr authenticated / unauthenticated). A single
 * role whose trust does not say is taken as the authenticated one (inferred: an identity pool
 * used for Dashboards logins has an authenticated role).
 */
function rolesMapOf(p: Plan, b: Builder, attachment: PlanResource): Json | undefined {
  const linked = p.value(attachment, ['roles']);
  if (linked === undefined || isObject(linked) && !firstUnresolved(linked)) return linked as Json | undefined;
  const arns = p.referencedValues(attachment, 'roles').filter((v): v is string => typeof v === 'string' && /^arn:[\w-]+:iam::/.test(v));
  const keyed: Json = {};
  for (const arn of arns) {
    const key = amrOf(p, arn) ?? (arns.length === 1 ? 'authenticated' : undefined);
    if (!key || key in keyed) return b.notA('map', attachment, ['roles']);
    keyed[key] = arn;
  }
  if (arns.length === 0 || isObject(linked) && Object.keys(linked).some((k) => !(k in keyed))) return b.notA('map', attachment, ['roles']);
  return keyed;
}

/**
 * The role_mapping blocks; undefined when one is undecided. An identity_provider known only after
 * apply (a client id read by a data source at apply) can only name the service's client, whose id
 * no plan knows: the mapping is keyed on it.
 */
function roleMappingsOf(p: Plan, b: Builder, attachment: PlanResource, serviceKey: string | undefined): Json[] | undefined {
  const merged = p.value(attachment, ['role_mapping']);
  if (merged === undefined) return [];
  if (!Array.isArray(merged)) {
    b.unresolvable(`${attachment.address}.role_mapping`, firstUnresolved(merged)?.reason ?? 'not a list');
    return undefined;
  }
  const out: Json[] = [];
  for (const m of merged.filter(isObject)) {
    const provider = m['identity_provider'];
    const keyed = provider instanceof Unresolved && serviceKey ? { ...m, identity_provider: serviceKey } : m;
    const unresolved = firstUnresolved(keyed);
    if (unresolved) {
      b.unresolvable(`${attachment.address}.role_mapping`, unresolved.reason);
      return undefined;
    }
    out.push(keyed);
  }
  return out;
}

function providerOf(x: Json): DeclaredProvider {
  return {
    ...(typeof x['provider_name'] === 'string' ? { ProviderName: x['provider_name'] } : {}),
    ...(typeof x['client_id'] === 'string' ? { ClientId: x['client_id'] } : {}),
    ServerSideTokenCheck: x['server_side_token_check'] === true,
  };
}

/**
 * The identity pool's providers as the plan leaves them, each element on its own: a client id known
 * only after apply is linked to the configured block that gives it, so one unknown element leaves
 * the rest known. Also which provider the plan removes (in `before`, not in `after`) whose client
 * the plan does not define: OpenSearch Service added it for its own client.
 */
function declaredProviders(p: Plan, b: Builder, identity: PlanResource): { after: DeclaredProvider[] | undefined; removed: (own: Set<string>) => DeclaredProvider | undefined } {
  const merged = p.value(identity, ['cognito_identity_providers']);
  let after: DeclaredProvider[] | undefined;
  if (Array.isArray(merged)) {
    after = merged.filter(isObject).map((x) => providerOf(x));
    const known = new Set(after.map((x) => x.ClientId).filter((id): id is string => id !== undefined));
    const open = after.filter((x) => x.ClientId === undefined);
    const configured = p.blockValues(identity, 'cognito_identity_providers', 'client_id').filter((v): v is string => typeof v === 'string' && !known.has(v));
    if (open.length > 0 && open.length === configured.length) open.forEach((x, i) => (x.ClientId = configured[i]));
    if (open.some((x) => x.ProviderName === undefined)) {
      const names = p.blockValues(identity, 'cognito_identity_providers', 'provider_name');
      const name = names.length > 0 && names.every((n) => n === names[0]) && typeof names[0] === 'string' ? names[0] : undefined;
      for (const x of open) if (x.ProviderName === undefined && name) x.ProviderName = name;
    }
  } else if (merged === undefined) after = [];
  else b.unresolvable(`${identity.address}.cognito_identity_providers`, firstUnresolved(merged)?.reason ?? 'not a list');
  const change = p.changes.get(identity.address);
  const list = (value: unknown) => (Array.isArray(value) ? value.filter(isObject).map(providerOf) : []);
  const before = list(at(change, ['before', 'cognito_identity_providers']));
  return {
    after,
    removed: (own) => {
      if (!after || after.some((x) => x.ClientId === undefined)) return undefined;
      const kept = new Set(after.map((x) => x.ClientId));
      return before.find((x) => x.ClientId !== undefined && !own.has(x.ClientId) && !kept.has(x.ClientId));
    },
  };
}

function buildSnapshot(p: Plan, d: PlanResource, file: string): PlanSnapshot {
  const b = new Builder(p, file);
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
  const vpc = b.shape(d, ['vpc_options', 0], { vpc_id: 'VPCId', subnet_ids: 'SubnetIds', security_group_ids: 'SecurityGroupIds', availability_zones: 'AvailabilityZones' });
  if (typeof endpoint === 'string' && endpoint) {
    if (vpc) domain.Endpoints = { vpc: endpoint };
    else domain.Endpoint = endpoint;
  }
  const cognito = b.shape(d, ['cognito_options', 0], { enabled: 'Enabled', user_pool_id: 'UserPoolId', identity_pool_id: 'IdentityPoolId', role_arn: 'RoleArn' });
  if (cognito) domain.CognitoOptions = cognito;
  const security = b.shape(d, ['advanced_security_options', 0], { enabled: 'Enabled', internal_user_database_enabled: 'InternalUserDatabaseEnabled', anonymous_auth_enabled: 'AnonymousAuthEnabled' });
  if (security) domain.AdvancedSecurityOptions = security;
  // A separate domain policy resource replaces the domain's own access_policies.
  const policyResource = [...b.where('aws_opensearch_domain_policy', 'domain_name', name), ...b.where('aws_elasticsearch_domain_policy', 'domain_name', name)][0];
  const access = policyResource ? b.string(policyResource, 'access_policies') : b.string(d, 'access_policies');
  if (access) domain.AccessPolicies = access;
  const endpointOptions = b.shape(d, ['domain_endpoint_options', 0], { enforce_https: 'EnforceHTTPS', tls_security_policy: 'TLSSecurityPolicy', custom_endpoint_enabled: 'CustomEndpointEnabled', custom_endpoint: 'CustomEndpoint', custom_endpoint_certificate_arn: 'CustomEndpointCertificateArn' });
  if (endpointOptions) domain.DomainEndpointOptions = endpointOptions;
  if (vpc) domain.VPCOptions = vpc;
  const atRest = b.shape(d, ['encrypt_at_rest', 0], { enabled: 'Enabled', kms_key_id: 'KmsKeyId' });
  if (atRest) domain.EncryptionAtRestOptions = atRest;
  const nodeToNode = b.shape(d, ['node_to_node_encryption', 0], { enabled: 'Enabled' });
  if (nodeToNode) domain.NodeToNodeEncryptionOptions = nodeToNode;

  const snapshot: Snapshot = { schema: 'cogdoctor/snapshot/v1', region: p.region, accountId: p.accountId, domain };
  if (security?.['Enabled'] === true) {
    const mapping = masterUserMapping(b.string(d, 'advanced_security_options', 0, 'master_user_options', 0, 'master_user_arn'), b.string(d, 'advanced_security_options', 0, 'master_user_options', 0, 'master_user_name'));
    if (mapping) snapshot.securityPlugin = mapping;
    else b.undecided('es:ESHttpGet', `${arn ?? name}/_plugins/_security/api/rolesmapping`, `${d.address}.advanced_security_options`);
  }

  const userPoolId = typeof cognito?.['UserPoolId'] === 'string' ? cognito['UserPoolId'] : undefined;
  const identityPoolId = typeof cognito?.['IdentityPoolId'] === 'string' ? cognito['IdentityPoolId'] : undefined;
  let providersAfterDeploy: DeclaredProvider[] | undefined;
  let roleAttachment: string | undefined;
  if (cognito?.['Enabled'] === true) {
    const notInPlan = (what: string, attribute: string, operation: string, id: string) => {
      b.unresolvable(`${d.address}.cognito_options.${attribute}`, `${what} is not managed in the plan`, 'NotInPlan');
      b.undecided(operation, id, `${d.address}.cognito_options.${attribute}`);
    };
    const pool = userPoolId ? p.ofType('aws_cognito_user_pool').find((r) => p.attribute(r, 'id') === userPoolId) : undefined;
    if (pool) {
      const userPool: Json = { Id: userPoolId, Name: b.string(pool, 'name') ?? pool.name };
      const poolArn = b.id(pool, 'arn');
      if (poolArn) userPool['Arn'] = poolArn;
      Object.assign(userPool, b.shape(pool, [], { mfa_configuration: 'MfaConfiguration', deletion_protection: 'DeletionProtection', auto_verified_attributes: 'AutoVerifiedAttributes', username_attributes: 'UsernameAttributes', alias_attributes: 'AliasAttributes', user_pool_tier: 'UserPoolTier' }));
      const admin = b.shape(pool, ['admin_create_user_config', 0], { allow_admin_create_user_only: 'AllowAdminCreateUserOnly' });
      if (admin) userPool['AdminCreateUserConfig'] = admin;
      const password = b.shape(pool, ['password_policy', 0], { minimum_length: 'MinimumLength', require_lowercase: 'RequireLowercase', require_numbers: 'RequireNumbers', require_symbols: 'RequireSymbols', require_uppercase: 'RequireUppercase', temporary_password_validity_days: 'TemporaryPasswordValidityDays', password_history_size: 'PasswordHistorySize' });
      if (password) userPool['Policies'] = { PasswordPolicy: password };
      const lambda = b.shape(pool, ['lambda_config', 0], LAMBDA_TRIGGERS);
      if (lambda) {
        const tokenConfig = b.shape(pool, ['lambda_config', 0, 'pre_token_generation_config', 0], { lambda_arn: 'LambdaArn', lambda_version: 'LambdaVersion' });
        userPool['LambdaConfig'] = { ...lambda, ...(tokenConfig ? { PreTokenGenerationConfig: tokenConfig } : {}) };
      }
      const updates = b.shape(pool, ['user_attribute_update_settings', 0], { attributes_require_verification_before_update: 'AttributesRequireVerificationBeforeUpdate' });
      if (updates) userPool['UserAttributeUpdateSettings'] = updates;
      const addOns = b.shape(pool, ['user_pool_add_ons', 0], { advanced_security_mode: 'AdvancedSecurityMode' });
      if (addOns) userPool['UserPoolAddOns'] = addOns;
      const schema = b.field(pool, 'schema');
      if (Array.isArray(schema) && schema.length > 0) {
        userPool['SchemaAttributes'] = schema.filter(isObject).map((a) => ({
          Name: apiAttributeName(String(a['name'])),
          AttributeDataType: a['attribute_data_type'],
          ...(typeof a['mutable'] === 'boolean' ? { Mutable: a['mutable'] } : {}),
          ...(typeof a['required'] === 'boolean' ? { Required: a['required'] } : {}),
          ...(typeof a['developer_only_attribute'] === 'boolean' ? { DeveloperOnlyAttribute: a['developer_only_attribute'] } : {}),
        }));
      }
      const poolDomain = b.where('aws_cognito_user_pool_domain', 'user_pool_id', userPoolId)[0];
      const prefix = poolDomain ? b.string(poolDomain, 'domain') : undefined;
      if (poolDomain && prefix) {
        const certificate = b.string(poolDomain, 'certificate_arn');
        const version = p.value(poolDomain, ['managed_login_version']);
        userPool[certificate ? 'CustomDomain' : 'Domain'] = prefix;
        snapshot.userPoolDomain = {
          UserPoolId: userPoolId, AWSAccountId: p.accountId, Domain: prefix, Status: 'ACTIVE',
          ...(certificate ? { CustomDomainConfig: { CertificateArn: certificate } } : {}),
          ...(typeof version === 'number' ? { ManagedLoginVersion: version } : {}),
        };
      }
      snapshot.userPool = userPool as Snapshot['userPool'];

      const clients = b.where('aws_cognito_user_pool_client', 'user_pool_id', userPoolId).map((r) => ({
        ...b.shape(r, [], CLIENT_FIELDS),
        ...(() => {
          const units = b.shape(r, ['token_validity_units', 0], { access_token: 'AccessToken', id_token: 'IdToken', refresh_token: 'RefreshToken' });
          return units ? { TokenValidityUnits: units } : {};
        })(),
        UserPoolId: userPoolId,
        ClientId: String(p.attribute(r, 'id')),
        ClientName: b.string(r, 'name') ?? r.name,
        ...(p.value(r, ['generate_secret']) === true ? { ClientSecret: '<redacted>' } : {}),
      }));
      const identity = identityPoolId ? p.ofType('aws_cognito_identity_pool').find((r) => p.attribute(r, 'id') === identityPoolId) : undefined;
      const declared = identity ? declaredProviders(p, b, identity) : undefined;
      const service = serviceClientOf({
        domainName: name,
        domainRegion: arn?.split(':')[3] || p.region,
        userPoolId: userPoolId!,
        clients: clients as UserPoolClientType[],
        declared: declared?.after,
        removed: declared?.removed(new Set(clients.map((c) => c.ClientId))),
        seed: d.address,
        code: 'plan',
      });
      snapshot.userPoolClients = service.clients;
      if (service.serviceClientAtDeploy) snapshot.serviceClientAtDeploy = service.serviceClientAtDeploy;
      b.notes.push(...service.notes);
      if (identity && service.providers) providersAfterDeploy = service.providers;
      snapshot.userPoolGroups = b.where('aws_cognito_user_group', 'user_pool_id', userPoolId).map((r) => ({
        ...b.shape(r, [], { role_arn: 'RoleArn', precedence: 'Precedence', description: 'Description' }),
        GroupName: b.string(r, 'name') ?? r.name,
        UserPoolId: userPoolId,
      }));
    } else if (userPoolId) notInPlan(`user pool ${userPoolId}`, 'user_pool_id', 'cognito-idp:DescribeUserPool', userPoolId);

    const identity = identityPoolId ? p.ofType('aws_cognito_identity_pool').find((r) => p.attribute(r, 'id') === identityPoolId) : undefined;
    if (identity && identityPoolId) {
      const providers = providersAfterDeploy ?? (pool ? undefined : declaredProviders(p, b, identity).after);
      if (!providers && pool) b.unresolvable(`${identity.address}.cognito_identity_providers`, 'the providers of the identity pool are known only after apply');
      const login = b.field(identity, 'supported_login_providers');
      const saml = b.field(identity, 'saml_provider_arns');
      const oidc = b.field(identity, 'openid_connect_provider_arns');
      snapshot.identityPool = {
        IdentityPoolId: identityPoolId,
        IdentityPoolName: b.string(identity, 'identity_pool_name') ?? identity.name,
        AllowUnauthenticatedIdentities: p.value(identity, ['allow_unauthenticated_identities']) === true,
        AllowClassicFlow: p.value(identity, ['allow_classic_flow']) === true,
        ...(providers ? { CognitoIdentityProviders: providers as never } : {}),
        ...(isObject(login) ? { SupportedLoginProviders: login as Record<string, string> } : {}),
        ...(Array.isArray(saml) && saml.length > 0 ? { SamlProviderARNs: saml as string[] } : {}),
        ...(Array.isArray(oidc) && oidc.length > 0 ? { OpenIdConnectProviderARNs: oidc as string[] } : {}),
      };
      const attachment = b.where('aws_cognito_identity_pool_roles_attachment', 'identity_pool_id', identityPoolId)[0];
      roleAttachment = attachment?.address;
      if (attachment) {
        const roles = rolesMapOf(p, b, attachment);
        const mappings = roleMappingsOf(p, b, attachment, snapshot.serviceClientAtDeploy && userPoolId ? roleMappingKeyOf(userPoolId, snapshot.serviceClientAtDeploy) : undefined);
        if (!isObject(roles) || mappings === undefined) b.undecided('cognito-identity:GetIdentityPoolRoles', identityPoolId, attachment.address);
        else {
          const RoleMappings: Json = {};
          for (const m of (Array.isArray(mappings) ? mappings : []).filter(isObject)) {
            const rules = (Array.isArray(m['mapping_rule']) ? m['mapping_rule'] : []).filter(isObject).map((rule) => ({ Claim: rule['claim'], MatchType: rule['match_type'], Value: rule['value'], RoleARN: rule['role_arn'] }));
            RoleMappings[String(m['identity_provider'])] = {
              Type: m['type'],
              ...(typeof m['ambiguous_role_resolution'] === 'string' ? { AmbiguousRoleResolution: m['ambiguous_role_resolution'] } : {}),
              ...(rules.length > 0 ? { RulesConfiguration: { Rules: rules } } : {}),
            };
          }
          snapshot.identityPoolRoles = { IdentityPoolId: identityPoolId, Roles: roles as Record<string, string>, ...(Object.keys(RoleMappings).length > 0 ? { RoleMappings: RoleMappings as never } : {}) };
        }
      } else {
        b.unresolvable(`${d.address}.cognito_options.identity_pool_id`, 'no aws_cognito_identity_pool_roles_attachment for the identity pool in the plan', 'NotInPlan');
        b.undecided('cognito-identity:GetIdentityPoolRoles', identityPoolId, `${d.address}.cognito_options.identity_pool_id`);
      }
    } else if (identityPoolId) notInPlan(`identity pool ${identityPoolId}`, 'identity_pool_id', 'cognito-identity:DescribeIdentityPool', identityPoolId);
  }

  const { roles, rolePolicies } = rolesOf(p, b);
  snapshot.roles = roles;
  snapshot.rolePolicies = rolePolicies;
  snapshot.errors = b.errors;
  if (p.undecidedAccounts) {
    leaveAccountUndecided(snapshot, p.undecidedAccounts, {
      tool: 'terraform',
      file,
      what: 'plan',
      accessPolicyAt: `${policyResource?.address ?? d.address}.access_policies`,
      parameter: 'add data "aws_caller_identity" to the configuration',
    });
  }
  recordRolesOutside(snapshot, { file, what: 'plan', errorCode: 'NotInPlan' });
  const placement: Placement = {
    ...(policyResource ? { accessPolicy: policyResource.address } : {}),
    ...(roleAttachment ? { roleMappings: roleAttachment } : {}),
  };
  return { address: d.address, snapshot, notes: b.notes, placement };
}

/** IAM roles of the plan, with the policies the plan gives them (complete only when every document is in it). */
function rolesOf(p: Plan, b: Builder): { roles: NonNullable<Snapshot['roles']>; rolePolicies: Record<string, RolePolicies> } {
  const roles: NonNullable<Snapshot['roles']> = [];
  const rolePolicies: Record<string, RolePolicies> = {};
  const documentOf = (policyArn: string): { known: boolean; document?: unknown } => {
    const local = p.ofType('aws_iam_policy').find((r) => p.attribute(r, 'arn') === policyArn);
    if (local) {
      const document = b.string(local, 'policy');
      return document === undefined ? { known: false } : { known: true, document };
    }
    return { known: KNOWN_MANAGED.test(policyArn) };
  };
  for (const r of p.ofType('aws_iam_role')) {
    const name = b.id(r, 'name');
    const arn = b.id(r, 'arn');
    const trust = b.string(r, 'assume_role_policy');
    // A role whose name or trust policy is not decided is left out: the checks reading it answer unknown.
    if (!name || !arn) continue;
    if (trust === undefined) {
      b.undecided('iam:GetRole', arn, `${r.address}.assume_role_policy`);
      continue;
    }
    const path = b.string(r, 'path') ?? '/';
    const duration = p.value(r, ['max_session_duration']);
    const boundary = b.string(r, 'permissions_boundary');
    roles.push({
      Path: path, RoleName: name, RoleId: String(p.attribute(r, 'unique_id')), Arn: arn, AssumeRolePolicyDocument: trust,
      ...(typeof duration === 'number' ? { MaxSessionDuration: duration } : {}),
      ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary } } : {}),
    } as never);

    const isThisRole = (x: PlanResource) => {
      const role = p.value(x, ['role']);
      return role === name || role === arn;
    };
    const linked = b.field(r, 'managed_policy_arns');
    const managed = linked === undefined || Array.isArray(linked) ? linked : b.notA('list', r, ['managed_policy_arns']);
    const inlineBlocks = b.field(r, 'inline_policy');
    let complete = boundary === undefined && (managed !== undefined || linked === undefined) && (inlineBlocks !== undefined || p.value(r, ['inline_policy']) === undefined);
    const policyArns = new Set(Array.isArray(managed) ? managed.map(String) : []);
    for (const a of p.ofType('aws_iam_role_policy_attachment').filter(isThisRole)) {
      const policyArn = b.string(a, 'policy_arn');
      if (policyArn) policyArns.add(policyArn);
      else complete = false;
    }
    const attached: NonNullable<RolePolicies['attached']> = [];
    for (const policyArn of [...policyArns].sort()) {
      const { known, document } = documentOf(policyArn);
      if (!known) {
        complete = false;
        b.unresolvable(`${r.address}.managed_policy_arns`, `the document of ${policyArn} is not in the plan`, 'NotInPlan');
      }
      attached.push({ PolicyArn: policyArn, PolicyName: policyArn.slice(policyArn.lastIndexOf('/') + 1), ...(document !== undefined ? { Document: document } : {}) });
    }
    const inline: NonNullable<RolePolicies['inline']> = (Array.isArray(inlineBlocks) ? inlineBlocks : []).filter(isObject).filter((x) => x['policy']).map((x) => ({ PolicyName: String(x['name'] ?? ''), PolicyDocument: x['policy'] }));
    for (const x of p.ofType('aws_iam_role_policy').filter(isThisRole)) {
      const document = b.string(x, 'policy');
      if (document === undefined) complete = false;
      else inline.push({ PolicyName: b.string(x, 'name') ?? x.name, PolicyDocument: document });
    }
    if (complete) rolePolicies[arn] = { attached, inline };
  }
  return { roles, rolePolicies };
}

/** Line of each resource's first `"address"` in the plan text (planned_values comes first in terraform's output). */
function linesOf(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let last = 0;
  for (const match of text.matchAll(/"address"\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
    for (let i = last; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = match.index;
    const address = JSON.parse(match[1]!) as string;
    if (!lines.has(address)) lines.set(address, line);
  }
  return lines;
}

/** Every id and ARN a finding's resource may be built from → the address that defines it. */
function indexOf(p: Plan): Map<string, string> {
  const index = new Map<string, string>();
  for (const r of [...p.resources.values()].sort((a, b) => compareText(a.address, b.address))) {
    if (r.mode !== 'managed') continue;
    for (const attribute of ['arn', 'id', 'endpoint', 'name']) {
      const value = p.attribute(r, attribute);
      if (typeof value === 'string' && value.length > 0 && !index.has(value)) index.set(value, r.address);
    }
  }
  return index;
}

/** Reads a plan and builds one snapshot per domain with Cognito on (every domain when none has it on). */
export function snapshotsFromPlan(text: string, options: PlanOptions, side: PlanSide = 'after'): PlanResult {
  const p = new Plan(parsePlan(text), side, options);
  const domains = p.ofType(...DOMAIN_TYPES);
  if (domains.length === 0) {
    throw new PlanError(side === 'before' ? 'the plan starts from no aws_opensearch_domain or aws_elasticsearch_domain: there is no before side' : 'no aws_opensearch_domain or aws_elasticsearch_domain in the plan');
  }
  const withCognito = domains.filter((d) => p.value(d, ['cognito_options', 0, 'enabled']) === true);
  const snapshots = (withCognito.length > 0 ? withCognito : domains).map((d) => buildSnapshot(p, d, options.file));
  return {
    snapshots,
    index: indexOf(p),
    lines: linesOf(text),
    file: options.file,
    types: new Map([...p.resources.values()].map((r) => [r.address, r.type])),
    placements: new Map(snapshots.map((s) => [s.address, s.placement])),
  };
}
