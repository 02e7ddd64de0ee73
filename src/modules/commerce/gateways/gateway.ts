// The payment gateway contract, its typed errors, and the payment-method helpers shared by every
// gateway: card checks (Luhn, IIN brand ranges, expiry), tokenization that keeps no card number or
// CVC, and the masks shown for stored methods.
import { randomBytes } from 'node:crypto';
import { msg, type ErrorKind, type FieldMessages } from '../../shared/errors.js';
import type { Vars } from '../../shared/messages.js';
import type { CommerceCode, CommerceForm } from '../commerce.messages.js';
import { CommerceError } from '../domain/errors.js';
import type { Money } from '../domain/money.js';

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

export type MethodType = 'card' | 'paypal' | 'bank_transfer';

export interface AuthorizeInput {
  /** Our payment id (becomes the gateway's order id). */
  paymentId: number | string;
  amount: Money;
  /** The stored method's gateway token (payment_methods.gateway_token), or the gateway's own
   *  per-payment key (Toss: the paymentKey the checkout widget returned). */
  methodToken: string;
  /** Same key → same result and no second charge. Keep it for ≥ 24 h. */
  idempotencyKey: string;
  /** Shown by some gateways on the statement. */
  description?: string;
}

export type AuthorizeStatus = 'approved' | 'requires_action' | 'declined';

/** Normalised decline reasons; `gatewayCode` keeps the gateway's own code. */
export type DeclineReason = 'card_declined' | 'insufficient_funds' | 'expired_card' | 'invalid_method' | 'amount_limit' | 'other';

export interface AuthorizeResult {
  status: AuthorizeStatus;
  /** Set when declined. */
  reason?: DeclineReason;
  /** The gateway's reference of this payment (payments.gateway_ref); set for every status. */
  gatewayRef: string;
  gatewayCode?: string;
  message?: string;
  /** Set when requires_action: what the member must do before confirmAction. */
  action?: { type: 'confirm'; hint?: string };
}

export interface ConfirmActionInput {
  gatewayRef: string;
  idempotencyKey: string;
  /** Whatever the second step returned (e.g. a one-time code); sandbox ignores it. */
  payload?: Readonly<Record<string, string>>;
}

export interface CaptureInput {
  gatewayRef: string;
  amount: Money;
  idempotencyKey: string;
}

export interface CaptureResult {
  gatewayRef: string;
  captured: Money;
}

export interface VoidInput {
  gatewayRef: string;
  idempotencyKey: string;
  reason?: string;
}

export interface VoidResult {
  gatewayRef: string;
  status: 'voided';
}

export interface RefundInput {
  gatewayRef: string;
  amount: Money;
  reason: string;
  idempotencyKey: string;
}

export interface RefundResult {
  gatewayRef: string;
  /** The gateway's reference of this refund (refunds.gateway_ref). */
  refundRef: string;
  refunded: Money;
  /** What the gateway still holds for the payment after this refund. */
  balance: Money;
}

/** Where a payment stands at the gateway, normalised over gateways (see `PaymentGateway.lookup`). */
export type GatewayPaymentStatus =
  | 'pending' // the member has not finished (Toss READY/IN_PROGRESS/WAITING_FOR_DEPOSIT, sandbox requires_action)
  | 'authorized' // held, not taken (sandbox approved)
  | 'captured' // the money is taken (Toss DONE)
  | 'partially_refunded'
  | 'refunded' // everything taken was given back (Toss CANCELED)
  | 'voided' // released before capture
  | 'failed' // Toss ABORTED, sandbox declined
  | 'expired'; // Toss EXPIRED (e.g. a virtual account nobody paid into)

/** One refund (Toss: one entry of `cancels`) as the gateway records it. */
export interface GatewayRefundView {
  /** The gateway's reference of the refund (Toss transactionKey); refunds.gateway_ref of ours. */
  ref: string;
  amount: Money;
  reason: string;
  /** When the gateway gave the money back (Toss canceledAt). */
  at: Date | null;
}

/** A payment re-read from the gateway: what reconciliation trusts (never a webhook's body). */
export interface GatewayPaymentView {
  gatewayRef: string;
  /** Our payment id as the gateway carries it (Toss: from the orderId), when it can be read back. */
  paymentId: number | null;
  status: GatewayPaymentStatus;
  /** The gateway's own status word (Toss: DONE, CANCELED…), for audits. */
  gatewayStatus: string;
  total: Money;
  /** Every refund the gateway made, oldest first. */
  refunds: GatewayRefundView[];
}

