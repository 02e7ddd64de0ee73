import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Statistics1796159674667 implements MigrationInterface {
  name = 'Statistics1796159674667';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`subscription_events\` (\`id\` int NOT NULL AUTO_INCREMENT, \`subscription_id\` int NOT NULL, \`user_id\` int NOT NULL, \`plan_id\` int NOT NULL, \`kind\` varchar(20) NOT NULL, \`at\` datetime NOT NULL, INDEX \`ix_subscription_events_subscription\` (\`subscription_id\`, \`at\`), INDEX \`ix_subscription_events_at\` (\`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`stat_days\` (\`day\` varchar(10) NOT NULL, \`computed_at\` datetime NOT NULL, \`duration_ms\` int NOT NULL, \`requested_by\` int NULL, PRIMARY KEY (\`day\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`stat_daily_revenue\` (\`day\` varchar(10) NOT NULL, \`currency\` varchar(3) NOT NULL, \`method_type\` varchar(20) NOT NULL, \`product\` varchar(40) NOT NULL, \`payments\` int NOT NULL, \`gross\` bigint NOT NULL, \`refunds\` int NOT NULL, \`refunded\` bigint NOT NULL, \`net\` bigint NOT NULL, PRIMARY KEY (\`day\`, \`currency\`, \`method_type\`, \`product\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`stat_daily_subscriptions\` (\`day\` varchar(10) NOT NULL, \`plan_code\` varchar(40) NOT NULL, \`new_count\` int NOT NULL, \`cancel_requests\` int NOT NULL, \`ended_count\` int NOT NULL, \`active_at_end\` int NOT NULL, PRIMARY KEY (\`day\`, \`plan_code\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`stat_daily_content_views\` (\`day\` varchar(10) NOT NULL, \`content_id\` int NOT NULL, \`movie_id\` int NULL, \`views\` int NOT NULL, \`watch_seconds\` bigint NOT NULL, INDEX \`ix_stat_content_views_day_views\` (\`day\`, \`views\`), PRIMARY KEY (\`day\`, \`content_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`refunds\` ADD \`completed_at\` datetime NULL`);
    await queryRunner.query(`CREATE INDEX \`ix_payments_plan_period_end\` ON \`payments\` (\`plan_id\`, \`period_end\`)`);
    await queryRunner.query(`CREATE INDEX \`ix_refunds_completed_at\` ON \`refunds\` (\`completed_at\`)`);
    // Subscriptions captured before this migration: their first capture is their start.
    await queryRunner.query(`INSERT INTO subscription_events (subscription_id, user_id, plan_id, kind, at) SELECT p.subscription_id, p.user_id, p.plan_id, 'started', p.paid_at FROM payments p WHERE p.kind = 'subscription' AND p.subscription_id IS NOT NULL AND p.plan_id IS NOT NULL AND p.paid_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments q WHERE q.subscription_id = p.subscription_id AND q.kind = 'subscription' AND q.paid_at IS NOT NULL AND (q.paid_at < p.paid_at OR (q.paid_at = p.paid_at AND q.id < p.id)))`);
    // Refunds completed before this migration count on the day of their last update.
    await queryRunner.query(`UPDATE refunds SET completed_at = updated_at WHERE status = 'completed' AND gateway_ref IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_refunds_completed_at\` ON \`refunds\``);
    await queryRunner.query(`DROP INDEX \`ix_payments_plan_period_end\` ON \`payments\``);
    await queryRunner.query(`ALTER TABLE \`refunds\` DROP COLUMN \`completed_at\``);
    await queryRunner.query(`DROP INDEX \`ix_stat_content_views_day_views\` ON \`stat_daily_content_views\``);
    await queryRunner.query(`DROP TABLE \`stat_daily_content_views\``);
    await queryRunner.query(`DROP TABLE \`stat_daily_subscriptions\``);
    await queryRunner.query(`DROP TABLE \`stat_daily_revenue\``);
    await queryRunner.query(`DROP TABLE \`stat_days\``);
    await queryRunner.query(`DROP INDEX \`ix_subscription_events_at\` ON \`subscription_events\``);
    await queryRunner.query(`DROP INDEX \`ix_subscription_events_subscription\` ON \`subscription_events\``);
    await queryRunner.query(`DROP TABLE \`subscription_events\``);
  }
}
