import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MovieSearchIndex1795417385669 implements MigrationInterface {
  name = 'MovieSearchIndex1795417385669';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`movie_search_terms\` (\`movie_id\` int NOT NULL, \`field\` varchar(8) NOT NULL, \`title\` varchar(200) NOT NULL, \`norm\` varchar(200) NOT NULL, \`choseong\` varchar(200) NOT NULL, \`len\` int NOT NULL, \`popularity\` int NOT NULL DEFAULT '0', \`watch_grade\` varchar(20) NULL, INDEX \`ix_movie_search_terms_choseong\` (\`choseong\`), INDEX \`ix_movie_search_terms_norm\` (\`norm\`), PRIMARY KEY (\`movie_id\`, \`field\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`movie_search_grams\` (\`gram\` varchar(4) NOT NULL, \`movie_id\` int NOT NULL, INDEX \`ix_movie_search_grams_movie\` (\`movie_id\`), PRIMARY KEY (\`gram\`, \`movie_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`movie_search_terms\` ADD CONSTRAINT \`FK_d1f85e4ee2050b1ed6708dca6e1\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`movie_search_grams\` ADD CONSTRAINT \`FK_67911d5dcbe53ccdedf5524d3b3\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`movie_search_grams\` DROP FOREIGN KEY \`FK_67911d5dcbe53ccdedf5524d3b3\``);
    await queryRunner.query(`ALTER TABLE \`movie_search_terms\` DROP FOREIGN KEY \`FK_d1f85e4ee2050b1ed6708dca6e1\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_search_grams_movie\` ON \`movie_search_grams\``);
    await queryRunner.query(`DROP TABLE \`movie_search_grams\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_search_terms_norm\` ON \`movie_search_terms\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_search_terms_choseong\` ON \`movie_search_terms\``);
    await queryRunner.query(`DROP TABLE \`movie_search_terms\``);
  }
}