/** A webhook whose signature was verified: what it is about (its body is not trusted beyond this). */
export interface GatewayWebhookNotice {
  /** Deduplication id (≤ 100 characters). */
  eventId: string;
  eventType: string;
  /** The gateway's payment reference it names (Toss paymentKey), or null for other events. */
  gatewayRef: string | null;
}

export interface GatewayWebhooks {
  /** false when the gateway sends webhooks but their secret is not configured (answer 503). */
  readonly configured: boolean;
  /**
   * Verifies the signature over the exact bytes received, then parses. Throws
   * WebhookSignatureError (401) for a missing or wrong signature, WebhookPayloadError (400) for a
   * signed body that is not an event, a 503 CommerceError when not configured.
   */
  verify(rawBody: Uint8Array, headers: Readonly<Record<string, string | string[] | undefined>>): GatewayWebhookNotice;
}

export interface PaymentGateway {
  /** payments.gateway ('sandbox', 'toss'). */
  readonly name: string;
  /**
   * true when `authorize` already takes the money (Toss's confirm): then `capture` only verifies
   * the captured amount and `void` is a full cancel. false: authorize holds, capture takes.
   */
  readonly capturesOnAuthorize: boolean;
  authorize(input: AuthorizeInput): Promise<AuthorizeResult>;
  /** Second step after `requires_action`; absent on gateways that never ask for one. */
  confirmAction?(input: ConfirmActionInput): Promise<AuthorizeResult>;
  capture(input: CaptureInput): Promise<CaptureResult>;
  void(input: VoidInput): Promise<VoidResult>;
  refund(input: RefundInput): Promise<RefundResult>;
  /** Server-side tokenization of raw method input; absent when the gateway tokenizes client-side (Toss). */
  tokenizeMethod?(input: RawMethodInput, options?: { now?: Date }): TokenizedMethod;
  /** Re-reads a payment (Toss: GET /v1/payments/{paymentKey}); GatewayNotFoundError when unknown. */
  lookup?(gatewayRef: string): Promise<GatewayPaymentView>;
  /** The gateway's webhooks, when it sends any (Toss); absent otherwise (sandbox). */
  readonly webhooks?: GatewayWebhooks;
}

// ---------------------------------------------------------------------------------------------
// Gateway errors. httpStatus is what OUR API should answer with.
// ---------------------------------------------------------------------------------------------

export type GatewayErrorKind = 'auth' | 'timeout' | 'unavailable' | 'not_found' | 'rejected' | 'invalid_response';

export interface GatewayErrorInfo {
  gateway: string;
  /** The gateway's own error code (Toss: NOT_CANCELABLE_AMOUNT…). */
  gatewayCode?: string;
  /** The gateway's HTTP status, when there was a response. */
  upstreamStatus?: number;
  /** Safe to retry with the same idempotency key. */
  retryable?: boolean;
  /** The request may have been executed: retry with the same key or look the payment up. */
  outcomeUnknown?: boolean;
}

/** How a gateway error is told: the form of its code's text and the values it needs (`said`: what the gateway itself said). */
export interface GatewayErrorText<C extends CommerceCode> {
  form?: CommerceForm<C>;
  vars?: Vars;
}

export class GatewayError<C extends CommerceCode = CommerceCode> extends CommerceError<C> {
  public readonly gateway: string;
  public readonly gatewayCode: string | undefined;
  public readonly upstreamStatus: number | undefined;
  public readonly retryable: boolean;
  public readonly outcomeUnknown: boolean;
  constructor(
    public readonly gatewayKind: GatewayErrorKind,
    code: C,
    kind: ErrorKind,
    info: GatewayErrorInfo,
    text: GatewayErrorText<C> = {},
  ) {
    super(kind, code, { gateway: info.gateway, ...(info.gatewayCode ? { gatewayCode: info.gatewayCode } : {}) }, { form: text.form, vars: { upstreamStatus: info.upstreamStatus, ...text.vars } });
    this.gateway = info.gateway;
    this.gatewayCode = info.gatewayCode;
    this.upstreamStatus = info.upstreamStatus;
    this.retryable = info.retryable ?? false;
    this.outcomeUnknown = info.outcomeUnknown ?? false;
  }
}

