import { readErrorOf, type ClientSettings } from './clients.js';
import { limiter } from './limit.js';
import { Pacer } from './pacer.js';
import { allPages } from './pages.js';
import type { ReadError } from '../snapshot/types.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ReadError };

/** Keeps a read's value, or records its failure in the snapshot's errors and gives undefined. */
export type Keep = <T>(result: Result<T>) => T | undefined;

export function keeperOf(errors: ReadError[]): Keep {
  return <T>(result: Result<T>): T | undefined => {
    if (result.ok) return result.value;
    errors.push(result.error);
    return undefined;
  };
}

export interface ReadSettings extends Pick<ClientSettings, 'maxAttempts' | 'retryDelayMs' | 'retry'> {
  /** Slow a service down when it throttles (default on); off, throttled calls are only retried with backoff. */
  pace?: boolean;
  /** Calls in flight at once, across every domain of the run. */
  concurrency?: number;
  /** Counters shared by every Reads of a sweep, for its progress line. */
  stats?: ReadStats;
  /**
   * One bound on the calls in flight for every Reads of a sweep (instead of `concurrency` each):
   * hundreds of accounts and Regions at once would otherwise queue so many calls that the last ones
   * time out before they are even written to the socket.
   */
  sharedLimit?: Limit;
}

export type Limit = ReturnType<typeof limiter>;

export interface ReadStats {
  inFlight: number;
  throttled: number;
}

/**
 * Every AWS read of a run goes through here: made once per run (memoized by key), at most
 * `concurrency` in flight, retried on throttling and transient failures, and paced per service.
 */
export class Reads {
  private readonly memo = new Map<string, Promise<Result<unknown>>>();
  private readonly limit;
  private readonly pacers = new Map<string, Pacer>();
  /** Calls actually sent, for benchmarks and tests. */
  calls = 0;

  constructor(private readonly settings: ReadSettings) {
    this.limit = settings.sharedLimit ?? limiter(settings.concurrency ?? 16);
  }

  private pacer(operation: string): Pacer {
    const service = operation.slice(0, operation.indexOf(':'));
    let pacer = this.pacers.get(service);
    if (!pacer) this.pacers.set(service, (pacer = new Pacer()));
    return pacer;
  }

  /**
   * One read, made once per run. Retries live here rather than in the SDK so that throttling
   * slows the whole service down (the pacer) instead of each call backing off on its own.
   * `resource` is what a failure records; `key` tells reads apart when the resource alone does not.
   */
  read<T>(operation: string, resource: string | undefined, send: () => Promise<T>, key = `${operation} ${resource ?? ''}`): Promise<Result<T>> {
    let pending = this.memo.get(key) as Promise<Result<T>> | undefined;
    if (!pending) {
      pending = this.attempt(operation, resource, send);
      this.memo.set(key, pending);
    }
    return pending;
  }

  /** Records an answer another read already gave, so `read` with this key is not sent again. */
  answered<T>(operation: string, resource: string, value: T): void {
    this.memo.set(`${operation} ${resource}`, Promise.resolve({ ok: true, value }));
  }

  /** Every item of a paginated list (an SDK paginator), as one read: a list that never ends fails it. */
  list<Page extends { NextToken?: string; Marker?: string; IsTruncated?: boolean }, T>(
    operation: string,
    resource: string,
    pages: () => AsyncIterable<Page>,
    items: (page: Page) => T[] | undefined,
  ): Promise<Result<T[]>> {
    return this.read(operation, resource, async () => (await allPages(operation, pages())).flatMap((page) => items(page) ?? []));
  }

  private async attempt<T>(operation: string, resource: string | undefined, send: () => Promise<T>): Promise<Result<T>> {
    if (this.settings.retry === 'sdk-adaptive') return this.sendOnce(operation, resource, send);
    const pacer = this.pacer(operation);
    const maxAttempts = this.settings.maxAttempts ?? 3;
    const baseDelay = this.settings.retryDelayMs ?? 100;
    let failures = 0;
    let throttles = 0;
    for (;;) {
      await pacer.slot();
      try {
        const value = await this.limit(() => this.sent(send));
        pacer.succeeded();
        return { ok: true, value };
      } catch (error) {
        if ((error as Error).name === 'ReadOnlyViolation') throw error;
        const kind = retryKind(error);
        if (kind === 'throttled') {
          if (this.settings.stats) this.settings.stats.throttled++;
          // Paced retries of a throttled call are not failures of the call; they are bounded all the same.
          if (this.settings.pace === false) await sleep(Math.random() * baseDelay * 2 ** Math.min(throttles, 6));
          else pacer.throttled();
          if (++throttles < MAX_THROTTLED_RETRIES) continue;
        } else if (kind === 'transient' && ++failures < maxAttempts) {
          await sleep(Math.random() * baseDelay * 2 ** failures);
          continue;
        }
        return { ok: false, error: readErrorOf(operation, resource, error) };
      }
    }
  }

  private async sent<T>(send: () => Promise<T>): Promise<T> {
    this.calls++;
    const stats = this.settings.stats;
    if (!stats) return send();
    stats.inFlight++;
    try {
      return await send();
    } finally {
      stats.inFlight--;
    }
  }

  /** One call whose retries the SDK makes (its adaptive mode). */
  private async sendOnce<T>(operation: string, resource: string | undefined, send: () => Promise<T>): Promise<Result<T>> {
    try {
      const value = await this.limit(() => this.sent(send));
      return { ok: true, value };
    } catch (error) {
      if ((error as Error).name === 'ReadOnlyViolation') throw error;
      return { ok: false, error: readErrorOf(operation, resource, error) };
    }
  }
}

const MAX_THROTTLED_RETRIES = 12;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Throttling slows the service down; server errors and lost connections are retried with backoff; the rest is final. */
function retryKind(error: unknown): 'throttled' | 'transient' | 'final' {
  const e = error as {
    name?: string;
    Code?: string;
    code?: string;
    status?: number;
    $fault?: string;
    $retryable?: { throttling?: boolean };
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode ?? e.status ?? 0;
  const code = e.Code ?? e.name ?? '';
  if (e.$retryable?.throttling || status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|LimitExceeded/.test(code)) return 'throttled';
  if (e.$fault === 'server' || status >= 500 || /TimeoutError|ECONNRESET|ECONNREFUSED|EPIPE|NetworkingError/.test(`${code} ${e.code ?? ''}`))
    return 'transient';
  return 'final';
}
