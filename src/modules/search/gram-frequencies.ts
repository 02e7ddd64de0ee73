// Gram frequencies (movie_search_gram_df): how many movies have each gram, which a query uses to
// look up only its rarest grams. They are statistics, not data: the index writes collect their
// changes on the transaction and apply them right after it commits, each change set as its own
// short statement, so that concurrent catalog writes never deadlock on these hot rows. A change
// set lost to a failure, or a movie deleted by a raw cascade, leaves them slightly off until
// search.reindex recounts them; a query only uses them to choose among its grams.
import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { dialectOf } from '../../db/data-source.js';

const PENDING = 'movieSearchGramDf';
const RETRIES = 3;

export class GramFrequencies implements EntitySubscriberInterface {
  constructor(
    private readonly ds: DataSource,
    private readonly onError: (err: unknown) => void = () => {},
    /** Called after a change set is applied (the search's result cache goes with it). */
    private readonly onApplied: () => void = () => {},
  ) {
    // A transaction subscriber of this DataSource (not tied to an entity).
    ds.subscribers.push(this);
  }

  /** Adds `delta` (gram → change) after the transaction of `m` commits; at once outside a transaction. */
  async add(m: EntityManager, delta: ReadonlyMap<string, number>): Promise<void> {
    if (!delta.size) return;
    const qr = m.queryRunner;
    if (!qr?.isTransactionActive) return this.apply(delta);
    const pending: Map<string, number> = (qr.data[PENDING] ??= new Map<string, number>());
    for (const [gram, d] of delta) pending.set(gram, (pending.get(gram) ?? 0) + d);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    // A released savepoint is not the end of the transaction.
    if (event.queryRunner.isTransactionActive) return;
    const pending = event.queryRunner.data?.[PENDING] as Map<string, number> | undefined;
    if (!pending) return;
    delete event.queryRunner.data[PENDING];
    // On the committed transaction's own connection (autocommit now): taking another one from the
    // pool here would wait forever once every pooled connection sits in this same hook.
    await this.apply(pending, (sql, params) => event.queryRunner.query(sql, params));
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive && event.queryRunner.data) delete event.queryRunner.data[PENDING];
  }

  /** Upserts the changes, 500 grams per statement (each its own transaction), retrying a deadlock. */
  private async apply(delta: ReadonlyMap<string, number>, query: (sql: string, params: unknown[]) => Promise<unknown> = (sql, params) => this.ds.query(sql, params)): Promise<void> {
    const rows = [...delta].filter(([, d]) => d !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sql = (values: string) =>
      dialectOf(this.ds) === 'sqlite'
        ? `INSERT INTO movie_search_gram_df (gram, df) VALUES ${values} ON CONFLICT(gram) DO UPDATE SET df = df + excluded.df`
        : `INSERT INTO movie_search_gram_df (gram, df) VALUES ${values} ON DUPLICATE KEY UPDATE df = df + VALUES(df)`;
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500);
      for (let attempt = 1; ; attempt++) {
        try {
          await query(sql(part.map(() => '(?, ?)').join(', ')), part.flat());
          break;
        } catch (err) {
          if (attempt < RETRIES && /deadlock|lock wait/i.test(String((err as Error).message))) continue;
          this.onError(err);
          break;
        }
      }
    }
    if (rows.length) this.onApplied();
  }
}
