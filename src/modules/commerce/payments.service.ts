// The payment lifecycle (seed 000 §3): request → approve (gateway authorisation) → execute
// (capture) → paid; cancel (void before capture, full refund after); finance's manual correction.
//
// Concurrency. Every state change is one conditional UPDATE on (id, expected status) inside a
// transaction, checked by affected rows: of N parallel calls exactly one moves the payment, the
// others answer 409 with the state it is in. Gateway calls carry a deterministic idempotency key
// per payment and operation (`pay-<id>-authorize`, `pay-<id>-capture`…), so parallel or retried
// calls never charge twice at the gateway either; the gateway is never called while a row lock
// is held.
import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import type { Principal as AuthUser } from '../access/principal.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { Payment, type PaymentMethod, type PaymentStatus, type Plan, Refund } from './commerce.entities.js';
import type { OffersPort, PaymentMethodsPort, PlansPort, SubscriptionsPort } from './contracts.js';
import { CommerceError } from './domain/errors.js';
import { money } from './domain/money.js';
import { assertTransition, IllegalTransitionError, type PaymentState } from './domain/payment-state.js';
import { quote, remainingUses, type Quote } from './domain/pricing.js';
import { GatewayError, type AuthorizeResult, type GatewayPaymentView, type PaymentGateway } from './gateways/gateway.js';
import { DbWebhookEventStore } from './gateway-events.js';
import { isFinance } from './finance.js';
import { msg } from '../shared/errors.js';
import type { IdempotencyService, Refusal } from './idempotency.js';
import { affected, lockFor, transactionWithRetry } from './tx.js';


/** How long a processed webhook event id is kept for deduplication (gateways retry for a few days at most). */
export const WEBHOOK_EVENT_RETENTION_DAYS = 30;
export class PaymentNotFoundError extends CommerceError<'payment_not_found'> {
  constructor() {
    super('not_found', 'payment_not_found');
  }
}

/** 402: the gateway declined (`said`: the gateway's own words, if any); `renewal`: a renewal that needs the member. */
export class PaymentDeclinedError extends CommerceError<'payment_declined'> {
  constructor(reason: string, paymentId: number, text: { said?: string; form?: 'renewal' } = {}) {
    super('payment_required', 'payment_declined', { reason, payment_id: paymentId, status: 'failed' }, { form: text.form, vars: { said: text.said } });
  }
}

export interface PaymentRequestInput {
  plan?: string | number;
  /** A single purchase: the movie id. */
  item?: number;
  methodId: number;
  couponId?: number | null;
  discountId?: number | null;
}

export interface PaymentsDeps {
  ds: DataSource;
  gateway: PaymentGateway;
  methods: PaymentMethodsPort;
  plans: PlansPort;
  subscriptions: SubscriptionsPort;
  offers: OffersPort;
  audit: AuditService;
  /** Whether a movie exists (single purchases). */
  movieExists: (movieId: number) => Promise<boolean>;
  /** Price of a single-movie purchase. */
  itemPrice: { amount: number; currency: string };
  now?: () => Date;
  /** Processed webhook events (default: the gateway_events table of `ds`). */
  webhookEvents?: DbWebhookEventStore;
}

const actorOf = (u: Pick<AuthUser, 'id' | 'email'> | null | undefined): Actor | null => (u ? { id: u.id, email: u.email } : null);

export function paymentJson(p: Payment) {
  return {
    payment_id: p.id,
    user: p.userId,
    kind: p.kind,
    plan: p.planId,
    item: p.itemMovieId,
    subscription: p.subscriptionId,
    method_id: p.methodId,
    status: p.status,
    amount: { list: p.amountList, discount: p.amountDiscount, coupon: p.amountCoupon, total: p.amountTotal, currency: p.currency },
    refunded: p.refundedAmount,
    refundable: p.status === 'paid' || p.status === 'partially_refunded' ? p.amountTotal - p.refundedAmount : 0,
    coupon_issue_id: p.couponIssueId,
    discount_id: p.discountId,
    gateway: p.gateway,
    failure_reason: p.failureReason,
    period_start: p.periodStart?.toISOString() ?? null,
    period_end: p.periodEnd?.toISOString() ?? null,
    approved_at: p.approvedAt?.toISOString() ?? null,
    paid_at: p.paidAt?.toISOString() ?? null,
    cancelled_at: p.cancelledAt?.toISOString() ?? null,
    created_at: p.createdAt.toISOString(),
  };
}

