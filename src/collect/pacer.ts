/**
 * Paces the calls to one AWS service to what it accepts (Cognito's quotas are per account and
 * some are 10 requests per second). Unlimited until the service throttles; then the rate starts
 * at what just succeeded and adapts: multiplicative decrease on throttling, additive increase on
 * success (AIMD), so a whole-account scan runs near the quota instead of in a throttling storm.
 * bench/pacer.mjs measures it against the SDK's adaptive retry mode (BENCHMARKS.md).
 */
const MIN_START_RATE = 5;
const MIN_RATE = 1;

export class Pacer {
  private rate = Infinity;
  private nextSlot = 0;
  private lastDecrease = 0;
  private readonly recent: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Resolves when the next call may start. */
  async slot(): Promise<void> {
    if (this.rate === Infinity) return;
    const now = this.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + 1000 / this.rate;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  succeeded(): void {
    const now = this.now();
    this.recent.push(now);
    while (this.recent.length > 0 && this.recent[0]! < now - 1000) this.recent.shift();
    // About one more request per second for every second of successes.
    if (this.rate !== Infinity) this.rate += 1 / this.rate;
  }

  throttled(): void {
    const now = this.now();
    if (this.rate === Infinity) {
      this.rate = Math.max(MIN_START_RATE, this.recent.filter((t) => t >= now - 1000).length * 0.9);
    } else if (now - this.lastDecrease > 1000) {
      // One decrease per second: the calls already in flight all bounce off the same limit.
      this.rate = Math.max(MIN_RATE, this.rate * 0.8);
    } else {
      return;
    }
    this.lastDecrease = now;
    this.nextSlot = Math.max(this.nextSlot, now + 1000 / this.rate);
  }

  get currentRate(): number {
    return this.rate;
  }
}
