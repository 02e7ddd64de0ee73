// Refunds (seed 000 §4) under the one refund policy (domain/refund-policy.ts, docs/payments.md).
//
// The invariant "refunds never exceed what was paid" is enforced by the database: a refund first
// reserves its amount with one conditional UPDATE
//   refunded_amount = refunded_amount + :a  WHERE id = :id AND refunded_amount + :a <= amount_total
// in the transaction that inserts the refund row, so of any number of parallel refunds only those
// that fit are accepted. Then the gateway refunds; if the gateway refuses, the reservation is
// given back in a compensating transaction and the refund is marked rejected.
//
// Members get the policy's amount at once when the full-refund rule applies (7 days, unwatched);
// other policy refunds (prorated subscriptions) wait as `requested` for finance to approve or
// reject — their amount stays reserved meanwhile. Finance/admin overrides (with a reason) are
// processed at once and audited.
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal as AuthUser } from '../access/principal.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { Payment, Refund } from './commerce.entities.js';
import type { SubscriptionsPort } from './contracts.js';
import { msg } from '../shared/errors.js';
import { CommerceError } from './domain/errors.js';
import { money } from './domain/money.js';
import { REFUNDABLE_STATES, type PaymentState } from './domain/payment-state.js';
import { checkRefund, refundableAmount, REFUND_FULL_WINDOW_DAYS, type RefundDecision, type RefundRule } from './domain/refund-policy.js';
import type { GatewayPaymentView, PaymentGateway } from './gateways/gateway.js';
import { isFinance } from './finance.js';
import { PaymentNotFoundError, type FullRefunder, type GatewayRefundsResult, type PaymentsService } from './payments.service.js';
import { affected, transactionWithRetry } from './tx.js';

export class RefundNotFoundError extends CommerceError<'refund_not_found'> {
  constructor() {
    super('not_found', 'refund_not_found');
  }
}

export interface RefundInput {
  paymentId: number;
  amount?: number | null;
  reason?: string | null;
  /** Finance/admin: refund outside the policy (reason and amount required). */
  override?: boolean;
}

/** What the refund policy allows for one payment now (RefundsService.policy). */
export interface RefundPolicyView {
  paymentId: number;
  currency: string;
  status: string;
  paid: number;
  alreadyRefunded: number;
  /** The deciding rule; `not_refundable` when the payment is not paid / partially refunded. */
  rule: RefundRule | 'not_refundable';
  /** The most a policy refund may return now. */
  refundable: number;
  /** What is not yet refunded: the ceiling of an override. */
  remaining: number;
  /** A member's policy refund is paid out at once (full refund rule); otherwise it waits for finance. */
  immediate: boolean;
  /** End of the full-refund window (paid_at + 7 days). */
  windowEndsAt: Date | null;
}

export interface RefundsDeps {
  ds: DataSource;
  gateway: PaymentGateway;
  payments: PaymentsService;
  subscriptions: SubscriptionsPort;
  audit: AuditService;
  /** Whether the member watched anything (or the movie, for a single purchase) since `since`. */
  watchedSince: (userId: number, since: Date, movieId: number | null) => Promise<boolean>;
}

const actorOf = (u: Pick<AuthUser, 'id' | 'email'> | null | undefined): Actor | null => (u ? { id: u.id, email: u.email } : null);

