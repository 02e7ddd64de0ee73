import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795398300267 implements MigrationInterface {
  name = 'Initial1795398300267';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`audit_log\` (\`id\` int NOT NULL AUTO_INCREMENT, \`actor_id\` int NULL, \`actor_email\` varchar(254) NULL, \`action\` varchar(64) NOT NULL, \`resource\` varchar(64) NOT NULL, \`record_id\` varchar(64) NULL, \`diff\` text NULL, \`reason\` varchar(500) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_audit_log_created_at\` (\`created_at\`), INDEX \`ix_audit_log_resource_record\` (\`resource\`, \`record_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`stat_daily_signups\` (\`day\` varchar(10) NOT NULL, \`signups\` int NOT NULL, \`computed_at\` datetime NOT NULL, PRIMARY KEY (\`day\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`users\` (\`id\` int NOT NULL AUTO_INCREMENT, \`username\` varchar(150) NOT NULL, \`email\` varchar(254) NOT NULL, \`password_hash\` varchar(255) NOT NULL, \`role\` varchar(16) NOT NULL DEFAULT 'user', \`get_agreement\` tinyint NOT NULL DEFAULT 0, \`is_active\` tinyint NOT NULL DEFAULT 1, \`last_login_at\` datetime NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_users_username\` (\`username\`), INDEX \`ix_users_email\` (\`email\`), INDEX \`ix_users_created_at\` (\`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`http_sessions\` (\`sid\` varchar(128) NOT NULL, \`data\` text NOT NULL, \`expires_at\` datetime NOT NULL, INDEX \`ix_http_sessions_expires_at\` (\`expires_at\`), PRIMARY KEY (\`sid\`)) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_http_sessions_expires_at\` ON \`http_sessions\``);
    await queryRunner.query(`DROP TABLE \`http_sessions\``);
    await queryRunner.query(`DROP INDEX \`ix_users_created_at\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`ix_users_email\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_users_username\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
    await queryRunner.query(`DROP TABLE \`stat_daily_signups\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_log_resource_record\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_log_created_at\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
  }
}
