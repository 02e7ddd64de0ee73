import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Recommendations1795399720191 implements MigrationInterface {
  name = 'Recommendations1795399720191';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "rec_runs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar(10) NOT NULL, "status" varchar(10) NOT NULL DEFAULT ('running'), "progress" integer NOT NULL DEFAULT (0), "algorithm" varchar(20), "ratings" integer NOT NULL DEFAULT (0), "users" integer NOT NULL DEFAULT (0), "items" integer NOT NULL DEFAULT (0), "global_mean" double, "user_id" integer, "duration_ms" integer, "error" varchar(500), "started_at" datetime NOT NULL DEFAULT (datetime('now')), "finished_at" datetime)`);
    await queryRunner.query(`CREATE TABLE "user_recommendations" ("user_id" integer NOT NULL, "movie_id" integer NOT NULL, "rank" integer NOT NULL, "predicted_x100" integer NOT NULL, "run_id" integer NOT NULL, PRIMARY KEY ("user_id", "movie_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_user_recommendations_rank" ON "user_recommendations" ("user_id", "rank") `);
    await queryRunner.query(`CREATE TABLE "rec_biases" ("kind" varchar(4) NOT NULL, "ref_id" integer NOT NULL, "bias" double NOT NULL, PRIMARY KEY ("kind", "ref_id"))`);
    await queryRunner.query(`CREATE TABLE "auto_display" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "movie_id" integer NOT NULL, "position" integer NOT NULL, "origin" varchar(20) NOT NULL DEFAULT ('recommendation'), "edited" boolean NOT NULL DEFAULT (0), "removed" boolean NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_auto_display_user_position" ON "auto_display" ("user_id", "position") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_auto_display_user_movie" ON "auto_display" ("user_id", "movie_id") `);
    await queryRunner.query(`CREATE TABLE "top10_by_country" ("country" varchar(2) NOT NULL, "rank" integer NOT NULL, "movie_id" integer NOT NULL, "rating_x100" integer NOT NULL, "rating_count" integer NOT NULL, "views" integer NOT NULL, "computed_at" datetime NOT NULL, PRIMARY KEY ("country", "rank"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "top10_by_country"`);
    await queryRunner.query(`DROP INDEX "uq_auto_display_user_movie"`);
    await queryRunner.query(`DROP INDEX "ix_auto_display_user_position"`);
    await queryRunner.query(`DROP TABLE "auto_display"`);
    await queryRunner.query(`DROP TABLE "rec_biases"`);
    await queryRunner.query(`DROP INDEX "ix_user_recommendations_rank"`);
    await queryRunner.query(`DROP TABLE "user_recommendations"`);
    await queryRunner.query(`DROP TABLE "rec_runs"`);
  }
}
