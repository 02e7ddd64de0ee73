import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Ratings1795399511639 implements MigrationInterface {
  name = 'Ratings1795399511639';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`movie_ratings\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`movie_id\` int NOT NULL, \`score_half\` smallint NOT NULL, \`comment\` text NULL, \`hidden\` tinyint NOT NULL DEFAULT 0, \`hidden_reason\` varchar(300) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_movie_ratings_movie_updated\` (\`movie_id\`, \`updated_at\`), UNIQUE INDEX \`uq_movie_ratings_user_movie\` (\`user_id\`, \`movie_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`movie_ratings\` ADD CONSTRAINT \`FK_a8856cf3416814c68d1b57fa23a\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`movie_ratings\` ADD CONSTRAINT \`FK_3b9100120bf30e0e4197c4209e4\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`movie_ratings\` DROP FOREIGN KEY \`FK_3b9100120bf30e0e4197c4209e4\``);
    await queryRunner.query(`ALTER TABLE \`movie_ratings\` DROP FOREIGN KEY \`FK_a8856cf3416814c68d1b57fa23a\``);
    await queryRunner.query(`DROP INDEX \`uq_movie_ratings_user_movie\` ON \`movie_ratings\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_ratings_movie_updated\` ON \`movie_ratings\``);
    await queryRunner.query(`DROP TABLE \`movie_ratings\``);
  }
}
