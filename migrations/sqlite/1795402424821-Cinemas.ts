import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Cinemas1795402424821 implements MigrationInterface {
  name = 'Cinemas1795402424821';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "cinemas" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "region" varchar(20) NOT NULL, "area" varchar(20) NOT NULL, "name" varchar(100) NOT NULL, "code" varchar(20), "tel" varchar(30), "address" varchar(300) NOT NULL, "x" double NOT NULL, "y" double NOT NULL, "url" varchar(500), "public" text, "parking" text, "type" varchar(20) NOT NULL, "img" varchar(500), "rating_count" integer NOT NULL DEFAULT (0), "rating_sum_half" integer NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_cinemas_area" ON "cinemas" ("area") `);
    await queryRunner.query(`CREATE INDEX "ix_cinemas_geo" ON "cinemas" ("y", "x") `);
    await queryRunner.query(`CREATE TABLE "showtimes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "movie_id" integer NOT NULL, "info" varchar(100) NOT NULL DEFAULT (''), "date" date NOT NULL, "start_time" time NOT NULL, "end_time" time, "total_seats" integer, "seats" integer, "url" varchar(500), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_showtimes_date_movie" ON "showtimes" ("date", "movie_id") `);
    await queryRunner.query(`CREATE INDEX "ix_showtimes_movie_date" ON "showtimes" ("movie_id", "date") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_showtimes_slot" ON "showtimes" ("cinema_id", "date", "start_time", "info") `);
    await queryRunner.query(`CREATE TABLE "cinema_picks" ("user_id" integer NOT NULL, "cinema_id" integer NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), PRIMARY KEY ("user_id", "cinema_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_cinema_picks_cinema" ON "cinema_picks" ("cinema_id") `);
    await queryRunner.query(`CREATE TABLE "cinema_ratings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "cinema_id" integer NOT NULL, "score_half" smallint NOT NULL, "comment" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_cinema_ratings_cinema_updated" ON "cinema_ratings" ("cinema_id", "updated_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cinema_ratings_user_cinema" ON "cinema_ratings" ("user_id", "cinema_id") `);
    await queryRunner.query(`DROP INDEX "ix_showtimes_date_movie"`);
    await queryRunner.query(`DROP INDEX "ix_showtimes_movie_date"`);
    await queryRunner.query(`DROP INDEX "uq_showtimes_slot"`);
    await queryRunner.query(`CREATE TABLE "temporary_showtimes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "movie_id" integer NOT NULL, "info" varchar(100) NOT NULL DEFAULT (''), "date" date NOT NULL, "start_time" time NOT NULL, "end_time" time, "total_seats" integer, "seats" integer, "url" varchar(500), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_d8434cba552cd29c2496d4067bf" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_cbe689b0c116fbc866d8ea21759" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_showtimes"("id", "cinema_id", "movie_id", "info", "date", "start_time", "end_time", "total_seats", "seats", "url", "created_at", "updated_at") SELECT "id", "cinema_id", "movie_id", "info", "date", "start_time", "end_time", "total_seats", "seats", "url", "created_at", "updated_at" FROM "showtimes"`);
    await queryRunner.query(`DROP TABLE "showtimes"`);
    await queryRunner.query(`ALTER TABLE "temporary_showtimes" RENAME TO "showtimes"`);
    await queryRunner.query(`CREATE INDEX "ix_showtimes_date_movie" ON "showtimes" ("date", "movie_id") `);
    await queryRunner.query(`CREATE INDEX "ix_showtimes_movie_date" ON "showtimes" ("movie_id", "date") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_showtimes_slot" ON "showtimes" ("cinema_id", "date", "start_time", "info") `);
    await queryRunner.query(`DROP INDEX "ix_cinema_picks_cinema"`);
    await queryRunner.query(`CREATE TABLE "temporary_cinema_picks" ("user_id" integer NOT NULL, "cinema_id" integer NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_53de2b6cbfb828e34e27464d15b" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_5b94a34c51358a70d684636bea6" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("user_id", "cinema_id"))`);
    await queryRunner.query(`INSERT INTO "temporary_cinema_picks"("user_id", "cinema_id", "created_at") SELECT "user_id", "cinema_id", "created_at" FROM "cinema_picks"`);
    await queryRunner.query(`DROP TABLE "cinema_picks"`);
    await queryRunner.query(`ALTER TABLE "temporary_cinema_picks" RENAME TO "cinema_picks"`);
    await queryRunner.query(`CREATE INDEX "ix_cinema_picks_cinema" ON "cinema_picks" ("cinema_id") `);
    await queryRunner.query(`DROP INDEX "ix_cinema_ratings_cinema_updated"`);
    await queryRunner.query(`DROP INDEX "uq_cinema_ratings_user_cinema"`);
    await queryRunner.query(`CREATE TABLE "temporary_cinema_ratings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "cinema_id" integer NOT NULL, "score_half" smallint NOT NULL, "comment" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_c80a46461819641f41799c55588" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_786c5e23bfbcec5eb6186a64d90" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_cinema_ratings"("id", "user_id", "cinema_id", "score_half", "comment", "created_at", "updated_at") SELECT "id", "user_id", "cinema_id", "score_half", "comment", "created_at", "updated_at" FROM "cinema_ratings"`);
    await queryRunner.query(`DROP TABLE "cinema_ratings"`);
    await queryRunner.query(`ALTER TABLE "temporary_cinema_ratings" RENAME TO "cinema_ratings"`);
    await queryRunner.query(`CREATE INDEX "ix_cinema_ratings_cinema_updated" ON "cinema_ratings" ("cinema_id", "updated_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cinema_ratings_user_cinema" ON "cinema_ratings" ("user_id", "cinema_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_cinema_ratings_user_cinema"`);
    await queryRunner.query(`DROP INDEX "ix_cinema_ratings_cinema_updated"`);
    await queryRunner.query(`ALTER TABLE "cinema_ratings" RENAME TO "temporary_cinema_ratings"`);
    await queryRunner.query(`CREATE TABLE "cinema_ratings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "cinema_id" integer NOT NULL, "score_half" smallint NOT NULL, "comment" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "cinema_ratings"("id", "user_id", "cinema_id", "score_half", "comment", "created_at", "updated_at") SELECT "id", "user_id", "cinema_id", "score_half", "comment", "created_at", "updated_at" FROM "temporary_cinema_ratings"`);
    await queryRunner.query(`DROP TABLE "temporary_cinema_ratings"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cinema_ratings_user_cinema" ON "cinema_ratings" ("user_id", "cinema_id") `);
    await queryRunner.query(`CREATE INDEX "ix_cinema_ratings_cinema_updated" ON "cinema_ratings" ("cinema_id", "updated_at") `);
    await queryRunner.query(`DROP INDEX "ix_cinema_picks_cinema"`);
    await queryRunner.query(`ALTER TABLE "cinema_picks" RENAME TO "temporary_cinema_picks"`);
    await queryRunner.query(`CREATE TABLE "cinema_picks" ("user_id" integer NOT NULL, "cinema_id" integer NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), PRIMARY KEY ("user_id", "cinema_id"))`);
    await queryRunner.query(`INSERT INTO "cinema_picks"("user_id", "cinema_id", "created_at") SELECT "user_id", "cinema_id", "created_at" FROM "temporary_cinema_picks"`);
    await queryRunner.query(`DROP TABLE "temporary_cinema_picks"`);
    await queryRunner.query(`CREATE INDEX "ix_cinema_picks_cinema" ON "cinema_picks" ("cinema_id") `);
    await queryRunner.query(`DROP INDEX "uq_showtimes_slot"`);
    await queryRunner.query(`DROP INDEX "ix_showtimes_movie_date"`);
    await queryRunner.query(`DROP INDEX "ix_showtimes_date_movie"`);
    await queryRunner.query(`ALTER TABLE "showtimes" RENAME TO "temporary_showtimes"`);
    await queryRunner.query(`CREATE TABLE "showtimes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "movie_id" integer NOT NULL, "info" varchar(100) NOT NULL DEFAULT (''), "date" date NOT NULL, "start_time" time NOT NULL, "end_time" time, "total_seats" integer, "seats" integer, "url" varchar(500), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "showtimes"("id", "cinema_id", "movie_id", "info", "date", "start_time", "end_time", "total_seats", "seats", "url", "created_at", "updated_at") SELECT "id", "cinema_id", "movie_id", "info", "date", "start_time", "end_time", "total_seats", "seats", "url", "created_at", "updated_at" FROM "temporary_showtimes"`);
    await queryRunner.query(`DROP TABLE "temporary_showtimes"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_showtimes_slot" ON "showtimes" ("cinema_id", "date", "start_time", "info") `);
    await queryRunner.query(`CREATE INDEX "ix_showtimes_movie_date" ON "showtimes" ("movie_id", "date") `);
    await queryRunner.query(`CREATE INDEX "ix_showtimes_date_movie" ON "showtimes" ("date", "movie_id") `);
    await queryRunner.query(`DROP INDEX "uq_cinema_ratings_user_cinema"`);
    await queryRunner.query(`DROP INDEX "ix_cinema_ratings_cinema_updated"`);
    await queryRunner.query(`DROP TABLE "cinema_ratings"`);
    await queryRunner.query(`DROP INDEX "ix_cinema_picks_cinema"`);
    await queryRunner.query(`DROP TABLE "cinema_picks"`);
    await queryRunner.query(`DROP INDEX "uq_showtimes_slot"`);
    await queryRunner.query(`DROP INDEX "ix_showtimes_movie_date"`);
    await queryRunner.query(`DROP INDEX "ix_showtimes_date_movie"`);
    await queryRunner.query(`DROP TABLE "showtimes"`);
    await queryRunner.query(`DROP INDEX "ix_cinemas_geo"`);
    await queryRunner.query(`DROP INDEX "ix_cinemas_area"`);
    await queryRunner.query(`DROP TABLE "cinemas"`);
  }
}
