import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MovieSearchFrequencies1795418016561 implements MigrationInterface {
  name = 'MovieSearchFrequencies1795418016561';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_norm"`);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_choseong"`);
    await queryRunner.query(`CREATE TABLE "movie_search_gram_df" ("gram" varchar(4) PRIMARY KEY NOT NULL, "df" integer NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_choseong_cover" ON "movie_search_terms" ("choseong", "norm", "len", "popularity", "watch_grade") `);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_norm_cover" ON "movie_search_terms" ("norm", "len", "popularity", "watch_grade") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_norm_cover"`);
    await queryRunner.query(`DROP INDEX "ix_movie_search_terms_choseong_cover"`);
    await queryRunner.query(`DROP TABLE "movie_search_gram_df"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_choseong" ON "movie_search_terms" ("choseong") `);
    await queryRunner.query(`CREATE INDEX "ix_movie_search_terms_norm" ON "movie_search_terms" ("norm") `);
  }
}
