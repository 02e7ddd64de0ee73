// What the parts of commerce promise each other. Payments (payments.service.ts: request, approve,
// execute, cancel, refunds, renewals) builds on the instruments below (methods, plans,
// subscriptions, discounts, coupons) only through these interfaces, so each side is implemented
// and tested on its own and the composition root (src/runtime.ts) wires them together.
//
// Every method that takes an EntityManager runs inside the caller's transaction: it must use that
// manager (never the DataSource) so the payment row and the instrument change commit or roll back
// together. Errors are CommerceErrors (domain/errors.ts): a kind, a code of commerce.messages.ts and its values.
import type { EntityManager } from 'typeorm';
import type { Coupon, CouponIssue, Discount, Payment, PaymentMethod, Plan, Subscription } from './commerce.entities.js';

export interface PaymentMethodsPort {
  /** The member's own, not deleted method; another member's or a missing id → 404 CommerceError. */
  getUsable(userId: number, methodId: number, manager?: EntityManager): Promise<PaymentMethod>;
  /** The member's default method, or null when they have none. */
  getDefault(userId: number, manager?: EntityManager): Promise<PaymentMethod | null>;
  /** Every method of a member (deleted ones included when asked), newest first. */
  listForUser(userId: number, opts?: { includeDeleted?: boolean }): Promise<PaymentMethod[]>;
}

export interface PlansPort {
  /** An active plan by code ("monthly") or numeric id (number or numeric string); unknown → 404. */
  resolve(planCodeOrId: string | number, manager?: EntityManager): Promise<Plan>;
  get(planId: number, manager?: EntityManager): Promise<Plan>;
}

export interface SubscriptionsPort {
  /** The member's subscription (any status) or null. */
  findForUser(userId: number, manager?: EntityManager): Promise<Subscription | null>;
  /**
   * A subscription payment was captured: activate a pending subscription (period starts now) or
   * extend an active/suspended one by one period of its plan (applying a scheduled plan change).
   * Resets renewal attempts. Called inside the capture transaction.
   */
  onPaymentCaptured(manager: EntityManager, payment: Payment, now: Date): Promise<Subscription>;
  /** A subscription payment was fully refunded or cancelled after capture: the period ends now. */
  onPaymentReversed(manager: EntityManager, payment: Payment, now: Date): Promise<void>;
  /** Active subscriptions whose period ended (or whose retry is due) at `now`, oldest first. */
  dueForRenewal(now: Date, limit: number): Promise<Subscription[]>;
  /**
   * A renewal charge failed: count the attempt; retry 1 day later up to 3 attempts over 3 days,
   * then suspend. Returns the subscription after the change.
   */
  onRenewalFailed(manager: EntityManager, subscriptionId: number, reason: string, now: Date): Promise<Subscription>;
  /** Ends subscriptions marked cancel_at_period_end whose period is over (status cancelled). */
  expireCancelled(now: Date): Promise<number>;
}

/** Discounts and coupons as they take part in pricing a payment. */
export interface OffersPort {
  /** A discount that applies to this plan/price at `now` (active, in window, eligible, not exhausted), or a 4xx CommerceError. */
  checkDiscount(discountId: number, input: { planCode: string | null; listPrice: number; currency: string; now: Date }, manager?: EntityManager): Promise<Discount>;
  /**
   * Locks the member's unused issue of this coupon (SELECT … FOR UPDATE), checks the coupon
   * applies to `base` at `now`, and returns both. No issue for this member → 404; used → 409.
   */
  lockCouponForUse(manager: EntityManager, userId: number, couponId: number, input: { base: number; currency: string; now: Date }): Promise<{ coupon: Coupon; issue: CouponIssue }>;
  /**
   * Marks the coupon issue used by the payment and counts one use of the discount (a single
   * conditional UPDATE that fails with 409 when the cap is reached).
   */
  consume(manager: EntityManager, input: { paymentId: number; couponIssueId: number | null; discountId: number | null; now: Date }): Promise<void>;
  /** A payment was cancelled or failed before capture: its coupon is issued again and the discount use is given back. */
  release(manager: EntityManager, input: { paymentId: number; couponIssueId: number | null; discountId: number | null }): Promise<void>;
}
