// The commerce model. Money is an integer in the currency's minor unit plus an ISO currency code.
import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const METHOD_TYPES = ['card', 'paypal', 'bank_transfer'] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

/** A member's payment method: only the gateway's token and display data, never a card number or CVC. */
@Entity({ name: 'payment_methods' })
@Index('ix_payment_methods_user', ['userId', 'deletedAt'])
export class PaymentMethod extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 20 })
  type!: MethodType;

  @Column({ name: 'gateway_token', type: 'varchar', length: 200 })
  gatewayToken!: string;

  /** Display label: card brand, "PayPal", or the bank's name. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  brand!: string | null;

  /** Masked display value: card last 4, masked e-mail or masked account number. */
  @Column({ type: 'varchar', length: 120 })
  masked!: string;

  @Column({ name: 'exp_month', type: 'int', nullable: true })
  expMonth!: number | null;

  @Column({ name: 'exp_year', type: 'int', nullable: true })
  expYear!: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  holder!: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  /** Soft delete: payments keep pointing at the method they used. */
  @Column({ name: 'deleted_at', type: 'datetime', nullable: true })
  deletedAt!: Date | null;
}

@Entity({ name: 'plans' })
export class Plan extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('uq_plans_code', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  interval!: 'month' | 'year';

  @Column({ type: 'int' })
  price!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ name: 'device_limit', type: 'int', default: 1 })
  deviceLimit!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}

/** pending: chosen but its first payment is not captured yet. */
export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'cancelled', 'suspended', 'expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** One subscription per member; plan changes take effect at the next period. */
@Entity({ name: 'subscriptions' })
@Index('ix_subscriptions_renewal', ['status', 'nextAttemptAt'])
export class Subscription extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('uq_subscriptions_user', { unique: true })
  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ name: 'plan_id', type: 'int' })
  planId!: number;

  @Column({ name: 'next_plan_id', type: 'int', nullable: true })
  nextPlanId!: number | null;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: SubscriptionStatus;

  @Column({ name: 'method_id', type: 'int', nullable: true })
  methodId!: number | null;

  @Column({ name: 'current_period_start', type: 'datetime', nullable: true })
  currentPeriodStart!: Date | null;

  @Column({ name: 'current_period_end', type: 'datetime', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ name: 'cancel_at_period_end', type: 'boolean', default: false })
  cancelAtPeriodEnd!: boolean;

  /** Failed renewal attempts of the current period (3 → suspended). */
  @Column({ name: 'renewal_attempts', type: 'int', default: 0 })
  renewalAttempts!: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', nullable: true })
  nextAttemptAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