/** What the refunds service recorded of the gateway's own refunds (webhook reconciliation). */
export interface GatewayRefundsResult {
  recorded: Refund[];
  /** Why the gateway's refunds could not all be recorded (a mismatch for finance), or null. */
  problem: string | null;
}

/** How a full refund after capture is taken (cancel of a paid payment); set by the refunds service. */
export interface FullRefunder {
  refundAll(actor: AuthUser, paymentId: number, reason: string): Promise<Refund>;
  /** Inside the webhook's transaction, the payment row locked: records refunds made at the gateway. */
  recordGatewayRefunds(m: EntityManager, payment: Payment, view: GatewayPaymentView, eventId: string): Promise<GatewayRefundsResult>;
}

/** What a gateway webhook did (the route answers it with 200). */
export interface WebhookReceipt {
  /** processed: claimed and reconciled; duplicate: this event id was processed before; ignored: not about a payment of ours. */
  outcome: 'processed' | 'duplicate' | 'ignored';
  event_id: string;
  payment_id?: number;
  /** Our payment's status after the event. */
  status?: PaymentStatus;
  /**
   * refunded: refunds made at the gateway were recorded; cancelled / failed: the payment moved;
   * in_sync: nothing to change; mismatch: the gateway disagrees in a way we do not apply
   * automatically (audited as payment.webhook_mismatch for finance).
   */
  change?: 'refunded' | 'cancelled' | 'failed' | 'in_sync' | 'mismatch';
  /** Set with mismatch (and ignored): why. */
  note?: string;
}

/**
 * A renewal's refusal as the idempotency key keeps it: a client error (a decline, no method) with its
 * English message, which the subscription keeps for staff; gateway trouble (5xx) is not kept.
 */
const renewalRefusal: Refusal = (err) =>
  err instanceof CommerceError && err.httpStatus < 500 ? { status: err.httpStatus, body: { message: err.message, code: err.code } } : null;

export class PaymentsService {
  readonly now: () => Date;
  private refunder: FullRefunder | null = null;
  private readonly webhookEvents: DbWebhookEventStore;

  constructor(private readonly d: PaymentsDeps) {
    this.now = d.now ?? (() => new Date());
    this.webhookEvents = d.webhookEvents ?? new DbWebhookEventStore(d.ds);
  }

  get gateway(): PaymentGateway {
    return this.d.gateway;
  }

  /** The refunds service registers itself (cancel after capture becomes a full refund). */
  useRefunder(r: FullRefunder): void {
    this.refunder = r;
  }

  // ---- reads -------------------------------------------------------------------------------------

  /** The payment when the viewer may see it: its owner, finance or admin; anyone else → 404. */
  async getVisible(viewer: Pick<AuthUser, 'id' | 'role'>, paymentId: number, manager?: EntityManager): Promise<Payment> {
    const p = await (manager ?? this.d.ds.manager).findOneBy(Payment, { id: paymentId });
    if (!p || (p.userId !== viewer.id && !isFinance(viewer))) throw new PaymentNotFoundError();
    return p;
  }

