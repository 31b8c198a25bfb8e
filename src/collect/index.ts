export { Collector, DomainUnreadable, sortSnapshot, type CollectOptions } from './collector.js';
export { ReadOnlyViolation, guardReadOnly, Clients } from './clients.js';
