// The response shapes of the served operations, read from the schemas compiled into the AWS SDK v3
// clients (dist-es/schemas/schemas_0.js), and the serializers that write a snapshot's values in them:
// members the shape does not have are left out, and timestamps take each protocol's wire form.
import {
  errorTypeRegistries as cognitoIdpErrors,
  AdminGetUser$,
  AdminListGroupsForUser$,
  DescribeIdentityProvider$,
  DescribeManagedLoginBrandingByClient$,
  DescribeUserPool$,
  DescribeUserPoolClient$,
  DescribeUserPoolDomain$,
  ListGroups$,
  ListIdentityProviders$,
  ListUserPoolClients$,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  errorTypeRegistries as cognitoIdentityErrors,
  DescribeIdentityPool$,
  GetIdentityPoolRoles$,
  GetPrincipalTagAttributeMap$,
  ListIdentityPools$,
} from '@aws-sdk/client-cognito-identity';
import {
  errorTypeRegistries as iamErrors,
  GetGroupPolicy$,
  GetPolicy$,
  GetPolicyVersion$,
  GetRole$,
  GetRolePolicy$,
  GetUser$,
  GetUserPolicy$,
  ListAttachedGroupPolicies$,
  ListAttachedRolePolicies$,
  ListAttachedUserPolicies$,
  ListGroupPolicies$,
  ListGroupsForUser$,
  ListRolePolicies$,
  ListUserPolicies$,
} from '@aws-sdk/client-iam';
import { errorTypeRegistries as opensearchErrors, DescribeDomain$, DescribeDomains$, ListDomainNames$ } from '@aws-sdk/client-opensearch';
import { errorTypeRegistries as stsErrors, AssumeRole$, GetCallerIdentity$ } from '@aws-sdk/client-sts';
import { errorTypeRegistries as organizationsErrors, ListAccounts$ } from '@aws-sdk/client-organizations';
import { errorTypeRegistries as accountErrors, ListRegions$ } from '@aws-sdk/client-account';
import { errorTypeRegistries as wafv2Errors, GetWebACLForResource$ } from '@aws-sdk/client-wafv2';
import type { ServiceName } from './types.js';

/** A schema as the SDK compiles it: a number for simple types, an array for the others, or a function returning one. */
type SchemaRef = unknown;

/** The operation schemas of what the emulator serves through an AWS API (the domain's own REST API has none). */
export const OPERATION_SCHEMAS: Partial<Record<ServiceName, Record<string, SchemaRef>>> = {
  opensearch: { DescribeDomain: DescribeDomain$, DescribeDomains: DescribeDomains$, ListDomainNames: ListDomainNames$ },
  'cognito-idp': {
    DescribeUserPool: DescribeUserPool$,
    ListUserPoolClients: ListUserPoolClients$,
    DescribeUserPoolClient: DescribeUserPoolClient$,
    ListGroups: ListGroups$,
    DescribeUserPoolDomain: DescribeUserPoolDomain$,
    ListIdentityProviders: ListIdentityProviders$,
    DescribeIdentityProvider: DescribeIdentityProvider$,
    DescribeManagedLoginBrandingByClient: DescribeManagedLoginBrandingByClient$,
    AdminGetUser: AdminGetUser$,
    AdminListGroupsForUser: AdminListGroupsForUser$,
  },
  'cognito-identity': {
    DescribeIdentityPool: DescribeIdentityPool$,
    GetIdentityPoolRoles: GetIdentityPoolRoles$,
    ListIdentityPools: ListIdentityPools$,
    GetPrincipalTagAttributeMap: GetPrincipalTagAttributeMap$,
  },
  iam: {
    GetRole: GetRole$,
    ListAttachedRolePolicies: ListAttachedRolePolicies$,
    ListRolePolicies: ListRolePolicies$,
    GetRolePolicy: GetRolePolicy$,
    GetUser: GetUser$,
    ListAttachedUserPolicies: ListAttachedUserPolicies$,
    ListUserPolicies: ListUserPolicies$,
    GetUserPolicy: GetUserPolicy$,
    ListGroupsForUser: ListGroupsForUser$,
    ListAttachedGroupPolicies: ListAttachedGroupPolicies$,
    ListGroupPolicies: ListGroupPolicies$,
    GetGroupPolicy: GetGroupPolicy$,
    GetPolicy: GetPolicy$,
    GetPolicyVersion: GetPolicyVersion$,
  },
  sts: { GetCallerIdentity: GetCallerIdentity$, AssumeRole: AssumeRole$ },
  wafv2: { GetWebACLForResource: GetWebACLForResource$ },
  organizations: { ListAccounts: ListAccounts$ },
  account: { ListRegions: ListRegions$ },
};

