import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewayLookups1796163264541 implements MigrationInterface {
  name = 'GatewayLookups1796163264541';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`ix_payments_gateway_ref\` ON \`payments\` (\`gateway\`, \`gateway_ref\`)`);
    await queryRunner.query(`CREATE INDEX \`ix_gateway_events_received\` ON \`gateway_events\` (\`received_at\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_gateway_events_received\` ON \`gateway_events\``);
    await queryRunner.query(`DROP INDEX \`ix_payments_gateway_ref\` ON \`payments\``);
  }
}
