import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalog1795399009856 implements MigrationInterface {
  name = 'Catalog1795399009856';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`genres\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(50) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_genres_name\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`manufacturers\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(200) NOT NULL, \`contact_person\` varchar(100) NULL, \`phone\` varchar(30) NULL, \`email\` varchar(254) NULL, \`address\` varchar(300) NULL, \`partnership_status\` varchar(20) NOT NULL DEFAULT 'prospect', \`partnership_notes\` text NULL, \`partnership_started_on\` date NULL, \`partnership_ended_on\` date NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_manufacturers_name\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`people\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`name_eng\` varchar(100) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_people_name\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`movies\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(200) NOT NULL, \`name_eng\` varchar(200) NULL, \`summary\` text NULL, \`open_date\` date NULL, \`running_time\` int NULL, \`watch_grade\` varchar(20) NULL, \`trailer\` varchar(500) NULL, \`poster\` varchar(500) NULL, \`country\` varchar(2) NULL, \`manufacturer_id\` int NULL, \`rating_count\` int NOT NULL DEFAULT '0', \`rating_sum_half\` int NOT NULL DEFAULT '0', \`movielens_id\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_movies_name\` (\`name\`), INDEX \`ix_movies_watch_grade\` (\`watch_grade\`), INDEX \`ix_movies_country\` (\`country\`), UNIQUE INDEX \`uq_movies_movielens_id\` (\`movielens_id\`), INDEX \`ix_movies_open_date\` (\`open_date\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`movie_genres\` (\`movie_id\` int NOT NULL, \`genre_id\` int NOT NULL, INDEX \`ix_movie_genres_genre\` (\`genre_id\`, \`movie_id\`), PRIMARY KEY (\`movie_id\`, \`genre_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`movie_credits\` (\`movie_id\` int NOT NULL, \`person_id\` int NOT NULL, \`role\` varchar(10) NOT NULL, \`position\` int NOT NULL DEFAULT '0', INDEX \`ix_movie_credits_person\` (\`person_id\`), PRIMARY KEY (\`movie_id\`, \`person_id\`, \`role\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`movie_picks\` (\`user_id\` int NOT NULL, \`movie_id\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_movie_picks_movie\` (\`movie_id\`), PRIMARY KEY (\`user_id\`, \`movie_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`contents\` (\`id\` int NOT NULL AUTO_INCREMENT, \`movie_id\` int NULL, \`title\` varchar(200) NOT NULL, \`storage_key\` varchar(300) NOT NULL, \`original_name\` varchar(255) NULL, \`size_bytes\` bigint NOT NULL, \`sha256\` varchar(64) NOT NULL, \`mime_type\` varchar(100) NOT NULL, \`status\` varchar(20) NOT NULL DEFAULT 'processing', \`status_reason\` varchar(500) NULL, \`valid_from\` datetime NULL, \`valid_until\` datetime NULL, \`metadata\` text NULL, \`uploaded_by\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_contents_movie\` (\`movie_id\`), UNIQUE INDEX \`uq_contents_storage_key\` (\`storage_key\`), INDEX \`ix_contents_status_valid_until\` (\`status\`, \`valid_until\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`movies\` ADD CONSTRAINT \`FK_00105a765df059afbfddf56be15\` FOREIGN KEY (\`manufacturer_id\`) REFERENCES \`manufacturers\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`movie_genres\` ADD CONSTRAINT \`FK_ae967ce58ef99e9ff3933ccea48\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`movie_genres\` ADD CONSTRAINT \`FK_bbbc12542564f7ff56e36f5bbf6\` FOREIGN KEY (\`genre_id\`) REFERENCES \`genres\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`movie_credits\` ADD CONSTRAINT \`FK_4a85a0e520cd1810563991d7098\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`movie_credits\` ADD CONSTRAINT \`FK_5b3e2c634b6699d348866fc0436\` FOREIGN KEY (\`person_id\`) REFERENCES \`people\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`movie_picks\` ADD CONSTRAINT \`FK_b821416a983d8c794f8cabc05b0\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`contents\` ADD CONSTRAINT \`FK_ecc4762899e9e9b67d5f6668a44\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`contents\` DROP FOREIGN KEY \`FK_ecc4762899e9e9b67d5f6668a44\``);
    await queryRunner.query(`ALTER TABLE \`movie_picks\` DROP FOREIGN KEY \`FK_b821416a983d8c794f8cabc05b0\``);
    await queryRunner.query(`ALTER TABLE \`movie_credits\` DROP FOREIGN KEY \`FK_5b3e2c634b6699d348866fc0436\``);
    await queryRunner.query(`ALTER TABLE \`movie_credits\` DROP FOREIGN KEY \`FK_4a85a0e520cd1810563991d7098\``);
    await queryRunner.query(`ALTER TABLE \`movie_genres\` DROP FOREIGN KEY \`FK_bbbc12542564f7ff56e36f5bbf6\``);
    await queryRunner.query(`ALTER TABLE \`movie_genres\` DROP FOREIGN KEY \`FK_ae967ce58ef99e9ff3933ccea48\``);
    await queryRunner.query(`ALTER TABLE \`movies\` DROP FOREIGN KEY \`FK_00105a765df059afbfddf56be15\``);
    await queryRunner.query(`DROP INDEX \`ix_contents_status_valid_until\` ON \`contents\``);
    await queryRunner.query(`DROP INDEX \`uq_contents_storage_key\` ON \`contents\``);
    await queryRunner.query(`DROP INDEX \`ix_contents_movie\` ON \`contents\``);
    await queryRunner.query(`DROP TABLE \`contents\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_picks_movie\` ON \`movie_picks\``);
    await queryRunner.query(`DROP TABLE \`movie_picks\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_credits_person\` ON \`movie_credits\``);
    await queryRunner.query(`DROP TABLE \`movie_credits\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_genres_genre\` ON \`movie_genres\``);
    await queryRunner.query(`DROP TABLE \`movie_genres\``);
    await queryRunner.query(`DROP INDEX \`ix_movies_open_date\` ON \`movies\``);
    await queryRunner.query(`DROP INDEX \`uq_movies_movielens_id\` ON \`movies\``);
    await queryRunner.query(`DROP INDEX \`ix_movies_country\` ON \`movies\``);
    await queryRunner.query(`DROP INDEX \`ix_movies_watch_grade\` ON \`movies\``);
    await queryRunner.query(`DROP INDEX \`ix_movies_name\` ON \`movies\``);
    await queryRunner.query(`DROP TABLE \`movies\``);
    await queryRunner.query(`DROP INDEX \`ix_people_name\` ON \`people\``);
    await queryRunner.query(`DROP TABLE \`people\``);
    await queryRunner.query(`DROP INDEX \`uq_manufacturers_name\` ON \`manufacturers\``);
    await queryRunner.query(`DROP TABLE \`manufacturers\``);
    await queryRunner.query(`DROP INDEX \`uq_genres_name\` ON \`genres\``);
    await queryRunner.query(`DROP TABLE \`genres\``);
  }
}
