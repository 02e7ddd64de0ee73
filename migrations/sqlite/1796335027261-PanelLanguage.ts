import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PanelLanguage1796335027261 implements MigrationInterface {
  name = 'PanelLanguage1796335027261';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_users_phone"`);
    await queryRunner.query(`DROP INDEX "uq_users_username"`);
    await queryRunner.query(`DROP INDEX "ix_users_email"`);
    await queryRunner.query(`DROP INDEX "ix_users_created_at"`);
    await queryRunner.query(`CREATE TABLE "temporary_users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "password_hash" varchar(255) NOT NULL, "role" varchar(16) NOT NULL DEFAULT ('user'), "get_agreement" boolean NOT NULL DEFAULT (0), "is_active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "full_name" varchar(100), "phone" varchar(30), "birth_date" date, "profile_image" varchar(200), "token_version" integer NOT NULL DEFAULT (0), "token_keep" varchar(32), "totp_secret" varchar(255), "totp_enabled_at" datetime, "totp_last_step" integer, "panel_language" varchar(5) NOT NULL DEFAULT ('ko'))`);
    await queryRunner.query(`INSERT INTO "temporary_users"("id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at", "full_name", "phone", "birth_date", "profile_image", "token_version", "token_keep", "totp_secret", "totp_enabled_at", "totp_last_step") SELECT "id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at", "full_name", "phone", "birth_date", "profile_image", "token_version", "token_keep", "totp_secret", "totp_enabled_at", "totp_last_step" FROM "users"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
    await queryRunner.query(`CREATE INDEX "ix_users_phone" ON "users" ("phone") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users" ("username") `);
    await queryRunner.query(`CREATE INDEX "ix_users_email" ON "users" ("email") `);
    await queryRunner.query(`CREATE INDEX "ix_users_created_at" ON "users" ("created_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_users_created_at"`);
    await queryRunner.query(`DROP INDEX "ix_users_email"`);
    await queryRunner.query(`DROP INDEX "uq_users_username"`);
    await queryRunner.query(`DROP INDEX "ix_users_phone"`);
    await queryRunner.query(`ALTER TABLE "users" RENAME TO "temporary_users"`);
    await queryRunner.query(`CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "password_hash" varchar(255) NOT NULL, "role" varchar(16) NOT NULL DEFAULT ('user'), "get_agreement" boolean NOT NULL DEFAULT (0), "is_active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "full_name" varchar(100), "phone" varchar(30), "birth_date" date, "profile_image" varchar(200), "token_version" integer NOT NULL DEFAULT (0), "token_keep" varchar(32), "totp_secret" varchar(255), "totp_enabled_at" datetime, "totp_last_step" integer)`);
    await queryRunner.query(`INSERT INTO "users"("id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at", "full_name", "phone", "birth_date", "profile_image", "token_version", "token_keep", "totp_secret", "totp_enabled_at", "totp_last_step") SELECT "id", "username", "email", "password_hash", "role", "get_agreement", "is_active", "last_login_at", "created_at", "updated_at", "full_name", "phone", "birth_date", "profile_image", "token_version", "token_keep", "totp_secret", "totp_enabled_at", "totp_last_step" FROM "temporary_users"`);
    await queryRunner.query(`DROP TABLE "temporary_users"`);
    await queryRunner.query(`CREATE INDEX "ix_users_created_at" ON "users" ("created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_users_email" ON "users" ("email") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users" ("username") `);
    await queryRunner.query(`CREATE INDEX "ix_users_phone" ON "users" ("phone") `);
  }
}
