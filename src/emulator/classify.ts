// Which service and operation a request is, decided as the wire notes measured the clients sending them:
// X-Amz-Target (awsJson1_1), then a form body with Action= (awsQuery), then the REST paths.
import type { IncomingHttpHeaders } from 'node:http';
import type { Account } from './account.js';
import { ApiError } from './errors.js';
import { parseJsonRequest } from './json-protocol.js';
import { accountOperation, parseAccountBody } from './organizations.js';
import { parseQueryRequest } from './query-protocol.js';
import { isOpenSearchPath, parseRestRequest } from './rest-opensearch.js';
import { domainApiOperation, domainApiParams, isDomainApiPath } from './security-plugin.js';
import { scopeOf } from './signing.js';
import type { Call, Params, Protocol, ServiceName } from './types.js';

export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body was over the size limit; `body` holds its start. */
  tooLarge: boolean;
}

/** Request targets are paths; a base makes them URLs. */
const BASE = 'http://emulator';

/** Operations that only read, by AWS's naming convention. */
const READ_ONLY = /^(Describe|Get|List|AdminGet|AdminList)/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface Classified {
  protocol: Protocol;
  service: ServiceName | 'unknown';
  operation: string;
  params: Params;
  mutating: boolean;
  rejection?: ApiError;
}

function classifyRequest(raw: RawRequest, signingService: string | undefined, account: Account): Classified {
  const target = header(raw.headers, 'x-amz-target');
  if (target) {
    const request = parseJsonRequest(target, raw.body);
    return { protocol: 'json', ...request, mutating: !READ_ONLY.test(request.operation) };
  }
  const url = URL.canParse(raw.url, BASE) ? new URL(raw.url, BASE) : new URL('/', BASE);
  const form = (header(raw.headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(raw.body) : url.searchParams;
  if (form.has('Action')) {
    const request = parseQueryRequest(form, signingService);
    return { protocol: 'query', ...request, mutating: !READ_ONLY.test(request.operation) };
  }
  const accountOp = accountOperation(raw.method, url.pathname);
  if (accountOp) return { protocol: 'rest-json', service: 'account', operation: accountOp, mutating: false, ...parseAccountBody(raw.body) };
  if (isOpenSearchPath(url.pathname)) {
    return { protocol: 'rest-json', service: 'opensearch', ...parseRestRequest(raw.method, url, raw.body) };
  }
  const mutating = raw.method !== 'GET' && raw.method !== 'HEAD';
  if (isDomainApiPath(url.pathname)) {
    const params = domainApiParams(url.pathname, header(raw.headers, 'host'), account);
    return { protocol: 'es-rest', service: 'es-rest', operation: domainApiOperation(raw.method), params, mutating };
  }
  return { protocol: 'rest-json', service: 'unknown', operation: `${raw.method} ${url.pathname}`, params: {}, mutating };
}

/** Never throws: whatever arrives becomes a Call, possibly one to reject. */
export function classify(raw: RawRequest, account: Account): Call {
  const scope = scopeOf(raw.headers);
  const signingService = scope?.service;
  const classified = classifyRequest(raw, signingService, account);
  const call: Call = {
    ...classified,
    resources: account.resourceIds(classified.service, classified.params, scope?.region),
    ...(scope ? { scope } : {}),
  };
  if (raw.tooLarge) call.rejection = new ApiError('RequestEntityTooLarge', 'Request body exceeds 1 MB');
  return call;
}
