import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MovieSearchIndex1795417385669 implements MigrationInterface {
  name = 'MovieSearchIndex1795417385669';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "movie_search_terms" ("movie_id" integer NOT NULL, "field" varchar(8) NOT NULL, "title" varchar(200) NOT NULL, "norm" varchar(200) NOT NULL, "choseong" varchar(200) NOT NULL, "len" integer NOT NULL, "popularity" integer NOT NULL DEFAULT (0), "watch_grade" varchar(20), PRIMARY KEY ("movie_id", "field"))`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_choseong" ON "movie_search_terms" ("choseong") `);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_norm" ON "movie_search_terms" ("norm") `);
    await queryRunner.query(`CREATE TABLE "movie_search_grams" ("gram" varchar(4) NOT NULL, "movie_id" integer NOT NULL, PRIMARY KEY ("gram", "movie_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_grams_movie" ON "movie_search_grams" ("movie_id") `);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_choseong"`);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_norm"`);
    await queryRunner.query(`CREATE TABLE "temporary_movie_search_terms" ("movie_id" integer NOT NULL, "field" varchar(8) NOT NULL, "title" varchar(200) NOT NULL, "norm" varchar(200) NOT NULL, "choseong" varchar(200) NOT NULL, "len" integer NOT NULL, "popularity" integer NOT NULL DEFAULT (0), "watch_grade" varchar(20), CONSTRAINT "FK_d1f85e4ee2050b1ed6708dca6e1" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("movie_id", "field"))`);
    await queryRunner.query(`INSERT INTO "temporary_movie_search_terms"("movie_id", "field", "title", "norm", "choseong", "len", "popularity", "watch_grade") SELECT "movie_id", "field", "title", "norm", "choseong", "len", "popularity", "watch_grade" FROM "movie_search_terms"`);
    await queryRunner.query(`DROP TABLE "movie_search_terms"`);
    await queryRunner.query(`ALTER TABLE "temporary_movie_search_terms" RENAME TO "movie_search_terms"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_choseong" ON "movie_search_terms" ("choseong") `);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_norm" ON "movie_search_terms" ("norm") `);
    await queryRunner.query(`DROP INDEX "ix_movie_search_grams_movie"`);
    await queryRunner.query(`CREATE TABLE "temporary_movie_search_grams" ("gram" varchar(4) NOT NULL, "movie_id" integer NOT NULL, CONSTRAINT "FK_67911d5dcbe53ccdedf5524d3b3" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("gram", "movie_id"))`);
    await queryRunner.query(`INSERT INTO "temporary_movie_search_grams"("gram", "movie_id") SELECT "gram", "movie_id" FROM "movie_search_grams"`);
    await queryRunner.query(`DROP TABLE "movie_search_grams"`);
    await queryRunner.query(`ALTER TABLE "temporary_movie_search_grams" RENAME TO "movie_search_grams"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_grams_movie" ON "movie_search_grams" ("movie_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_movie_search_grams_movie"`);
    await queryRunner.query(`ALTER TABLE "movie_search_grams" RENAME TO "temporary_movie_search_grams"`);
    await queryRunner.query(`CREATE TABLE "movie_search_grams" ("gram" varchar(4) NOT NULL, "movie_id" integer NOT NULL, PRIMARY KEY ("gram", "movie_id"))`);
    await queryRunner.query(`INSERT INTO "movie_search_grams"("gram", "movie_id") SELECT "gram", "movie_id" FROM "temporary_movie_search_grams"`);
    await queryRunner.query(`DROP TABLE "temporary_movie_search_grams"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_grams_movie" ON "movie_search_grams" ("movie_id") `);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_norm"`);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_choseong"`);
    await queryRunner.query(`ALTER TABLE "movie_search_terms" RENAME TO "temporary_movie_search_terms"`);
    await queryRunner.query(`CREATE TABLE "movie_search_terms" ("movie_id" integer NOT NULL, "field" varchar(8) NOT NULL, "title" varchar(200) NOT NULL, "norm" varchar(200) NOT NULL, "choseong" varchar(200) NOT NULL, "len" integer NOT NULL, "popularity" integer NOT NULL DEFAULT (0), "watch_grade" varchar(20), PRIMARY KEY ("movie_id", "field"))`);
    await queryRunner.query(`INSERT INTO "movie_search_terms"("movie_id", "field", "title", "norm", "choseong", "len", "popularity", "watch_grade") SELECT "movie_id", "field", "title", "norm", "choseong", "len", "popularity", "watch_grade" FROM "temporary_movie_search_terms"`);
    await queryRunner.query(`DROP TABLE "temporary_movie_search_terms"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_norm" ON "movie_search_terms" ("norm") `);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_choseong" ON "movie_search_terms" ("choseong") `);
    await queryRunner.query(`DROP INDEX "ix_movie_search_grams_movie"`);
    await queryRunner.query(`DROP TABLE "movie_search_grams"`);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_norm"`);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_choseong"`);
    await queryRunner.query(`DROP TABLE "movie_search_terms"`);
  }
}
