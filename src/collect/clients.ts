import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import * as aws from './aws.js';
import { holdCredentials } from '../redact.js';
import { isAllowed, type IamService } from './allowlist.js';
import { foreignAnswer, guardAnswers, type MiddlewareClient } from './answers.js';
import { MAX_ANSWER_BYTES, boundAnswers } from './bounded-answers.js';
import type { ReadError } from '../snapshot/types.js';

/** A call the read-only allowlist does not name: refused before it is signed or sent. */
export class ReadOnlyViolation extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
  ) {
    super(`refused ${service}:${operation}: cogdoctor only makes the read-only calls on its allowlist`);
    this.name = 'ReadOnlyViolation';
  }
}

/** Installs the read-only guard on an SDK client; every client cogdoctor builds passes through here. */
export function guardReadOnly<T extends MiddlewareClient>(client: T, service: string): T {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (!isAllowed(service, operation)) throw new ReadOnlyViolation(service, operation);
      return next(args);
    },
    { step: 'initialize', name: 'cogdoctorReadOnlyGuard', priority: 'high' },
  );
  return client;
}

export interface ClientSettings {
  profile?: string;
  endpointUrl?: string;
  /** Attempts per call for server errors and lost connections (throttled calls are paced, not counted). */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Base of the exponential backoff between attempts, 100 ms by default. */
  retryDelayMs?: number;
  /**
   * Who retries a throttled call: cogdoctor's per-service pacer (the default), or the SDK's own
   * adaptive retry mode with `maxAttempts` attempts per call and no pacer (bench/pacer.mjs compares them).
   */
  retry?: 'paced' | 'sdk-adaptive';
  /**
   * Fixed credentials (the demo's emulator) or a provider (a sweep's session in a member account);
   * otherwise the standard credential chain.
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Connections shared by every client of a sweep: the accounts of an organization call the same
   * regional endpoints, so one pool of kept-alive connections serves them all instead of one per
   * account, service and Region (each a TLS handshake of its own).
   */
  agents?: { httpAgent: HttpAgent; httpsAgent: HttpsAgent };
}

/** The partition a region belongs to. */
export function partitionOfRegion(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** IAM is global: its endpoint lives in the partition's home region. */
export function iamRegionOf(partition: string): string {
  return partition === 'aws-cn' ? 'cn-north-1' : partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1';
}

/** One guarded client per service and region, built on first use. */
export class Clients {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly settings: ClientSettings) {}

  private config(region: string) {
    const { profile, endpointUrl, timeoutMs, credentials, retry, agents } = this.settings;
    return {
      // The collector retries (and paces throttled services) itself, unless the SDK is asked to.
      ...(retry === 'sdk-adaptive' ? { retryMode: 'adaptive', maxAttempts: this.settings.maxAttempts ?? 3 } : { maxAttempts: 1 }),
      region,
      ...(profile ? { profile } : {}),
      ...(credentials ? { credentials } : {}),
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      requestHandler: {
        requestTimeout: timeoutMs ?? 10_000,
        connectionTimeout: Math.min(timeoutMs ?? 10_000, 5_000),
        throwOnRequestTimeout: true,
        ...(agents ?? {}),
      },
    };
  }

  private get<T extends MiddlewareClient & { config: { requestHandler?: unknown } }>(key: string, service: IamService, make: () => T): T {
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      const limits = { totalMs: this.settings.timeoutMs ?? 10_000, maxBytes: MAX_ANSWER_BYTES };
      client = boundAnswers(guardAnswers(guardReadOnly(make(), service)), limits);
      this.cache.set(key, client);
      // The memoized provider the signer uses: its values are scrubbed from every text printed.
      void (client as { config: { credentials?: () => Promise<unknown> } }).config.credentials?.().then(holdCredentials, () => undefined);
    }
    return client;
  }

  opensearch(region: string) {
    return this.get(`es:${region}`, 'es', () => new aws.OpenSearchClient(this.config(region)));
  }
  cognitoIdp(region: string) {
    return this.get(`cognito-idp:${region}`, 'cognito-idp', () => new aws.CognitoIdentityProviderClient(this.config(region)));
  }
  cognitoIdentity(region: string) {
    return this.get(`cognito-identity:${region}`, 'cognito-identity', () => new aws.CognitoIdentityClient(this.config(region)));
  }
  iam(partition: string) {
    return this.get(`iam:${partition}`, 'iam', () => new aws.IAMClient(this.config(iamRegionOf(partition))));
  }
  wafv2(region: string) {
    return this.get(`wafv2:${region}`, 'wafv2', () => new aws.WAFV2Client(this.config(region)));
  }
  sts(region: string) {
    return this.get(`sts:${region}`, 'sts', () => new aws.STSClient(this.config(region)));
  }
  /** Organizations and Account Management are global: their endpoints live in the partition's home region. */
  organizations(partition: string) {
    return this.get(`organizations:${partition}`, 'organizations', () => new aws.OrganizationsClient(this.config(iamRegionOf(partition))));
  }
  account(partition: string) {
    return this.get(`account:${partition}`, 'account', () => new aws.AccountClient(this.config(iamRegionOf(partition))));
  }
  /**
   * Builds the clients the next level of reads will use, and resolves their credentials, while
   * the first call is in flight: the pools are usually in the domain's region.
   */
  async prewarm(region: string, partition: string): Promise<void> {
    const clients = [this.cognitoIdp(region), this.cognitoIdentity(region), this.iam(partition)];
    await Promise.all(
      clients.map((client) => (client as { config?: { credentials?: () => Promise<unknown> } }).config?.credentials?.().catch(() => undefined)),
    );
  }

  destroy(): void {
    // A client's destroy() destroys its agents too: shared ones belong to the sweep, which ends them.
    if (!this.settings.agents) for (const client of this.cache.values()) (client as { destroy?: () => void }).destroy?.();
    this.cache.clear();
  }
}

/** An SDK error as the snapshot records it, with the same code whichever protocol carried it. */
export function readErrorOf(operation: string, resource: string | undefined, error: unknown): ReadError {
  const e = (error ?? {}) as { Code?: string; name?: string; code?: string; message?: string };
  const foreign = foreignAnswer(error);
  let code = foreign?.code ?? e.Code ?? e.name ?? e.code ?? 'Error';
  if (code === 'TimeoutError' || code === 'RequestTimeout' || e.code === 'ETIMEDOUT') code = 'Timeout';
  const entry: ReadError = { operation, code };
  if (resource) entry.resource = resource;
  const message = foreign?.message ?? e.message;
  if (message) entry.message = String(message).split('\n')[0]!.slice(0, 500);
  return entry;
}
