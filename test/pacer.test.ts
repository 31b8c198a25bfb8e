import { describe, expect, it } from 'vitest';
import { Pacer } from '../src/collect/pacer.js';

describe('the pacer', () => {
  it('does not slow a service that never throttles', async () => {
    const pacer = new Pacer();
    for (let i = 0; i < 100; i++) {
      await pacer.slot();
      pacer.succeeded();
    }
    expect(pacer.currentRate).toBe(Infinity);
  });

  it('starts at what just succeeded, cuts on throttling at most once a second, and creeps back up', () => {
    let now = 10_000;
    const pacer = new Pacer(() => now);
    for (let i = 0; i < 20; i++) pacer.succeeded();
    pacer.throttled();
    expect(pacer.currentRate).toBe(18);
    pacer.throttled();
    expect(pacer.currentRate).toBe(18);
    now += 1_001;
    pacer.throttled();
    expect(pacer.currentRate).toBeCloseTo(14.4);
    for (let i = 0; i < 14; i++) pacer.succeeded();
    expect(pacer.currentRate).toBeGreaterThan(15);
  });

  it('never drops below one request per second', () => {
    let now = 0;
    const pacer = new Pacer(() => now);
    for (let i = 0; i < 50; i++) {
      now += 2_000;
      pacer.throttled();
    }
    expect(pacer.currentRate).toBe(1);
  });
});
