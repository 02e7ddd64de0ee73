// Toss Payments adapter (core API v1, https://docs.tosspayments.com), over Node's fetch.
//
//   Authorization: Basic base64(secretKey + ':')
//   POST {baseUrl}/v1/payments/confirm              {paymentKey, orderId, amount}  → Payment
//   POST {baseUrl}/v1/payments/{paymentKey}/cancel  {cancelReason, cancelAmount?}  → Payment
//   GET  {baseUrl}/v1/payments/{paymentKey}                                        → Payment
//   errors: HTTP 4xx/5xx with {code, message}
// POSTs carry an Idempotency-Key header (Toss replays the first response for a repeated key), so a
// timed-out request can be retried with the same key without charging or refunding twice. Keys
// are per request: never reuse the confirm key for a cancel.
//
// How Toss maps onto PaymentGateway: the member approves in Toss's checkout widget (client side),
// which returns a paymentKey; our server then *confirms* it, which takes the money at once. So
//   authorize(methodToken = paymentKey, paymentId → orderId) = confirm  (capturesOnAuthorize)
//   capture  = look the payment up and check it is DONE for that amount (no money moves)
//   void     = cancel in full;   refund = cancel with cancelAmount (partial or full)
//   confirmAction = look up a payment left WAITING_FOR_DEPOSIT (virtual account) again.
// Amounts: Toss takes major units (KRW 15000, USD 12.34); conversion is exact via decimal strings.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fromDecimalString, toDecimalString, type Money } from '../domain/money.js';
import {
  GatewayAuthError,
  GatewayError,
  GatewayInvalidResponseError,
  GatewayNotFoundError,
  GatewayRejectedError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  type AuthorizeInput,
  type AuthorizeResult,
  type CaptureInput,
  type CaptureResult,
  type ConfirmActionInput,
  type DeclineReason,
  type GatewayPaymentStatus,
  type GatewayPaymentView,
  type GatewayWebhookNotice,
  type GatewayWebhooks,
  type PaymentGateway,
  type RefundInput,
  type RefundResult,
  type VoidInput,
  type VoidResult,
} from './gateway.js';
import type { ErrorKind } from '../../shared/errors.js';
import { CommerceError } from '../domain/errors.js';
import { WebhookPayloadError, WebhookSignatureError, processWebhook, verifyWebhookSignature, type ProcessWebhookResult, type WebhookEventStore } from './webhook.js';

export const TOSS_DEFAULT_BASE_URL = 'https://api.tosspayments.com';
const GATEWAY = 'toss';
const info = { gateway: GATEWAY };

export type TossPaymentStatus = 'READY' | 'IN_PROGRESS' | 'WAITING_FOR_DEPOSIT' | 'DONE' | 'CANCELED' | 'PARTIAL_CANCELED' | 'ABORTED' | 'EXPIRED';

export interface TossCancel {
  cancelAmount: number;
  cancelReason: string;
  canceledAt: string;
  transactionKey: string;
  refundableAmount?: number;
  cancelStatus?: string;
}

/** The fields of Toss's Payment object this adapter reads (the object has many more). */
export interface TossPayment {
  paymentKey: string;
  orderId: string;
  orderName?: string;
  status: TossPaymentStatus;
  method?: string | null;
  currency: string;
  totalAmount: number;
  balanceAmount: number;
  requestedAt?: string;
  approvedAt?: string | null;
  lastTransactionKey?: string | null;
  cancels?: TossCancel[] | null;
  failure?: { code: string; message: string } | null;
  [field: string]: unknown;
}

export interface TossGatewayOptions {
  /** test_sk_… / live_sk_… */
  secretKey: string;
  /** Default https://api.tosspayments.com; the test stub's URL in tests. */
  baseUrl?: string;
  /** Per request, including reading the body. Default 30 s. */
  timeoutMs?: number;
  /** Injected fetch (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Shared secret of the signed webhook relay (TOSS_WEBHOOK_SECRET): HMAC-SHA256 of the raw body
   * in the X-Webhook-Signature header. Unset → webhooks answer 503 (not configured).
   */
  webhookSecret?: string;
}

/** The header carrying the HMAC-SHA256 (hex, "sha256=<hex>" or base64) of the raw webhook body. */
export const TOSS_WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature';

