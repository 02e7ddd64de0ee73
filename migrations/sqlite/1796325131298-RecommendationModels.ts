import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RecommendationModels1796325131298 implements MigrationInterface {
  name = 'RecommendationModels1796325131298';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "rec_models" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "run_id" integer, "status" varchar(10) NOT NULL DEFAULT ('writing'), "bytes" integer NOT NULL, "chunks" integer NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_rec_models_status" ON "rec_models" ("status", "id") `);
    await queryRunner.query(`CREATE TABLE "rec_model_chunks" ("model_id" integer NOT NULL, "seq" integer NOT NULL, "data" blob NOT NULL, PRIMARY KEY ("model_id", "seq"))`);
    await queryRunner.query(`CREATE TABLE "rec_locks" ("name" varchar(40) PRIMARY KEY NOT NULL, "holder" varchar(64) NOT NULL, "expires_at_ms" double NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rec_locks"`);
    await queryRunner.query(`DROP TABLE "rec_model_chunks"`);
    await queryRunner.query(`DROP INDEX "ix_rec_models_status"`);
    await queryRunner.query(`DROP TABLE "rec_models"`);
  }
}
