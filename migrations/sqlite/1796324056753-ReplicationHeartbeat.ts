import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReplicationHeartbeat1796324056753 implements MigrationInterface {
  name = 'ReplicationHeartbeat1796324056753';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "replication_heartbeat" ("id" integer PRIMARY KEY NOT NULL, "beat_at" datetime(3) NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "replication_heartbeat"`);
  }
}