  async listForUser(userId: number, page: { offset: number; limit: number }): Promise<{ count: number; rows: Payment[] }> {
    const [rows, count] = await this.d.ds.getRepository(Payment).findAndCount({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' }, skip: page.offset, take: page.limit });
    return { count, rows };
  }

  async refundsOf(paymentIds: number[]): Promise<Refund[]> {
    if (!paymentIds.length) return [];
    return this.d.ds.getRepository(Refund).find({ where: { paymentId: In(paymentIds) }, order: { id: 'ASC' } });
  }

  // ---- request -----------------------------------------------------------------------------------

  /** POST payments/request: prices the purchase (discount, then coupon) and records it. */
  async request(user: Pick<AuthUser, 'id'>, input: PaymentRequestInput): Promise<Payment> {
    if ((input.plan === undefined) === (input.item === undefined)) {
      throw new CommerceError('invalid', 'invalid_request', {}, { fields: { plan: [msg('commercePlanOrItem')] } });
    }
    const now = this.now();
    let plan: Plan | null = null;
    if (input.plan !== undefined) plan = await this.d.plans.resolve(input.plan);
    else if (!(await this.d.movieExists(input.item!))) throw new CommerceError('invalid', 'item_not_found', {}, { fields: { item: [msg('commerceNoSuchMovie')] } });
    const method = await this.d.methods.getUsable(user.id, input.methodId);
    const list = plan ? money(plan.price, plan.currency) : money(this.d.itemPrice.amount, this.d.itemPrice.currency);
    if (input.discountId && !plan) {
      throw new CommerceError('invalid', 'discount_not_applicable', {}, { fields: { discount_id: [msg('commerceDiscountPlansOnly')] } });
    }

    return transactionWithRetry(this.d.ds, async (m) => {
      const discount = input.discountId ? await this.d.offers.checkDiscount(input.discountId, { planCode: plan?.code ?? null, listPrice: list.amount, currency: list.currency, now }, m) : null;
      const discountRule = discount ? { ...discount, remainingUses: remainingUses(discount) } : null;
      const base = quote({ listPrice: list, discount: discountRule, planCode: plan?.code ?? null, now });
      const coupon = input.couponId ? await this.d.offers.lockCouponForUse(m, user.id, input.couponId, { base: base.total, currency: list.currency, now }) : null;
      const q: Quote = quote({ listPrice: list, discount: discountRule, coupon: coupon?.coupon ?? null, planCode: plan?.code ?? null, now });
      const sub = plan ? await this.d.subscriptions.findForUser(user.id, m) : null;
      const payment = await m.save(
        m.create(Payment, {
          userId: user.id,
          kind: plan ? 'subscription' : 'item',
          planId: plan?.id ?? null,
          itemMovieId: plan ? null : input.item!,
          subscriptionId: sub?.id ?? null,
          methodId: method.id,
          status: 'requested',
          amountList: q.list,
          amountDiscount: q.discount,
          amountCoupon: q.coupon,
          amountTotal: q.total,
          currency: q.currency,
          refundedAmount: 0,
          discountId: discount?.id ?? null,
          couponIssueId: coupon?.issue.id ?? null,
          gateway: this.d.gateway.name,
          createdAt: now,
        }),
      );
      await this.d.offers.consume(m, { paymentId: payment.id, couponIssueId: payment.couponIssueId, discountId: payment.discountId, now });
      return payment;
    });
  }

  // ---- approve -----------------------------------------------------------------------------------

  /**
   * POST payments/approve: the gateway authorises the stored amount with the stored method. A
   * card that needs a second step leaves the payment `requested` with `next_action`; approving
   * again completes it. A decline fails the payment (coupon and discount are given back).
   */
  async approve(user: Pick<AuthUser, 'id' | 'role'>, paymentId: number): Promise<{ payment: Payment; nextAction: AuthorizeResult['action'] | null }> {
    const p = await this.getVisible(user, paymentId);
    if (p.status !== 'requested') throw new IllegalTransitionError(p.status, 'approved', ['approved', 'cancelled', 'failed']);
    const method = await this.d.methods.getUsable(p.userId, p.methodId).catch(() => {
      throw new CommerceError('conflict', 'payment_method_gone', { status: p.status });
    });
    this.assertAmountConsistent(p);
    let result: AuthorizeResult;
    const amount = money(p.amountTotal, p.currency);
    try {
      if (p.gatewayRef && this.d.gateway.confirmAction) {
        result = await this.d.gateway.confirmAction({ gatewayRef: p.gatewayRef, idempotencyKey: `pay-${p.id}-confirm` });
      } else {
        result = await this.d.gateway.authorize({ paymentId: p.id, amount, methodToken: (method as PaymentMethod).gatewayToken, idempotencyKey: `pay-${p.id}-authorize`, description: p.kind === 'item' ? `movie ${p.itemMovieId}` : `plan ${p.planId}` });
      }
    } catch (err) {
      throw this.gatewayProblem(err, p);
    }

    if (result.status === 'requires_action') {
      await this.d.ds.getRepository(Payment).update({ id: p.id, status: 'requested' }, { gatewayRef: result.gatewayRef });
      return { payment: await this.getVisible(user, p.id), nextAction: result.action ?? { type: 'confirm' } };
    }
    if (result.status === 'declined') {
      const reason = result.reason ?? 'other';
      await this.fail(p.id, 'requested', `${reason}${result.message ? `: ${result.message}` : ''}`);
      throw new PaymentDeclinedError(reason, p.id, { said: result.message });
    }
    const now = this.now();
    const moved = await this.transition(p.id, 'requested', 'approved', { approvedAt: now, gatewayRef: result.gatewayRef });
    if (!moved) await this.throwCurrent(p.id, 'approved');
    return { payment: await this.getVisible(user, p.id), nextAction: null };
  }

  // ---- execute -----------------------------------------------------------------------------------

  /** POST payments/execute: capture; a subscription payment starts or extends the subscription in the same transaction. */
  async execute(user: Pick<AuthUser, 'id' | 'role'>, paymentId: number): Promise<Payment> {
    const p = await this.getVisible(user, paymentId);
    if (p.status !== 'approved') throw new IllegalTransitionError(p.status, 'paid', p.status === 'requested' ? [] : []);
    this.assertAmountConsistent(p);
    try {
      const captured = await this.d.gateway.capture({ gatewayRef: p.gatewayRef!, amount: money(p.amountTotal, p.currency), idempotencyKey: `pay-${p.id}-capture` });
      if (captured.captured.amount !== p.amountTotal || captured.captured.currency !== p.currency) {
        throw new CommerceError('upstream', 'capture_mismatch', { status: p.status });
      }
    } catch (err) {
      throw this.gatewayProblem(err, p);
    }
    const now = this.now();
    await transactionWithRetry(this.d.ds, async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(Payment)
        .set({ status: 'paid', paidAt: now, version: () => 'version + 1' })
        .where('id = :id AND status = :from', { id: p.id, from: 'approved' })
        .execute();
      if (affected(res) !== 1) await this.throwCurrent(p.id, 'paid', m);
      if (p.kind === 'subscription') {
        const fresh = await m.findOneByOrFail(Payment, { id: p.id });
        const sub = await this.d.subscriptions.onPaymentCaptured(m, fresh, now);
        await m.update(Payment, { id: p.id }, { subscriptionId: sub.id, periodStart: sub.currentPeriodStart, periodEnd: sub.currentPeriodEnd });
      }
    });
    return this.getVisible(user, p.id);
  }

  // ---- cancel ------------------------------------------------------------------------------------

  /** POST payments/{id}/cancel: before capture a void (coupon and discount given back); after capture a full refund. */
  async cancel(user: AuthUser, paymentId: number, reason: string | null): Promise<{ payment: Payment; refund: Refund | null }> {
    const p = await this.getVisible(user, paymentId);
    if (p.status === 'paid' || p.status === 'partially_refunded') {
      if (!this.refunder) throw new CommerceError('unavailable', 'refunds_unavailable');
      const refund = await this.refunder.refundAll(user, p.id, reason ?? 'cancelled by the member');
      return { payment: await this.getVisible(user, p.id), refund };
    }
    assertTransition(p.status, 'cancelled');
    if (p.status === 'approved' && p.gatewayRef) {
      try {
        await this.d.gateway.void({ gatewayRef: p.gatewayRef, idempotencyKey: `pay-${p.id}-void`, reason: reason ?? undefined });
      } catch (err) {
        throw this.gatewayProblem(err, p);
      }
    }
    const now = this.now();
    await transactionWithRetry(this.d.ds, async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(Payment)
        .set({ status: 'cancelled', cancelledAt: now, failureReason: reason, version: () => 'version + 1' })
        .where('id = :id AND status = :from', { id: p.id, from: p.status })
        .execute();
      if (affected(res) !== 1) await this.throwCurrent(p.id, 'cancelled', m);
      await this.d.offers.release(m, { paymentId: p.id, couponIssueId: p.couponIssueId, discountId: p.discountId });
      await this.d.audit.record({ actor: actorOf(user), action: 'payment.cancel', resource: 'payments', recordId: p.id, before: { status: p.status }, after: { status: 'cancelled' }, reason }, m);
    });
    return { payment: await this.getVisible(user, p.id), refund: null };
  }

