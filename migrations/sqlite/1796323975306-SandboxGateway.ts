import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SandboxGateway1796323975306 implements MigrationInterface {
  name = 'SandboxGateway1796323975306';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "sandbox_authorizations" ("gateway_ref" varchar(64) PRIMARY KEY NOT NULL, "payment_id" varchar(64) NOT NULL, "status" varchar(20) NOT NULL, "authorized_amount" bigint NOT NULL, "currency" varchar(3) NOT NULL, "captured" bigint NOT NULL DEFAULT (0), "refunded" bigint NOT NULL DEFAULT (0), "capture_count" integer NOT NULL DEFAULT (0), "refund_count" integer NOT NULL DEFAULT (0), "refunds" text NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "sandbox_replies" ("idem_key" varchar(191) PRIMARY KEY NOT NULL, "fingerprint" varchar(64) NOT NULL, "result" text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sandbox_replies"`);
    await queryRunner.query(`DROP TABLE "sandbox_authorizations"`);
  }
}
