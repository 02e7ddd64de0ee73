import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffTotp1796322880620 implements MigrationInterface {
  name = 'StaffTotp1796322880620';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`staff_recovery_codes\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`code_hash\` varchar(64) NOT NULL, \`used_at\` datetime NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_staff_recovery_codes_user_hash\` (\`user_id\`, \`code_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`totp_secret\` varchar(255) NULL`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`totp_enabled_at\` datetime NULL`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`totp_last_step\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`http_sessions\` ADD \`user_id\` int NULL`);
    await queryRunner.query(`CREATE INDEX \`ix_http_sessions_user_id\` ON \`http_sessions\` (\`user_id\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_http_sessions_user_id\` ON \`http_sessions\``);
    await queryRunner.query(`ALTER TABLE \`http_sessions\` DROP COLUMN \`user_id\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`totp_last_step\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`totp_enabled_at\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`totp_secret\``);
    await queryRunner.query(`DROP INDEX \`uq_staff_recovery_codes_user_hash\` ON \`staff_recovery_codes\``);
    await queryRunner.query(`DROP TABLE \`staff_recovery_codes\``);
  }
}