/** Our payment id back from a Toss orderId made by tossOrderId ("MQ00000042" → 42), else null. */
export function paymentIdOfTossOrder(orderId: unknown): number | null {
  if (typeof orderId !== 'string') return null;
  const m = /^MQ(\d{1,15})$/.exec(orderId);
  return m ? Number(m[1]) : null;
}

const TOSS_STATUS: Readonly<Record<TossPaymentStatus, GatewayPaymentStatus>> = {
  READY: 'pending',
  IN_PROGRESS: 'pending',
  WAITING_FOR_DEPOSIT: 'pending',
  DONE: 'captured',
  PARTIAL_CANCELED: 'partially_refunded',
  CANCELED: 'refunded',
  ABORTED: 'failed',
  EXPIRED: 'expired',
};

/** A Toss Payment object as the gateway-neutral view reconciliation works on. */
export function tossPaymentView(payment: TossPayment): GatewayPaymentView {
  const status = TOSS_STATUS[payment.status];
  if (!status) throw new GatewayInvalidResponseError({ ...info, gatewayCode: String(payment.status) }, { form: 'status', vars: { status: String(JSON.stringify(payment.status)) } });
  const refunds = (payment.cancels ?? [])
    .filter((c) => c.cancelStatus === undefined || c.cancelStatus === 'DONE')
    .map((c) => {
      if (typeof c.transactionKey !== 'string' || !c.transactionKey) throw new GatewayInvalidResponseError(info, { form: 'cancel_key' });
      const at = typeof c.canceledAt === 'string' ? new Date(c.canceledAt) : null;
      return { ref: c.transactionKey, amount: fromTossAmount(c.cancelAmount, payment.currency), reason: typeof c.cancelReason === 'string' ? c.cancelReason : '', at: at && !Number.isNaN(at.getTime()) ? at : null };
    });
  return {
    gatewayRef: payment.paymentKey,
    paymentId: paymentIdOfTossOrder(payment.orderId),
    // A CANCELED payment that never took money (no cancels) was released, not refunded.
    status: status === 'refunded' && !refunds.length ? 'voided' : status,
    gatewayStatus: payment.status,
    total: fromTossAmount(payment.totalAmount, payment.currency),
    refunds,
  };
}

/** Basic auth header value: "Basic " + base64(secretKey + ":"). */
export function tossAuthorizationHeader(secretKey: string): string {
  return `Basic ${Buffer.from(`${secretKey}:`, 'utf8').toString('base64')}`;
}

/**
 * Our order id for a payment: "MQ" + the id padded to 8 digits (Toss wants 6–64 characters of
 * [A-Za-z0-9_-]). Use the same function when opening the checkout widget.
 */
export function tossOrderId(paymentId: number | string): string {
  const id = String(paymentId);
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(id)) throw new TypeError(`payment id ${JSON.stringify(id)} cannot become a Toss orderId`);
  return `MQ${id.padStart(8, '0')}`;
}

/** Money → the number Toss expects (major units). */
export function toTossAmount(m: Money): number {
  return Number(toDecimalString(m));
}

/** A Toss amount (major units) → Money, exactly. */
export function fromTossAmount(amount: number, currency: string): Money {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new GatewayInvalidResponseError(info, { form: 'amount', vars: { amount: String(amount) } });
  }
  try {
    return fromDecimalString(String(amount), currency);
  } catch {
    throw new GatewayInvalidResponseError(info, { form: 'unrepresentable', vars: { amount: String(amount), currency: String(currency) } });
  }
}

/**
 * Toss codes that mean "the member's payment was refused" on confirm: authorize answers
 * `declined` with these instead of throwing. (From Toss's error-code reference; unknown codes
 * are thrown as GatewayRejectedError with the code kept in `gatewayCode`.)
 */
export const TOSS_DECLINE_CODES: Readonly<Record<string, DeclineReason>> = Object.freeze({
  REJECT_CARD_PAYMENT: 'insufficient_funds', // "limit exceeded or insufficient balance"
  REJECT_ACCOUNT_PAYMENT: 'insufficient_funds',
  REJECT_CARD_COMPANY: 'card_declined',
  INVALID_REJECT_CARD: 'card_declined',
  INVALID_STOPPED_CARD: 'card_declined',
  INVALID_CARD_LOST_OR_STOLEN: 'card_declined',
  FDS_ERROR: 'card_declined',
  INVALID_CARD_EXPIRATION: 'expired_card',
  INVALID_CARD_NUMBER: 'invalid_method',
  NOT_SUPPORTED_CARD_TYPE: 'invalid_method',
  EXCEED_MAX_DAILY_PAYMENT_COUNT: 'amount_limit',
  EXCEED_MAX_PAYMENT_AMOUNT: 'amount_limit',
  EXCEED_MAX_AMOUNT: 'amount_limit',
  EXCEED_MAX_ONE_DAY_AMOUNT: 'amount_limit',
  BELOW_MINIMUM_AMOUNT: 'amount_limit',
});

