import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Members1795399629803 implements MigrationInterface {
  name = 'Members1795399629803';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "watch_progress" ("user_id" integer NOT NULL, "content_id" integer NOT NULL, "movie_id" integer, "position_seconds" integer NOT NULL, "duration_seconds" integer NOT NULL, "updated_at" datetime NOT NULL DEFAULT (datetime('now')), PRIMARY KEY ("user_id", "content_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_watch_progress_user_updated" ON "watch_progress" ("user_id", "updated_at") `);
    await queryRunner.query(`CREATE TABLE "watch_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "content_id" integer NOT NULL, "movie_id" integer, "position_seconds" integer NOT NULL, "watched_seconds" integer NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_watch_events_content_created" ON "watch_events" ("content_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_watch_events_created" ON "watch_events" ("created_at") `);
    await queryRunner.query(`DROP INDEX "ix_users_created_at"`);
    await queryRunner.query(`DROP INDEX "ix_users_email"`);
    await queryRunner.query(`DROP INDEX "uq_users_username"`);
    await queryRunner.query(`CREATE TABLE "temporary_users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "password_hash" varchar(255) NOT NULL, "role" varchar(16) NOT NULL DEFAULT ('user'), "get_agreement" boolean NOT NULL DEFAULT (0), "is_active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "full_name" varchar(100), "phone" varchar(30), "birth_date" date, "profile_image" varchar(200))`);
    await queryRunner.query(`INSERT INTO "temporary_users"("id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at") SELECT "id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at" FROM "users"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
    await queryRunner.query(`CREATE INDEX "ix_users_created_at" ON "users" ("created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_users_email" ON "users" ("email") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users" ("username") `);
    await queryRunner.query(`CREATE INDEX "ix_users_phone" ON "users" ("phone") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_users_phone"`);
    await queryRunner.query(`DROP INDEX "uq_users_username"`);
    await queryRunner.query(`DROP INDEX "ix_users_email"`);
    await queryRunner.query(`DROP INDEX "ix_users_created_at"`);
    await queryRunner.query(`ALTER TABLE "users" RENAME TO "temporary_users"`);
    await queryRunner.query(`CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "password_hash" varchar(255) NOT NULL, "role" varchar(16) NOT NULL DEFAULT ('user'), "get_agreement" boolean NOT NULL DEFAULT (0), "is_active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "users"("id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at") SELECT "id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at" FROM "temporary_users"`);
    await queryRunner.query(`DROP TABLE "temporary_users"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users" ("username") `);
    await queryRunner.query(`CREATE INDEX "ix_users_email" ON "users" ("email") `);
    await queryRunner.query(`CREATE INDEX "ix_users_created_at" ON "users" ("created_at") `);
    await queryRunner.query(`DROP INDEX "ix_watch_events_created"`);
    await queryRunner.query(`DROP INDEX "ix_watch_events_content_created"`);
    await queryRunner.query(`DROP TABLE "watch_events"`);
    await queryRunner.query(`DROP INDEX "ix_watch_progress_user_updated"`);
    await queryRunner.query(`DROP TABLE "watch_progress"`);
  }
}
