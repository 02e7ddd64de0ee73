import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Payments in creation order (the panel's list and its CSV export sorted by created_at read a range instead of sorting the table). */
export class PaymentsCreatedAt1796400000000 implements MigrationInterface {
  name = 'PaymentsCreatedAt1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`ix_payments_created\` ON \`payments\` (\`created_at\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_payments_created\` ON \`payments\``);
  }
}
