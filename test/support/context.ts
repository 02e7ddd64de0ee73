// Test harness: every test file gets its own fresh database (MariaDB on 127.0.0.1:3306, or a
// SQLite file) and its own Redis key prefix, built through the same composition root as
// production (createRuntime → buildApp). Nothing is mocked.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { buildApp, type AppOptions } from '../../src/app.js';
import { loadConfig, testEnv, type Config } from '../../src/config.js';
import { createScratchMysql, createScratchSqlite, type ScratchDb } from '../../src/db/scratch.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';

export interface TestContext {
  rt: Runtime;
  config: Config;
  scratch: ScratchDb;
  close(): Promise<void>;
}

export interface TestOptions {
  dialect?: 'mysql' | 'sqlite';
  /** false → embedded mode (no Redis: in-process jobs, memory rate limits, DB sessions). */
  redis?: boolean;
  env?: Record<string, string>;
  schedule?: boolean;
}

export function uniquePrefix(): string {
  return `mqt_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Deletes every Redis key under a prefix, and BullMQ's under its hash tag `{prefix}` (SCAN, never KEYS). */
export async function purgeRedisPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length) await r.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    r.disconnect();
  }
}

export async function createTestContext(opts: TestOptions = {}): Promise<TestContext> {
  const te = testEnv();
  const dialect = opts.dialect ?? 'mysql';
  const scratch = dialect === 'mysql' ? await createScratchMysql(te.mysqlUrl) : createScratchSqlite();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-data-'));
  const prefix = uniquePrefix();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(24).toString('hex'),
    SESSION_SECRET: randomBytes(24).toString('hex'),
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    // The panel tests log staff in with a password alone; the second-factor tests
    // (test/security/staff-totp, test/e2e/staff-totp) set STAFF_MFA_ROLES themselves.
    STAFF_MFA_ROLES: '',
    // Every request of a test comes from 127.0.0.1, and files sign up dozens of members: the sign-up
    // limit (config signupRate) is tested where a file sets its own budget.
    SIGNUP_RATE_POINTS: '100000',
    ...(scratch.db.type === 'mysql' ? { DATABASE_URL: scratch.db.url } : { SQLITE_FILE: scratch.db.file }),
    ...(opts.redis === false ? {} : { REDIS_URL: te.redisUrl }),
    ...opts.env,
  };
  const config = loadConfig(env);
  const rt = await createRuntime(config, { migrate: true, schedule: opts.schedule ?? false });
  return {
    rt,
    config,
    scratch,
    async close() {
      await rt.close();
      if (config.redisUrl) await purgeRedisPrefix(config.redisUrl, prefix);
      if (!te.keepDb) await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createTestApp(opts: TestOptions & AppOptions = {}): Promise<TestContext & { app: Express }> {
  const ctx = await createTestContext(opts);
  const app = await buildApp(ctx.rt, { admin: opts.admin ?? false });
  return { ...ctx, app };
}
