import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Recommendations1795399720191 implements MigrationInterface {
  name = 'Recommendations1795399720191';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`rec_runs\` (\`id\` int NOT NULL AUTO_INCREMENT, \`kind\` varchar(10) NOT NULL, \`status\` varchar(10) NOT NULL DEFAULT 'running', \`progress\` int NOT NULL DEFAULT '0', \`algorithm\` varchar(20) NULL, \`ratings\` int NOT NULL DEFAULT '0', \`users\` int NOT NULL DEFAULT '0', \`items\` int NOT NULL DEFAULT '0', \`global_mean\` double NULL, \`user_id\` int NULL, \`duration_ms\` int NULL, \`error\` varchar(500) NULL, \`started_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`finished_at\` datetime NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`user_recommendations\` (\`user_id\` int NOT NULL, \`movie_id\` int NOT NULL, \`rank\` int NOT NULL, \`predicted_x100\` int NOT NULL, \`run_id\` int NOT NULL, INDEX \`ix_user_recommendations_rank\` (\`user_id\`, \`rank\`), PRIMARY KEY (\`user_id\`, \`movie_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`rec_biases\` (\`kind\` varchar(4) NOT NULL, \`ref_id\` int NOT NULL, \`bias\` double NOT NULL, PRIMARY KEY (\`kind\`, \`ref_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`auto_display\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`movie_id\` int NOT NULL, \`position\` int NOT NULL, \`origin\` varchar(20) NOT NULL DEFAULT 'recommendation', \`edited\` tinyint NOT NULL DEFAULT 0, \`removed\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_auto_display_user_position\` (\`user_id\`, \`position\`), UNIQUE INDEX \`uq_auto_display_user_movie\` (\`user_id\`, \`movie_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`top10_by_country\` (\`country\` varchar(2) NOT NULL, \`rank\` int NOT NULL, \`movie_id\` int NOT NULL, \`rating_x100\` int NOT NULL, \`rating_count\` int NOT NULL, \`views\` int NOT NULL, \`computed_at\` datetime NOT NULL, PRIMARY KEY (\`country\`, \`rank\`)) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`top10_by_country\``);
    await queryRunner.query(`DROP INDEX \`uq_auto_display_user_movie\` ON \`auto_display\``);
    await queryRunner.query(`DROP INDEX \`ix_auto_display_user_position\` ON \`auto_display\``);
    await queryRunner.query(`DROP TABLE \`auto_display\``);
    await queryRunner.query(`DROP TABLE \`rec_biases\``);
    await queryRunner.query(`DROP INDEX \`ix_user_recommendations_rank\` ON \`user_recommendations\``);
    await queryRunner.query(`DROP TABLE \`user_recommendations\``);
    await queryRunner.query(`DROP TABLE \`rec_runs\``);
  }
}
