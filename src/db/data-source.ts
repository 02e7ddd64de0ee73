import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { DataSource, type DataSourceOptions, type LogLevel } from 'typeorm';
import type { Logger } from 'pino';
import type { DbConfig } from '../config.js';
import { PinoTypeormLogger } from './typeorm-logger.js';
import { entities } from './entities.js';
import { migrationsFor } from './migrations.js';

export type Dialect = 'mysql' | 'sqlite';

export function dialectOf(ds: DataSource): Dialect {
  return ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/**
 * The `lock` option of a find that reads a row it is about to change: SELECT … FOR UPDATE on
 * MySQL/MariaDB; nothing on SQLite, which has no row locks and runs one write transaction at a time.
 */
export function rowLock(ds: DataSource): { mode: 'pessimistic_write' } | undefined {
  return dialectOf(ds) === 'mysql' ? { mode: 'pessimistic_write' } : undefined;
}

export function dataSourceOptions(db: DbConfig, opts: { logging?: boolean; logger?: Logger } = {}): DataSourceOptions {
  const levels: LogLevel[] = opts.logging ? ['query', 'error'] : ['error'];
  // Without our logger, TypeORM's console logger would print failed and slow queries with their
  // parameters (a user INSERT holds the password hash): no logging then — errors reach the caller.
  const logging = opts.logger ? { logging: levels, logger: new PinoTypeormLogger(opts.logger, opts.logging) } : { logging: false as const };
  if (db.type === 'mysql') {
    const mysqlUrl = (u: string) => u.replace(/^mariadb:/, 'mysql:');
    return {
      // TypeORM reads column defaults differently on MariaDB: the URL scheme tells which server it is.
      type: db.url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
      // With a replica: plain reads outside transactions go to it (see db/replication.ts), the rest to the primary.
      ...(db.replicaUrl
        ? { replication: { master: { url: mysqlUrl(db.url) }, slaves: [{ url: mysqlUrl(db.replicaUrl) }], restoreNodeTimeout: 1000 } }
        : { url: mysqlUrl(db.url) }),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      dateStrings: false,
      supportBigNumbers: true,
      bigNumberStrings: false,
      entities,
      migrations: migrationsFor('mysql'),
      migrationsTableName: 'typeorm_migrations',
      migrationsTransactionMode: 'each',
      synchronize: false,
      ...logging,
      maxQueryExecutionTime: 1000,
      extra: { connectionLimit: 20 },
    };
  }
  if (db.file !== ':memory:') mkdirSync(path.dirname(db.file), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: db.file,
    entities,
    migrations: migrationsFor('sqlite'),
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    ...logging,
    maxQueryExecutionTime: 1000,
    // Prepared statements kept by SQL text (FIFO; TypeORM's default 100). A query with an IN list is
    // one text per list length, so the hot reads' statements were evicted and prepared again
    // (6 % of the cinema detail's time).
    statementCacheSize: 2_000,
    prepareDatabase: (conn: { pragma: (s: string) => unknown; function: (name: string, opts: { deterministic: boolean }, fn: (s: string) => number) => unknown }) => {
      conn.pragma('journal_mode = WAL');
      conn.pragma('foreign_keys = ON');
      conn.pragma('busy_timeout = 5000');
      // MariaDB's CRC32() (of the text's UTF-8), for the same checksums on both dialects (the search's terms: movie-search.service.ts).
      conn.function('crc32', { deterministic: true }, (text: string) => crc32(String(text)));
    },
  };
}

export function createDataSource(db: DbConfig, opts: { logging?: boolean; logger?: Logger } = {}): DataSource {
  return new DataSource(dataSourceOptions(db, opts));
}

/**
 * Initialise and apply pending migrations; returns the names applied. Migrations run under a
 * database lock: replicas (or `npm run migrate` and a replica) starting together on one database
 * take turns, and the later ones find nothing pending.
 */
export async function openDatabase(ds: DataSource, opts: { migrate: boolean }): Promise<string[]> {
  if (!ds.isInitialized) await ds.initialize();
  if (!opts.migrate) return [];
  const applied = await withDatabaseLock(ds, 'migrate', () => ds.runMigrations({ transaction: 'each' }));
  return applied.map((m) => m.name);
}

/**
 * Runs `work` while holding a named lock of this database, so processes sharing the database run it
 * one at a time. MySQL/MariaDB: GET_LOCK on a connection kept for the duration (the name includes
 * the schema; it is released on RELEASE_LOCK or when that connection ends). SQLite: no lock — the
 * embedded mode is one process, and SQLite itself runs one write transaction at a time.
 */
export async function withDatabaseLock<T>(ds: DataSource, name: string, work: () => Promise<T>, opts: { timeoutSeconds?: number } = {}): Promise<T> {
  if (dialectOf(ds) !== 'mysql') return work();
  const timeout = opts.timeoutSeconds ?? 600;
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    const [{ db }] = (await qr.query('SELECT DATABASE() AS db')) as Array<{ db: string | null }>;
    let key = `marquee:${name}:${db ?? ''}`;
    // GET_LOCK names are at most 64 characters.
    if (key.length > 64) key = `marquee:${createHash('sha256').update(key).digest('hex').slice(0, 48)}`;
    const [{ got }] = (await qr.query('SELECT GET_LOCK(?, ?) AS got', [key, timeout])) as Array<{ got: unknown }>;
    if (Number(got) !== 1) throw new Error(`database lock "${name}" not acquired within ${timeout} s (another process holds it)`);
    try {
      return await work();
    } finally {
      await qr.query('SELECT RELEASE_LOCK(?)', [key]);
    }
  } finally {
    await qr.release();
  }
}

/** mysql2 returns COUNT(*) and SUM() as strings, SQLite as numbers. */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}
