// `npm run migration:generate -- Name`: for each dialect, applies the existing migrations to a
// scratch database, asks TypeORM what the entities still need, and writes that as a new migration
// (appended to migrations/<dialect>/index.ts). Needs the MariaDB of the dev machine.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from '../src/config.js';
import { createDataSource, type Dialect } from '../src/db/data-source.js';
import { createScratchMysql, createScratchSqlite } from '../src/db/scratch.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- PascalCaseName');
  process.exit(2);
}
const ts = Date.now();
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function q(s: string): string {
  return '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

async function generate(dialect: Dialect) {
  const scratch = dialect === 'mysql' ? await createScratchMysql(testEnv().mysqlUrl, 'mq_gen') : createScratchSqlite();
  const ds = createDataSource(scratch.db);
  try {
    await ds.initialize();
    await ds.runMigrations();
    const sql = await ds.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      console.log(`${dialect}: no changes`);
      return;
    }
    const cls = `${name}${ts}`;
    const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
    const down = sql.downQueries.reverse().map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
    const file = `${ts}-${name}`;
    const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`;
    writeFileSync(path.join(root, 'migrations', dialect, `${file}.ts`), body);
    const indexFile = path.join(root, 'migrations', dialect, 'index.ts');
    let index = readFileSync(indexFile, 'utf8');
    index = `import { ${cls} } from './${file}.js';\n` + index;
    index = index.replace(/\n\];\s*$/, `\n  ${cls},\n];\n`);
    writeFileSync(indexFile, index);
    console.log(`${dialect}: wrote migrations/${dialect}/${file}.ts (${sql.upQueries.length} statements)`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await scratch.drop();
  }
}

await generate('mysql');
await generate('sqlite');
