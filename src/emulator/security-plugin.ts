// The domain's own REST API, as far as cogdoctor reads it: the security plugin's role mappings.
import { STATUS_CODES } from 'node:http';
import type { Account } from './account.js';
import { ApiError, statusFor } from './errors.js';
import type { Codec, Handler, HttpReply, Params } from './types.js';
import { decodePathSegment, optionalString } from './wire.js';

/** OpenSearch serves `_plugins`, Elasticsearch 7.x (Open Distro) `_opendistro`. */
const ROLES_MAPPING = /^\/_(?:plugins|opendistro)\/_security\/api\/rolesmapping(?:\/([^/]+))?\/?$/;

export function isDomainApiPath(path: string): boolean {
  return path.startsWith('/_');
}

/** ESHttpGet, ESHttpPatch, ...: the IAM action of a request to the domain's endpoint. */
export function domainApiOperation(method: string): string {
  return `ESHttp${method.charAt(0)}${method.slice(1).toLowerCase()}`;
}

export function domainApiParams(path: string, host: string | undefined, account: Account): Params {
  const params: Params = { path, host };
  const domainName = account.domainByHost(host)?.domain.DomainName;
  if (domainName) params['DomainName'] = domainName;
  return params;
}

export const securityPluginOperations: Record<string, Handler> = {
  ESHttpGet: ({ params, scope }, { account }) => {
    const domain = account.domainByHost(optionalString(params, 'host'));
    // No domain answers on another host name.
    if (!domain) throw new ApiError('NotFound', `No loaded domain has the endpoint ${optionalString(params, 'host') ?? ''}`);
    if (!scope) throw new ApiError('AccessDenied', 'User: anonymous is not authorized to perform: es:ESHttpGet');
    if (scope.region !== domain.region)
      throw new ApiError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scope.region}'. `, 403);
    const path = optionalString(params, 'path') ?? '';
    const route = ROLES_MAPPING.exec(path);
    if (!route) throw new ApiError('NotFound', `no handler found for uri [${path}] and method [GET]`);
    // Not collected: answered as the plugin answers a caller without the permission to read it.
    if (!domain.rolesMapping)
      throw new ApiError(
        'Forbidden',
        `no permissions for [cluster:admin/opendistro_security/rolesmapping/get]: the snapshot of ${domain.domain.DomainName} holds no role mappings`,
      );
    const role = route[1] === undefined ? undefined : decodePathSegment(route[1]);
    if (role === undefined) return domain.rolesMapping;
    const mapping = Object.hasOwn(domain.rolesMapping, role) ? domain.rolesMapping[role] : undefined;
    if (!mapping) throw new ApiError('NotFound', `Resource '${role}' not found.`);
    return { [role]: mapping };
  },
};

function reply(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(body) };
}

export const domainApiCodec: Codec = {
  result: (_call, data) => reply(200, data ?? {}),
  error: (call, error) => {
    const status = error.status ?? statusFor(call.service, error.code);
    // IAM's denial (before the request reaches the domain) has AWS's shape; the plugin's own errors have its shape.
    if (error.code.startsWith('AccessDenied')) return reply(status, { Message: error.message });
    if (error.code === 'InvalidSignatureException') return reply(status, { message: error.message });
    const text = (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/ /g, '_');
    return reply(status, { status: text, message: error.message });
  },
};