export const PAYMENT_STATUSES = ['requested', 'approved', 'paid', 'partially_refunded', 'refunded', 'cancelled', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

@Entity({ name: 'payments' })
@Index('ix_payments_created', ['createdAt'])
@Index('ix_payments_user_created', ['userId', 'createdAt'])
@Index('ix_payments_status_created', ['status', 'createdAt'])
@Index('ix_payments_paid_at', ['paidAt'])
@Index('ix_payments_plan_period_end', ['planId', 'periodEnd'])
@Index('ix_payments_gateway_ref', ['gateway', 'gatewayRef'])
export class Payment extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 20 })
  kind!: 'subscription' | 'item';

  @Column({ name: 'plan_id', type: 'int', nullable: true })
  planId!: number | null;

  /** A single purchase: the movie id. */
  @Column({ name: 'item_movie_id', type: 'int', nullable: true })
  itemMovieId!: number | null;

  @Column({ name: 'subscription_id', type: 'int', nullable: true })
  subscriptionId!: number | null;

  @Column({ name: 'method_id', type: 'int' })
  methodId!: number;

  @Column({ type: 'varchar', length: 20, default: 'requested' })
  status!: PaymentStatus;

  @Column({ name: 'amount_list', type: 'int' })
  amountList!: number;

  @Column({ name: 'amount_discount', type: 'int', default: 0 })
  amountDiscount!: number;

  @Column({ name: 'amount_coupon', type: 'int', default: 0 })
  amountCoupon!: number;

  @Column({ name: 'amount_total', type: 'int' })
  amountTotal!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** Sum of completed refunds; never above amount_total (checked under the row lock). */
  @Column({ name: 'refunded_amount', type: 'int', default: 0 })
  refundedAmount!: number;

  @Column({ name: 'discount_id', type: 'int', nullable: true })
  discountId!: number | null;

  @Column({ name: 'coupon_issue_id', type: 'int', nullable: true })
  couponIssueId!: number | null;

  @Column({ type: 'varchar', length: 20 })
  gateway!: string;

  @Column({ name: 'gateway_ref', type: 'varchar', length: 200, nullable: true })
  gatewayRef!: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 300, nullable: true })
  failureReason!: string | null;

  @Column({ name: 'period_start', type: 'datetime', nullable: true })
  periodStart!: Date | null;

  @Column({ name: 'period_end', type: 'datetime', nullable: true })
  periodEnd!: Date | null;

  @Column({ name: 'approved_at', type: 'datetime', nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'paid_at', type: 'datetime', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'datetime', nullable: true })
  cancelledAt!: Date | null;

  @VersionColumn({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

export const REFUND_STATUSES = ['requested', 'completed', 'rejected'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

@Entity({ name: 'refunds' })
@Index('ix_refunds_payment', ['paymentId'])
@Index('ix_refunds_status_created', ['status', 'createdAt'])
@Index('ix_refunds_completed_at', ['completedAt'])
export class Refund extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** The public refund code (GET refunds/{refund_code}). */
  @Index('uq_refunds_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ name: 'payment_id', type: 'int' })
  paymentId!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'int' })
  amount!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: RefundStatus;

  /** Which policy rule allowed it (full_7d_unwatched, prorated, override…). */
  @Column({ type: 'varchar', length: 40 })
  rule!: string;

  @Column({ name: 'requested_by', type: 'int', nullable: true })
  requestedBy!: number | null;

  @Column({ name: 'decided_by', type: 'int', nullable: true })
  decidedBy!: number | null;

  @Column({ name: 'gateway_ref', type: 'varchar', length: 200, nullable: true })
  gatewayRef!: string | null;

  /** When the gateway refunded the money (revenue statistics count the refund on this day). */
  @Column({ name: 'completed_at', type: 'datetime', nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/**
 * What happened to a subscription, append-only (the subscriptions row keeps only its present):
 * started (first period captured, also after a cancellation), renewed, cancel_requested (at period
 * end), resumed, cancelled (it ended: at once when pending, or at the period end), suspended
 * (renewals failed), expired (its payment was refunded). Statistics count new and cancelled
 * subscriptions per day from here.
 */
export const SUBSCRIPTION_EVENT_KINDS = ['started', 'renewed', 'cancel_requested', 'resumed', 'cancelled', 'suspended', 'expired'] as const;
export type SubscriptionEventKind = (typeof SUBSCRIPTION_EVENT_KINDS)[number];

@Entity({ name: 'subscription_events' })
@Index('ix_subscription_events_at', ['at'])
@Index('ix_subscription_events_subscription', ['subscriptionId', 'at'])
export class SubscriptionEvent extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'subscription_id', type: 'int' })
  subscriptionId!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  /** The plan the subscription was on when it happened. */
  @Column({ name: 'plan_id', type: 'int' })
  planId!: number;

  @Column({ type: 'varchar', length: 20 })
  kind!: SubscriptionEventKind;

  @Column({ type: 'datetime' })
  at!: Date;
}

@Entity({ name: 'discounts' })
export class Discount extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: 'partner' | 'promotion';

  @Column({ type: 'varchar', length: 10 })
  type!: 'percent' | 'fixed';

  /** percent: 1–100; fixed: minor units of `currency`. */
  @Column({ type: 'int' })
  value!: number;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'valid_from', type: 'datetime', nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_until', type: 'datetime', nullable: true })
  validUntil!: Date | null;

  /** Plan codes it applies to; empty = every plan. */
  @Column({ name: 'plan_codes', type: 'simple-json' })
  planCodes!: string[];

  @Column({ name: 'max_uses', type: 'int', nullable: true })
  maxUses!: number | null;

  @Column({ name: 'used_count', type: 'int', default: 0 })
  usedCount!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

@Entity({ name: 'coupons' })
export class Coupon extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('uq_coupons_code', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  type!: 'percent' | 'fixed';

  @Column({ type: 'int' })
  value!: number;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'min_amount', type: 'int', default: 0 })
  minAmount!: number;

  @Column({ name: 'valid_from', type: 'datetime', nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_until', type: 'datetime', nullable: true })
  validUntil!: Date | null;

  @Column({ name: 'total_limit', type: 'int', nullable: true })
  totalLimit!: number | null;

  @Column({ name: 'per_user_limit', type: 'int', default: 1 })
  perUserLimit!: number;

  /** Issued so far; incremented atomically with a limit check in the same UPDATE. */
  @Column({ name: 'issued_count', type: 'int', default: 0 })
  issuedCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

@Entity({ name: 'coupon_issues' })
@Index('ix_coupon_issues_user', ['userId', 'status'])
@Index('ix_coupon_issues_coupon', ['couponId'])
export class CouponIssue extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'coupon_id', type: 'int' })
  couponId!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 10, default: 'issued' })
  status!: 'issued' | 'used' | 'revoked';

  @Column({ name: 'payment_id', type: 'int', nullable: true })
  paymentId!: number | null;

  @Column({ name: 'issued_by', type: 'int', nullable: true })
  issuedBy!: number | null;

  @CreateDateColumn({ name: 'issued_at', type: 'datetime' })
  issuedAt!: Date;

  @Column({ name: 'used_at', type: 'datetime', nullable: true })
  usedAt!: Date | null;
}

/** Idempotency-Key records of money-moving POSTs (kept ≥ 24 h). */
@Entity({ name: 'idempotency_keys' })
@Index('ix_idempotency_keys_expires', ['expiresAt'])
export class IdempotencyRecord extends BaseEntity {
  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId!: number;

  @PrimaryColumn({ name: 'idem_key', type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'varchar', length: 100 })
  endpoint!: string;

  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  /** null while the first request is still running. */
  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;
}

/** Gateway webhook events already processed (deduplicated by the provider's event id). */
@Entity({ name: 'gateway_events' })
@Index('ix_gateway_events_received', ['receivedAt'])
export class GatewayEvent extends BaseEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 100 })
  eventId!: string;

  @Column({ type: 'varchar', length: 20 })
  gateway!: string;

  @CreateDateColumn({ name: 'received_at', type: 'datetime' })
  receivedAt!: Date;
}
