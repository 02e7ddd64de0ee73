import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TokenRevocation1796322108365 implements MigrationInterface {
  name = 'TokenRevocation1796322108365';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`token_version\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`token_keep\` varchar(32) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`token_keep\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`token_version\``);
  }
}
