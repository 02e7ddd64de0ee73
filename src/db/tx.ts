// Transaction helpers every module uses: retry on deadlock (or a unique-key race), unique
// violations turned into the caller's own error, rows affected, a join row toggled.
import { QueryFailedError, type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';

type DriverError = { code?: string; errno?: number; message?: string; sqlMessage?: string; driverError?: { code?: string; errno?: number; message?: string; sqlMessage?: string } } | null;

/** InnoDB deadlock / lock wait timeout, or SQLite busy: the transaction can simply run again. */
export function isRetryableTxError(err: unknown): boolean {
  const e = err as DriverError;
  const code = e?.code ?? e?.driverError?.code;
  const errno = e?.errno ?? e?.driverError?.errno;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1213 || errno === 1205 || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** A unique index (or the primary key) refused the row: someone inserted the same key first. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as DriverError;
  const code = e?.code ?? e?.driverError?.code;
  if (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return err instanceof QueryFailedError && /UNIQUE constraint failed/.test(err.message);
}

/** A delete or update refused by a foreign key (MariaDB ER_ROW_IS_REFERENCED*, SQLite FOREIGN KEY constraint). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as DriverError;
  const code = String(e?.code ?? e?.driverError?.code ?? '');
  if (code.startsWith('ER_ROW_IS_REFERENCED') || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return true;
  return err instanceof QueryFailedError && /FOREIGN KEY constraint failed/.test(err.message);
}

/**
 * The name of the unique index that refused the row ('PRIMARY' for a primary key), or null when
 * `err` is not a unique violation or the index cannot be told. MySQL/MariaDB name the index in the
 * message ("… for key 'uq_genres_name'", MySQL 8: 'genres.uq_genres_name'); SQLite names the
 * columns ("UNIQUE constraint failed: genres.name"), matched against the entities' unique indexes.
 */
export function violatedUniqueIndex(err: unknown, ds: DataSource): string | null {
  if (!isUniqueViolation(err)) return null;
  const e = err as DriverError;
  const message = String(e?.sqlMessage ?? e?.driverError?.sqlMessage ?? e?.message ?? '');
  const mysql = /for key '([^']+)'\s*$/.exec(message);
  if (mysql) return mysql[1].slice(mysql[1].lastIndexOf('.') + 1);
  const sqlite = /UNIQUE constraint failed: (.+)$/.exec(message);
  if (!sqlite) return null;
  const cols = sqlite[1].split(',').map((s) => s.trim());
  const table = cols[0].slice(0, cols[0].lastIndexOf('.'));
  const names = cols.map((c) => c.slice(c.lastIndexOf('.') + 1)).sort().join(',');
  const meta = ds.entityMetadatas.find((m) => m.tableName === table);
  if (!meta) return null;
  const same = (columns: Array<{ databaseName: string }>) => columns.map((c) => c.databaseName).sort().join(',') === names;
  if (same(meta.primaryColumns)) return 'PRIMARY';
  const index = meta.indices.find((i) => i.isUnique && same(i.columns)) ?? meta.uniques.find((u) => same(u.columns));
  return index?.name ?? null;
}

export interface RetryOptions {
  /** Runs of the transaction at most (default 4). */
  attempts?: number;
  /** Also run again on a unique-key race: the rerun sees the winner's row (e.g. to skip it). */
  retryUniqueViolation?: boolean;
  /**
   * Unique index name → the error to throw instead when that index refuses a row: the loser of a
   * check-then-insert race gets the answer the check gives (e.g. the seed's 400 "이미 존재합니다").
   */
  uniqueErrors?: Record<string, () => Error>;
}

/**
 * ds.transaction, run again (up to `attempts` times, with a short jittered pause) when the
 * database reports a deadlock — or, when asked, a unique-key race. A unique violation on one of
 * `uniqueErrors`' indexes becomes that error.
 */
export async function transactionWithRetry<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  for (let i = 1; ; i++) {
    try {
      return await ds.transaction(work);
    } catch (err) {
      const unique = isUniqueViolation(err);
      const mapped = unique && opts.uniqueErrors ? opts.uniqueErrors[violatedUniqueIndex(err, ds) ?? ''] : undefined;
      if (mapped) throw mapped();
      if (i >= attempts || !(isRetryableTxError(err) || (opts.retryUniqueViolation && unique))) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.floor(Math.random() * 10 * i)));
    }
  }
}

/** Rows an UPDATE/DELETE changed (mysql2 affectedRows counts matched rows; better-sqlite3 changes). */
export function affected(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}

/**
 * Toggles a join row (a pick): deletes it when present, inserts it otherwise; true when it exists
 * now. The caller serialises toggles of one key first (e.g. a write lock on the parent row): two
 * toggles that both find no row would otherwise both insert — on InnoDB their gap locks deadlock.
 */
export async function toggleRow<E extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<E>, key: Partial<E>): Promise<boolean> {
  const removed = await m.delete(entity, key as never);
  if (affected(removed)) return false;
  await m.createQueryBuilder().insert().into(entity).values(key as never).orIgnore().execute();
  return true;
}