/** Our credentials were refused (wrong/rotated secret key): 502, alert operations. */
export class GatewayAuthError extends GatewayError<'gateway_auth_failed'> {
  constructor(info: GatewayErrorInfo, text?: GatewayErrorText<'gateway_auth_failed'>) {
    super('auth', 'gateway_auth_failed', 'upstream', info, text);
  }
}

/** No answer in time: 504. The request may have gone through; retry with the same idempotency key. */
export class GatewayTimeoutError extends GatewayError<'gateway_timeout'> {
  constructor(info: GatewayErrorInfo, text?: GatewayErrorText<'gateway_timeout'>) {
    super('timeout', 'gateway_timeout', 'timeout', { retryable: true, outcomeUnknown: true, ...info }, text);
  }
}

/** Network failure or a 5xx from the gateway: 503, retryable. */
export class GatewayUnavailableError extends GatewayError<'gateway_unavailable'> {
  constructor(info: GatewayErrorInfo, text?: GatewayErrorText<'gateway_unavailable'>) {
    super('unavailable', 'gateway_unavailable', 'unavailable', { retryable: true, ...info }, text);
  }
}

/** The gateway does not know the payment/authorisation: our records disagree with it (502). */
export class GatewayNotFoundError extends GatewayError<'gateway_payment_not_found'> {
  constructor(info: GatewayErrorInfo, text?: GatewayErrorText<'gateway_payment_not_found'>) {
    super('not_found', 'gateway_payment_not_found', 'upstream', info, text);
  }
}

/**
 * The gateway refused the operation for a business reason (refund over the balance, already
 * cancelled, amount mismatch…). `code` is normalised; 409 unless stated.
 */
export class GatewayRejectedError<C extends CommerceCode = CommerceCode> extends GatewayError<C> {
  constructor(code: C, info: GatewayErrorInfo, text: GatewayErrorText<C> = {}, kind: ErrorKind = 'conflict') {
    super('rejected', code, kind, info, text);
  }
}

/** The gateway answered something we cannot trust (wrong amount, unparsable body): 502. */
export class GatewayInvalidResponseError extends GatewayError<'gateway_invalid_response'> {
  constructor(info: GatewayErrorInfo, text?: GatewayErrorText<'gateway_invalid_response'>) {
    super('invalid_response', 'gateway_invalid_response', 'upstream', info, text);
  }
}

// ---------------------------------------------------------------------------------------------
// Payment methods: validation, tokenization and masks
// ---------------------------------------------------------------------------------------------

export interface RawCardInput {
  type: 'card';
  number: string;
  expMonth: number;
  /** 2 or 4 digits. */
  expYear: number;
  cvc: string;
  holder?: string | null;
}

export interface RawPaypalInput {
  type: 'paypal';
  email: string;
}

export interface RawBankInput {
  type: 'bank_transfer';
  bankName: string;
  accountNumber: string;
  holder?: string | null;
}

export type RawMethodInput = RawCardInput | RawPaypalInput | RawBankInput;

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'unknown';

export const CARD_BRAND_LABELS: Readonly<Record<CardBrand, string>> = Object.freeze({
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  diners: 'Diners Club',
  unionpay: 'UnionPay',
  unknown: 'Card',
});

interface TokenizedBase {
  token: string;
  /** Display label → payment_methods.brand: "Visa", "PayPal", the bank's name. */
  brand: string;
  /** Display value → payment_methods.masked: "****4242", "j***@example.com", "****1234". */
  masked: string;
  holder: string | null;
}

export interface TokenizedCard extends TokenizedBase {
  type: 'card';
  cardBrand: CardBrand;
  last4: string;
  expMonth: number;
  /** Always 4 digits. */
  expYear: number;
}

export interface TokenizedPaypal extends TokenizedBase {
  type: 'paypal';
  expMonth: null;
  expYear: null;
}

export interface TokenizedBank extends TokenizedBase {
  type: 'bank_transfer';
  expMonth: null;
  expYear: null;
}

/** What may be stored: never the card number or CVC. */
export type TokenizedMethod = TokenizedCard | TokenizedPaypal | TokenizedBank;

/** 400 with field errors ({"number": ["…"]}). Messages never contain the card number. */
export class PaymentMethodValidationError extends CommerceError<'invalid_payment_method'> {
  declare readonly fields: FieldMessages;
  constructor(fields: FieldMessages) {
    super('invalid', 'invalid_payment_method', {}, { fields, vars: { fields: Object.keys(fields).join(', ') } });
  }
}

