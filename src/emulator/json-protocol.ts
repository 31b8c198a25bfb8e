// awsJson1_1 (cognito-idp, cognito-identity, wafv2, organizations): POST / with X-Amz-Target and a JSON body.
import { ApiError, statusFor } from './errors.js';
import type { Call, Codec, HttpReply, Params, ServiceName } from './types.js';
import { jsonBody } from './shapes.js';

const TARGET_PREFIXES: Record<string, ServiceName> = {
  AWSCognitoIdentityProviderService: 'cognito-idp',
  AWSCognitoIdentityService: 'cognito-identity',
  AWSWAF_20190729: 'wafv2',
  AWSOrganizationsV20161128: 'organizations',
};

export interface JsonRequest {
  service: ServiceName | 'unknown';
  operation: string;
  params: Params;
  rejection?: ApiError;
}

export function parseJsonRequest(target: string, body: string): JsonRequest {
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const service = (Object.hasOwn(TARGET_PREFIXES, prefix) && TARGET_PREFIXES[prefix]) || 'unknown';
  const operation = target.slice(dot + 1);
  if (body.trim() === '') return { service, operation, params: {} };
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { service, operation, params: parsed as Params };
  } catch {
    // answered below, as AWS does
  }
  return { service, operation, params: {}, rejection: new ApiError('SerializationException', 'Request body is not a JSON object') };
}

function reply(status: number, body: string, errorType?: string): HttpReply {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  return { status, headers, body };
}

export const jsonCodec: Codec = {
  result: (call, data) => reply(200, jsonBody(call.service, call.operation, data)),
  error: (call: Call, error) =>
    reply(error.status ?? statusFor(call.service, error.code), JSON.stringify({ __type: error.code, message: error.message }), error.code),
};
