import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search queries look their candidates up in memory (src/modules/search/title-memory.ts), which
 * derives the grams, deletion variants and gram frequencies from the terms' normalised titles: the
 * tables that held them and the terms' covering indexes are no longer read. (Down recreates them
 * empty: run the search.reindex job after rolling back to fill them.)
 */
export class SearchTermsInMemory1796500000000 implements MigrationInterface {
  name = 'SearchTermsInMemory1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_movie_search_terms_choseong_cover\` ON \`movie_search_terms\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_search_terms_norm_cover\` ON \`movie_search_terms\``);
    await queryRunner.query(`DROP TABLE \`movie_search_variants\``);
    await queryRunner.query(`DROP TABLE \`movie_search_gram_df\``);
    await queryRunner.query(`DROP TABLE \`movie_search_grams\``);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`movie_search_grams\` (\`gram\` varchar(4) NOT NULL, \`movie_id\` int NOT NULL, INDEX \`ix_movie_search_grams_movie\` (\`movie_id\`), PRIMARY KEY (\`gram\`, \`movie_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`movie_search_grams\` ADD CONSTRAINT \`FK_67911d5dcbe53ccdedf5524d3b3\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE TABLE \`movie_search_gram_df\` (\`gram\` varchar(4) NOT NULL, \`df\` int NOT NULL, PRIMARY KEY (\`gram\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`movie_search_variants\` (\`variant\` varchar(48) NOT NULL, \`movie_id\` int NOT NULL, INDEX \`ix_movie_search_variants_movie\` (\`movie_id\`), PRIMARY KEY (\`variant\`, \`movie_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`movie_search_variants\` ADD CONSTRAINT \`FK_d2abe2b68bd99d8b4438d25482a\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE INDEX \`ix_movie_search_terms_norm_cover\` ON \`movie_search_terms\` (\`norm\`, \`len\`, \`popularity\`, \`watch_grade\`)`);
    await queryRunner.query(`CREATE INDEX \`ix_movie_search_terms_choseong_cover\` ON \`movie_search_terms\` (\`choseong\`, \`norm\`, \`len\`, \`popularity\`, \`watch_grade\`)`);
  }
}
