// Throw-away databases of either dialect: used by the tests, the migration generator and benches.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DbConfig } from '../config.js';

export interface ScratchDb {
  db: DbConfig;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty MySQL/MariaDB database on the server at serverUrl (no database in the URL). */
export async function createScratchMysql(url0: string, prefix = 'mq_t'): Promise<ScratchDb> {
  const serverUrl = url0.replace(/^mariadb:/, 'mysql:');
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const conn = await mysql.createConnection(serverUrl);
  try {
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  const url = new URL(url0);
  url.pathname = `/${name}`;
  return {
    db: { type: 'mysql', url: url.toString() },
    name,
    async drop() {
      const c = await mysql.createConnection(serverUrl);
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

export function createScratchSqlite(): ScratchDb {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mq-sqlite-'));
  return {
    db: { type: 'sqlite', file: path.join(dir, 'test.sqlite') },
    name: dir,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
