import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Members1795399629803 implements MigrationInterface {
  name = 'Members1795399629803';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`watch_progress\` (\`user_id\` int NOT NULL, \`content_id\` int NOT NULL, \`movie_id\` int NULL, \`position_seconds\` int NOT NULL, \`duration_seconds\` int NOT NULL, \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_watch_progress_user_updated\` (\`user_id\`, \`updated_at\`), PRIMARY KEY (\`user_id\`, \`content_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`watch_events\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`content_id\` int NOT NULL, \`movie_id\` int NULL, \`position_seconds\` int NOT NULL, \`watched_seconds\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_watch_events_content_created\` (\`content_id\`, \`created_at\`), INDEX \`ix_watch_events_created\` (\`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`full_name\` varchar(100) NULL`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`phone\` varchar(30) NULL`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`birth_date\` date NULL`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`profile_image\` varchar(200) NULL`);
    await queryRunner.query(`CREATE INDEX \`ix_users_phone\` ON \`users\` (\`phone\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_users_phone\` ON \`users\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`profile_image\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`birth_date\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`phone\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`full_name\``);
    await queryRunner.query(`DROP INDEX \`ix_watch_events_created\` ON \`watch_events\``);
    await queryRunner.query(`DROP INDEX \`ix_watch_events_content_created\` ON \`watch_events\``);
    await queryRunner.query(`DROP TABLE \`watch_events\``);
    await queryRunner.query(`DROP INDEX \`ix_watch_progress_user_updated\` ON \`watch_progress\``);
    await queryRunner.query(`DROP TABLE \`watch_progress\``);
  }
}
