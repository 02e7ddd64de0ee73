import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RecommendationModels1796325131298 implements MigrationInterface {
  name = 'RecommendationModels1796325131298';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`rec_models\` (\`id\` int NOT NULL AUTO_INCREMENT, \`run_id\` int NULL, \`status\` varchar(10) NOT NULL DEFAULT 'writing', \`bytes\` int NOT NULL, \`chunks\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_rec_models_status\` (\`status\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`rec_model_chunks\` (\`model_id\` int NOT NULL, \`seq\` int NOT NULL, \`data\` blob NOT NULL, PRIMARY KEY (\`model_id\`, \`seq\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`rec_locks\` (\`name\` varchar(40) NOT NULL, \`holder\` varchar(64) NOT NULL, \`expires_at_ms\` double NOT NULL, PRIMARY KEY (\`name\`)) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`rec_locks\``);
    await queryRunner.query(`DROP TABLE \`rec_model_chunks\``);
    await queryRunner.query(`DROP INDEX \`ix_rec_models_status\` ON \`rec_models\``);
    await queryRunner.query(`DROP TABLE \`rec_models\``);
  }
}
