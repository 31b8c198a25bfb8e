// Injected faults and per-service rate limits.
import type { Call, FaultKind, FaultRule } from './types.js';

const DEFAULT_LATENCY_MS = 1000;

export interface FaultPlan {
  /** The total delay of the matching latency rules, applied before anything else. */
  delayMs: number;
  /** The first matching fault that is not latency: it decides the answer. */
  fault?: Exclude<FaultKind, 'latency'>;
}

function matches(rule: FaultRule, call: Call): boolean {
  if (rule.service !== undefined && rule.service !== call.service) return false;
  if (rule.operation !== undefined && rule.operation !== '*' && rule.operation !== call.operation) return false;
  const resource = rule.resource;
  return resource === undefined || call.resources.some((id) => id.includes(resource));
}

export class FaultInjector {
  private rules: { rule: FaultRule; used: Map<string, number> }[] = [];

  constructor(rules: FaultRule[]) {
    this.set(rules);
  }

  /** Replaces the rules; `times` counts start again. */
  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, used: new Map() }));
  }

  /** Rules are evaluated in order; each match uses up one of the rule's `times`. */
  plan(call: Call): FaultPlan {
    const plan: FaultPlan = { delayMs: 0 };
    for (const entry of this.rules) {
      const { rule } = entry;
      if (!matches(rule, call)) continue;
      const key = rule.perCall ? `${call.service} ${call.operation} ${call.resources.join(' ')}` : '';
      const used = entry.used.get(key) ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      entry.used.set(key, used + 1);
      if (rule.kind === 'latency') {
        plan.delayMs += rule.ms ?? DEFAULT_LATENCY_MS;
      } else {
        plan.fault = rule.kind;
        break;
      }
    }
    return plan;
  }
}

/**
 * A token bucket per account, Region and service (AWS quotas are per account and Region): bursts of
 * up to `rate` requests (at least one), refilled at `rate` per second.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(private readonly limits: Record<string, number>) {}

  /** Takes a token from the bucket `key` (account, Region and service); false when it is over the service's limit. */
  take(key: string, service: string, now = Date.now()): boolean {
    const rate = this.limits[service];
    if (rate === undefined) return true;
    const capacity = Math.max(1, rate);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updated: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updated) / 1000) * rate);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