const AUTH_CODES = new Set(['UNAUTHORIZED_KEY', 'INVALID_API_KEY']);
const NOT_FOUND_CODES = new Set(['NOT_FOUND_PAYMENT', 'NOT_FOUND_PAYMENT_SESSION', 'NOT_FOUND']);
const TRANSIENT_CODES = new Set(['PROVIDER_ERROR', 'FAILED_INTERNAL_SYSTEM_PROCESSING', 'FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING', 'UNKNOWN_PAYMENT_ERROR', 'FAILED_METHOD_HANDLING_CANCEL', 'FAILED_REFUND_PROCESS']);
const REJECTIONS: Readonly<Record<string, { code: 'refund_exceeds_balance' | 'already_cancelled' | 'not_cancelable' | 'already_processed' | 'duplicate_order'; kind: ErrorKind }>> = {
  NOT_CANCELABLE_AMOUNT: { code: 'refund_exceeds_balance', kind: 'conflict' },
  ALREADY_CANCELED_PAYMENT: { code: 'already_cancelled', kind: 'conflict' },
  NOT_CANCELABLE_PAYMENT: { code: 'not_cancelable', kind: 'conflict' },
  ALREADY_PROCESSED_PAYMENT: { code: 'already_processed', kind: 'conflict' },
  DUPLICATED_ORDER_ID: { code: 'duplicate_order', kind: 'conflict' },
};

/** A {code, message} error answer of the Toss API, as a typed GatewayError. */
export function mapTossError(httpStatus: number, body: unknown, method: string): GatewayError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown };
  const code = typeof b.code === 'string' ? b.code : undefined;
  // What Toss said (its `message`): English answers show it as it came (the catalogue's `said`).
  const said = { form: 'toss' as const, vars: { said: typeof b.message === 'string' ? b.message : undefined } };
  const i = { ...info, gatewayCode: code, upstreamStatus: httpStatus };
  if (httpStatus === 401 || (code && AUTH_CODES.has(code))) return new GatewayAuthError(i, said);
  if (code && NOT_FOUND_CODES.has(code)) return new GatewayNotFoundError(i, said);
  if (code && REJECTIONS[code]) {
    const r = REJECTIONS[code];
    return r.code === 'refund_exceeds_balance' ? new GatewayRejectedError(r.code, i, said, r.kind) : new GatewayRejectedError(r.code, i, { vars: said.vars }, r.kind);
  }
  if (httpStatus >= 500 || (code && TRANSIENT_CODES.has(code))) {
    return new GatewayUnavailableError({ ...i, outcomeUnknown: method !== 'GET' }, said);
  }
  if (httpStatus === 404) return new GatewayNotFoundError(i, said);
  return new GatewayRejectedError('gateway_rejected', i, { vars: said.vars }, 'unprocessable');
}

function isPayment(x: unknown): x is TossPayment {
  const p = x as TossPayment;
  return typeof p === 'object' && p !== null && typeof p.paymentKey === 'string' && typeof p.status === 'string' && typeof p.totalAmount === 'number';
}

function requireKey(key: string): void {
  if (typeof key !== 'string' || key.length < 1 || key.length > 300) {
    throw new GatewayRejectedError('invalid_idempotency_key', info, {}, 'invalid');
  }
}

