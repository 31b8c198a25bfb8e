import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SignatureV4 } from './aws.js';
import { MAX_ANSWER_BYTES } from './bounded-answers.js';
import type { RolesMappingEntry } from '../snapshot/types.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** node:crypto behind the hash interface the SigV4 signer expects. */
type Bytes = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: Bytes): string | Buffer {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

class Sha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret ? createHmac('sha256', toBuffer(secret)) : createHash('sha256');
  }
  update(data: Bytes): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_CODES: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 429: 'TooManyRequests' };

/**
 * GET the security plugin's role mappings from the domain, SigV4-signed for service `es`.
 * With an endpoint URL (an emulator or a tunnel) the request goes there, still addressed to the domain host.
 */
export async function readRolesMapping(options: {
  host: string;
  apiPrefix: '_plugins' | '_opendistro';
  region: string;
  credentials: () => Promise<Credentials>;
  endpointUrl?: string;
  /** The whole answer, from connecting to its last byte. */
  timeoutMs: number;
  maxBytes?: number;
}): Promise<Record<string, RolesMappingEntry>> {
  const maxBytes = options.maxBytes ?? MAX_ANSWER_BYTES;
  const path = `/${options.apiPrefix}/_security/api/rolesmapping`;
  const signer = new SignatureV4({ service: 'es', region: options.region, credentials: options.credentials, sha256: Sha256 });
  const signed = await signer.sign({ method: 'GET', protocol: 'https:', hostname: options.host, path, headers: { host: options.host }, query: {} });
  const target = new URL(options.endpointUrl ?? `https://${options.host}`);
  const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      { host: target.hostname, port: target.port || undefined, method: 'GET', path, headers: signed.headers, timeout: options.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let received = Number(res.headers['content-length'] ?? 0);
        if (received > maxBytes) {
          req.destroy(tooLarge());
          return;
        }
        received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) req.destroy(tooLarge());
          else chunks.push(chunk);
        });
        res.on('error', (error) => req.destroy(error));
        res.on('end', () => {
          clearTimeout(deadline);
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            reject(new HttpStatusError(status, STATUS_CODES[status] ?? (status >= 500 ? 'ServerError' : `Http${status}`), body.slice(0, 300)));
            return;
          }
          try {
            resolve(JSON.parse(body) as Record<string, RolesMappingEntry>);
          } catch {
            reject(new HttpStatusError(status, 'MalformedResponse', 'the security plugin answered with something that is not JSON'));
          }
        });
      },
    );
    const tooLarge = () => new HttpStatusError(0, 'ResponseTooLarge', `${options.host} sent more than ${maxBytes} bytes of role mappings`);
    const timeout = () =>
      new HttpStatusError(0, 'Timeout', `no answer from ${options.host} within ${options.timeoutMs} ms (for a VPC domain, run from inside the VPC)`);
    // The socket timeout only measures silence: the deadline ends a body trickled a byte at a time too.
    const deadline = setTimeout(() => req.destroy(timeout()), options.timeoutMs);
    req.on('timeout', () => req.destroy(timeout()));
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error instanceof HttpStatusError ? error : new HttpStatusError(0, (error as NodeJS.ErrnoException).code ?? 'NetworkError', error.message));
    });
    req.end();
  });
}