/** Digits only: spaces and dashes removed; anything else makes it invalid (returns ''). */
export function normalizeCardNumber(input: string): string {
  if (typeof input !== 'string') return '';
  const s = input.replace(/[\s-]/g, '');
  return /^\d+$/.test(s) ? s : '';
}

/** The Luhn (mod 10) check of a digit string. */
export function luhnCheck(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

interface IinRange {
  brand: CardBrand;
  /** Inclusive prefix range, compared on the first `from.length` digits. */
  from: string;
  to: string;
  lengths: readonly number[];
}

// Checked in order (the narrower Discover co-brand range of UnionPay's 62 comes first).
const IIN_RANGES: readonly IinRange[] = [
  { brand: 'amex', from: '34', to: '34', lengths: [15] },
  { brand: 'amex', from: '37', to: '37', lengths: [15] },
  { brand: 'diners', from: '300', to: '305', lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'diners', from: '36', to: '36', lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'diners', from: '38', to: '39', lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'jcb', from: '3528', to: '3589', lengths: [16, 17, 18, 19] },
  { brand: 'visa', from: '4', to: '4', lengths: [13, 16, 19] },
  { brand: 'mastercard', from: '51', to: '55', lengths: [16] },
  { brand: 'mastercard', from: '2221', to: '2720', lengths: [16] },
  { brand: 'discover', from: '6011', to: '6011', lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: '622126', to: '622925', lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: '644', to: '649', lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: '65', to: '65', lengths: [16, 17, 18, 19] },
  { brand: 'unionpay', from: '62', to: '62', lengths: [16, 17, 18, 19] },
];

function matchIin(digits: string): IinRange | undefined {
  return IIN_RANGES.find((r) => {
    if (digits.length < r.from.length) return false;
    const p = Number(digits.slice(0, r.from.length));
    return p >= Number(r.from) && p <= Number(r.to);
  });
}

/** Brand by IIN prefix ranges; 'unknown' for others (e.g. Korean domestic-only cards). */
export function detectCardBrand(number: string): CardBrand {
  const digits = normalizeCardNumber(number);
  return digits ? (matchIin(digits)?.brand ?? 'unknown') : 'unknown';
}

/** 2-digit years are 20xx. */
export function normalizeExpYear(year: number): number {
  return Number.isInteger(year) && year >= 0 && year < 100 ? 2000 + year : year;
}

/** A card is valid through the last instant of its expiry month (UTC). */
export function isCardExpired(expMonth: number, expYear: number, now: Date): boolean {
  const y = normalizeExpYear(expYear);
  return now.getTime() >= Date.UTC(y, expMonth, 1); // month index expMonth = the month after (0-based)
}

/** "j***@example.com". Throws for something that is not an e-mail address. */
export function maskEmail(email: string): string {
  const e = typeof email === 'string' ? email.trim() : '';
  const at = e.lastIndexOf('@');
  if (!isEmail(e) || at < 1) throw new PaymentMethodValidationError({ email: [msg('commerceEmail')] });
  return `${e[0]}***@${e.slice(at + 1).toLowerCase()}`;
}

/** "****1234": the last 4 digits of an account (or card) number. */
export function maskAccountNumber(accountNumber: string): string {
  const digits = typeof accountNumber === 'string' ? accountNumber.replace(/\D/g, '') : '';
  if (digits.length < 4) throw new PaymentMethodValidationError({ account_number: [msg('commerceAccountShort')] });
  return `****${digits.slice(-4)}`;
}

function isEmail(e: string): boolean {
  return e.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e);
}

export interface TokenizeOptions {
  /** For the expiry check. Default: the current time. */
  now?: Date;
  /** Token prefix, e.g. "tok_sbx". Default "tok". */
  prefix?: string;
  /**
   * A short [a-z0-9] tag to embed in the token, decided from the (transient) card number by the
   * gateway that issues it (the sandbox tags its test cards). The number is never returned.
   */
  tag?: (method: { type: MethodType; cardNumber?: string }) => string | undefined;
}

function holderOf(holder: string | null | undefined, fields: FieldMessages): string | null {
  const h = typeof holder === 'string' ? holder.trim() : '';
  if (h.length > 100) (fields.holder ??= []).push(msg('commerceHolderLength', { n: 100 }));
  return h || null;
}

