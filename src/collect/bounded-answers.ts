import { PassThrough, type Readable } from 'node:stream';

/**
 * The most bytes one answer may have. The largest answers cogdoctor reads (a page of 60 groups,
 * five domains, a security plugin's role mappings) are well under a megabyte.
 */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** An answer bigger than MAX_ANSWER_BYTES: stopped while it arrives, never buffered whole. */
export class ResponseTooLarge extends Error {
  constructor(host: string | undefined, limit: number) {
    super(`${host ?? 'the server'} sent more than ${limit} bytes in one answer`);
    this.name = 'ResponseTooLarge';
  }
}

/** The whole answer did not arrive in time (read as a Timeout by the collector). */
export class AnswerTimeout extends Error {
  constructor(host: string | undefined, ms: number) {
    super(`no complete answer from ${host ?? 'the server'} within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

interface HttpRequestLike {
  hostname?: string;
}
interface HttpResponseLike {
  headers: Record<string, string | undefined>;
  body?: unknown;
}
interface HttpHandlerLike {
  handle(request: HttpRequestLike, options?: { abortSignal?: AbortSignal; requestTimeout?: number }): Promise<{ response: HttpResponseLike }>;
}

export interface AnswerLimits {
  /** The whole call, from connecting to the last byte of the body. */
  totalMs: number;
  maxBytes: number;
}

function isStream(body: unknown): body is Readable {
  return typeof (body as Readable | undefined)?.pipe === 'function';
}

/**
 * Makes an SDK client's HTTP handler end every call within `totalMs` (the SDK's own request
 * timeout only measures silence, so a server trickling a byte a second kept a read alive) and
 * stop any body past `maxBytes` while it streams.
 */
export function boundAnswers<T extends { config: { requestHandler?: unknown } }>(client: T, limits: AnswerLimits): T {
  const handler = client.config.requestHandler as HttpHandlerLike | undefined;
  if (!handler || typeof handler.handle !== 'function') return client;
  const handle = handler.handle.bind(handler);
  handler.handle = async (request, options = {}) => {
    const host = request.hostname;
    const timeout = new AnswerTimeout(host, limits.totalMs);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(timeout), limits.totalMs);
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, deadline.signal]) : deadline.signal;
    let answer: { response: HttpResponseLike };
    try {
      answer = await handle(request, { ...options, abortSignal: signal });
    } catch (error) {
      clearTimeout(timer);
      throw deadline.signal.aborted ? timeout : error;
    }
    const { response } = answer;
    const source = response.body;
    const declared = Number(response.headers['content-length'] ?? response.headers['Content-Length']);
    if (declared > limits.maxBytes) {
      clearTimeout(timer);
      if (isStream(source)) source.destroy();
      throw new ResponseTooLarge(host, limits.maxBytes);
    }
    if (!isStream(source)) {
      clearTimeout(timer);
      return answer;
    }
    // The SDK reads the body after this returns: it reads this stream instead, which ends with an
    // error at the deadline or at the size limit, and the connection is dropped.
    const bounded = new PassThrough();
    let received = 0;
    const stop = (error: Error) => {
      clearTimeout(timer);
      source.unpipe(bounded);
      source.destroy();
      bounded.destroy(error);
    };
    deadline.signal.addEventListener('abort', () => stop(timeout), { once: true });
    source.on('data', (chunk: Buffer | string) => {
      received += chunk.length;
      if (received > limits.maxBytes) stop(new ResponseTooLarge(host, limits.maxBytes));
    });
    source.on('error', (error) => bounded.destroy(error));
    bounded.on('close', () => clearTimeout(timer));
    source.pipe(bounded);
    response.body = bounded;
    return answer;
  };
  return client;
}
