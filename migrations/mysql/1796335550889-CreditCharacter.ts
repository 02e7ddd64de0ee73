import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreditCharacter1796335550889 implements MigrationInterface {
  name = 'CreditCharacter1796335550889';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`movie_credits\` ADD \`character_name\` varchar(200) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`movie_credits\` DROP COLUMN \`character_name\``);
  }
}