  // ---- manual correction (finance) -------------------------------------------------------------

  /**
   * PUT payments: finance/admin set a status by hand, with a reason, only along the state machine.
   * Statuses that move money (paid, refunds) have their own paths and are refused here, so the
   * books never say "paid" without a capture or "refunded" without a refund row.
   */
  async correct(actor: AuthUser, input: { paymentId: number; status: PaymentStatus; reason: string }): Promise<Payment> {
    if (!isFinance(actor)) throw new CommerceError('forbidden', 'forbidden');
    const reason = input.reason.trim();
    if (!reason) throw new CommerceError('invalid', 'reason_required', {}, { form: 'correction', fields: { reason: [msg('reason_required', { form: 'correction' })] } });
    if (!['failed', 'cancelled'].includes(input.status)) {
      throw new CommerceError('conflict', 'correction_not_allowed', { allowed: ['failed', 'cancelled'] }, { vars: { target: input.status } });
    }
    const p = await this.getVisible(actor, input.paymentId);
    assertTransition(p.status as PaymentState, input.status as PaymentState);
    await transactionWithRetry(this.d.ds, async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(Payment)
        .set({ status: input.status, failureReason: reason, ...(input.status === 'cancelled' ? { cancelledAt: this.now() } : {}), version: () => 'version + 1' })
        .where('id = :id AND status = :from', { id: p.id, from: p.status })
        .execute();
      if (affected(res) !== 1) await this.throwCurrent(p.id, input.status as PaymentState, m);
      if (p.status === 'requested' || p.status === 'approved') await this.d.offers.release(m, { paymentId: p.id, couponIssueId: p.couponIssueId, discountId: p.discountId });
      await this.d.audit.record({ actor: actorOf(actor), action: 'payment.correct', resource: 'payments', recordId: p.id, before: { status: p.status }, after: { status: input.status }, reason }, m);
    });
    return this.getVisible(actor, p.id);
  }

  // ---- gateway webhooks --------------------------------------------------------------------------

  /**
   * A webhook of `gatewayName` (POST payments/webhooks/{gateway}), its raw bytes as received:
   * verify the signature (401) → parse (400) → skip a known event id (duplicate) → re-read the
   * payment from the gateway → in ONE transaction claim the event id (gateway_events) and apply
   * the difference along our state machine. Nothing of the body but the event id and the payment
   * reference is trusted. A failure rolls the claim back with the effects (5xx: the gateway retries).
   * Not this server's gateway, or one without webhooks → 404; secret not configured → 503.
   */
  /** Forgets webhook event ids older than WEBHOOK_EVENT_RETENTION_DAYS (the daily cleanup job). */
  async pruneWebhookEvents(now: Date = this.now()): Promise<number> {
    return this.webhookEvents.prune(new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_DAYS * 86_400_000));
  }

  async receiveGatewayWebhook(gatewayName: string, rawBody: Uint8Array, headers: Readonly<Record<string, string | string[] | undefined>>): Promise<WebhookReceipt> {
    const gateway = this.d.gateway;
    if (gateway.name !== gatewayName || !gateway.webhooks || !gateway.lookup) {
      throw new CommerceError('not_found', 'webhooks_not_found', {}, { vars: { gateway: gatewayName } });
    }
    if (!gateway.webhooks.configured) throw new CommerceError('unavailable', 'webhooks_not_configured', {}, { vars: { gateway: gatewayName } });
    const notice = gateway.webhooks.verify(rawBody, headers);
    const eventId = notice.eventId;
    if (await this.webhookEvents.seen(gateway.name, eventId)) return { outcome: 'duplicate', event_id: eventId };

    const candidates = notice.gatewayRef ? await this.d.ds.getRepository(Payment).find({ where: { gateway: gateway.name, gatewayRef: notice.gatewayRef }, order: { id: 'DESC' } }) : [];
    if (!candidates.length) {
      const note = notice.gatewayRef ? 'no payment of ours has this gateway reference' : `a ${notice.eventType} event names no payment`;
      return this.claimOnly(gateway.name, eventId, { outcome: 'ignored', event_id: eventId, note }, { action: 'payment.webhook_ignored', recordId: null, after: { event_id: eventId, event_type: notice.eventType, gateway_ref: notice.gatewayRef }, reason: note });
    }
    // Trust the gateway's answer, not the body: a network failure here throws before anything is claimed.
    const view = await gateway.lookup(notice.gatewayRef!);
    const target = candidates.find((c) => view.paymentId !== null && c.id === view.paymentId) ?? (candidates.length === 1 && view.paymentId === null ? candidates[0] : undefined);
    if (!target || view.gatewayRef !== notice.gatewayRef) {
      const note = `the gateway's payment (order of payment ${view.paymentId ?? '?'}) is none of ours with this reference`;
      return this.claimOnly(gateway.name, eventId, { outcome: 'ignored', event_id: eventId, note }, { action: 'payment.webhook_mismatch', recordId: candidates[0].id, after: { event_id: eventId, gateway_ref: notice.gatewayRef, gateway_status: view.gatewayStatus }, reason: note });
    }

    return transactionWithRetry(this.d.ds, async (m) => {
      if (!(await this.webhookEvents.claim(gateway.name, eventId, m))) return { outcome: 'duplicate', event_id: eventId } satisfies WebhookReceipt;
      const p = await m.findOneOrFail(Payment, { where: { id: target.id }, lock: lockFor(m) });
      const { change, note } = await this.reconcile(m, p, view, eventId);
      const after = await m.findOneByOrFail(Payment, { id: p.id });
      const audit = { event_id: eventId, event_type: notice.eventType, gateway_status: view.gatewayStatus, change };
      if (change === 'mismatch') {
        await this.d.audit.record({ actor: null, action: 'payment.webhook_mismatch', resource: 'payments', recordId: p.id, before: { status: p.status, refunded: p.refundedAmount }, after: { status: after.status, refunded: after.refundedAmount, ...audit }, reason: note }, m);
      } else {
        await this.d.audit.record({ actor: null, action: 'payment.webhook', resource: 'payments', recordId: p.id, before: { status: p.status, refunded: p.refundedAmount }, after: { status: after.status, refunded: after.refundedAmount, ...audit }, reason: `${gateway.name} webhook ${eventId}` }, m);
      }
      return { outcome: 'processed', event_id: eventId, payment_id: p.id, status: after.status, change, ...(note ? { note } : {}) } satisfies WebhookReceipt;
    });
  }

  /** Records an event that changes nothing (claim + audit line in one transaction). */
  private async claimOnly(gateway: string, eventId: string, receipt: WebhookReceipt, audit: { action: string; recordId: number | null; after: Record<string, unknown>; reason: string }): Promise<WebhookReceipt> {
    return transactionWithRetry(this.d.ds, async (m) => {
      if (!(await this.webhookEvents.claim(gateway, eventId, m))) return { outcome: 'duplicate', event_id: eventId };
      await this.d.audit.record({ actor: null, action: audit.action, resource: 'payments', recordId: audit.recordId, after: audit.after, reason: audit.reason }, m);
      return receipt;
    });
  }

  /**
   * The gateway's view against ours, applied along the state machine inside the webhook's
   * transaction (payment row locked). The rules (docs/payments.md "Gateway webhooks"):
   *   refunded / partially_refunded at the gateway, ours paid or partially refunded → the refunds
   *     service records the missing refunds (rule gateway); fully refunded → subscription reversed;
   *   refunded / voided at the gateway, ours requested or approved (never executed) → cancelled;
   *   failed / expired at the gateway, ours requested or approved → failed;
   *   captured at the gateway, ours requested or approved → NOT captured here: a mismatch for
   *     finance (paid comes only from execute, which re-checks the amount);
   *   anything else that disagrees (a different total, money taken on a payment we failed…) → mismatch.
   * Coupon and discount uses go back whenever a payment that was never captured ends.
   */
  private async reconcile(m: EntityManager, p: Payment, view: GatewayPaymentView, eventId: string): Promise<{ change: NonNullable<WebhookReceipt['change']>; note?: string }> {
    const mismatch = (note: string) => ({ change: 'mismatch' as const, note: `ours ${p.status}, gateway ${view.gatewayStatus}: ${note}` });
    if (view.total.amount !== p.amountTotal || view.total.currency !== p.currency) {
      return mismatch(`the gateway's total is ${view.total.amount} ${view.total.currency}, ours ${p.amountTotal} ${p.currency}`);
    }
    const uncaptured = p.status === 'requested' || p.status === 'approved';
    const end = async (to: 'cancelled' | 'failed') => {
      const set: Partial<Payment> = to === 'cancelled' ? { cancelledAt: this.now(), failureReason: `${view.gatewayStatus} at the gateway` } : { failureReason: `${view.gatewayStatus} at the gateway` };
      if (!(await this.transition(p.id, p.status, to, set, m))) throw new CommerceError('conflict', 'payment_changed');
      await this.d.offers.release(m, { paymentId: p.id, couponIssueId: p.couponIssueId, discountId: p.discountId });
      return { change: to };
    };
    switch (view.status) {
      case 'refunded':
      case 'partially_refunded': {
        if (p.status === 'paid' || p.status === 'partially_refunded' || p.status === 'refunded') {
          if (!this.refunder) throw new CommerceError('unavailable', 'refunds_unavailable');
          const r = await this.refunder.recordGatewayRefunds(m, p, view, eventId);
          if (r.problem) return mismatch(r.problem);
          return { change: r.recorded.length ? 'refunded' : 'in_sync' };
        }
        if (uncaptured && view.status === 'refunded') return end('cancelled');
        if (p.status === 'cancelled' || p.status === 'failed') return { change: 'in_sync' };
        return mismatch('part of a payment we never captured was refunded at the gateway');
      }
      case 'voided':
        if (uncaptured) return end('cancelled');
        if (p.status === 'cancelled' || p.status === 'failed') return { change: 'in_sync' };
        return mismatch('the gateway released a payment we count as captured');
      case 'failed':
      case 'expired':
        if (uncaptured) return end('failed');
        if (p.status === 'cancelled' || p.status === 'failed') return { change: 'in_sync' };
        return mismatch('the gateway failed a payment we count as captured');
      case 'captured':
        if (p.status === 'paid') return { change: 'in_sync' };
        if (uncaptured) return mismatch('the money is taken at the gateway but the payment was not executed here; a webhook never captures — the member’s execute (or finance) completes it');
        return mismatch(p.status === 'cancelled' || p.status === 'failed' ? 'the gateway holds money for a payment we ended' : 'refunds of ours are missing at the gateway');
      case 'pending':
      case 'authorized':
        return uncaptured ? { change: 'in_sync' } : mismatch('the gateway has not taken the money');
    }
  }

  // ---- renewals ----------------------------------------------------------------------------------

  /**
   * Charges every due subscription with its method (or the member's default): one payment per
   * attempt, request → approve → execute through the paths above. Each attempt runs under an
   * idempotency key derived from the subscription, its period and the attempt number, so a re-run
   * of the job (or two workers at once) never charges an attempt twice.
   */
  async runRenewals(idempotency: IdempotencyService, limit = 200): Promise<{ charged: number; failed: number; skipped: number; expired: number }> {
    const now = this.now();
    const out = { charged: 0, failed: 0, skipped: 0, expired: await this.d.subscriptions.expireCancelled(now) };
    for (const sub of await this.d.subscriptions.dueForRenewal(now, limit)) {
      const member = { id: sub.userId, role: 'user' as const };
      const key = `renewal-${sub.id}-${sub.currentPeriodEnd?.getTime() ?? 0}-${sub.renewalAttempts}`;
      const planId = sub.nextPlanId ?? sub.planId;
      let reply: Awaited<ReturnType<IdempotencyService['run']>>;
      try {
        reply = await idempotency.run(sub.userId, key, 'renewal', { subscription: sub.id, plan: planId }, async () => {
          const method = (sub.methodId ? await this.d.methods.getUsable(sub.userId, sub.methodId).catch(() => null) : null) ?? (await this.d.methods.getDefault(sub.userId));
          if (!method) throw new CommerceError('payment_required', 'no_payment_method');
          const payment = await this.request(member, { plan: planId, methodId: method.id });
          try {
            const approved = await this.approve(member, payment.id);
            if (approved.nextAction) throw new PaymentDeclinedError('requires_action', payment.id, { form: 'renewal' });
            await this.execute(member, payment.id);
          } catch (err) {
            const current = await this.d.ds.getRepository(Payment).findOneByOrFail({ id: payment.id });
            if (current.status === 'requested' || current.status === 'approved') await this.fail(payment.id, current.status, err instanceof Error ? err.message : 'renewal failed');
            throw err;
          }
          return { status: 200, body: { payment_id: payment.id } };
        }, renewalRefusal); // the failure message is kept on the subscription for staff: English
      } catch (err) {
        if (err instanceof CommerceError && err.httpStatus >= 500) {
          out.failed++; // gateway trouble: the key was dropped, the next run tries this attempt again
          continue;
        }
        throw err;
      }
      if (reply.replayed) out.skipped++;
      else if (reply.status < 400) out.charged++;
      else {
        const message = (reply.body as { message?: string } | null)?.message ?? `renewal failed (${reply.status})`;
        await this.d.ds.transaction((m) => this.d.subscriptions.onRenewalFailed(m, sub.id, message, now));
        out.failed++;
      }
    }
    return out;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** The stored breakdown must add up before any money moves (a tampered or corrupted row stops here). */
  private assertAmountConsistent(p: Payment): void {
    if (p.amountList - p.amountDiscount - p.amountCoupon !== p.amountTotal || p.amountTotal < 0) {
      throw new CommerceError('conflict', 'amount_mismatch', { status: p.status });
    }
  }

  /** Moves from → to when the payment is still in `from`; false when someone else moved it first. */
  private async transition(id: number, from: PaymentStatus, to: PaymentStatus, set: Partial<Payment> = {}, manager?: EntityManager): Promise<boolean> {
    const res = await (manager ?? this.d.ds.manager)
      .createQueryBuilder()
      .update(Payment)
      .set({ ...set, status: to, version: () => 'version + 1' })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return affected(res) === 1;
  }

  /** Fails a payment that was not captured and gives its coupon and discount back. */
  private async fail(id: number, from: PaymentStatus, reason: string): Promise<void> {
    await transactionWithRetry(this.d.ds, async (m) => {
      if (!(await this.transition(id, from, 'failed', { failureReason: reason.slice(0, 300) }, m))) return;
      const p = await m.findOneByOrFail(Payment, { id });
      await this.d.offers.release(m, { paymentId: id, couponIssueId: p.couponIssueId, discountId: p.discountId });
    });
  }

  private async throwCurrent(id: number, attempted: PaymentState, manager?: EntityManager): Promise<never> {
    const current = await (manager ?? this.d.ds.manager).findOneByOrFail(Payment, { id });
    throw new IllegalTransitionError(current.status, attempted, [], 'now');
  }

  private gatewayProblem(err: unknown, p: Payment): unknown {
    if (err instanceof GatewayError || err instanceof CommerceError) return err;
    return new CommerceError('upstream', 'gateway_error', { status: p.status });
  }
}