export class TossGateway implements PaymentGateway {
  readonly name = GATEWAY;
  readonly capturesOnAuthorize = true;
  readonly webhooks: GatewayWebhooks;
  private readonly baseUrl: string;
  private readonly auth: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: TossGatewayOptions) {
    if (typeof options?.secretKey !== 'string' || !options.secretKey) throw new TypeError('TossGateway needs a secretKey');
    this.baseUrl = (options.baseUrl ?? TOSS_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.auth = tossAuthorizationHeader(options.secretKey);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    const secret = options.webhookSecret ?? '';
    this.webhooks = {
      configured: secret.length > 0,
      verify: (rawBody, headers) => verifyTossWebhook(rawBody, headers, secret),
    };
  }

  // ----- the Toss API ---------------------------------------------------------------------------

  /** POST /v1/payments/confirm. */
  confirmPayment(body: { paymentKey: string; orderId: string; amount: number }, idempotencyKey?: string): Promise<TossPayment> {
    if (idempotencyKey !== undefined) requireKey(idempotencyKey);
    return this.request('POST', '/v1/payments/confirm', body, idempotencyKey);
  }

  /** POST /v1/payments/{paymentKey}/cancel (cancelAmount absent = the whole balance). */
  cancelPayment(paymentKey: string, body: { cancelReason: string; cancelAmount?: number }, idempotencyKey: string): Promise<TossPayment> {
    requireKey(idempotencyKey);
    if (typeof body.cancelReason !== 'string' || !body.cancelReason.trim()) {
      throw new GatewayRejectedError('reason_required', info, { form: 'toss' }, 'invalid');
    }
    return this.request('POST', `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`, { cancelReason: body.cancelReason.slice(0, 200), ...(body.cancelAmount !== undefined ? { cancelAmount: body.cancelAmount } : {}) }, idempotencyKey);
  }

  /** GET /v1/payments/{paymentKey}. */
  getPayment(paymentKey: string): Promise<TossPayment> {
    return this.request('GET', `/v1/payments/${encodeURIComponent(paymentKey)}`);
  }

  // ----- PaymentGateway -------------------------------------------------------------------------

  /** GET /v1/payments/{paymentKey} as the gateway-neutral view (reconciliation of webhooks). */
  async lookup(gatewayRef: string): Promise<GatewayPaymentView> {
    return tossPaymentView(await this.getPayment(gatewayRef));
  }

  async authorize(input: AuthorizeInput): Promise<AuthorizeResult> {
    const orderId = tossOrderId(input.paymentId);
    const paymentKey = input.methodToken;
    let payment: TossPayment;
    try {
      payment = await this.confirmPayment({ paymentKey, orderId, amount: toTossAmount(input.amount) }, input.idempotencyKey);
    } catch (err) {
      if (!(err instanceof GatewayError) || !err.gatewayCode) throw err;
      const reason = TOSS_DECLINE_CODES[err.gatewayCode];
      if (reason) return { status: 'declined', reason, gatewayCode: err.gatewayCode, message: err.message, gatewayRef: paymentKey };
      if (err.gatewayCode !== 'ALREADY_PROCESSED_PAYMENT') throw err;
      // Confirmed earlier (e.g. our first attempt timed out after Toss had done it): look it up.
      payment = await this.getPayment(paymentKey);
    }
    this.assertSamePayment(payment, orderId, input.amount);
    return this.resultOf(payment);
  }

  /** For a payment left WAITING_FOR_DEPOSIT: looks it up again (approved once DONE). */
  async confirmAction(input: ConfirmActionInput): Promise<AuthorizeResult> {
    return this.resultOf(await this.getPayment(input.gatewayRef));
  }

  /** Toss captured on confirm: verify the payment is DONE for exactly this amount. */
  async capture(input: CaptureInput): Promise<CaptureResult> {
    const payment = await this.getPayment(input.gatewayRef);
    if (payment.status !== 'DONE') {
      throw new GatewayRejectedError('not_captured', { ...info, gatewayCode: payment.status }, { vars: { status: payment.status } });
    }
    const total = fromTossAmount(payment.totalAmount, payment.currency);
    if (total.currency !== input.amount.currency || total.amount !== input.amount.amount) {
      throw new GatewayRejectedError('amount_mismatch', info, { form: 'toss', vars: { captured: `${total.amount} ${total.currency}`, expected: `${input.amount.amount} ${input.amount.currency}` } });
    }
    return { gatewayRef: payment.paymentKey, captured: total };
  }

  /** A full cancel (Toss has no separate authorisation to release). */
  async void(input: VoidInput): Promise<VoidResult> {
    const payment = await this.cancelPayment(input.gatewayRef, { cancelReason: input.reason?.trim() || 'Payment cancelled' }, input.idempotencyKey);
    if (payment.status !== 'CANCELED') {
      throw new GatewayInvalidResponseError({ ...info, gatewayCode: payment.status }, { form: 'full_cancel', vars: { status: payment.status } });
    }
    return { gatewayRef: payment.paymentKey, status: 'voided' };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const payment = await this.cancelPayment(input.gatewayRef, { cancelReason: input.reason, cancelAmount: toTossAmount(input.amount) }, input.idempotencyKey);
    const cancels = payment.cancels ?? [];
    const last = cancels[cancels.length - 1];
    const refundRef = last?.transactionKey ?? payment.lastTransactionKey;
    if (!last || !refundRef || payment.currency !== input.amount.currency) {
      throw new GatewayInvalidResponseError(info, { form: 'no_cancellation' });
    }
    const refunded = fromTossAmount(last.cancelAmount, payment.currency);
    if (refunded.amount !== input.amount.amount) {
      throw new GatewayInvalidResponseError(info, { form: 'cancelled_amount', vars: { cancelled: refunded.amount, asked: input.amount.amount } });
    }
    return { gatewayRef: payment.paymentKey, refundRef, refunded, balance: fromTossAmount(payment.balanceAmount, payment.currency) };
  }

  // ----- internals ------------------------------------------------------------------------------

  private resultOf(payment: TossPayment): AuthorizeResult {
    const gatewayRef = payment.paymentKey;
    switch (payment.status) {
      case 'DONE':
        return { status: 'approved', gatewayRef };
      case 'WAITING_FOR_DEPOSIT':
      case 'READY':
      case 'IN_PROGRESS':
        return { status: 'requires_action', gatewayRef, gatewayCode: payment.status, action: { type: 'confirm', hint: payment.status === 'WAITING_FOR_DEPOSIT' ? 'Waiting for the bank deposit.' : 'Waiting for the member to finish in Toss.' } };
      default: {
        const code = payment.failure?.code ?? payment.status;
        return { status: 'declined', reason: TOSS_DECLINE_CODES[code] ?? 'other', gatewayCode: code, message: payment.failure?.message, gatewayRef };
      }
    }
  }

  private assertSamePayment(payment: TossPayment, orderId: string, amount: Money): void {
    const total = fromTossAmount(payment.totalAmount, payment.currency);
    if (payment.orderId !== orderId || total.currency !== amount.currency || total.amount !== amount.amount) {
      throw new GatewayInvalidResponseError(info, {
        form: 'order',
        vars: { orderId: String(payment.orderId), total: `${total.amount} ${total.currency}`, expectedOrderId: orderId, expected: `${amount.amount} ${amount.currency}` },
      });
    }
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string): Promise<TossPayment> {
    const headers: Record<string, string> = { Authorization: this.auth, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      status = res.status;
      text = await res.text(); // still under the timer: a stalled body times out too
    } catch (err) {
      if (controller.signal.aborted) {
        throw new GatewayTimeoutError({ ...info, outcomeUnknown: method !== 'GET' }, { form: 'toss', vars: { request: `${method} ${path.split('/').slice(0, 4).join('/')}`, ms: this.timeoutMs } });
      }
      const refused = (err as { cause?: { code?: string } })?.cause?.code === 'ECONNREFUSED';
      throw new GatewayUnavailableError({ ...info, outcomeUnknown: method !== 'GET' && !refused }, { form: 'unreachable', vars: { cause: (err as Error)?.message ?? String(err) } });
    } finally {
      clearTimeout(timer);
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      if (status >= 500) throw new GatewayUnavailableError({ ...info, upstreamStatus: status, outcomeUnknown: method !== 'GET' });
      throw new GatewayInvalidResponseError({ ...info, upstreamStatus: status }, { form: 'not_json' });
    }
    if (status < 200 || status >= 300) throw mapTossError(status, parsed, method);
    if (!isPayment(parsed)) throw new GatewayInvalidResponseError({ ...info, upstreamStatus: status }, { form: 'no_payment' });
    return parsed;
  }
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/** Body of a Toss webhook (PAYMENT_STATUS_CHANGED: data is a Payment object). */
export interface TossWebhookEvent {
  eventType?: string;
  createdAt?: string;
  data?: Record<string, unknown>;
  /** Present when the sender adds one (our signing proxy, other event types). */
  eventId?: string;
  [field: string]: unknown;
}

/**
 * The dedup id of a Toss webhook: the `tosspayments-webhook-transmission-id` header or an
 * explicit eventId when present, else eventType:paymentKey:status:lastTransactionKey (a payment
 * status change is the same event when all four agree).
 */
export function tossWebhookEventId(event: TossWebhookEvent, headers: Readonly<Record<string, string | string[] | undefined>> = {}): string {
  const header = headers['tosspayments-webhook-transmission-id'];
  const h = Array.isArray(header) ? header[0] : header;
  if (h) return h;
  if (typeof event?.eventId === 'string' && event.eventId) return event.eventId;
  const d = event?.data ?? {};
  const key = d.paymentKey ?? d.orderId;
  if (typeof event?.eventType !== 'string' || typeof key !== 'string' || typeof d.status !== 'string') {
    throw new WebhookPayloadError('toss_fields');
  }
  return [event.eventType, key, d.status, typeof d.lastTransactionKey === 'string' ? d.lastTransactionKey : ''].join(':').slice(0, 100);
}

/**
 * Verifies (HMAC-SHA256 over the raw body with `secret`), deduplicates by event id through
 * `store`, then runs `handle` once. Toss does not sign PAYMENT_STATUS_CHANGED webhooks itself, so
 * (a) put the shared-secret signature in front of it (our relay) or use this for senders that
 * sign, and (b) in `handle`, trust no amount or status from the body: re-read the payment with
 * getPayment(paymentKey) and apply that.
 */
export function processTossWebhook(input: {
  rawBody: string | Uint8Array;
  signature: string | null | undefined;
  secret: string;
  store: WebhookEventStore;
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  handle: (event: TossWebhookEvent, eventId: string) => Promise<void>;
}): Promise<ProcessWebhookResult> {
  return processWebhook<TossWebhookEvent>({
    gateway: GATEWAY,
    rawBody: input.rawBody,
    signature: input.signature,
    secret: input.secret,
    store: input.store,
    eventId: (e) => tossWebhookEventId(e, input.headers),
    handle: input.handle,
  });
}

/**
 * Toss's own signature of payout.changed / seller.changed webhooks, as documented:
 * header `tosspayments-webhook-signature: v1:<base64>,<base64>` = HMAC-SHA256(securityKey,
 * `${rawBody}:${tosspayments-webhook-transmission-time}`); valid if any listed value matches.
 */
export function verifyTossSignedWebhook(input: { rawBody: string; signatureHeader: string | null | undefined; transmissionTime: string | null | undefined; securityKey: string }): boolean {
  if (!input.securityKey) throw new TypeError('Toss webhook security key is not configured');
  const header = input.signatureHeader?.trim();
  if (!header?.startsWith('v1:') || !input.transmissionTime) return false;
  const expected = createHmac('sha256', input.securityKey).update(`${input.rawBody}:${input.transmissionTime}`).digest();
  return header
    .slice(3)
    .split(',')
    .some((s) => {
      const given = Buffer.from(s.trim(), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}


/**
 * What the webhook route needs from a Toss webhook, after checking the relay's signature
 * (X-Webhook-Signature: HMAC-SHA256(secret, raw body)) over the exact bytes received. The event id
 * is taken from the signed body only (eventId, else eventType:paymentKey:status:lastTransactionKey):
 * an unsigned header could be changed to slip a replay past deduplication. Nothing else of the
 * body is trusted: the caller re-reads the payment with getPayment(paymentKey).
 */
export function verifyTossWebhook(rawBody: Uint8Array, headers: Readonly<Record<string, string | string[] | undefined>>, secret: string): GatewayWebhookNotice {
  if (!secret) throw new CommerceError('unavailable', 'webhooks_not_configured', {}, { form: 'toss' });
  const given = headers[TOSS_WEBHOOK_SIGNATURE_HEADER];
  if (!verifyWebhookSignature(rawBody, Array.isArray(given) ? given[0] : given, secret)) throw new WebhookSignatureError();
  let event: TossWebhookEvent;
  try {
    event = JSON.parse(Buffer.from(rawBody).toString('utf8')) as TossWebhookEvent;
  } catch {
    throw new WebhookPayloadError();
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new WebhookPayloadError('object');
  if (event.eventId !== undefined && (typeof event.eventId !== 'string' || !event.eventId || event.eventId.length > 100)) {
    throw new WebhookPayloadError('event_id');
  }
  if (event.data !== undefined && (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data))) throw new WebhookPayloadError('data');
  const eventId = tossWebhookEventId(event);
  if (typeof event.eventType !== 'string' || !event.eventType || event.eventType.length > 60) throw new WebhookPayloadError('event_type');
  const key = event.data?.paymentKey;
  const gatewayRef = typeof key === 'string' && key.length > 0 && key.length <= 200 ? key : null;
  return { eventId, eventType: event.eventType, gatewayRef };
}
