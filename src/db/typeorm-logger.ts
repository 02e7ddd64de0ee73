import type { Logger as PinoLogger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** TypeORM → pino. Failed queries are logged without their parameters (they may hold personal data). */
export class PinoTypeormLogger implements TypeOrmLogger {
  constructor(private readonly pino: PinoLogger, private readonly queries = false) {}
  logQuery(query: string) {
    if (this.queries) this.pino.debug({ query }, 'sql');
  }
  logQueryError(error: string | Error, query: string) {
    const code = typeof error === 'object' ? (error as { code?: string }).code : undefined;
    this.pino.debug({ code, query: query.slice(0, 500), err: typeof error === 'string' ? error : error.message }, 'sql error');
  }
  logQuerySlow(time: number, query: string) {
    // Waiting for a database lock (withDatabaseLock: another replica is migrating) is not a slow query.
    if (/^SELECT GET_LOCK\(/.test(query)) return;
    this.pino.warn({ ms: time, query: query.slice(0, 500) }, 'slow sql');
  }
  logSchemaBuild(message: string) {
    this.pino.debug(message);
  }
  logMigration(message: string) {
    this.pino.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown) {
    this.pino[level === 'log' ? 'debug' : level]({ message }, 'typeorm');
  }
}
