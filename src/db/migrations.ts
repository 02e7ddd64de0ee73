import { mysqlMigrations } from '../../migrations/mysql/index.js';
import { sqliteMigrations } from '../../migrations/sqlite/index.js';
import type { Dialect } from './data-source.js';

export function migrationsFor(dialect: Dialect): Function[] {
  return dialect === 'mysql' ? mysqlMigrations : sqliteMigrations;
}
