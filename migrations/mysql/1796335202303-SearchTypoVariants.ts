import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SearchTypoVariants1796335202303 implements MigrationInterface {
  name = 'SearchTypoVariants1796335202303';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`movie_search_variants\` (\`variant\` varchar(48) NOT NULL, \`movie_id\` int NOT NULL, INDEX \`ix_movie_search_variants_movie\` (\`movie_id\`), PRIMARY KEY (\`variant\`, \`movie_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`movie_search_variants\` ADD CONSTRAINT \`FK_d2abe2b68bd99d8b4438d25482a\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    // The titles already indexed: each short Korean title under itself and its one-character
    // deletions (the rule of src/modules/search/text/typos.ts when this was written).
    const rows: Array<{ movie_id: unknown; norm: string }> = await queryRunner.query('SELECT movie_id, norm FROM movie_search_terms');
    const values = new Map<string, [string, number]>();
    for (const r of rows) {
      const chars = [...r.norm];
      if (chars.length < 2 || chars.length > 12 || !/[\uac00-\ud7a3]/.test(r.norm)) continue;
      const id = Number(r.movie_id);
      for (const v of [r.norm, ...chars.map((_, i) => chars.slice(0, i).join('') + chars.slice(i + 1).join(''))]) values.set(`${v}\u0000${id}`, [v, id]);
    }
    const all = [...values.values()];
    for (let i = 0; i < all.length; i += 500) {
      const part = all.slice(i, i + 500);
      await queryRunner.query(`INSERT IGNORE INTO movie_search_variants (variant, movie_id) VALUES ${part.map(() => '(?, ?)').join(', ')}`, part.flat());
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`movie_search_variants\` DROP FOREIGN KEY \`FK_d2abe2b68bd99d8b4438d25482a\``);
    await queryRunner.query(`DROP INDEX \`ix_movie_search_variants_movie\` ON \`movie_search_variants\``);
    await queryRunner.query(`DROP TABLE \`movie_search_variants\``);
  }
}
