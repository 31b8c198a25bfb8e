// opensearch (restJson1): the operation is the method and path; errors name their type in x-amzn-errortype.
import type { Domain } from '../snapshot/types.js';
import { ApiError, statusFor } from './errors.js';
import type { Codec, Handler, HttpReply, Params } from './types.js';
import { decodePathSegment, optionalString, requiredString, toJsonBody } from './wire.js';

interface Route {
  method: string;
  path: RegExp;
  operation: string;
  /** The name of the path's one parameter. */
  param?: string;
}

const ROUTES: Route[] = [
  { method: 'GET', path: /^\/2021-01-01\/opensearch\/domain\/([^/]+)$/, operation: 'DescribeDomain', param: 'DomainName' },
  { method: 'GET', path: /^\/2015-01-01\/es\/domain\/([^/]+)$/, operation: 'DescribeElasticsearchDomain', param: 'DomainName' },
  { method: 'GET', path: /^\/2021-01-01\/domain$/, operation: 'ListDomainNames' },
  { method: 'POST', path: /^\/2021-01-01\/opensearch\/domain-info$/, operation: 'DescribeDomains' },
];

export function isOpenSearchPath(path: string): boolean {
  return /^\/20\d\d-\d\d-\d\d\//.test(path);
}

export interface RestRequest {
  operation: string;
  params: Params;
  mutating: boolean;
  rejection?: ApiError;
}

export function parseRestRequest(method: string, url: URL, body: string): RestRequest {
  const params: Params = Object.fromEntries(url.searchParams);
  const route = ROUTES.find((r) => r.method === method && r.path.test(url.pathname));
  if (!route) {
    // Not an operation the emulator serves: name it by its route, and treat any write as mutating.
    return { operation: `${method} ${url.pathname}`, params, mutating: method !== 'GET' && method !== 'HEAD' };
  }
  const value = route.path.exec(url.pathname)?.[1];
  if (route.param && value) params[route.param] = decodePathSegment(value);
  if (method === 'POST' && body.trim() !== '') {
    try {
      Object.assign(params, JSON.parse(body));
    } catch {
      return { operation: route.operation, params, mutating: false, rejection: new ApiError('ValidationException', 'Request body is not valid JSON') };
    }
  }
  return { operation: route.operation, params, mutating: false };
}

function isLegacy(domain: Domain): boolean {
  return domain.EngineVersion === undefined ? domain.ElasticsearchVersion !== undefined : domain.EngineVersion.startsWith('Elasticsearch_');
}

/** Instance types: `.search` in the OpenSearch API, `.elasticsearch` in the legacy one. */
function withInstanceSuffix(config: unknown, from: string, to: string): unknown {
  if (!config || typeof config !== 'object') return config;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === 'string' && /Type$/.test(key) ? value.replace(from, to) : value]),
  );
}

/** A domain as the OpenSearch API returns it, whichever API the snapshot was taken with. */
function toOpenSearchShape(domain: Domain): Params {
  const { ElasticsearchVersion, ElasticsearchClusterConfig, ...rest } = domain as Domain & { ElasticsearchClusterConfig?: unknown };
  const shaped: Params = { ...rest };
  if (!rest.EngineVersion && ElasticsearchVersion) shaped['EngineVersion'] = `Elasticsearch_${ElasticsearchVersion}`;
  const cluster = rest.ClusterConfig ?? ElasticsearchClusterConfig;
  if (cluster) shaped['ClusterConfig'] = withInstanceSuffix(cluster, '.elasticsearch', '.search');
  return shaped;
}

/** A domain as the legacy Elasticsearch Service API returns it. */
function toLegacyShape(domain: Domain): Params {
  const { EngineVersion, ClusterConfig, ...rest } = toOpenSearchShape(domain);
  const shaped: Params = { ...rest };
  if (typeof EngineVersion === 'string') shaped['ElasticsearchVersion'] = EngineVersion.replace(/^Elasticsearch_/, '');
  if (ClusterConfig) shaped['ElasticsearchClusterConfig'] = withInstanceSuffix(ClusterConfig, '.search', '.elasticsearch');
  return shaped;
}

export const opensearchOperations: Record<string, Handler> = {
  DescribeDomain: ({ params }, { account }) => {
    const name = requiredString(params, 'DomainName', 'ValidationException');
    const found = account.domains.get(name);
    if (!found) throw new ApiError('ResourceNotFoundException', `Domain not found: ${name}`);
    return { DomainStatus: toOpenSearchShape(found.domain) };
  },
  DescribeElasticsearchDomain: ({ params }, { account }) => {
    const name = requiredString(params, 'DomainName', 'ValidationException');
    const found = account.domains.get(name);
    if (!found) throw new ApiError('ResourceNotFoundException', `Domain not found: ${name}`);
    return { DomainStatus: toLegacyShape(found.domain) };
  },
  ListDomainNames: ({ params }, { account }) => {
    const engineType = optionalString(params, 'engineType');
    const names = [...account.domains.values()].map(({ domain }) => ({
      DomainName: domain.DomainName,
      EngineType: isLegacy(domain) ? 'Elasticsearch' : 'OpenSearch',
    }));
    return { DomainNames: names.filter((n) => !engineType || n.EngineType === engineType) };
  },
  DescribeDomains: ({ params }, { account }) => {
    const requested = Array.isArray(params['DomainNames']) ? params['DomainNames'] : [];
    // Like AWS, names that match no domain are left out rather than failing the whole call.
    const found = requested.flatMap((name) => {
      const entry = typeof name === 'string' ? account.domains.get(name) : undefined;
      return entry ? [toOpenSearchShape(entry.domain)] : [];
    });
    return { DomainStatusList: found };
  },
};

function reply(status: number, body: string, errorType?: string): HttpReply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  return { status, headers, body };
}

export const restJsonCodec: Codec = {
  result: (_call, data) => reply(200, toJsonBody(data ?? {})),
  error: (call, error) =>
    reply(
      error.status ?? statusFor(call.service, error.code),
      JSON.stringify({ message: error.message }),
      `${error.code}:http://internal.amazon.com/coral/com.amazonaws.es/`,
    ),
};
