// Shared set-up for the emulator tests: SDK client settings, a fast retry strategy, SigV4 requests.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, RetryErrorInfo, RetryStrategyV2, RetryToken, SourceData } from '@smithy/types';
import type { Snapshot } from '../../src/snapshot/types.js';
import type { Emulator } from '../../src/emulator/index.js';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

// The SDK warns once per process on Node 20; the warning is noise in test output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

/** Retries throttling, transient and server errors like the standard strategy, but 5 ms apart. */
export function fastRetry(maxAttempts: number): RetryStrategyV2 {
  const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 5 });
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const next = previous.getRetryCount() + 1;
      if (info.errorType === 'CLIENT_ERROR' || next >= maxAttempts) throw new Error('no more retries');
      return token(next);
    },
    recordSuccess: () => undefined,
  };
}

/**
 * Settings for any SDK v3 client pointed at the emulator; no retries unless asked. The Region is
 * the one requests are signed for: the test account's, and us-east-1 for IAM, which is global.
 */
export function clientConfig(emulator: Emulator, maxAttempts = 1, region = 'eu-west-1', credentials: AwsCredentialIdentity = CREDENTIALS) {
  return { endpoint: emulator.url, region, credentials, retryStrategy: fastRetry(maxAttempts) };
}

export const IAM_REGION = 'us-east-1';

/** Writes snapshots as JSON files, as a user would hand them to `cogdoctor emulator --snapshot`. */
export async function writeSnapshots(snapshots: Snapshot[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cogdoctor-emulator-'));
  return Promise.all(
    snapshots.map(async (snapshot, i) => {
      const path = join(dir, `snapshot-${i}.json`);
      await writeFile(path, JSON.stringify(snapshot, null, 2));
      return path;
    }),
  );
}

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string' ? Buffer.from(data) : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** The node:crypto sha256 that @smithy/signature-v4 needs (@smithy/hash-node is not a dependency). */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface DomainResponse {
  status: number;
  body: unknown;
}

/** A request signed with SigV4 for `service` in `region`, sent to the emulator as a raw fetch. */
export async function signedFetch(
  emulator: Emulator,
  request: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
  signing: { service: string; region?: string; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } },
): Promise<Response> {
  const url = new URL(request.path ?? '/', emulator.url);
  const signer = new SignatureV4({
    credentials: signing.credentials ?? CREDENTIALS,
    region: signing.region ?? 'eu-west-1',
    service: signing.service,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: request.method ?? 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return fetch(url, { method: request.method ?? 'POST', headers: signed.headers, ...(request.body === undefined ? {} : { body: request.body }) });
}

/** A GET to the domain's REST API, sent to the emulator with the domain's endpoint as Host. */
export async function domainGet(emulator: Emulator, host: string, path: string, sign = true, region = 'eu-west-1'): Promise<DomainResponse> {
  let headers: Record<string, string> = { host };
  if (sign) {
    const signer = new SignatureV4({ credentials: CREDENTIALS, region, service: 'es', sha256: Sha256 });
    const signed = await signer.sign({ method: 'GET', protocol: 'https:', hostname: host, path, headers, query: {} });
    headers = signed.headers;
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emulator.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `fn` and returns what it threw, so tests can look at the SDK's error object. */
export async function caught(fn: () => Promise<unknown>): Promise<Record<string, any>> {
  try {
    await fn();
  } catch (error) {
    return error as Record<string, any>;
  }
  throw new Error('expected the call to fail');
}
