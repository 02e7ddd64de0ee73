// Migrations apply to an empty database of each dialect, match the entities exactly (no schema
// drift), and revert cleanly.
import { testEnv } from '../../src/config.js';
import { createDataSource } from '../../src/db/data-source.js';
import { migrationsFor } from '../../src/db/migrations.js';
import { createScratchMysql, createScratchSqlite, type ScratchDb } from '../../src/db/scratch.js';

describe.each(['mysql', 'sqlite'] as const)('%s migrations', (dialect) => {
  let scratch: ScratchDb;
  beforeAll(async () => {
    scratch = dialect === 'mysql' ? await createScratchMysql(testEnv().mysqlUrl) : createScratchSqlite();
  });
  afterAll(async () => {
    await scratch.drop();
  });

  it('apply to an empty database and leave nothing for the entities to change', async () => {
    const ds = createDataSource(scratch.db);
    await ds.initialize();
    try {
      const applied = await ds.runMigrations();
      expect(applied.map((m) => m.name)).toEqual(migrationsFor(dialect).map((m) => (new (m as new () => { name: string })()).name));
      const pending = await ds.driver.createSchemaBuilder().log();
      // A non-empty list names the drift: run `npm run migration:generate -- Name`.
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
    }
  });

  it('revert every migration and apply them again', async () => {
    const ds = createDataSource(scratch.db);
    await ds.initialize();
    try {
      for (let i = 0; i < migrationsFor(dialect).length; i++) await ds.undoLastMigration();
      const rows: Array<{ name: string }> =
        dialect === 'mysql'
          ? await ds.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()')
          : await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
      const tables = rows.map((r) => r.name).filter((n) => n !== 'typeorm_migrations');
      expect(tables).toEqual([]);
      await ds.runMigrations();
      expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
