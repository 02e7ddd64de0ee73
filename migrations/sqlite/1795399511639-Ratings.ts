import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Ratings1795399511639 implements MigrationInterface {
  name = 'Ratings1795399511639';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "movie_ratings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "movie_id" integer NOT NULL, "score_half" smallint NOT NULL, "comment" text, "hidden" boolean NOT NULL DEFAULT (0), "hidden_reason" varchar(300), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_movie_ratings_movie_updated" ON "movie_ratings" ("movie_id", "updated_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_movie_ratings_user_movie" ON "movie_ratings" ("user_id", "movie_id") `);
    await queryRunner.query(`DROP INDEX "ix_movie_ratings_movie_updated"`);
    await queryRunner.query(`DROP INDEX "uq_movie_ratings_user_movie"`);
    await queryRunner.query(`CREATE TABLE "temporary_movie_ratings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "movie_id" integer NOT NULL, "score_half" smallint NOT NULL, "comment" text, "hidden" boolean NOT NULL DEFAULT (0), "hidden_reason" varchar(300), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_a8856cf3416814c68d1b57fa23a" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_3b9100120bf30e0e4197c4209e4" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_movie_ratings"("id", "user_id", "movie_id", "score_half", "comment", "hidden", "hidden_reason", "created_at", "updated_at") SELECT "id", "user_id", "movie_id", "score_half", "comment", "hidden", "hidden_reason", "created_at", "updated_at" FROM "movie_ratings"`);
    await queryRunner.query(`DROP TABLE "movie_ratings"`);
    await queryRunner.query(`ALTER TABLE "temporary_movie_ratings" RENAME TO "movie_ratings"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_ratings_movie_updated" ON "movie_ratings" ("movie_id", "updated_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_movie_ratings_user_movie" ON "movie_ratings" ("user_id", "movie_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_movie_ratings_user_movie"`);
    await queryRunner.query(`DROP INDEX "ix_movie_ratings_movie_updated"`);
    await queryRunner.query(`ALTER TABLE "movie_ratings" RENAME TO "temporary_movie_ratings"`);
    await queryRunner.query(`CREATE TABLE "movie_ratings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "movie_id" integer NOT NULL, "score_half" smallint NOT NULL, "comment" text, "hidden" boolean NOT NULL DEFAULT (0), "hidden_reason" varchar(300), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "movie_ratings"("id", "user_id", "movie_id", "score_half", "comment", "hidden", "hidden_reason", "created_at", "updated_at") SELECT "id", "user_id", "movie_id", "score_half", "comment", "hidden", "hidden_reason", "created_at", "updated_at" FROM "temporary_movie_ratings"`);
    await queryRunner.query(`DROP TABLE "temporary_movie_ratings"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_movie_ratings_user_movie" ON "movie_ratings" ("user_id", "movie_id") `);
    await queryRunner.query(`CREATE INDEX "ix_movie_ratings_movie_updated" ON "movie_ratings" ("movie_id", "updated_at") `);
    await queryRunner.query(`DROP INDEX "uq_movie_ratings_user_movie"`);
    await queryRunner.query(`DROP INDEX "ix_movie_ratings_movie_updated"`);
    await queryRunner.query(`DROP TABLE "movie_ratings"`);
  }
}