const ERROR_REGISTRIES: Partial<Record<ServiceName, unknown[]>> = {
  opensearch: opensearchErrors,
  'cognito-idp': cognitoIdpErrors,
  'cognito-identity': cognitoIdentityErrors,
  iam: iamErrors,
  sts: stsErrors,
  wafv2: wafv2Errors,
  organizations: organizationsErrors,
  account: accountErrors,
};

const modeledStatuses = new Map<string, Map<string, number>>();

/**
 * The HTTP status a service's model gives an error code: `httpError` (awsJson, restJson; `error:
 * server` without one is 500, a client error 400) or the awsQuery code's own status. Undefined for
 * codes the service does not model (AWS's common errors).
 */
export function modeledStatus(service: string, code: string): number | undefined {
  let statuses = modeledStatuses.get(service);
  if (!statuses) {
    statuses = new Map();
    for (const registry of ERROR_REGISTRIES[service as ServiceName] ?? []) {
      for (const schema of (registry as { exceptions: Map<unknown, unknown> }).exceptions.keys()) {
        if (!Array.isArray(schema) || typeof schema[2] !== 'string') continue;
        const traits = traitsOf(schema[3]);
        const query = traits['awsQueryError'];
        if (Array.isArray(query) && typeof query[0] === 'string' && typeof query[1] === 'number') statuses.set(query[0], query[1]);
        else statuses.set(schema[2], typeof traits['httpError'] === 'number' ? traits['httpError'] : traits['error'] === 'server' ? 500 : 400);
      }
    }
    modeledStatuses.set(service, statuses);
  }
  return statuses.get(code);
}

/** Simple type codes of the compiled schemas (@smithy/core/schema SCHEMA). */
const BLOB = 0b0001_0101;
const TIMESTAMP_CODES = new Set([0b0000_0100, 0b0000_0101, 0b0000_0110, 0b0000_0111]);
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;

export type Shape =
  | { kind: 'string' | 'number' | 'boolean' | 'blob' | 'document' }
  | { kind: 'timestamp'; format?: string }
  | { kind: 'list'; member: () => Shape; memberName?: string }
  | { kind: 'map'; value: () => Shape }
  | { kind: 'structure'; members: Map<string, { shape: () => Shape; traits: Record<string, unknown> }>; required: string[] };

const deref = (ref: SchemaRef): unknown => (typeof ref === 'function' ? (ref as () => unknown)() : ref);

/** Member schemas are `[schema, traits]`: two items, unlike every named schema. */
function memberParts(ref: SchemaRef): { target: unknown; traits: Record<string, unknown> } {
  const value = deref(ref);
  if (Array.isArray(value) && value.length === 2) return { target: deref(value[0]), traits: traitsOf(value[1]) };
  return { target: value, traits: {} };
}

/** Traits are an object, or a bit field of the boolean ones (translateTraits). */
function traitsOf(traits: unknown): Record<string, unknown> {
  return traits && typeof traits === 'object' ? (traits as Record<string, unknown>) : {};
}

const cache = new WeakMap<object, Shape>();

function simpleShape(code: number): Shape {
  if (code & LIST_MODIFIER) return { kind: 'list', member: () => simpleShape(code & ~LIST_MODIFIER) };
  if (code & MAP_MODIFIER) return { kind: 'map', value: () => simpleShape(code & ~MAP_MODIFIER) };
  if (code === BLOB || code === 0b0010_1010) return { kind: 'blob' };
  if (TIMESTAMP_CODES.has(code)) return { kind: 'timestamp' };
  if (code === 2) return { kind: 'boolean' };
  if (code === 15) return { kind: 'document' };
  if (code === 0) return { kind: 'string' };
  return { kind: 'number' };
}

/** The shape a compiled schema (or member schema) describes. */
export function shapeOf(ref: SchemaRef): Shape {
  const { target, traits } = memberParts(ref);
  const shape = targetShape(target);
  const format = traits['timestampFormat'];
  return shape.kind === 'timestamp' && typeof format === 'string' ? { kind: 'timestamp', format } : shape;
}

function targetShape(schema: unknown): Shape {
  if (typeof schema === 'number') return simpleShape(schema);
  if (!Array.isArray(schema)) return { kind: 'document' };
  const known = cache.get(schema);
  if (known) return known;
  let shape: Shape;
  switch (schema[0]) {
    case 0:
      shape = shapeOf(schema[4]);
      break;
    case 1: {
      const { traits } = memberParts(schema[4]);
      const memberName = typeof traits['xmlName'] === 'string' ? traits['xmlName'] : undefined;
      shape = { kind: 'list', member: () => shapeOf(schema[4]), ...(memberName ? { memberName } : {}) };
      break;
    }
    case 2:
      shape = { kind: 'map', value: () => shapeOf(schema[5]) };
      break;
    case 3:
    case 4:
    case -3: {
      const names = schema[4] as string[];
      const refs = schema[5] as SchemaRef[];
      const members = new Map(names.map((name, i) => [name, { shape: () => shapeOf(refs[i]), traits: memberParts(refs[i]).traits }] as const));
      shape = { kind: 'structure', members, required: names.slice(0, typeof schema[6] === 'number' ? schema[6] : 0) };
      break;
    }
    default:
      shape = { kind: 'document' };
  }
  cache.set(schema, shape);
  return shape;
}

