import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Data migration: the two subscription plans every installation starts with (KRW, price in won). */
export class SeedPlans1795413323089 implements MigrationInterface {
  name = 'SeedPlans1795413323089';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT OR IGNORE INTO "plans" ("code", "name", "interval", "price", "currency", "device_limit", "active") VALUES ('monthly', 'Monthly', 'month', 9900, 'KRW', 2, 1), ('yearly', 'Yearly', 'year', 99000, 'KRW', 4, 1)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "plans" WHERE "code" IN ('monthly', 'yearly')`);
  }
}
