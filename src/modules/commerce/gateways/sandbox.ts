// The deterministic sandbox gateway (the embedded default). No network, no real money.
//
// Test cards (any future expiry, any CVC of the right length):
//   4242 4242 4242 4242  approved
//   4000 0000 0000 0002  declined: card_declined
//   4000 0000 0000 9995  declined: insufficient_funds
//   4000 0025 0000 3155  requires_action, then confirmAction → approved
// Any other valid card, every PayPal account and every bank account: approved.
//
// The test card is remembered through a tag inside the token (tok_sbx_<tag>_<random>), so the
// card number itself is never kept. Authorisations and replies live in a SandboxStore: the
// database in the product (every API process shares one sandbox, as with a real gateway), this
// object's memory when constructed without one (unit tests). Idempotency keys are global, like a real gateway's: the same key with the
// same operation and parameters returns the first result again (no second capture or refund);
// the same key with anything else is rejected (idempotency_key_reused). Use one key per operation.
import { createHash } from 'node:crypto';
import { assertMoney, type Money } from '../domain/money.js';
import { MemorySandboxStore, type SandboxAuthorization, type SandboxStore, type SandboxTx, type StoredAuth } from './sandbox-store.js';
import {
  GatewayNotFoundError,
  GatewayRejectedError,
  tokenizeMethod,
  type AuthorizeInput,
  type AuthorizeResult,
  type CaptureInput,
  type CaptureResult,
  type ConfirmActionInput,
  type GatewayPaymentStatus,
  type GatewayPaymentView,
  type PaymentGateway,
  type RawMethodInput,
  type RefundInput,
  type RefundResult,
  type TokenizedMethod,
  type VoidInput,
  type VoidResult,
} from './gateway.js';

export const SANDBOX_CARDS = Object.freeze({
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  requiresAction: '4000002500003155',
});

type Scenario = 'ok' | 'decline' | 'nofunds' | 'action' | 'paypal' | 'bank';

const CARD_TAGS: Readonly<Record<string, Scenario>> = {
  [SANDBOX_CARDS.success]: 'ok',
  [SANDBOX_CARDS.declined]: 'decline',
  [SANDBOX_CARDS.insufficientFunds]: 'nofunds',
  [SANDBOX_CARDS.requiresAction]: 'action',
};

const TOKEN_RE = /^tok_sbx_(ok|decline|nofunds|action|paypal|bank)_[0-9a-f]{24}$/;

export type { SandboxAuthStatus, SandboxAuthorization } from './sandbox-store.js';

const GATEWAY = 'sandbox';
const info = { gateway: GATEWAY };

function ref(kind: string, key: string): string {
  return `sbx_${kind}_${createHash('sha256').update(`${kind}:${key}`).digest('hex').slice(0, 24)}`;
}

function positive(m: Money, field: string): void {
  assertMoney(m, field);
  if (m.amount <= 0) throw new GatewayRejectedError('invalid_amount', info, { form: 'positive', vars: { field } }, 'invalid');
}

function requireKey(key: string): void {
  if (typeof key !== 'string' || key.length < 1 || key.length > 300) {
    throw new GatewayRejectedError('invalid_idempotency_key', info, {}, 'invalid');
  }
}

export class SandboxGateway implements PaymentGateway {
  readonly name = GATEWAY;
  readonly capturesOnAuthorize = false;

  constructor(private readonly store: SandboxStore = new MemorySandboxStore()) {}

  /** Tokenizes like every gateway, tagging the sandbox test cards so authorize knows them. */
  tokenizeMethod(input: RawMethodInput, options: { now?: Date } = {}): TokenizedMethod {
    return tokenizeMethod(input, {
      now: options.now,
      prefix: 'tok_sbx',
      tag: (m) => (m.type === 'paypal' ? 'paypal' : m.type === 'bank_transfer' ? 'bank' : (CARD_TAGS[m.cardNumber ?? ''] ?? 'ok')),
    });
  }

