// A member's subscription (seed 000 §3: PUT|GET payments/users/{user_id}/subscription) and the
// renewal bookkeeping the payments side drives through SubscriptionsPort.
//
// Life of a subscription
// - Choosing a plan with none (or after it was cancelled/expired) makes it `pending`: nothing is
//   paid yet. The payments side requests a payment for the plan; its capture calls
//   onPaymentCaptured, which makes it `active` for one period starting then.
// - While pending the plan can be changed freely. While active/suspended, choosing another plan
//   schedules it as `next_plan_id` for the next period; choosing the current plan again drops a
//   scheduled change. Choosing a plan also resumes a cancelled-at-period-end subscription.
// - `{"cancel": true}` or DELETE: an active one keeps running to the end of its period
//   (cancel_at_period_end) and then becomes `cancelled` (expireCancelled); a pending one is
//   cancelled at once. `{"cancel": false}` resumes before the period ends.
// - Periods are calendar months/years in UTC (addInterval). Renewal: at the period end the
//   subscription is due; each failed charge counts one attempt and is retried one day later; the
//   third failed attempt (day 0, 1, 2 — three attempts over three days) suspends it. A capture
//   while suspended starts a new period at that moment.
import { Brackets, In, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import type { Principal as AuthUser } from '../access/principal.js';
import type { AuditService } from '../audit/audit.service.js';
import { Plan, Subscription, SubscriptionEvent, type Payment, type PaymentMethod, type SubscriptionEventKind } from './commerce.entities.js';
import type { SubscriptionsPort } from './contracts.js';
import { msg } from '../shared/errors.js';
import { CommerceError } from './domain/errors.js';
import { isFinance } from './finance.js';
import { methodJson, type PaymentMethodsService } from './methods.service.js';
import { addInterval, planJson, type PlansService } from './plans.service.js';
import { affected, lockFor, transactionWithRetry } from './tx.js';

export const MAX_RENEWAL_ATTEMPTS = 3;
export const RENEWAL_RETRY_MS = 24 * 60 * 60 * 1000;

export interface SubscriptionInput {
  plan?: string | number;
  method_id?: number | null;
  cancel?: boolean;
}

export class SubscriptionNotFoundError extends CommerceError<'subscription_not_found'> {
  constructor() {
    super('not_found', 'subscription_not_found');
  }
}

export interface SubscriptionView {
  subscription: Subscription;
  plan: Plan;
  nextPlan: Plan | null;
  method: PaymentMethod | null;
}

export function subscriptionJson(v: SubscriptionView) {
  const s = v.subscription;
  return {
    id: s.id,
    user_id: s.userId,
    status: s.status,
    plan: planJson(v.plan),
    next_plan: v.nextPlan ? planJson(v.nextPlan) : null,
    current_period_start: s.currentPeriodStart?.toISOString() ?? null,
    current_period_end: s.currentPeriodEnd?.toISOString() ?? null,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    renewal_attempts: s.renewalAttempts,
    next_attempt_at: s.nextAttemptAt?.toISOString() ?? null,
    method: v.method ? methodJson(v.method) : null,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

export class SubscriptionsService implements SubscriptionsPort {
  constructor(
    private readonly ds: DataSource,
    private readonly plans: PlansService,
    private readonly methods: PaymentMethodsService,
    private readonly audit: AuditService,
    /** The service's clock (the demo's week of activity runs on a simulated one). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A member reaches only their own subscription (another id → 404); finance/admin reach every one. */
  private assertAccess(actor: AuthUser, userId: number): void {
    if (actor.id !== userId && !isFinance(actor)) throw new SubscriptionNotFoundError();
  }

  async view(actor: AuthUser, userId: number): Promise<SubscriptionView> {
    this.assertAccess(actor, userId);
    const sub = await this.findForUser(userId);
    if (!sub) throw new SubscriptionNotFoundError();
    return this.toView(sub);
  }

  private async toView(sub: Subscription, manager?: EntityManager): Promise<SubscriptionView> {
    const plan = await this.plans.get(sub.planId, manager);
    const nextPlan = sub.nextPlanId ? await this.plans.get(sub.nextPlanId, manager) : null;
    let method: PaymentMethod | null = null;
    if (sub.methodId) method = await this.methods.getUsable(sub.userId, sub.methodId, manager).catch(() => null);
    method ??= await this.methods.getDefault(sub.userId, manager);
    return { subscription: sub, plan, nextPlan, method };
  }

  /** PUT payments/users/{user_id}/subscription. */
  async choose(actor: AuthUser, userId: number, input: SubscriptionInput): Promise<{ view: SubscriptionView; created: boolean }> {
    this.assertAccess(actor, userId);
    if (input.plan === undefined && input.cancel === undefined && input.method_id === undefined) {
      throw new CommerceError('invalid', 'invalid_subscription', {}, { fields: { plan: [msg('commerceSubscriptionInput')] } });
    }
    if (input.plan !== undefined && input.cancel === true) {
      throw new CommerceError('invalid', 'invalid_subscription', {}, { form: 'both', fields: { cancel: [msg('commercePlanOrCancel')] } });
    }
    const plan = input.plan !== undefined ? await this.plans.resolve(input.plan) : null;
    // Validated up front: another member's or a deleted method is 404, nothing changes.
    const method = input.method_id ? await this.methods.getUsable(userId, input.method_id) : null;

    let created = false;
    const view = await transactionWithRetry(this.ds, async (m) => {
      created = false;
      let sub = await m.findOne(Subscription, { where: { userId }, lock: lockFor(m) });
      const before = sub ? { ...sub } : null;
      if (!sub) {
        if (!plan) throw new SubscriptionNotFoundError();
        sub = m.create(Subscription, { userId, planId: plan.id, nextPlanId: null, status: 'pending', methodId: null, currentPeriodStart: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, renewalAttempts: 0, nextAttemptAt: null });
        created = true;
      } else if (plan) {
        if (sub.status === 'cancelled' || sub.status === 'expired') {
          // A fresh start: pending until its first payment is captured.
          Object.assign(sub, { planId: plan.id, nextPlanId: null, status: 'pending', currentPeriodStart: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, renewalAttempts: 0, nextAttemptAt: null });
        } else if (sub.status === 'pending') {
          sub.planId = plan.id;
          sub.nextPlanId = null;
        } else {
          // active / suspended: the change waits for the next period.
          sub.nextPlanId = plan.id === sub.planId ? null : plan.id;
          sub.cancelAtPeriodEnd = false;
        }
      }
      if (input.cancel === true) this.applyCancel(sub);
      else if (input.cancel === false) {
        if (sub.status !== 'active' && sub.status !== 'suspended' && sub.status !== 'pending') {
          throw new CommerceError('conflict', 'subscription_not_resumable', { status: sub.status });
        }
        sub.cancelAtPeriodEnd = false;
      }
      if (method) sub.methodId = method.id;
      else if (input.method_id === null) sub.methodId = null;
      const saved = await m.save(sub);
      const change = lifecycleChange(before, saved);
      if (change) await recordEvent(m, saved, change, this.now());
      await this.audit.record(
        { actor: { id: actor.id, email: actor.email }, action: created ? 'subscription.create' : 'subscription.update', resource: 'subscriptions', recordId: saved.id, before: before ? auditable(before) : null, after: auditable(saved) },
        m,
      );
      return this.toView(saved, m);
    }, { retryUniqueViolation: true }); // two first PUTs at once: the loser reruns and updates the winner's row
    return { view, created };
  }

  private applyCancel(sub: Subscription): void {
    if (sub.status === 'pending') {
      sub.status = 'cancelled';
      sub.nextPlanId = null;
    } else if (sub.status === 'active' || sub.status === 'suspended') {
      sub.cancelAtPeriodEnd = true;
      sub.nextPlanId = null;
    } else {
      throw new CommerceError('conflict', 'subscription_not_cancellable', { status: sub.status });
    }
  }

  /** DELETE payments/users/{user_id}/subscription: cancel at the period end (pending: at once). */
  async cancel(actor: AuthUser, userId: number): Promise<SubscriptionView> {
    return (await this.choose(actor, userId, { cancel: true })).view;
  }

  // ---- SubscriptionsPort -----------------------------------------------------------------------

  /**
   * Staff's view of a member's subscription (member lookup, support included): status, plan and
   * period — no payment method. Access is the caller's (the role table), not the member's.
   */
  async summaryFor(userId: number): Promise<{ subscription: Subscription; plan: Plan } | null> {
    const sub = await this.findForUser(userId);
    if (!sub) return null;
    return { subscription: sub, plan: await this.plans.get(sub.planId) };
  }

  /** A member's subscription events (started, renewed, cancel requested…), newest first. */
  eventsForUser(userId: number, limit = 50): Promise<SubscriptionEvent[]> {
    return this.ds.getRepository(SubscriptionEvent).find({ where: { userId }, order: { at: 'DESC', id: 'DESC' }, take: limit });
  }

  findForUser(userId: number, manager?: EntityManager): Promise<Subscription | null> {
    return (manager ?? this.ds.manager).findOneBy(Subscription, { userId });
  }

  private async lockSubscriptionOf(manager: EntityManager, payment: Payment): Promise<Subscription | null> {
    const where = payment.subscriptionId ? { id: payment.subscriptionId } : { userId: payment.userId };
    return manager.findOne(Subscription, { where, lock: lockFor(manager) });
  }

  async onPaymentCaptured(manager: EntityManager, payment: Payment, now: Date): Promise<Subscription> {
    let sub = await this.lockSubscriptionOf(manager, payment);
    if (!sub) {
      if (!payment.planId) throw new SubscriptionNotFoundError();
      sub = manager.create(Subscription, { userId: payment.userId, planId: payment.planId, nextPlanId: null, status: 'pending', methodId: payment.methodId, cancelAtPeriodEnd: false, renewalAttempts: 0 });
    }
    const before = sub.id ? auditable(sub) : null;
    const renewal = sub.status === 'active' && !!sub.currentPeriodEnd;
    if (sub.status === 'active' && sub.currentPeriodEnd) {
      // A renewal: the next period follows the current one (anchored, even when a retry succeeded late).
      sub.planId = payment.planId ?? sub.nextPlanId ?? sub.planId;
      sub.currentPeriodStart = sub.currentPeriodEnd;
    } else {
      // pending → first period; suspended/cancelled/expired → a new period from now.
      sub.planId = payment.planId ?? sub.nextPlanId ?? sub.planId;
      sub.currentPeriodStart = now;
      sub.cancelAtPeriodEnd = false;
    }
    const plan = await this.plans.get(sub.planId, manager);
    sub.currentPeriodEnd = addInterval(sub.currentPeriodStart!, plan.interval);
    sub.nextPlanId = null;
    sub.status = 'active';
    sub.renewalAttempts = 0;
    sub.nextAttemptAt = sub.currentPeriodEnd;
    const saved = await manager.save(sub);
    await recordEvent(manager, saved, renewal ? 'renewed' : 'started', now);
    await this.audit.record({ actor: null, action: 'subscription.payment_captured', resource: 'subscriptions', recordId: saved.id, before, after: { ...auditable(saved), payment_id: payment.id } }, manager);
    return saved;
  }

  async onPaymentReversed(manager: EntityManager, payment: Payment, now: Date): Promise<void> {
    const sub = await this.lockSubscriptionOf(manager, payment);
    if (!sub || (sub.status !== 'active' && sub.status !== 'suspended')) return;
    // Refunding an older period's payment does not end the current one.
    if (payment.periodEnd && sub.currentPeriodEnd && payment.periodEnd.getTime() < sub.currentPeriodEnd.getTime()) return;
    const before = auditable(sub);
    sub.status = 'expired';
    if (!sub.currentPeriodEnd || sub.currentPeriodEnd.getTime() > now.getTime()) sub.currentPeriodEnd = now;
    sub.nextAttemptAt = null;
    sub.nextPlanId = null;
    sub.cancelAtPeriodEnd = false;
    await manager.save(sub);
    await recordEvent(manager, sub, 'expired', now);
    await this.audit.record({ actor: null, action: 'subscription.payment_reversed', resource: 'subscriptions', recordId: sub.id, before, after: { ...auditable(sub), payment_id: payment.id } }, manager);
  }

  async dueForRenewal(now: Date, limit: number): Promise<Subscription[]> {
    return this.ds
      .getRepository(Subscription)
      .createQueryBuilder('s')
      .where('s.status = :status', { status: 'active' })
      .andWhere('s.cancelAtPeriodEnd = :no', { no: false })
      .andWhere(
        new Brackets((w) => {
          w.where('s.nextAttemptAt <= :now', { now }).orWhere('(s.nextAttemptAt IS NULL AND s.currentPeriodEnd <= :now)', { now });
        }),
      )
      .orderBy('s.nextAttemptAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  async onRenewalFailed(manager: EntityManager, subscriptionId: number, reason: string, now: Date): Promise<Subscription> {
    const sub = await manager.findOne(Subscription, { where: { id: subscriptionId }, lock: lockFor(manager) });
    if (!sub) throw new SubscriptionNotFoundError();
    if (sub.status !== 'active') return sub;
    const before = auditable(sub);
    sub.renewalAttempts += 1;
    if (sub.renewalAttempts >= MAX_RENEWAL_ATTEMPTS) {
      sub.status = 'suspended';
      sub.nextAttemptAt = null;
    } else {
      sub.nextAttemptAt = new Date(now.getTime() + RENEWAL_RETRY_MS);
    }
    const saved = await manager.save(sub);
    if (saved.status === 'suspended') await recordEvent(manager, saved, 'suspended', now);
    await this.audit.record({ actor: null, action: 'subscription.renewal_failed', resource: 'subscriptions', recordId: sub.id, before, after: auditable(saved), reason: reason.slice(0, 500) }, manager);
    return saved;
  }

  async expireCancelled(now: Date): Promise<number> {
    return this.ds.transaction(async (m) => {
      const due = { status: In(['active', 'suspended'] as const), cancelAtPeriodEnd: true, currentPeriodEnd: LessThanOrEqual(now) };
      const ending = await m.find(Subscription, { where: due, lock: lockFor(m) });
      if (!ending.length) return 0;
      const res = await m
        .createQueryBuilder()
        .update(Subscription)
        .set({ status: 'cancelled', nextAttemptAt: null, nextPlanId: null })
        .where({ ...due, id: In(ending.map((s) => s.id)) })
        .execute();
      // Each ended at its period end (the job may run a little later).
      for (const sub of ending) await recordEvent(m, sub, 'cancelled', sub.currentPeriodEnd ?? now);
      return affected(res);
    });
  }
}

/** The event a member's change makes (null: nothing the statistics count). */
function lifecycleChange(before: Pick<Subscription, 'status' | 'cancelAtPeriodEnd'> | null, after: Pick<Subscription, 'status' | 'cancelAtPeriodEnd'>): SubscriptionEventKind | null {
  if (before?.status === 'pending' && after.status === 'cancelled') return 'cancelled';
  const running = after.status === 'active' || after.status === 'suspended';
  if (running && !before?.cancelAtPeriodEnd && after.cancelAtPeriodEnd) return 'cancel_requested';
  if (running && before?.cancelAtPeriodEnd && !after.cancelAtPeriodEnd) return 'resumed';
  return null;
}

async function recordEvent(m: EntityManager, sub: Pick<Subscription, 'id' | 'userId' | 'planId'>, kind: SubscriptionEventKind, at: Date): Promise<void> {
  await m.insert(SubscriptionEvent, { subscriptionId: sub.id, userId: sub.userId, planId: sub.planId, kind, at });
}

function auditable(s: Pick<Subscription, 'planId' | 'nextPlanId' | 'status' | 'methodId' | 'currentPeriodStart' | 'currentPeriodEnd' | 'cancelAtPeriodEnd' | 'renewalAttempts'>): Record<string, unknown> {
  return {
    plan_id: s.planId,
    next_plan_id: s.nextPlanId,
    status: s.status,
    method_id: s.methodId,
    current_period_start: s.currentPeriodStart?.toISOString() ?? null,
    current_period_end: s.currentPeriodEnd?.toISOString() ?? null,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    renewal_attempts: s.renewalAttempts,
  };
}
