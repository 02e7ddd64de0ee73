import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgeVerification1795415179286 implements MigrationInterface {
  name = 'AgeVerification1795415179286';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`age_verifications\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`provider\` varchar(20) NOT NULL, \`name_masked\` varchar(100) NOT NULL, \`birth_date\` date NOT NULL, \`ci_hash\` varchar(64) NOT NULL, \`verified_at\` datetime NOT NULL, \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_age_verifications_user\` (\`user_id\`), UNIQUE INDEX \`uq_age_verifications_ci\` (\`ci_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`verification_transactions\` (\`id\` int NOT NULL AUTO_INCREMENT, \`tx_id\` varchar(64) NOT NULL, \`user_id\` int NOT NULL, \`provider\` varchar(20) NOT NULL, \`status\` varchar(12) NOT NULL DEFAULT 'pending', \`failure_reason\` varchar(100) NULL, \`expires_at\` datetime NOT NULL, \`completed_at\` datetime NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_verification_transactions_tx\` (\`tx_id\`), INDEX \`ix_verification_transactions_user\` (\`user_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_verification_transactions_user\` ON \`verification_transactions\``);
    await queryRunner.query(`DROP INDEX \`uq_verification_transactions_tx\` ON \`verification_transactions\``);
    await queryRunner.query(`DROP TABLE \`verification_transactions\``);
    await queryRunner.query(`DROP INDEX \`uq_age_verifications_ci\` ON \`age_verifications\``);
    await queryRunner.query(`DROP INDEX \`uq_age_verifications_user\` ON \`age_verifications\``);
    await queryRunner.query(`DROP TABLE \`age_verifications\``);
  }
}