  /** The current state of an authorisation, or undefined. */
  async inspect(gatewayRef: string): Promise<SandboxAuthorization | undefined> {
    const a = await this.store.read(gatewayRef);
    if (!a) return undefined;
    const { refunds: _refunds, ...view } = a;
    return view;
  }

  /** The authorisation as reconciliation sees it. */
  async lookup(gatewayRef: string): Promise<GatewayPaymentView> {
    const a = await this.store.read(gatewayRef);
    if (!a) throw notFound(gatewayRef);
    const refunds = a.refunds;
    let status: GatewayPaymentStatus;
    switch (a.status) {
      case 'requires_action':
        status = 'pending';
        break;
      case 'approved':
        status = 'authorized';
        break;
      case 'declined':
        status = 'failed';
        break;
      case 'voided':
        status = 'voided';
        break;
      case 'captured':
        status = a.refunded === 0 ? 'captured' : a.refunded >= a.captured ? 'refunded' : 'partially_refunded';
        break;
    }
    const paymentId = /^\d+$/.test(a.paymentId) ? Number(a.paymentId) : null;
    return { gatewayRef, paymentId, status, gatewayStatus: a.status, total: { ...a.authorized }, refunds };
  }

  async authorize(input: AuthorizeInput): Promise<AuthorizeResult> {
    positive(input.amount, 'amount');
    return this.once(input.idempotencyKey, ['authorize', String(input.paymentId), input.amount.amount, input.amount.currency, input.methodToken], async (tx) => {
      const gatewayRef = ref('pay', input.idempotencyKey);
      const m = TOKEN_RE.exec(typeof input.methodToken === 'string' ? input.methodToken : '');
      const scenario = m?.[1] as Scenario | undefined;
      let result: AuthorizeResult;
      switch (scenario) {
        case 'ok':
        case 'paypal':
        case 'bank':
          result = { status: 'approved', gatewayRef };
          break;
        case 'action':
          result = { status: 'requires_action', gatewayRef, action: { type: 'confirm', hint: 'Approve the payment in the card issuer’s app.' } };
          break;
        case 'decline':
          result = { status: 'declined', reason: 'card_declined', gatewayCode: 'card_declined', message: 'The card was declined.', gatewayRef };
          break;
        case 'nofunds':
          result = { status: 'declined', reason: 'insufficient_funds', gatewayCode: 'insufficient_funds', message: 'The card has insufficient funds.', gatewayRef };
          break;
        default:
          result = { status: 'declined', reason: 'invalid_method', gatewayCode: 'invalid_token', message: 'Unknown payment method token.', gatewayRef };
      }
      await tx.saveAuth({
        gatewayRef,
        paymentId: String(input.paymentId),
        status: result.status,
        authorized: { amount: input.amount.amount, currency: input.amount.currency },
        captured: 0,
        refunded: 0,
        captureCount: 0,
        refundCount: 0,
        refunds: [],
      });
      return result;
    });
  }

  async confirmAction(input: ConfirmActionInput): Promise<AuthorizeResult> {
    return this.once(input.idempotencyKey, ['confirmAction', input.gatewayRef], async (tx) => {
      const auth = await this.auth(tx, input.gatewayRef);
      if (auth.status !== 'requires_action') {
        throw new GatewayRejectedError('no_action_required', info, { vars: { status: auth.status } });
      }
      auth.status = 'approved';
      await tx.saveAuth(auth);
      return { status: 'approved', gatewayRef: auth.gatewayRef };
    });
  }

