import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Commerce1795412843630 implements MigrationInterface {
  name = 'Commerce1795412843630';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`payment_methods\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`type\` varchar(20) NOT NULL, \`gateway_token\` varchar(200) NOT NULL, \`brand\` varchar(40) NULL, \`masked\` varchar(120) NOT NULL, \`exp_month\` int NULL, \`exp_year\` int NULL, \`holder\` varchar(100) NULL, \`is_default\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`deleted_at\` datetime NULL, INDEX \`ix_payment_methods_user\` (\`user_id\`, \`deleted_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`plans\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(40) NOT NULL, \`name\` varchar(100) NOT NULL, \`interval\` varchar(10) NOT NULL, \`price\` int NOT NULL, \`currency\` varchar(3) NOT NULL, \`device_limit\` int NOT NULL DEFAULT '1', \`active\` tinyint NOT NULL DEFAULT 1, UNIQUE INDEX \`uq_plans_code\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`subscriptions\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`plan_id\` int NOT NULL, \`next_plan_id\` int NULL, \`status\` varchar(20) NOT NULL DEFAULT 'pending', \`method_id\` int NULL, \`current_period_start\` datetime NULL, \`current_period_end\` datetime NULL, \`cancel_at_period_end\` tinyint NOT NULL DEFAULT 0, \`renewal_attempts\` int NOT NULL DEFAULT '0', \`next_attempt_at\` datetime NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_subscriptions_user\` (\`user_id\`), INDEX \`ix_subscriptions_renewal\` (\`status\`, \`next_attempt_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`payments\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`kind\` varchar(20) NOT NULL, \`plan_id\` int NULL, \`item_movie_id\` int NULL, \`subscription_id\` int NULL, \`method_id\` int NOT NULL, \`status\` varchar(20) NOT NULL DEFAULT 'requested', \`amount_list\` int NOT NULL, \`amount_discount\` int NOT NULL DEFAULT '0', \`amount_coupon\` int NOT NULL DEFAULT '0', \`amount_total\` int NOT NULL, \`currency\` varchar(3) NOT NULL, \`refunded_amount\` int NOT NULL DEFAULT '0', \`discount_id\` int NULL, \`coupon_issue_id\` int NULL, \`gateway\` varchar(20) NOT NULL, \`gateway_ref\` varchar(200) NULL, \`failure_reason\` varchar(300) NULL, \`period_start\` datetime NULL, \`period_end\` datetime NULL, \`approved_at\` datetime NULL, \`paid_at\` datetime NULL, \`cancelled_at\` datetime NULL, \`version\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_payments_paid_at\` (\`paid_at\`), INDEX \`ix_payments_status_created\` (\`status\`, \`created_at\`), INDEX \`ix_payments_user_created\` (\`user_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`refunds\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`payment_id\` int NOT NULL, \`user_id\` int NOT NULL, \`amount\` int NOT NULL, \`currency\` varchar(3) NOT NULL, \`reason\` varchar(500) NOT NULL, \`status\` varchar(20) NOT NULL, \`rule\` varchar(40) NOT NULL, \`requested_by\` int NULL, \`decided_by\` int NULL, \`gateway_ref\` varchar(200) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_refunds_code\` (\`code\`), INDEX \`ix_refunds_status_created\` (\`status\`, \`created_at\`), INDEX \`ix_refunds_payment\` (\`payment_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`discounts\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`kind\` varchar(20) NOT NULL, \`type\` varchar(10) NOT NULL, \`value\` int NOT NULL, \`currency\` varchar(3) NULL, \`valid_from\` datetime NULL, \`valid_until\` datetime NULL, \`plan_codes\` text NOT NULL, \`max_uses\` int NULL, \`used_count\` int NOT NULL DEFAULT '0', \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`coupons\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(40) NOT NULL, \`name\` varchar(100) NOT NULL, \`type\` varchar(10) NOT NULL, \`value\` int NOT NULL, \`currency\` varchar(3) NULL, \`min_amount\` int NOT NULL DEFAULT '0', \`valid_from\` datetime NULL, \`valid_until\` datetime NULL, \`total_limit\` int NULL, \`per_user_limit\` int NOT NULL DEFAULT '1', \`issued_count\` int NOT NULL DEFAULT '0', \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_coupons_code\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`coupon_issues\` (\`id\` int NOT NULL AUTO_INCREMENT, \`coupon_id\` int NOT NULL, \`user_id\` int NOT NULL, \`status\` varchar(10) NOT NULL DEFAULT 'issued', \`payment_id\` int NULL, \`issued_by\` int NULL, \`issued_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`used_at\` datetime NULL, INDEX \`ix_coupon_issues_coupon\` (\`coupon_id\`), INDEX \`ix_coupon_issues_user\` (\`user_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`idempotency_keys\` (\`user_id\` int NOT NULL, \`idem_key\` varchar(100) NOT NULL, \`endpoint\` varchar(100) NOT NULL, \`request_hash\` varchar(64) NOT NULL, \`response_status\` int NULL, \`response_body\` text NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`expires_at\` datetime NOT NULL, INDEX \`ix_idempotency_keys_expires\` (\`expires_at\`), PRIMARY KEY (\`user_id\`, \`idem_key\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`gateway_events\` (\`event_id\` varchar(100) NOT NULL, \`gateway\` varchar(20) NOT NULL, \`received_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`event_id\`)) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`gateway_events\``);
    await queryRunner.query(`DROP INDEX \`ix_idempotency_keys_expires\` ON \`idempotency_keys\``);
    await queryRunner.query(`DROP TABLE \`idempotency_keys\``);
    await queryRunner.query(`DROP INDEX \`ix_coupon_issues_user\` ON \`coupon_issues\``);
    await queryRunner.query(`DROP INDEX \`ix_coupon_issues_coupon\` ON \`coupon_issues\``);
    await queryRunner.query(`DROP TABLE \`coupon_issues\``);
    await queryRunner.query(`DROP INDEX \`uq_coupons_code\` ON \`coupons\``);
    await queryRunner.query(`DROP TABLE \`coupons\``);
    await queryRunner.query(`DROP TABLE \`discounts\``);
    await queryRunner.query(`DROP INDEX \`ix_refunds_payment\` ON \`refunds\``);
    await queryRunner.query(`DROP INDEX \`ix_refunds_status_created\` ON \`refunds\``);
    await queryRunner.query(`DROP INDEX \`uq_refunds_code\` ON \`refunds\``);
    await queryRunner.query(`DROP TABLE \`refunds\``);
    await queryRunner.query(`DROP INDEX \`ix_payments_user_created\` ON \`payments\``);
    await queryRunner.query(`DROP INDEX \`ix_payments_status_created\` ON \`payments\``);
    await queryRunner.query(`DROP INDEX \`ix_payments_paid_at\` ON \`payments\``);
    await queryRunner.query(`DROP TABLE \`payments\``);
    await queryRunner.query(`DROP INDEX \`ix_subscriptions_renewal\` ON \`subscriptions\``);
    await queryRunner.query(`DROP INDEX \`uq_subscriptions_user\` ON \`subscriptions\``);
    await queryRunner.query(`DROP TABLE \`subscriptions\``);
    await queryRunner.query(`DROP INDEX \`uq_plans_code\` ON \`plans\``);
    await queryRunner.query(`DROP TABLE \`plans\``);
    await queryRunner.query(`DROP INDEX \`ix_payment_methods_user\` ON \`payment_methods\``);
    await queryRunner.query(`DROP TABLE \`payment_methods\``);
  }
}
