import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreditCharacter1796335550889 implements MigrationInterface {
  name = 'CreditCharacter1796335550889';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_movie_credits_person"`);
    await queryRunner.query(`CREATE TABLE "temporary_movie_credits" ("movie_id" integer NOT NULL, "person_id" integer NOT NULL, "role" varchar(10) NOT NULL, "position" integer NOT NULL DEFAULT (0), "character_name" varchar(200), CONSTRAINT "FK_5b3e2c634b6699d348866fc0436" FOREIGN KEY ("person_id") REFERENCES "people" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_4a85a0e520cd1810563991d7098" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("movie_id", "person_id", "role"))`);
    await queryRunner.query(`INSERT INTO "temporary_movie_credits"("movie_id", "person_id", "role", "position") SELECT "movie_id", "person_id", "role", "position" FROM "movie_credits"`);
    await queryRunner.query(`DROP TABLE "movie_credits"`);
    await queryRunner.query(`ALTER TABLE "temporary_movie_credits" RENAME TO "movie_credits"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_credits_person" ON "movie_credits" ("person_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_movie_credits_person"`);
    await queryRunner.query(`ALTER TABLE "movie_credits" RENAME TO "temporary_movie_credits"`);
    await queryRunner.query(`CREATE TABLE "movie_credits" ("movie_id" integer NOT NULL, "person_id" integer NOT NULL, "role" varchar(10) NOT NULL, "position" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_5b3e2c634b6699d348866fc0436" FOREIGN KEY ("person_id") REFERENCES "people" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_4a85a0e520cd1810563991d7098" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("movie_id", "person_id", "role"))`);
    await queryRunner.query(`INSERT INTO "movie_credits"("movie_id", "person_id", "role", "position") SELECT "movie_id", "person_id", "role", "position" FROM "temporary_movie_credits"`);
    await queryRunner.query(`DROP TABLE "temporary_movie_credits"`);
    await queryRunner.query(`CREATE INDEX "ix_movie_credits_person" ON "movie_credits" ("person_id") `);
  }
}
