import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795398300267 implements MigrationInterface {
  name = 'Initial1795398300267';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "actor_id" integer, "actor_email" varchar(254), "action" varchar(64) NOT NULL, "resource" varchar(64) NOT NULL, "record_id" varchar(64), "diff" text, "reason" varchar(500), "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "ix_audit_log_created_at" ON "audit_log" ("created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_log_resource_record" ON "audit_log" ("resource", "record_id") `);
    await queryRunner.query(`CREATE TABLE "stat_daily_signups" ("day" varchar(10) PRIMARY KEY NOT NULL, "signups" integer NOT NULL, "computed_at" datetime NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "password_hash" varchar(255) NOT NULL, "role" varchar(16) NOT NULL DEFAULT ('user'), "get_agreement" boolean NOT NULL DEFAULT (0), "is_active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users" ("username") `);
    await queryRunner.query(`CREATE INDEX "ix_users_email" ON "users" ("email") `);
    await queryRunner.query(`CREATE INDEX "ix_users_created_at" ON "users" ("created_at") `);
    await queryRunner.query(`CREATE TABLE "http_sessions" ("sid" varchar(128) PRIMARY KEY NOT NULL, "data" text NOT NULL, "expires_at" datetime NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_http_sessions_expires_at" ON "http_sessions" ("expires_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_http_sessions_expires_at"`);
    await queryRunner.query(`DROP TABLE "http_sessions"`);
    await queryRunner.query(`DROP INDEX "ix_users_created_at"`);
    await queryRunner.query(`DROP INDEX "ix_users_email"`);
    await queryRunner.query(`DROP INDEX "uq_users_username"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "stat_daily_signups"`);
    await queryRunner.query(`DROP INDEX "ix_audit_log_resource_record"`);
    await queryRunner.query(`DROP INDEX "ix_audit_log_created_at"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
