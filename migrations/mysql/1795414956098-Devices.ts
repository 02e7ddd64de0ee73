import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Devices1795414956098 implements MigrationInterface {
  name = 'Devices1795414956098';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`device_authorizations\` (\`id\` int NOT NULL AUTO_INCREMENT, \`device_code_hash\` varchar(64) NOT NULL, \`user_code_hash\` varchar(64) NOT NULL, \`device_name\` varchar(100) NOT NULL, \`device_type\` varchar(20) NOT NULL, \`status\` varchar(12) NOT NULL DEFAULT 'pending', \`user_id\` int NULL, \`device_id\` int NULL, \`interval_seconds\` int NOT NULL, \`last_polled_at\` datetime NULL, \`expires_at\` datetime NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_device_authorizations_device_code\` (\`device_code_hash\`), INDEX \`ix_device_authorizations_expires\` (\`expires_at\`), INDEX \`ix_device_authorizations_user_code\` (\`user_code_hash\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`devices\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`name\` varchar(100) NOT NULL, \`type\` varchar(20) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`last_seen_at\` datetime NULL, \`revoked_at\` datetime NULL, INDEX \`ix_devices_user\` (\`user_id\`, \`revoked_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_devices_user\` ON \`devices\``);
    await queryRunner.query(`DROP TABLE \`devices\``);
    await queryRunner.query(`DROP INDEX \`ix_device_authorizations_user_code\` ON \`device_authorizations\``);
    await queryRunner.query(`DROP INDEX \`ix_device_authorizations_expires\` ON \`device_authorizations\``);
    await queryRunner.query(`DROP INDEX \`uq_device_authorizations_device_code\` ON \`device_authorizations\``);
    await queryRunner.query(`DROP TABLE \`device_authorizations\``);
  }
}
