// A strict validator of raw AWS response bodies against the schemas compiled into the AWS SDK v3
// clients (dist-es/schemas/schemas_0.js), written apart from the emulator so that it checks the
// emulator against AWS's models rather than against itself. Enum values are not in the compiled
// schemas: they are read from each client's enums and the member types of its declarations.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

type Schema = unknown;
type Traits = Record<string, unknown>;

/** Simple type codes (@smithy/core/schema SCHEMA) and the list and map modifiers. */
const STRING = 0;
const NUMERIC = 1;
const BOOLEAN = 2;
const DOCUMENT = 15;
const BLOB = 21;
const TIMESTAMPS = new Set([4, 5, 6, 7]);
const LIST = 64;
const MAP = 128;

export interface ClientModel {
  /** The client's exports: operation schemas (`GetRole$`), error schemas, enum objects. */
  exports: Record<string, unknown>;
  /** `Structure.Member` → the enum's values, and whether the member is a list of them or a map keyed by them. */
  enums: Map<string, { values: Set<string>; as: 'value' | 'list' | 'key' }>;
}

const require = createRequire(import.meta.url);

/** Reads a client's enums and which members use them from its type declarations. */
export async function loadClient(pkg: string): Promise<ClientModel> {
  const exports = (await import(pkg)) as Record<string, unknown>;
  const root = dirname(dirname(require.resolve(pkg)));
  const models = join(root, 'dist-types', 'models');
  const enums = new Map<string, { values: Set<string>; as: 'value' | 'list' | 'key' }>();
  const enumValues = (name: string): Set<string> | undefined => {
    const value = exports[name];
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const values = Object.values(value);
    return values.length > 0 && values.every((v) => typeof v === 'string') ? new Set(values as string[]) : undefined;
  };
  for (const file of readdirSync(models).filter((f) => /^models_\d+\.d\.ts$/.test(f))) {
    let current: string | undefined;
    for (const line of readFileSync(join(models, file), 'utf8').split('\n')) {
      const opened = /^export interface (\w+) \{/.exec(line);
      if (opened) current = opened[1];
      if (line === '}') current = undefined;
      if (!current) continue;
      const member = /^ {4}(\w+)\??: (.+?)(?: \| undefined)?;$/.exec(line);
      if (!member) continue;
      const [, name, type] = member as unknown as [string, string, string];
      const list = /^\(?(\w+)\)?\[\]$/.exec(type);
      const keyed = /Record<(\w+), /.exec(type);
      const plain = /^(\w+)$/.exec(type);
      const found = list
        ? { enumName: list[1]!, as: 'list' as const }
        : keyed
          ? { enumName: keyed[1]!, as: 'key' as const }
          : plain
            ? { enumName: plain[1]!, as: 'value' as const }
            : undefined;
      const values = found && enumValues(found.enumName);
      if (found && values) enums.set(`${current}.${name}`, { values, as: found.as });
    }
  }
  return { exports, enums };
}

const deref = (ref: Schema): Schema => (typeof ref === 'function' ? (ref as () => Schema)() : ref);

/** A member schema is `[schema, traits]`; a named one has five or more items. */
function unwrap(ref: Schema): { schema: Schema; traits: Traits } {
  const value = deref(ref);
  if (Array.isArray(value) && value.length === 2)
    return { schema: deref(value[0]), traits: typeof value[1] === 'object' && value[1] ? (value[1] as Traits) : {} };
  return { schema: value, traits: {} };
}

export type Wire = 'json' | 'query';

/** Validates one decoded JSON value (awsJson, restJson) against a schema; problems are pushed with their path. */
export function validateJson(value: unknown, ref: Schema, model: ClientModel, path: string, problems: string[], memberTraits: Traits = {}): void {
  const { schema, traits } = unwrap(ref);
  const merged = { ...traits, ...memberTraits };
  if (typeof schema === 'number') return validateSimpleJson(value, schema, model, path, problems, merged);
  if (!Array.isArray(schema)) return;
  switch (schema[0]) {
    case 0:
      return validateJson(value, schema[4], model, path, problems, { ...(typeof schema[3] === 'object' ? (schema[3] as Traits) : {}), ...merged });
    case 1:
      if (!Array.isArray(value)) return void problems.push(`${path}: expected a list, got ${JSON.stringify(value)}`);
      value.forEach((item, i) => validateJson(item, schema[4], model, `${path}[${i}]`, problems));
      return;
    case 2:
      if (!isObject(value)) return void problems.push(`${path}: expected a map, got ${JSON.stringify(value)}`);
      for (const [key, item] of Object.entries(value)) validateJson(item, schema[5], model, `${path}.${key}`, problems);
      return;
    case 3:
    case -3:
    case 4: {
      if (!isObject(value)) return void problems.push(`${path}: expected a structure ${String(schema[2])}, got ${JSON.stringify(value)}`);
      const names = schema[4] as string[];
      const refs = schema[5] as Schema[];
      const required = typeof schema[6] === 'number' ? schema[6] : 0;
      for (const [key, item] of Object.entries(value)) {
        const index = names.indexOf(key);
        if (index < 0) {
          problems.push(`${path}.${key}: not a member of ${String(schema[2])}`);
          continue;
        }
        if (item === null) {
          problems.push(`${path}.${key}: null is never sent`);
          continue;
        }
        validateJson(item, refs[index], model, `${path}.${key}`, problems);
        checkEnum(String(schema[2]), key, item, model, `${path}.${key}`, problems);
      }
      names.slice(0, required).forEach((name) => {
        if (value[name] === undefined) problems.push(`${path}.${name}: required member of ${String(schema[2])} is missing`);
      });
      return;
    }
  }
}

function checkEnum(structure: string, member: string, value: unknown, model: ClientModel, path: string, problems: string[]): void {
  const known = model.enums.get(`${structure}.${member}`);
  if (!known) return;
  const values =
    known.as === 'value' ? [value] : known.as === 'list' && Array.isArray(value) ? value : known.as === 'key' && isObject(value) ? Object.keys(value) : [];
  for (const v of values)
    if (typeof v === 'string' && !known.values.has(v)) problems.push(`${path}: ${JSON.stringify(v)} is not one of ${[...known.values].join(', ')}`);
}

function validateSimpleJson(value: unknown, code: number, model: ClientModel, path: string, problems: string[], traits: Traits): void {
  if (code & LIST) {
    if (!Array.isArray(value)) return void problems.push(`${path}: expected a list, got ${JSON.stringify(value)}`);
    value.forEach((item, i) => validateSimpleJson(item, code & ~LIST, model, `${path}[${i}]`, problems, {}));
    return;
  }
  if (code & MAP) {
    if (!isObject(value)) return void problems.push(`${path}: expected a map, got ${JSON.stringify(value)}`);
    for (const [key, item] of Object.entries(value)) validateSimpleJson(item, code & ~MAP, model, `${path}.${key}`, problems, {});
    return;
  }
  const fail = (what: string) => problems.push(`${path}: expected ${what}, got ${JSON.stringify(value)}`);
  if (code === STRING && typeof value !== 'string') return void fail('a string');
  if (code === BOOLEAN && typeof value !== 'boolean') return void fail('a boolean');
  if (code === NUMERIC && (typeof value !== 'number' || !Number.isFinite(value))) return void fail('a number');
  if (code === BLOB && (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))) return void fail('base64 text');
  if (TIMESTAMPS.has(code)) {
    const format = traits['timestampFormat'] ?? (code === 5 ? 'date-time' : code === 6 ? 'http-date' : 'epoch-seconds');
    if (format === 'epoch-seconds' && (typeof value !== 'number' || !Number.isFinite(value)))
      return void fail("epoch seconds (the JSON protocols' timestamp format)");
    if (format === 'date-time' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) return void fail('an RFC 3339 date-time');
  }
  if (code === DOCUMENT) return;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An XML element as fast-xml-parser's ordered form gives it: its name, its children, its text. */
interface Element {
  name: string;
  children: Element[];
  text: string;
}

export function parseXml(text: string): Element {
  const parsed = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: false }).parse(text) as unknown[];
  const toElement = (node: Record<string, unknown>): Element | undefined => {
    const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (!name) return undefined;
    const items = node[name] as Array<Record<string, unknown>>;
    return {
      name,
      children: items.flatMap((child) => toElement(child) ?? []),
      text: items.map((child) => (typeof child['#text'] === 'string' ? child['#text'] : '')).join(''),
    };
  };
  const roots = (parsed as Array<Record<string, unknown>>).flatMap((n) => toElement(n) ?? []).filter((e) => e.name !== '?xml');
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.map((r) => r.name).join(', ')}`);
  return roots[0]!;
}

/** Validates an awsQuery (XML) element against a schema. */
export function validateXml(element: Element, ref: Schema, model: ClientModel, path: string, problems: string[]): void {
  const { schema } = unwrap(ref);
  if (typeof schema === 'number') return validateSimpleXml(element, schema, path, problems);
  if (!Array.isArray(schema)) return;
  switch (schema[0]) {
    case 0:
      return validateXml(element, schema[4], model, path, problems);
    case 1: {
      const { traits } = unwrap(schema[4]);
      const memberName = typeof traits['xmlName'] === 'string' ? traits['xmlName'] : 'member';
      element.children.forEach((child, i) => {
        if (child.name !== memberName) problems.push(`${path}[${i}]: list item <${child.name}>, expected <${memberName}>`);
        else validateXml(child, schema[4], model, `${path}[${i}]`, problems);
      });
      return;
    }
    case 2:
      for (const entry of element.children) {
        const key = entry.children.find((c) => c.name === 'key');
        const value = entry.children.find((c) => c.name === 'value');
        if (entry.name !== 'entry' || !key || !value) problems.push(`${path}: map item <${entry.name}> is not <entry><key/><value/></entry>`);
        else validateXml(value, schema[5], model, `${path}.${key.text}`, problems);
      }
      return;
    case 3:
    case -3: {
      const names = schema[4] as string[];
      const refs = schema[5] as Schema[];
      const required = typeof schema[6] === 'number' ? schema[6] : 0;
      const seen = new Set<string>();
      for (const child of element.children) {
        const index = names.findIndex((name, i) => (unwrap(refs[i]).traits['xmlName'] ?? name) === child.name);
        if (index < 0) {
          problems.push(`${path}.${child.name}: not a member of ${String(schema[2])}`);
          continue;
        }
        if (seen.has(child.name)) problems.push(`${path}.${child.name}: sent twice`);
        seen.add(child.name);
        validateXml(child, refs[index], model, `${path}.${child.name}`, problems);
        const known = model.enums.get(`${String(schema[2])}.${names[index]}`);
        if (known?.as === 'value' && !known.values.has(child.text))
          problems.push(`${path}.${child.name}: ${JSON.stringify(child.text)} is not one of ${[...known.values].join(', ')}`);
      }
      names.slice(0, required).forEach((name) => {
        if (!seen.has(name)) problems.push(`${path}.${name}: required member of ${String(schema[2])} is missing`);
      });
      return;
    }
  }
}

function validateSimpleXml(element: Element, code: number, path: string, problems: string[]): void {
  if (code & LIST) {
    element.children.forEach((child, i) => {
      if (child.name !== 'member') problems.push(`${path}[${i}]: list item <${child.name}>, expected <member>`);
      else validateSimpleXml(child, code & ~LIST, `${path}[${i}]`, problems);
    });
    return;
  }
  if (code & MAP) return;
  if (element.children.length > 0) return void problems.push(`${path}: expected text, got elements ${element.children.map((c) => c.name).join(', ')}`);
  const text = element.text;
  const fail = (what: string) => problems.push(`${path}: expected ${what}, got ${JSON.stringify(text)}`);
  if (code === BOOLEAN && text !== 'true' && text !== 'false') fail('true or false');
  if (code === NUMERIC && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) fail('a number');
  if (code === BLOB && !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail('base64 text');
  if (TIMESTAMPS.has(code) && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text))
    fail("an ISO 8601 date-time (awsQuery's timestamp format)");
}

/** The modeled errors of a client: shape name → its traits (httpError, awsQueryError). */
export function modeledErrors(model: ClientModel): Map<string, Traits> {
  const errors = new Map<string, Traits>();
  for (const value of Object.values(model.exports)) {
    if (Array.isArray(value) && value[0] === -3 && typeof value[2] === 'string' && typeof value[3] === 'object' && value[3])
      errors.set(value[2], value[3] as Traits);
  }
  return errors;
}

/** The output schema of an operation export (`GetRole$`). */
export function outputOf(model: ClientModel, operation: string): Schema {
  const schema = model.exports[`${operation}$`];
  if (!Array.isArray(schema) || schema[0] !== 9) throw new Error(`no operation schema ${operation}$`);
  return schema[5];
}
