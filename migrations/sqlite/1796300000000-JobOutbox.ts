import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobOutbox1796300000000 implements MigrationInterface {
  name = 'JobOutbox1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "job_outbox" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "job_name" varchar(64) NOT NULL, "payload" text NOT NULL, "job_id" varchar(191), "dedup_id" varchar(191), "run_at" datetime NOT NULL, "available_at" datetime NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "last_error" varchar(500), "relayed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_job_outbox_dedup" ON "job_outbox" ("dedup_id") `);
    await queryRunner.query(`CREATE INDEX "ix_job_outbox_due" ON "job_outbox" ("relayed_at", "available_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_job_outbox_due"`);
    await queryRunner.query(`DROP INDEX "ux_job_outbox_dedup"`);
    await queryRunner.query(`DROP TABLE "job_outbox"`);
  }
}
