import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Cinemas1795402424821 implements MigrationInterface {
  name = 'Cinemas1795402424821';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`cinemas\` (\`id\` int NOT NULL AUTO_INCREMENT, \`region\` varchar(20) NOT NULL, \`area\` varchar(20) NOT NULL, \`name\` varchar(100) NOT NULL, \`code\` varchar(20) NULL, \`tel\` varchar(30) NULL, \`address\` varchar(300) NOT NULL, \`x\` double NOT NULL, \`y\` double NOT NULL, \`url\` varchar(500) NULL, \`public\` text NULL, \`parking\` text NULL, \`type\` varchar(20) NOT NULL, \`img\` varchar(500) NULL, \`rating_count\` int NOT NULL DEFAULT '0', \`rating_sum_half\` int NOT NULL DEFAULT '0', \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_cinemas_area\` (\`area\`), INDEX \`ix_cinemas_geo\` (\`y\`, \`x\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`showtimes\` (\`id\` int NOT NULL AUTO_INCREMENT, \`cinema_id\` int NOT NULL, \`movie_id\` int NOT NULL, \`info\` varchar(100) NOT NULL DEFAULT '', \`date\` date NOT NULL, \`start_time\` time NOT NULL, \`end_time\` time NULL, \`total_seats\` int NULL, \`seats\` int NULL, \`url\` varchar(500) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_showtimes_date_movie\` (\`date\`, \`movie_id\`), INDEX \`ix_showtimes_movie_date\` (\`movie_id\`, \`date\`), UNIQUE INDEX \`uq_showtimes_slot\` (\`cinema_id\`, \`date\`, \`start_time\`, \`info\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`cinema_picks\` (\`user_id\` int NOT NULL, \`cinema_id\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_cinema_picks_cinema\` (\`cinema_id\`), PRIMARY KEY (\`user_id\`, \`cinema_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`cinema_ratings\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`cinema_id\` int NOT NULL, \`score_half\` smallint NOT NULL, \`comment\` text NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`ix_cinema_ratings_cinema_updated\` (\`cinema_id\`, \`updated_at\`), UNIQUE INDEX \`uq_cinema_ratings_user_cinema\` (\`user_id\`, \`cinema_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`showtimes\` ADD CONSTRAINT \`FK_d8434cba552cd29c2496d4067bf\` FOREIGN KEY (\`cinema_id\`) REFERENCES \`cinemas\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`showtimes\` ADD CONSTRAINT \`FK_cbe689b0c116fbc866d8ea21759\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`cinema_picks\` ADD CONSTRAINT \`FK_53de2b6cbfb828e34e27464d15b\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`cinema_picks\` ADD CONSTRAINT \`FK_5b94a34c51358a70d684636bea6\` FOREIGN KEY (\`cinema_id\`) REFERENCES \`cinemas\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`cinema_ratings\` ADD CONSTRAINT \`FK_c80a46461819641f41799c55588\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`cinema_ratings\` ADD CONSTRAINT \`FK_786c5e23bfbcec5eb6186a64d90\` FOREIGN KEY (\`cinema_id\`) REFERENCES \`cinemas\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`cinema_ratings\` DROP FOREIGN KEY \`FK_786c5e23bfbcec5eb6186a64d90\``);
    await queryRunner.query(`ALTER TABLE \`cinema_ratings\` DROP FOREIGN KEY \`FK_c80a46461819641f41799c55588\``);
    await queryRunner.query(`ALTER TABLE \`cinema_picks\` DROP FOREIGN KEY \`FK_5b94a34c51358a70d684636bea6\``);
    await queryRunner.query(`ALTER TABLE \`cinema_picks\` DROP FOREIGN KEY \`FK_53de2b6cbfb828e34e27464d15b\``);
    await queryRunner.query(`ALTER TABLE \`showtimes\` DROP FOREIGN KEY \`FK_cbe689b0c116fbc866d8ea21759\``);
    await queryRunner.query(`ALTER TABLE \`showtimes\` DROP FOREIGN KEY \`FK_d8434cba552cd29c2496d4067bf\``);
    await queryRunner.query(`DROP INDEX \`uq_cinema_ratings_user_cinema\` ON \`cinema_ratings\``);
    await queryRunner.query(`DROP INDEX \`ix_cinema_ratings_cinema_updated\` ON \`cinema_ratings\``);
    await queryRunner.query(`DROP TABLE \`cinema_ratings\``);
    await queryRunner.query(`DROP INDEX \`ix_cinema_picks_cinema\` ON \`cinema_picks\``);
    await queryRunner.query(`DROP TABLE \`cinema_picks\``);
    await queryRunner.query(`DROP INDEX \`uq_showtimes_slot\` ON \`showtimes\``);
    await queryRunner.query(`DROP INDEX \`ix_showtimes_movie_date\` ON \`showtimes\``);
    await queryRunner.query(`DROP INDEX \`ix_showtimes_date_movie\` ON \`showtimes\``);
    await queryRunner.query(`DROP TABLE \`showtimes\``);
    await queryRunner.query(`DROP INDEX \`ix_cinemas_geo\` ON \`cinemas\``);
    await queryRunner.query(`DROP INDEX \`ix_cinemas_area\` ON \`cinemas\``);
    await queryRunner.query(`DROP TABLE \`cinemas\``);
  }
}
