// Transaction helpers of the commerce services: the shared ones (src/db/tx.ts) and the row lock
// of a find inside a transaction.
import type { EntityManager } from 'typeorm';
import { rowLock } from '../../db/data-source.js';

export { affected, isRetryableTxError, isUniqueViolation, transactionWithRetry } from '../../db/tx.js';

/** The `lock` option of a find inside `manager`'s transaction: FOR UPDATE on MySQL/MariaDB, nothing on SQLite (one writer at a time). */
export function lockFor(manager: EntityManager): { mode: 'pessimistic_write' } | undefined {
  return rowLock(manager.connection);
}
