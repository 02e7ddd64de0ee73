import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Devices1795414956098 implements MigrationInterface {
  name = 'Devices1795414956098';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "device_authorizations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "device_code_hash" varchar(64) NOT NULL, "user_code_hash" varchar(64) NOT NULL, "device_name" varchar(100) NOT NULL, "device_type" varchar(20) NOT NULL, "status" varchar(12) NOT NULL DEFAULT ('pending'), "user_id" integer, "device_id" integer, "interval_seconds" integer NOT NULL, "last_polled_at" datetime, "expires_at" datetime NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_device_authorizations_device_code" ON "device_authorizations" ("device_code_hash") `);
    await queryRunner.query(`CREATE INDEX "ix_device_authorizations_expires" ON "device_authorizations" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_device_authorizations_user_code" ON "device_authorizations" ("user_code_hash", "status") `);
    await queryRunner.query(`CREATE TABLE "devices" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "name" varchar(100) NOT NULL, "type" varchar(20) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_seen_at" datetime, "revoked_at" datetime)`);
    await queryRunner.query(`CREATE INDEX "ix_devices_user" ON "devices" ("user_id", "revoked_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_devices_user"`);
    await queryRunner.query(`DROP TABLE "devices"`);
    await queryRunner.query(`DROP INDEX "ix_device_authorizations_user_code"`);
    await queryRunner.query(`DROP INDEX "ix_device_authorizations_expires"`);
    await queryRunner.query(`DROP INDEX "uq_device_authorizations_device_code"`);
    await queryRunner.query(`DROP TABLE "device_authorizations"`);
  }
}
