// Transaction helpers every module uses: retry on deadlock (or a unique-key race), rows affected.
import type { DataSource, EntityManager } from 'typeorm';

/** InnoDB deadlock / lock wait timeout, or SQLite busy: the transaction can simply run again. */
export function isRetryableTxError(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } } | null;
  const code = e?.code ?? e?.driverError?.code;
  const errno = e?.errno ?? e?.driverError?.errno;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1213 || errno === 1205 || code === 'SQLITE_BUSY';
}

/** A unique index refused the row (someone inserted the same key first). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** ds.transaction, run again (up to `attempts` times) when the database reports a deadlock (or, when asked, a unique-key race: the rerun sees the winner's row). */
export async function transactionWithRetry<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, opts: { attempts?: number; retryUniqueViolation?: boolean } = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  for (let i = 1; ; i++) {
    try {
      return await ds.transaction(work);
    } catch (err) {
      if (i >= attempts || !(isRetryableTxError(err) || (opts.retryUniqueViolation && isUniqueViolation(err)))) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.floor(Math.random() * 10)));
    }
  }
}

/** Rows an UPDATE/DELETE changed (mysql2 affectedRows counts matched rows; better-sqlite3 changes). */
export function affected(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}
