// The pure payments core: money, the payment state machine, pricing and the refund policy.
// No database, no HTTP; every function takes `now` explicitly.
export * from './errors.js';
export * from './money.js';
export * from './payment-state.js';
export * from './pricing.js';
export * from './refund-policy.js';
