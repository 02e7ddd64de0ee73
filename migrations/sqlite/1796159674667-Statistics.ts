import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Statistics1796159674667 implements MigrationInterface {
  name = 'Statistics1796159674667';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "subscription_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "subscription_id" integer NOT NULL, "user_id" integer NOT NULL, "plan_id" integer NOT NULL, "kind" varchar(20) NOT NULL, "at" datetime NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_subscription_events_subscription" ON "subscription_events" ("subscription_id", "at") `);
    await queryRunner.query(`CREATE INDEX "ix_subscription_events_at" ON "subscription_events" ("at") `);
    await queryRunner.query(`CREATE TABLE "stat_days" ("day" varchar(10) PRIMARY KEY NOT NULL, "computed_at" datetime NOT NULL, "duration_ms" integer NOT NULL, "requested_by" integer)`);
    await queryRunner.query(`CREATE TABLE "stat_daily_revenue" ("day" varchar(10) NOT NULL, "currency" varchar(3) NOT NULL, "method_type" varchar(20) NOT NULL, "product" varchar(40) NOT NULL, "payments" integer NOT NULL, "gross" bigint NOT NULL, "refunds" integer NOT NULL, "refunded" bigint NOT NULL, "net" bigint NOT NULL, PRIMARY KEY ("day", "currency", "method_type", "product"))`);
    await queryRunner.query(`CREATE TABLE "stat_daily_subscriptions" ("day" varchar(10) NOT NULL, "plan_code" varchar(40) NOT NULL, "new_count" integer NOT NULL, "cancel_requests" integer NOT NULL, "ended_count" integer NOT NULL, "active_at_end" integer NOT NULL, PRIMARY KEY ("day", "plan_code"))`);
    await queryRunner.query(`CREATE TABLE "stat_daily_content_views" ("day" varchar(10) NOT NULL, "content_id" integer NOT NULL, "movie_id" integer, "views" integer NOT NULL, "watch_seconds" bigint NOT NULL, PRIMARY KEY ("day", "content_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_stat_content_views_day_views" ON "stat_daily_content_views" ("day", "views") `);
    await queryRunner.query(`DROP INDEX "ix_refunds_payment"`);
    await queryRunner.query(`DROP INDEX "ix_refunds_status_created"`);
    await queryRunner.query(`DROP INDEX "uq_refunds_code"`);
    await queryRunner.query(`CREATE TABLE "temporary_refunds" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "payment_id" integer NOT NULL, "user_id" integer NOT NULL, "amount" integer NOT NULL, "currency" varchar(3) NOT NULL, "reason" varchar(500) NOT NULL, "status" varchar(20) NOT NULL, "rule" varchar(40) NOT NULL, "requested_by" integer, "decided_by" integer, "gateway_ref" varchar(200), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "completed_at" datetime)`);
    await queryRunner.query(`INSERT INTO "temporary_refunds"("id", "code", "payment_id", "user_id", "amount", "currency", "reason", "status", "rule", "requested_by", "decided_by", "gateway_ref", "created_at", "updated_at") SELECT "id", "code", "payment_id", "user_id", "amount", "currency", "reason", "status", "rule", "requested_by", "decided_by", "gateway_ref", "created_at", "updated_at" FROM "refunds"`);
    await queryRunner.query(`DROP TABLE "refunds"`);
    await queryRunner.query(`ALTER TABLE "temporary_refunds" RENAME TO "refunds"`);
    await queryRunner.query(`CREATE INDEX "ix_refunds_payment" ON "refunds" ("payment_id") `);
    await queryRunner.query(`CREATE INDEX "ix_refunds_status_created" ON "refunds" ("status", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_refunds_code" ON "refunds" ("code") `);
    await queryRunner.query(`CREATE INDEX "ix_payments_plan_period_end" ON "payments" ("plan_id", "period_end") `);
    await queryRunner.query(`CREATE INDEX "ix_refunds_completed_at" ON "refunds" ("completed_at") `);
    // Subscriptions captured before this migration: their first capture is their start.
    await queryRunner.query(`INSERT INTO subscription_events (subscription_id, user_id, plan_id, kind, at) SELECT p.subscription_id, p.user_id, p.plan_id, 'started', p.paid_at FROM payments p WHERE p.kind = 'subscription' AND p.subscription_id IS NOT NULL AND p.plan_id IS NOT NULL AND p.paid_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments q WHERE q.subscription_id = p.subscription_id AND q.kind = 'subscription' AND q.paid_at IS NOT NULL AND (q.paid_at < p.paid_at OR (q.paid_at = p.paid_at AND q.id < p.id)))`);
    // Refunds completed before this migration count on the day of their last update.
    await queryRunner.query(`UPDATE refunds SET completed_at = updated_at WHERE status = 'completed' AND gateway_ref IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_refunds_completed_at"`);
    await queryRunner.query(`DROP INDEX "ix_payments_plan_period_end"`);
    await queryRunner.query(`DROP INDEX "uq_refunds_code"`);
    await queryRunner.query(`DROP INDEX "ix_refunds_status_created"`);
    await queryRunner.query(`DROP INDEX "ix_refunds_payment"`);
    await queryRunner.query(`ALTER TABLE "refunds" RENAME TO "temporary_refunds"`);
    await queryRunner.query(`CREATE TABLE "refunds" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "payment_id" integer NOT NULL, "user_id" integer NOT NULL, "amount" integer NOT NULL, "currency" varchar(3) NOT NULL, "reason" varchar(500) NOT NULL, "status" varchar(20) NOT NULL, "rule" varchar(40) NOT NULL, "requested_by" integer, "decided_by" integer, "gateway_ref" varchar(200), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "refunds"("id", "code", "payment_id", "user_id", "amount", "currency", "reason", "status", "rule", "requested_by", "decided_by", "gateway_ref", "created_at", "updated_at") SELECT "id", "code", "payment_id", "user_id", "amount", "currency", "reason", "status", "rule", "requested_by", "decided_by", "gateway_ref", "created_at", "updated_at" FROM "temporary_refunds"`);
    await queryRunner.query(`DROP TABLE "temporary_refunds"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_refunds_code" ON "refunds" ("code") `);
    await queryRunner.query(`CREATE INDEX "ix_refunds_status_created" ON "refunds" ("status", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_refunds_payment" ON "refunds" ("payment_id") `);
    await queryRunner.query(`DROP INDEX "ix_stat_content_views_day_views"`);
    await queryRunner.query(`DROP TABLE "stat_daily_content_views"`);
    await queryRunner.query(`DROP TABLE "stat_daily_subscriptions"`);
    await queryRunner.query(`DROP TABLE "stat_daily_revenue"`);
    await queryRunner.query(`DROP TABLE "stat_days"`);
    await queryRunner.query(`DROP INDEX "ix_subscription_events_at"`);
    await queryRunner.query(`DROP INDEX "ix_subscription_events_subscription"`);
    await queryRunner.query(`DROP TABLE "subscription_events"`);
  }
}
