// Payment gateways: the contract, the embedded sandbox, the Toss Payments adapter, webhooks.
import type { PaymentGateway } from './gateway.js';
import { SandboxGateway } from './sandbox.js';
import type { SandboxStore } from './sandbox-store.js';
import { TossGateway, type TossGatewayOptions } from './toss.js';

export * from './gateway.js';
export * from './sandbox.js';
export * from './sandbox-store.js';
export * from './toss.js';
export * from './webhook.js';

export type PaymentGatewayConfig = { type: 'sandbox' } | ({ type: 'toss' } & TossGatewayOptions);

/** The gateway chosen by configuration (sandbox when nothing is configured; its state in `sandboxStore`, memory if none). */
export function createPaymentGateway(config: PaymentGatewayConfig = { type: 'sandbox' }, sandboxStore?: SandboxStore): PaymentGateway {
  if (config.type === 'toss') return new TossGateway(config);
  return new SandboxGateway(sandboxStore);
}