export function refundJson(r: Refund) {
  return {
    refund_code: r.code,
    payment_id: r.paymentId,
    user: r.userId,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    rule: r.rule,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export class RefundsService implements FullRefunder {
  constructor(private readonly d: RefundsDeps) {
    d.payments.useRefunder(this);
  }

  private get now(): Date {
    return this.d.payments.now();
  }

  async get(viewer: Pick<AuthUser, 'id' | 'role'>, code: string): Promise<Refund> {
    const r = await this.d.ds.getRepository(Refund).findOneBy({ code });
    if (!r || (r.userId !== viewer.id && !isFinance(viewer))) throw new RefundNotFoundError();
    return r;
  }

  async list(filter: { status?: Refund['status']; paymentId?: number }, page: { offset: number; limit: number }): Promise<{ count: number; rows: Refund[] }> {
    const [rows, count] = await this.d.ds.getRepository(Refund).findAndCount({ where: { ...(filter.status ? { status: filter.status } : {}), ...(filter.paymentId ? { paymentId: filter.paymentId } : {}) }, order: { id: 'DESC' }, skip: page.offset, take: page.limit });
    return { count, rows };
  }

  /** POST refunds. */
  /**
   * POST refunds. With `fullOnly` (a member cancelling a captured payment: the cancel is a full
   * refund) a policy that would refund less — or make finance review a prorated part — refuses
   * with 409 and nothing changes; the member can still ask for what the policy allows.
   */
  async create(actor: AuthUser, input: RefundInput, opts: { fullOnly?: boolean; decide?: boolean } = {}): Promise<Refund> {
    if (input.override && !isFinance(actor)) throw new CommerceError('forbidden', 'forbidden', {}, { form: 'override' });
    const payment = await this.d.payments.getVisible(actor, input.paymentId);
    const decision = checkRefund({ amount: input.amount ?? null, reason: input.reason ?? null, override: input.override === true }, await this.policyContext(payment));
    // `decide`: finance refunding a member's payment from the panel is the approval itself, so a
    // policy refund that would wait for finance (prorated) is processed at once.
    const decidedByFinance = opts.decide === true && isFinance(actor) && payment.userId !== actor.id;
    const immediate = input.override === true || decision.rule === 'full_7d_unwatched' || decidedByFinance;
    if (opts.fullOnly && !immediate) {
      throw new CommerceError('conflict', 'cancel_needs_full_refund', { status: payment.status, rule: decision.rule, refundable: decision.amount }, { vars: { days: REFUND_FULL_WINDOW_DAYS } });
    }
    const refund = await this.reserve(actor, payment, decision, immediate ? 'completed' : 'requested');
    if (!immediate) return refund;
    return this.process(actor, refund, input.override === true ? 'refund.override' : 'refund.create');
  }

  /**
   * What the refund policy allows for a payment now — the same computation `create` (POST
   * refunds) decides with: the rule, the refundable amount, what an override could still refund,
   * and whether a policy refund is paid out at once or waits for finance. A payment that is not
   * paid / partially refunded is answered with rule `not_refundable` and 0.
   */
  async policy(viewer: Pick<AuthUser, 'id' | 'role'>, paymentId: number): Promise<RefundPolicyView> {
    const payment = await this.d.payments.getVisible(viewer, paymentId);
    const base = { paymentId: payment.id, currency: payment.currency, paid: payment.amountTotal, alreadyRefunded: payment.refundedAmount, status: payment.status };
    if (!REFUNDABLE_STATES.includes(payment.status as PaymentState)) {
      return { ...base, rule: 'not_refundable', refundable: 0, remaining: 0, immediate: false, windowEndsAt: null };
    }
    const ctx = await this.policyContext(payment);
    const allowance = refundableAmount(ctx);
    return {
      ...base,
      rule: allowance.rule,
      refundable: allowance.max,
      remaining: allowance.remaining,
      immediate: allowance.rule === 'full_7d_unwatched',
      windowEndsAt: new Date(ctx.paidAt.getTime() + REFUND_FULL_WINDOW_DAYS * 86_400_000),
    };
  }

  /** The policy's view of a payment at the service's clock (watched since payment, period, totals). */
  private async policyContext(payment: Payment) {
    const watched = await this.d.watchedSince(payment.userId, payment.paidAt ?? payment.createdAt, payment.kind === 'item' ? payment.itemMovieId : null);
    return { status: payment.status as PaymentState, paid: payment.amountTotal, alreadyRefunded: payment.refundedAmount, paidAt: payment.paidAt ?? payment.createdAt, periodStart: payment.periodStart, periodEnd: payment.periodEnd, watched, kind: payment.kind, now: this.now };
  }

  /** Cancel after capture: refund everything still refundable (an override of the policy by the member's own cancel is not allowed: members get the policy). */
  async refundAll(actor: AuthUser, paymentId: number, reason: string): Promise<Refund> {
    const payment = await this.d.payments.getVisible(actor, paymentId);
    const remaining = payment.amountTotal - payment.refundedAmount;
    if (isFinance(actor) && payment.userId !== actor.id) return this.create(actor, { paymentId, reason, override: true, amount: remaining });
    return this.create(actor, { paymentId, reason }, { fullOnly: true });
  }

  /** Finance approves a requested refund: the gateway refunds the reserved amount. */
  async approve(actor: AuthUser, refundId: number): Promise<Refund> {
    if (!isFinance(actor)) throw new CommerceError('forbidden', 'forbidden', {}, { form: 'approve' });
    const refund = await this.d.ds.getRepository(Refund).findOneBy({ id: refundId });
    if (!refund) throw new RefundNotFoundError();
    if (refund.status !== 'requested') throw new CommerceError('conflict', 'refund_not_pending', { status: refund.status });
    const claimed = await this.d.ds.getRepository(Refund).update({ id: refund.id, status: 'requested' }, { status: 'completed', decidedBy: actor.id });
    if (affected(claimed) !== 1) throw new CommerceError('conflict', 'refund_not_pending', {}, { form: 'decided' });
    return this.process(actor, { ...refund, status: 'completed', decidedBy: actor.id } as Refund, 'refund.approve');
  }

  /** Finance rejects a requested refund: its reserved amount is given back to the payment. */
  async reject(actor: AuthUser, refundId: number, reason: string): Promise<Refund> {
    if (!isFinance(actor)) throw new CommerceError('forbidden', 'forbidden', {}, { form: 'reject' });
    const why = (reason ?? '').trim();
    if (!why) throw new CommerceError('invalid', 'reason_required', {}, { form: 'reject', fields: { reason: [msg('reason_required', { form: 'reject' })] } });
    await transactionWithRetry(this.d.ds, async (m) => {
      const refund = await m.findOneBy(Refund, { id: refundId });
      if (!refund) throw new RefundNotFoundError();
      const res = await m.update(Refund, { id: refund.id, status: 'requested' }, { status: 'rejected', decidedBy: actor.id });
      if (affected(res) !== 1) throw new CommerceError('conflict', 'refund_not_pending', { status: refund.status });
      await this.release(m, refund);
      await this.d.audit.record({ actor: actorOf(actor), action: 'refund.reject', resource: 'refunds', recordId: refund.id, before: { status: 'requested' }, after: { status: 'rejected' }, reason: why }, m);
    });
    return (await this.d.ds.getRepository(Refund).findOneByOrFail({ id: refundId }));
  }

  // ---- gateway webhooks ----------------------------------------------------------------------------

  /**
   * Reconciliation of refunds the gateway made without us (a cancel from the Toss merchant
   * dashboard, a partial cancel): called by PaymentsService inside the webhook's transaction, with
   * the payment row locked and `view` re-read from the gateway. Every gateway refund that none of
   * our completed refunds accounts for becomes a completed refund row (rule `gateway`, the
   * gateway's reason, reference and time) through the same reservation as every refund; a full
   * refund of a subscription payment ends its period as any full refund does. Our completed
   * refunds are matched by gateway reference; one still at the gateway (completed, no reference
   * yet) by amount. Audited with actor null and the event id.
   */
  async recordGatewayRefunds(m: EntityManager, payment: Payment, view: GatewayPaymentView, eventId: string): Promise<GatewayRefundsResult> {
    const refunds = await m.find(Refund, { where: { paymentId: payment.id }, order: { id: 'ASC' } });
    const completed = refunds.filter((r) => r.status === 'completed');
    const known = new Set(completed.map((r) => r.gatewayRef).filter((ref): ref is string => !!ref));
    const unmatched = view.refunds.filter((g) => !known.has(g.ref));
    for (const ours of completed.filter((r) => !r.gatewayRef)) {
      let i = unmatched.length - 1;
      while (i >= 0 && unmatched[i].amount.amount !== ours.amount) i--;
      if (i >= 0) unmatched.splice(i, 1);
    }
    const atGateway = view.refunds.reduce((sum, g) => sum + g.amount.amount, 0);
    let missing = atGateway - completed.reduce((sum, r) => sum + r.amount, 0);
    const recorded: Refund[] = [];
    let problem: string | null = missing < 0 ? `we count ${-missing} more refunded than the gateway` : null;
    for (const g of unmatched) {
      if (missing <= 0) break;
      if (g.amount.currency !== payment.currency || g.amount.amount > missing) {
        problem = `gateway refund ${g.ref} of ${g.amount.amount} ${g.amount.currency} does not fit the ${missing} ${payment.currency} we miss`;
        break;
      }
      if (!(await this.reserveAmount(m, payment.id, g.amount.amount))) {
        const current = await m.findOneByOrFail(Payment, { id: payment.id });
        problem = `gateway refund ${g.ref} of ${g.amount.amount} does not fit: ${current.refundedAmount} of ${current.amountTotal} is refunded or reserved (pending refund requests?)`;
        break;
      }
      const now = this.now;
      const refund = await m.save(
        m.create(Refund, {
          code: `rf_${randomBytes(12).toString('hex')}`,
          paymentId: payment.id,
          userId: payment.userId,
          amount: g.amount.amount,
          currency: payment.currency,
          reason: (g.reason.trim() || 'refunded at the payment gateway').slice(0, 500),
          status: 'completed',
          rule: 'gateway',
          requestedBy: null,
          decidedBy: null,
          gatewayRef: g.ref,
          completedAt: g.at ?? now,
        }),
      );
      missing -= g.amount.amount;
      recorded.push(refund);
      const after = await m.findOneByOrFail(Payment, { id: payment.id });
      await this.d.audit.record(
        { actor: null, action: 'refund.gateway', resource: 'refunds', recordId: refund.id, after: { payment_id: payment.id, amount: refund.amount, rule: 'gateway', gateway_ref: g.ref, payment_status: after.status, event_id: eventId }, reason: refund.reason },
        m,
      );
    }
    if (!problem && missing > 0) problem = `${missing} refunded at the gateway is not accounted for`;
    const after = await m.findOneByOrFail(Payment, { id: payment.id });
    if (recorded.length && after.status === 'refunded' && after.kind === 'subscription') await this.d.subscriptions.onPaymentReversed(m, after, this.now);
    return { recorded, problem };
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Reserves the amount on the payment (the DB-enforced ceiling) and inserts the refund row. */
  private async reserve(actor: AuthUser, payment: Payment, decision: RefundDecision, status: Refund['status']): Promise<Refund> {
    // A policy refund may take the payment's refunded total (requested ones included: they are
    // reserved) up to the policy's cap; only an override may go up to what was paid.
    const cap = decision.rule === 'override' ? null : decision.policy.cap;
    return transactionWithRetry(this.d.ds, async (m) => {
      if (!(await this.reserveAmount(m, payment.id, decision.amount, cap))) {
        const current = await m.findOneByOrFail(Payment, { id: payment.id });
        const left = Math.max(0, current.amountTotal - current.refundedAmount);
        if (cap !== null && current.refundedAmount + decision.amount > cap && left >= decision.amount) {
          const max = Math.max(0, Math.min(left, cap - current.refundedAmount));
          throw new CommerceError('conflict', 'refund_exceeds_policy', { status: current.status, max, rule: decision.rule });
        }
        throw new CommerceError('conflict', 'refund_exceeds_remaining', { status: current.status, max: left });
      }
      const refund = await m.save(
        m.create(Refund, {
          code: `rf_${randomBytes(12).toString('hex')}`,
          paymentId: payment.id,
          userId: payment.userId,
          amount: decision.amount,
          currency: payment.currency,
          reason: decision.reason ?? (decision.rule === 'override' ? 'override' : 'requested by the member'),
          status,
          rule: decision.rule,
          requestedBy: actor.id,
          decidedBy: status === 'completed' ? actor.id : null,
          gatewayRef: null,
          createdAt: this.now,
        }),
      );
      if (status === 'requested') {
        await this.d.audit.record({ actor: actorOf(actor), action: 'refund.request', resource: 'refunds', recordId: refund.id, after: { payment_id: payment.id, amount: decision.amount, rule: decision.rule } }, m);
      }
      return refund;
    });
  }

  /** The gateway refund of a reserved, completed refund; a refusal rolls the reservation back. */
  private async process(actor: AuthUser, refund: Refund, action: string): Promise<Refund> {
    const payment = await this.d.ds.getRepository(Payment).findOneByOrFail({ id: refund.paymentId });
    let refundRef: string;
    try {
      const res = await this.d.gateway.refund({ gatewayRef: payment.gatewayRef!, amount: money(refund.amount, refund.currency), reason: refund.reason, idempotencyKey: `refund-${refund.code}` });
      refundRef = res.refundRef;
    } catch (err) {
      await transactionWithRetry(this.d.ds, async (m) => {
        const res = await m.update(Refund, { id: refund.id, status: 'completed' }, { status: 'rejected' });
        if (affected(res) === 1) await this.release(m, refund);
        await this.d.audit.record({ actor: actorOf(actor), action: 'refund.gateway_failed', resource: 'refunds', recordId: refund.id, after: { status: 'rejected' }, reason: err instanceof Error ? err.message.slice(0, 300) : 'gateway error' }, m);
      });
      if (err instanceof CommerceError) throw err;
      throw new CommerceError('upstream', 'gateway_error', {}, { form: 'refund' });
    }
    await transactionWithRetry(this.d.ds, async (m) => {
      await m.update(Refund, { id: refund.id }, { gatewayRef: refundRef, completedAt: this.now });
      const after = await m.findOneByOrFail(Payment, { id: payment.id });
      await this.d.audit.record({ actor: actorOf(actor), action, resource: 'refunds', recordId: refund.id, after: { payment_id: payment.id, amount: refund.amount, rule: refund.rule, payment_status: after.status }, reason: refund.reason }, m);
      if (after.status === 'refunded' && after.kind === 'subscription') await this.d.subscriptions.onPaymentReversed(m, after, this.now);
    });
    return this.d.ds.getRepository(Refund).findOneByOrFail({ id: refund.id });
  }

  /**
   * The one DB-enforced ceiling: adds `amount` to the payment's refunded total only while it fits
   * (`refunded_amount + :a <= amount_total`, and `<= :cap`, the policy's cap on the total, for a
   * policy refund) and the payment is paid / partially refunded, moving its status along. false
   * when it does not fit (nothing changed). One conditional UPDATE: the row lock orders parallel
   * reservations, each sees the totals the earlier ones left.
   */
  private async reserveAmount(m: EntityManager, paymentId: number, amount: number, cap: number | null = null): Promise<boolean> {
    const res = await m
      .createQueryBuilder()
      .update(Payment)
      .set({
        // status first: MySQL evaluates SET left to right with the new values, SQLite with the old.
        status: () => `CASE WHEN refunded_amount + :amount >= amount_total THEN 'refunded' ELSE 'partially_refunded' END`,
        refundedAmount: () => 'refunded_amount + :amount',
        version: () => 'version + 1',
      })
      .where("id = :id AND status IN ('paid', 'partially_refunded') AND refunded_amount + :amount <= amount_total", { id: paymentId, amount })
      .andWhere(cap === null ? '1 = 1' : 'refunded_amount + :amount <= :cap', { cap })
      .execute();
    return affected(res) === 1;
  }

  /** Gives a refund's reserved amount back to its payment (status follows what is left refunded). */
  private async release(m: EntityManager, refund: Refund): Promise<void> {
    await m
      .createQueryBuilder()
      .update(Payment)
      .set({
        status: () => `CASE WHEN refunded_amount - :amount <= 0 THEN 'paid' ELSE 'partially_refunded' END`,
        refundedAmount: () => 'refunded_amount - :amount',
        version: () => 'version + 1',
      })
      .where('id = :id AND refunded_amount >= :amount', { id: refund.paymentId, amount: refund.amount })
      .execute();
  }
}

export { PaymentNotFoundError };