/**
 * The legacy Elasticsearch Service API (2015-01-01) has no client in the project: its domain status
 * is the OpenSearch one with the Elasticsearch-era names (ElasticsearchVersion,
 * ElasticsearchClusterConfig), whose members are kept as they are.
 */
const LEGACY_OPERATIONS: Record<string, string> = { DescribeElasticsearchDomain: 'DescribeDomain', DescribeElasticsearchDomains: 'DescribeDomains' };

/** The output shape of a served operation, or undefined for the domain's own REST API. */
export function outputShape(service: string, operation: string): Shape | undefined {
  const operations = OPERATION_SCHEMAS[service as ServiceName];
  const name = service === 'opensearch' ? (LEGACY_OPERATIONS[operation] ?? operation) : operation;
  const schema = operations && Object.hasOwn(operations, name) ? deref(operations[name]) : undefined;
  return Array.isArray(schema) ? shapeOf(schema[5]) : undefined;
}

/** The JSON body of a result: in the operation's output shape when it has one. */
export function jsonBody(service: string, operation: string, data: unknown): string {
  const shape = outputShape(service, operation);
  if (!shape) return JSON.stringify(data ?? {});
  return JSON.stringify(toJsonValue(data ?? {}, shape, service === 'opensearch' && Object.hasOwn(LEGACY_OPERATIONS, operation)));
}

/** A snapshot timestamp (ISO 8601 text, epoch seconds, or a Date) as an instant, if it is one. */
function instantOf(value: unknown): Date | undefined {
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function base64(value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

/**
 * A value in the JSON protocols (awsJson1_1, restJson1): members of the shape only, timestamps as
 * epoch seconds (their default format there), blobs as base64.
 */
export function toJsonValue(value: unknown, shape: Shape, keepUnknown = false): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.kind) {
    case 'timestamp': {
      const instant = instantOf(value);
      if (!instant) return value;
      if (shape.format === 'date-time') return instant.toISOString();
      if (shape.format === 'http-date') return instant.toUTCString();
      return instant.getTime() / 1000;
    }
    case 'blob':
      return base64(value);
    case 'list':
      return Array.isArray(value) ? value.map((item) => toJsonValue(item, shape.member(), keepUnknown) ?? null) : value;
    case 'map':
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v, shape.value(), keepUnknown) ?? null])) : value;
    case 'structure': {
      if (!isObject(value)) return value;
      const out: Record<string, unknown> = keepUnknown ? Object.fromEntries(Object.entries(value).filter(([k, v]) => !shape.members.has(k) && v !== null)) : {};
      for (const [name, member] of shape.members) {
        const serialized = toJsonValue(value[name], member.shape(), keepUnknown);
        if (serialized !== undefined) out[typeof member.traits['jsonName'] === 'string' ? member.traits['jsonName'] : name] = serialized;
      }
      return out;
    }
    default:
      return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped rather than sent as an unparsable document.
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** The inner XML of a value in the awsQuery protocol: timestamps ISO 8601, lists of `<member>`, maps of `<entry>`. */
function xmlContent(value: unknown, shape: Shape): string {
  switch (shape.kind) {
    case 'timestamp': {
      const instant = instantOf(value);
      return instant ? instant.toISOString() : escapeXml(String(value));
    }
    case 'blob':
      return escapeXml(String(base64(value)));
    case 'list':
      return Array.isArray(value) ? value.map((item) => toXmlElement(shape.memberName ?? 'member', item, shape.member())).join('') : '';
    case 'map':
      return isObject(value)
        ? Object.entries(value)
            .map(([k, v]) => `<entry><key>${escapeXml(k)}</key>${toXmlElement('value', v, shape.value())}</entry>`)
            .join('')
        : '';
    case 'structure':
      return xmlMembers(value, shape);
    case 'document':
      return escapeXml(typeof value === 'string' ? value : JSON.stringify(value));
    default:
      return escapeXml(String(value));
  }
}

function toXmlElement(name: string, value: unknown, shape: Shape): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${xmlContent(value, shape)}</${name}>`;
}

/** The members of a structure as XML elements, in the shape's order. */
export function xmlMembers(value: unknown, shape: Shape): string {
  if (shape.kind !== 'structure' || !isObject(value)) return '';
  return [...shape.members]
    .map(([name, member]) => toXmlElement(typeof member.traits['xmlName'] === 'string' ? member.traits['xmlName'] : name, value[name], member.shape()))
    .join('');
}