  async capture(input: CaptureInput): Promise<CaptureResult> {
    positive(input.amount, 'amount');
    return this.once(input.idempotencyKey, ['capture', input.gatewayRef, input.amount.amount, input.amount.currency], async (tx) => {
      const auth = await this.auth(tx, input.gatewayRef);
      if (auth.status === 'captured') throw new GatewayRejectedError('already_captured', info);
      if (auth.status !== 'approved') throw new GatewayRejectedError(auth.status === 'requires_action' ? 'requires_action' : 'not_capturable', info, { vars: { status: auth.status } });
      if (input.amount.currency !== auth.authorized.currency || input.amount.amount > auth.authorized.amount) {
        throw new GatewayRejectedError('amount_exceeds_authorized', info, { vars: { amount: auth.authorized.amount, currency: auth.authorized.currency } });
      }
      auth.status = 'captured';
      auth.captured = input.amount.amount;
      auth.captureCount += 1;
      await tx.saveAuth(auth);
      return { gatewayRef: auth.gatewayRef, captured: { amount: input.amount.amount, currency: input.amount.currency } };
    });
  }

  async void(input: VoidInput): Promise<VoidResult> {
    return this.once(input.idempotencyKey, ['void', input.gatewayRef], async (tx) => {
      const auth = await this.auth(tx, input.gatewayRef);
      if (auth.status === 'captured') throw new GatewayRejectedError('already_captured', info, { form: 'void' });
      if (auth.status === 'voided') throw new GatewayRejectedError('already_voided', info);
      if (auth.status === 'declined') throw new GatewayRejectedError('not_voidable', info);
      auth.status = 'voided';
      await tx.saveAuth(auth);
      return { gatewayRef: auth.gatewayRef, status: 'voided' as const };
    });
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    positive(input.amount, 'amount');
    return this.once(input.idempotencyKey, ['refund', input.gatewayRef, input.amount.amount, input.amount.currency], async (tx) => {
      const auth = await this.auth(tx, input.gatewayRef);
      if (auth.status !== 'captured') throw new GatewayRejectedError('not_refundable', info, { vars: { status: auth.status } });
      const balance = auth.captured - auth.refunded;
      if (input.amount.currency !== auth.authorized.currency || input.amount.amount > balance) {
        throw new GatewayRejectedError('refund_exceeds_balance', info, { vars: { balance, currency: auth.authorized.currency } });
      }
      auth.refunded += input.amount.amount;
      auth.refundCount += 1;
      const refundRef = ref('rf', input.idempotencyKey);
      auth.refunds.push({ ref: refundRef, amount: { amount: input.amount.amount, currency: input.amount.currency }, reason: input.reason, at: new Date() });
      await tx.saveAuth(auth);
      return {
        gatewayRef: auth.gatewayRef,
        refundRef,
        refunded: { amount: input.amount.amount, currency: input.amount.currency },
        balance: { amount: auth.captured - auth.refunded, currency: auth.authorized.currency },
      };
    });
  }

  private async auth(tx: SandboxTx, gatewayRef: string): Promise<StoredAuth> {
    const a = await tx.auth(gatewayRef);
    if (!a) throw notFound(gatewayRef);
    return a;
  }

  /** Runs `fn` once per idempotency key; a repeat with the same parameters gets the stored result. Errors are not stored. */
  private async once<T>(key: string, params: unknown[], fn: (tx: SandboxTx) => Promise<T>): Promise<T> {
    requireKey(key);
    const fingerprint = createHash('sha256').update(JSON.stringify(params)).digest('hex');
    return this.store.atomically(async (tx) => {
      const prior = await tx.reply(key);
      if (prior) {
        if (prior.fingerprint !== fingerprint) {
          throw new GatewayRejectedError('idempotency_key_reused', info, { form: 'gateway' }, 'unprocessable');
        }
        return structuredClone(prior.result) as T;
      }
      const result = await fn(tx);
      await tx.saveReply(key, { fingerprint, result: JSON.parse(JSON.stringify(result)) });
      return result;
    });
  }
}

function notFound(gatewayRef: string): GatewayNotFoundError {
  return new GatewayNotFoundError(info, { form: 'sandbox', vars: { ref: String(JSON.stringify(gatewayRef)) } });
}
