import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgeVerification1795415179286 implements MigrationInterface {
  name = 'AgeVerification1795415179286';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "age_verifications" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "provider" varchar(20) NOT NULL, "name_masked" varchar(100) NOT NULL, "birth_date" date NOT NULL, "ci_hash" varchar(64) NOT NULL, "verified_at" datetime NOT NULL, "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_age_verifications_user" ON "age_verifications" ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_age_verifications_ci" ON "age_verifications" ("ci_hash") `);
    await queryRunner.query(`CREATE TABLE "verification_transactions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "tx_id" varchar(64) NOT NULL, "user_id" integer NOT NULL, "provider" varchar(20) NOT NULL, "status" varchar(12) NOT NULL DEFAULT ('pending'), "failure_reason" varchar(100), "expires_at" datetime NOT NULL, "completed_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_verification_transactions_tx" ON "verification_transactions" ("tx_id") `);
    await queryRunner.query(`CREATE INDEX "ix_verification_transactions_user" ON "verification_transactions" ("user_id", "created_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_verification_transactions_user"`);
    await queryRunner.query(`DROP INDEX "uq_verification_transactions_tx"`);
    await queryRunner.query(`DROP TABLE "verification_transactions"`);
    await queryRunner.query(`DROP INDEX "uq_age_verifications_ci"`);
    await queryRunner.query(`DROP INDEX "uq_age_verifications_user"`);
    await queryRunner.query(`DROP TABLE "age_verifications"`);
  }
}
