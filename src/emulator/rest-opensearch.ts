// opensearch (restJson1): the operation is the method and path; errors name their type in x-amzn-errortype.
import { engineOf } from '../model/domain.js';
import type { Domain } from '../snapshot/types.js';
import type { Account } from './account.js';
import { ApiError, statusFor } from './errors.js';
import { jsonBody } from './shapes.js';
import type { Call, Codec, Handler, HttpReply, Params } from './types.js';
import { decodePathSegment, optionalString, requiredString } from './wire.js';

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
  // The legacy Elasticsearch Service API (2015-01-01), still served by AWS.
  { method: 'POST', path: /^\/2015-01-01\/es\/domain-info$/, operation: 'DescribeElasticsearchDomains' },
  { method: 'GET', path: /^\/2015-01-01\/domain$/, operation: 'ListDomainNames' },
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

/** Instance types: `.search` in the OpenSearch API, `.elasticsearch` in the legacy one. */
function withInstanceSuffix(config: unknown, from: string, to: string): unknown {
  if (!config || typeof config !== 'object') return config;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === 'string' && /Type$/.test(key) ? value.replace(from, to) : value]),
  );
}

/** A domain as the OpenSearch API returns it, whichever API the snapshot was taken with (decision rule 12 for the engine). */
function toOpenSearchShape(domain: Domain): Params {
  const { ElasticsearchVersion, ElasticsearchClusterConfig, ...rest } = domain as Domain & { ElasticsearchClusterConfig?: unknown };
  const shaped: Params = { ...rest };
  if (!rest.EngineVersion && ElasticsearchVersion) shaped['EngineVersion'] = engineOf(domain);
  const cluster = rest.ClusterConfig ?? ElasticsearchClusterConfig;
  if (cluster) shaped['ClusterConfig'] = withInstanceSuffix(cluster, '.elasticsearch', '.search');
  return shaped;
}

/** A domain as the legacy Elasticsearch Service API returns it. */
function toLegacyShape(domain: Domain): Params {
  const { EngineVersion, ClusterConfig, ...rest } = toOpenSearchShape(domain);
  const shaped: Params = { ...rest };
  // The legacy API names an OpenSearch engine `OpenSearch_X.Y` and an Elasticsearch one by its bare version.
  if (typeof EngineVersion === 'string') shaped['ElasticsearchVersion'] = EngineVersion.replace(/^Elasticsearch_/, '');
  if (ClusterConfig) shaped['ElasticsearchClusterConfig'] = withInstanceSuffix(ClusterConfig, '.search', '.elasticsearch');
  return shaped;
}

/** The domain a request names, in the Region it is signed for. */
function domainOf(call: Call, account: Account): Domain {
  const name = requiredString(call.params, 'DomainName', 'ValidationException');
  const found = account.domainIn(name, call.scope?.region);
  if (!found) throw new ApiError('ResourceNotFoundException', `Domain not found: ${name}`);
  return found.domain;
}

/** DescribeDomains and DescribeElasticsearchDomains take 1 to 5 names; names that match no domain are left out, as AWS does. */
function domainsNamed(call: Call, account: Account): Domain[] {
  const requested = call.params['DomainNames'];
  if (!Array.isArray(requested) || requested.length < 1 || requested.length > 5 || requested.some((n) => typeof n !== 'string')) {
    throw new ApiError('ValidationException', 'DomainNames must list 1 to 5 domain names');
  }
  return requested.flatMap((name: string) => account.domainIn(name, call.scope?.region)?.domain ?? []);
}

export const opensearchOperations: Record<string, Handler> = {
  DescribeDomain: (call, { account }) => ({ DomainStatus: toOpenSearchShape(domainOf(call, account)) }),
  DescribeElasticsearchDomain: (call, { account }) => ({ DomainStatus: toLegacyShape(domainOf(call, account)) }),
  ListDomainNames: (call, { account }) => {
    const engineType = optionalString(call.params, 'engineType');
    if (engineType !== undefined && engineType !== 'OpenSearch' && engineType !== 'Elasticsearch') {
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value '${engineType}' at 'engineType' failed to satisfy constraint: Member must satisfy enum value set: [OpenSearch, Elasticsearch]`,
      );
    }
    const names = [...account.domains.values()]
      .filter((d) => d.region === call.scope?.region)
      .map(({ domain }) => ({ DomainName: domain.DomainName, EngineType: engineOf(domain).startsWith('Elasticsearch_') ? 'Elasticsearch' : 'OpenSearch' }));
    return { DomainNames: names.filter((n) => !engineType || n.EngineType === engineType) };
  },
  DescribeDomains: (call, { account }) => ({ DomainStatusList: domainsNamed(call, account).map(toOpenSearchShape) }),
  DescribeElasticsearchDomains: (call, { account }) => ({ DomainStatusList: domainsNamed(call, account).map(toLegacyShape) }),
};

function reply(status: number, body: string, errorType?: string): HttpReply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  return { status, headers, body };
}

/** The OpenSearch API names its errors with its Coral namespace; other restJson1 services by their code alone. */
const ERROR_TYPE_SUFFIXES: Partial<Record<string, string>> = { opensearch: ':http://internal.amazon.com/coral/com.amazonaws.es/' };

export const restJsonCodec: Codec = {
  result: (call, data) => reply(200, jsonBody(call.service, call.operation, data)),
  error: (call, error) =>
    reply(
      error.status ?? statusFor(call.service, error.code),
      JSON.stringify({ message: error.message }),
      `${error.code}${ERROR_TYPE_SUFFIXES[call.service] ?? ''}`,
    ),
};
