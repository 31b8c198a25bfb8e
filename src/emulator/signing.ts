// What AWS checks of a request before it reads anything: that it is signed (SigV4) for the right
// service, in a Region of the account's partition (IAM: the partition's signing Region), with the
// Host among the signed headers, and for the API version the service speaks.
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.js';
import type { Call, Protocol, ServiceName, SigningScope } from './types.js';

/** The SigV4 signing name of each service: the OpenSearch API and the domain's REST API both sign as `es`. */
export const SIGNING_NAMES: Record<ServiceName, string> = {
  opensearch: 'es',
  'es-rest': 'es',
  'cognito-idp': 'cognito-idp',
  'cognito-identity': 'cognito-identity',
  iam: 'iam',
  sts: 'sts',
  wafv2: 'wafv2',
  organizations: 'organizations',
  account: 'account',
};

/** The API version each awsQuery service's requests carry in `Version`. */
export const QUERY_API_VERSIONS: Partial<Record<ServiceName, string>> = { iam: '2010-05-08', sts: '2011-06-15' };

/**
 * Global services: requests are signed for the partition's home Region of the service (IAM's
 * endpoints; Organizations: "specify the us-east-1 region for all API and CLI calls", cn-northwest-1
 * in China; Account Management: account.us-east-1.amazonaws.com).
 */
const GLOBAL_SIGNING_REGIONS: Partial<Record<ServiceName, Record<string, string>>> = {
  iam: { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' },
  organizations: { aws: 'us-east-1', 'aws-cn': 'cn-northwest-1', 'aws-us-gov': 'us-gov-west-1' },
  account: { aws: 'us-east-1' },
};

export function partitionOfRegion(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

export function scopeOf(headers: IncomingHttpHeaders): SigningScope | undefined {
  const authorization = headers.authorization ?? '';
  const credential = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  if (!credential) return undefined;
  const signed = /SignedHeaders=([^,\s]+)/.exec(authorization)?.[1] ?? '';
  return {
    accessKeyId: credential[1]!,
    date: credential[2]!,
    region: credential[3]!,
    service: credential[4]!,
    signedHeaders: signed.split(';').filter(Boolean),
  };
}

/**
 * The error each protocol answers an authentication failure with. The codes are AWS's common
 * errors; the HTTP statuses for awsJson (400) follow the measured access-denied case (aws-wire-notes §1d).
 */
export function authError(protocol: Protocol, kind: 'missing' | 'signature' | 'token' | 'expired', message: string): ApiError {
  const json = protocol === 'json';
  const status = json ? 400 : 403;
  switch (kind) {
    case 'missing':
      return new ApiError(protocol === 'query' ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException', message, status);
    case 'signature':
      return new ApiError(protocol === 'query' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', message, status);
    case 'token':
      return new ApiError(protocol === 'query' ? 'InvalidClientTokenId' : 'UnrecognizedClientException', message, status);
    case 'expired':
      return new ApiError(protocol === 'query' ? 'ExpiredToken' : 'ExpiredTokenException', message, status);
  }
}

/** Why AWS would refuse this request before reading anything, if it would. */
export function signingViolation(call: Call, partition: string): ApiError | undefined {
  if (call.service === 'unknown') return undefined;
  const scope = call.scope;
  if (call.service === 'es-rest') {
    // The domain's own REST API takes unsigned requests (its access policy decides); a signed one is checked.
    if (!scope) return undefined;
  } else if (!scope) {
    return authError(call.protocol, 'missing', call.protocol === 'query' ? 'Request is missing Authentication Token' : 'Missing Authentication Token');
  }
  const expected = SIGNING_NAMES[call.service];
  if (scope.service !== expected) return authError(call.protocol, 'signature', `Credential should be scoped to correct service: '${expected}'. `);
  if (!scope.signedHeaders.includes('host')) {
    return authError(call.protocol, 'signature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (!REGION.test(scope.region)) return authError(call.protocol, 'signature', `Credential should be scoped to a valid region, not '${scope.region}'. `);
  // Credentials of one partition are unknown in another.
  if (partitionOfRegion(scope.region) !== partition) return authError(call.protocol, 'token', 'The security token included in the request is invalid.');
  const home = GLOBAL_SIGNING_REGIONS[call.service]?.[partition];
  if (home !== undefined && scope.region !== home) {
    return authError(call.protocol, 'signature', `Credential should be scoped to a valid region, not '${scope.region}'. `);
  }
  if (call.protocol === 'query') {
    const version = QUERY_API_VERSIONS[call.service];
    const asked = call.params['Version'];
    if (asked !== version) {
      return new ApiError(
        'InvalidAction',
        `Could not find operation ${call.operation} for version ${typeof asked === 'string' ? asked : 'NO_VERSION_SPECIFIED'}`,
        400,
      );
    }
  }
  return undefined;
}
