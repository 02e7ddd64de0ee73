// Daily snapshot tables. Each is written only by the statistics service, a whole day at a time
// (delete the day's rows, insert the new ones, in one transaction): re-running a day gives the
// same rows. Amounts are integers in the currency's minor unit; a day is a UTC day `YYYY-MM-DD`.
import { BaseEntity, Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** bigint columns come back from mysql2 as strings. */
const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

/** One row per computed day: when it was computed and how long it took. */
@Entity({ name: 'stat_days' })
export class StatDay extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ name: 'computed_at', type: 'datetime' })
  computedAt!: Date;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;

  /** Staff member who asked for a recompute (null: the nightly job). */
  @Column({ name: 'requested_by', type: 'int', nullable: true })
  requestedBy!: number | null;
}

/** Revenue of a day by currency, payment method type and product (plan code or `item`). */
@Entity({ name: 'stat_daily_revenue' })
export class DailyRevenueStat extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ type: 'varchar', length: 3 })
  currency!: string;

  @PrimaryColumn({ name: 'method_type', type: 'varchar', length: 20 })
  methodType!: string;

  @PrimaryColumn({ type: 'varchar', length: 40 })
  product!: string;

  /** Payments captured that day. */
  @Column({ type: 'int' })
  payments!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  gross!: number;

  /** Refunds the gateway completed that day (of payments of any day). */
  @Column({ type: 'int' })
  refunds!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  refunded!: number;

  /** gross − refunded. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  net!: number;
}

/** Subscriptions of a day by plan: started, cancellation requests, ended, and active at day end. */
@Entity({ name: 'stat_daily_subscriptions' })
export class DailySubscriptionStat extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'plan_code', type: 'varchar', length: 40 })
  planCode!: string;

  @Column({ name: 'new_count', type: 'int' })
  newCount!: number;

  @Column({ name: 'cancel_requests', type: 'int' })
  cancelRequests!: number;

  /** Ended that day: cancelled (pending, or at the period end), suspended, or expired by a refund. */
  @Column({ name: 'ended_count', type: 'int' })
  endedCount!: number;

  @Column({ name: 'active_at_end', type: 'int' })
  activeAtEnd!: number;
}

/** Views (distinct members) and watch time per content per day, from the watch events. */
@Entity({ name: 'stat_daily_content_views' })
@Index('ix_stat_content_views_day_views', ['day', 'views'])
export class DailyContentViewStat extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @PrimaryColumn({ name: 'content_id', type: 'int' })
  contentId!: number;

  @Column({ name: 'movie_id', type: 'int', nullable: true })
  movieId!: number | null;

  @Column({ type: 'int' })
  views!: number;

  @Column({ name: 'watch_seconds', type: 'bigint', transformer: bigintNumber })
  watchSeconds!: number;
}
