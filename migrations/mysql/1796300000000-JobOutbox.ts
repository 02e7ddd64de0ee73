import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobOutbox1796300000000 implements MigrationInterface {
  name = 'JobOutbox1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`job_outbox\` (\`id\` int NOT NULL AUTO_INCREMENT, \`job_name\` varchar(64) NOT NULL, \`payload\` text NOT NULL, \`job_id\` varchar(191) NULL, \`dedup_id\` varchar(191) NULL, \`run_at\` datetime NOT NULL, \`available_at\` datetime NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`last_error\` varchar(500) NULL, \`relayed_at\` datetime NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`ux_job_outbox_dedup\` (\`dedup_id\`), INDEX \`ix_job_outbox_due\` (\`relayed_at\`, \`available_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_job_outbox_due\` ON \`job_outbox\``);
    await queryRunner.query(`DROP INDEX \`ux_job_outbox_dedup\` ON \`job_outbox\``);
    await queryRunner.query(`DROP TABLE \`job_outbox\``);
  }
}