function mintToken(options: TokenizeOptions, method: { type: MethodType; cardNumber?: string }): string {
  const prefix = options.prefix ?? 'tok';
  const tag = options.tag?.(method);
  if (tag !== undefined && !/^[a-z0-9]{1,16}$/.test(tag)) throw new TypeError('token tag must be 1–16 characters [a-z0-9]');
  return tag ? `${prefix}_${tag}_${randomBytes(12).toString('hex')}` : `${prefix}_${randomBytes(12).toString('hex')}`;
}

/**
 * Validates raw method input and returns what may be stored: a random token plus display data.
 * Cards: digits (spaces/dashes allowed), Luhn, brand by IIN with its lengths, CVC (4 digits for
 * Amex, else 3), expiry month not over. The number and CVC are not in the result (nor in errors).
 * Throws PaymentMethodValidationError with field errors (number, cvc, exp_month, exp_year,
 * email, bank_name, account_number, holder).
 */
export function tokenizeMethod(input: RawMethodInput, options: TokenizeOptions = {}): TokenizedMethod {
  const fields: FieldMessages = {};
  const add = (f: string, code: CommerceCode, vars?: Vars) => (fields[f] ??= []).push(msg(code, vars));
  const now = options.now ?? new Date();

  switch (input?.type) {
    case 'card': {
      const digits = normalizeCardNumber(input.number);
      const range = digits ? matchIin(digits) : undefined;
      const brand: CardBrand = range?.brand ?? 'unknown';
      if (!digits || digits.length < 12 || digits.length > 19) add('number', 'commerceCardNumber');
      else if (!luhnCheck(digits)) add('number', 'commerceCardInvalid');
      else if (range && !range.lengths.includes(digits.length)) add('number', 'commerceCardLength', { brand: CARD_BRAND_LABELS[brand], lengths: range.lengths.join(' or ') });

      const cvc = typeof input.cvc === 'string' ? input.cvc.trim() : '';
      const cvcOk = brand === 'amex' ? /^\d{4}$/.test(cvc) : brand === 'unknown' ? /^\d{3,4}$/.test(cvc) : /^\d{3}$/.test(cvc);
      if (!cvcOk) add('cvc', brand === 'amex' ? 'commerceCvc4' : 'commerceCvc3');

      const month = input.expMonth;
      const year = normalizeExpYear(input.expYear);
      const monthOk = Number.isInteger(month) && month >= 1 && month <= 12;
      const yearOk = Number.isInteger(year) && year >= 2000 && year <= now.getUTCFullYear() + 30;
      if (!monthOk) add('exp_month', 'commerceExpMonth');
      if (!yearOk) add('exp_year', 'commerceExpYear');
      if (monthOk && yearOk && isCardExpired(month, year, now)) add('exp_year', 'commerceCardExpired');
      const holder = holderOf(input.holder, fields);
      if (Object.keys(fields).length) throw new PaymentMethodValidationError(fields);

      const last4 = digits.slice(-4);
      return {
        type: 'card',
        token: mintToken(options, { type: 'card', cardNumber: digits }),
        brand: CARD_BRAND_LABELS[brand],
        cardBrand: brand,
        last4,
        masked: `****${last4}`,
        expMonth: month,
        expYear: year,
        holder,
      };
    }
    case 'paypal': {
      const email = typeof input.email === 'string' ? input.email.trim() : '';
      if (!isEmail(email)) throw new PaymentMethodValidationError({ email: [msg('commerceEmail')] });
      return { type: 'paypal', token: mintToken(options, { type: 'paypal' }), brand: 'PayPal', masked: maskEmail(email), expMonth: null, expYear: null, holder: null };
    }
    case 'bank_transfer': {
      const bankName = typeof input.bankName === 'string' ? input.bankName.trim() : '';
      if (!bankName || bankName.length > 40) add('bank_name', 'commerceBankName');
      const account = typeof input.accountNumber === 'string' ? input.accountNumber.replace(/[\s-]/g, '') : '';
      if (!/^\d{6,20}$/.test(account)) add('account_number', 'commerceAccountNumber');
      const holder = holderOf(input.holder, fields);
      if (Object.keys(fields).length) throw new PaymentMethodValidationError(fields);
      return {
        type: 'bank_transfer',
        token: mintToken(options, { type: 'bank_transfer' }),
        brand: bankName,
        masked: maskAccountNumber(account),
        expMonth: null,
        expYear: null,
        holder,
      };
    }
    default:
      throw new PaymentMethodValidationError({ type: [msg('commerceMethodType')] });
  }
}
