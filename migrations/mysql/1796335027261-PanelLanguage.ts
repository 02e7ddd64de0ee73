import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PanelLanguage1796335027261 implements MigrationInterface {
  name = 'PanelLanguage1796335027261';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`panel_language\` varchar(5) NOT NULL DEFAULT 'ko'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`panel_language\``);
  }
}
