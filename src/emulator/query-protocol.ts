// awsQuery (iam, sts): POST / with a form body `Action=...&Version=...`, answered in XML.
import { randomUUID } from 'node:crypto';
import { type ApiError, statusFor } from './errors.js';
import type { Codec, HttpReply, Params, ServiceName } from './types.js';
import { escapeXml, outputShape, xmlMembers } from './shapes.js';

const NAMESPACES: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** The API version each query service's requests carry, used when the request is unsigned. */
const VERSIONS: Record<string, ServiceName> = { '2010-05-08': 'iam', '2011-06-15': 'sts' };

export interface QueryRequest {
  service: ServiceName | 'unknown';
  operation: string;
  params: Params;
}

export function parseQueryRequest(form: URLSearchParams, signingService: string | undefined): QueryRequest {
  const params: Params = Object.fromEntries(form);
  const version = form.get('Version') ?? '';
  const service = signingService === 'iam' || signingService === 'sts' ? signingService : (Object.hasOwn(VERSIONS, version) && VERSIONS[version]) || 'unknown';
  return { service, operation: form.get('Action') ?? '', params };
}

function reply(status: number, body: string): HttpReply {
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

export const queryCodec: Codec = {
  result: (call, data) => {
    const op = call.operation; // only served operations get here, and their names are plain words
    const shape = outputShape(call.service, op);
    const fields = shape ? xmlMembers(data ?? {}, shape) : '';
    return reply(
      200,
      `<${op}Response xmlns="${NAMESPACES[call.service] ?? ''}"><${op}Result>${fields}</${op}Result>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${op}Response>`,
    );
  },
  error: (call, error: ApiError) => {
    const status = error.status ?? statusFor(call.service, error.code);
    const type = status >= 500 ? 'Receiver' : 'Sender';
    return reply(
      status,
      `<ErrorResponse xmlns="${NAMESPACES[call.service] ?? NAMESPACES['iam']}"><Error><Type>${type}</Type>` +
        `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
        `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  },
};
