import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Commerce1795412843630 implements MigrationInterface {
  name = 'Commerce1795412843630';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "payment_methods" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "type" varchar(20) NOT NULL, "gateway_token" varchar(200) NOT NULL, "brand" varchar(40), "masked" varchar(120) NOT NULL, "exp_month" integer, "exp_year" integer, "holder" varchar(100), "is_default" boolean NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "deleted_at" datetime)`);
    await queryRunner.query(`CREATE INDEX "ix_payment_methods_user" ON "payment_methods" ("user_id", "deleted_at") `);
    await queryRunner.query(`CREATE TABLE "plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(100) NOT NULL, "interval" varchar(10) NOT NULL, "price" integer NOT NULL, "currency" varchar(3) NOT NULL, "device_limit" integer NOT NULL DEFAULT (1), "active" boolean NOT NULL DEFAULT (1))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_plans_code" ON "plans" ("code") `);
    await queryRunner.query(`CREATE TABLE "subscriptions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "plan_id" integer NOT NULL, "next_plan_id" integer, "status" varchar(20) NOT NULL DEFAULT ('pending'), "method_id" integer, "current_period_start" datetime, "current_period_end" datetime, "cancel_at_period_end" boolean NOT NULL DEFAULT (0), "renewal_attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_subscriptions_user" ON "subscriptions" ("user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_subscriptions_renewal" ON "subscriptions" ("status", "next_attempt_at") `);
    await queryRunner.query(`CREATE TABLE "payments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "kind" varchar(20) NOT NULL, "plan_id" integer, "item_movie_id" integer, "subscription_id" integer, "method_id" integer NOT NULL, "status" varchar(20) NOT NULL DEFAULT ('requested'), "amount_list" integer NOT NULL, "amount_discount" integer NOT NULL DEFAULT (0), "amount_coupon" integer NOT NULL DEFAULT (0), "amount_total" integer NOT NULL, "currency" varchar(3) NOT NULL, "refunded_amount" integer NOT NULL DEFAULT (0), "discount_id" integer, "coupon_issue_id" integer, "gateway" varchar(20) NOT NULL, "gateway_ref" varchar(200), "failure_reason" varchar(300), "period_start" datetime, "period_end" datetime, "approved_at" datetime, "paid_at" datetime, "cancelled_at" datetime, "version" integer NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_payments_paid_at" ON "payments" ("paid_at") `);
    await queryRunner.query(`CREATE INDEX "ix_payments_status_created" ON "payments" ("status", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_payments_user_created" ON "payments" ("user_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "refunds" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "payment_id" integer NOT NULL, "user_id" integer NOT NULL, "amount" integer NOT NULL, "currency" varchar(3) NOT NULL, "reason" varchar(500) NOT NULL, "status" varchar(20) NOT NULL, "rule" varchar(40) NOT NULL, "requested_by" integer, "decided_by" integer, "gateway_ref" varchar(200), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_refunds_code" ON "refunds" ("code") `);
    await queryRunner.query(`CREATE INDEX "ix_refunds_status_created" ON "refunds" ("status", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_refunds_payment" ON "refunds" ("payment_id") `);
    await queryRunner.query(`CREATE TABLE "discounts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "kind" varchar(20) NOT NULL, "type" varchar(10) NOT NULL, "value" integer NOT NULL, "currency" varchar(3), "valid_from" datetime, "valid_until" datetime, "plan_codes" text NOT NULL, "max_uses" integer, "used_count" integer NOT NULL DEFAULT (0), "active" boolean NOT NULL DEFAULT (1), "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE TABLE "coupons" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(100) NOT NULL, "type" varchar(10) NOT NULL, "value" integer NOT NULL, "currency" varchar(3), "min_amount" integer NOT NULL DEFAULT (0), "valid_from" datetime, "valid_until" datetime, "total_limit" integer, "per_user_limit" integer NOT NULL DEFAULT (1), "issued_count" integer NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_coupons_code" ON "coupons" ("code") `);
    await queryRunner.query(`CREATE TABLE "coupon_issues" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "coupon_id" integer NOT NULL, "user_id" integer NOT NULL, "status" varchar(10) NOT NULL DEFAULT ('issued'), "payment_id" integer, "issued_by" integer, "issued_at" datetime NOT NULL DEFAULT (datetime('now')), "used_at" datetime)`);
    await queryRunner.query(`CREATE INDEX "ix_coupon_issues_coupon" ON "coupon_issues" ("coupon_id") `);
    await queryRunner.query(`CREATE INDEX "ix_coupon_issues_user" ON "coupon_issues" ("user_id", "status") `);
    await queryRunner.query(`CREATE TABLE "idempotency_keys" ("user_id" integer NOT NULL, "idem_key" varchar(100) NOT NULL, "endpoint" varchar(100) NOT NULL, "request_hash" varchar(64) NOT NULL, "response_status" integer, "response_body" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime NOT NULL, PRIMARY KEY ("user_id", "idem_key"))`);
    await queryRunner.query(`CREATE INDEX "ix_idempotency_keys_expires" ON "idempotency_keys" ("expires_at") `);
    await queryRunner.query(`CREATE TABLE "gateway_events" ("event_id" varchar(100) PRIMARY KEY NOT NULL, "gateway" varchar(20) NOT NULL, "received_at" datetime NOT NULL DEFAULT (datetime('now')))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gateway_events"`);
    await queryRunner.query(`DROP INDEX "ix_idempotency_keys_expires"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "ix_coupon_issues_user"`);
    await queryRunner.query(`DROP INDEX "ix_coupon_issues_coupon"`);
    await queryRunner.query(`DROP TABLE "coupon_issues"`);
    await queryRunner.query(`DROP INDEX "uq_coupons_code"`);
    await queryRunner.query(`DROP TABLE "coupons"`);
    await queryRunner.query(`DROP TABLE "discounts"`);
    await queryRunner.query(`DROP INDEX "ix_refunds_payment"`);
    await queryRunner.query(`DROP INDEX "ix_refunds_status_created"`);
    await queryRunner.query(`DROP INDEX "uq_refunds_code"`);
    await queryRunner.query(`DROP TABLE "refunds"`);
    await queryRunner.query(`DROP INDEX "ix_payments_user_created"`);
    await queryRunner.query(`DROP INDEX "ix_payments_status_created"`);
    await queryRunner.query(`DROP INDEX "ix_payments_paid_at"`);
    await queryRunner.query(`DROP TABLE "payments"`);
    await queryRunner.query(`DROP INDEX "ix_subscriptions_renewal"`);
    await queryRunner.query(`DROP INDEX "uq_subscriptions_user"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
    await queryRunner.query(`DROP INDEX "uq_plans_code"`);
    await queryRunner.query(`DROP TABLE "plans"`);
    await queryRunner.query(`DROP INDEX "ix_payment_methods_user"`);
    await queryRunner.query(`DROP TABLE "payment_methods"`);
  }
}
