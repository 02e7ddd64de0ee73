import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('defaults to the embedded mode', () => {
    const c = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/mq-config-test', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32) });
    expect(c.embedded).toBe(true);
    expect(c.db).toEqual({ type: 'sqlite', file: '/tmp/mq-config-test/marquee.sqlite' });
    expect(c.redisUrl).toBeNull();
    expect(c.port).toBe(3000);
    // the movie search's terms in a thread of their own unless SEARCH_THREAD=off
    expect(c.searchThread).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/mq-config-test', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32), SEARCH_THREAD: 'off' }).searchThread).toBe(false);
  });

  it('reads the replica settings', () => {
    const c = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/mq-config-test', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32), DATABASE_URL: 'mariadb://p@127.0.0.1/mq', DATABASE_REPLICA_URL: 'mariadb://r@127.0.0.1:3307/mq', REPLICA_MAX_LAG_SECONDS: '2.5', READ_YOUR_WRITES_SECONDS: '7' });
    expect(c.db).toEqual({ type: 'mysql', url: 'mariadb://p@127.0.0.1/mq', replicaUrl: 'mariadb://r@127.0.0.1:3307/mq' });
    expect(c.replication).toEqual({ maxLagSeconds: 2.5, readYourWritesSeconds: 7 });
    // the read caches keep nothing longer than the lag replica reads may have
    expect(c.catalogCache.ttlMs).toBe(2500);
    expect(c.searchCache.ttlMs).toBe(2500);
    const single = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/mq-config-test', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32), DATABASE_URL: 'mariadb://p@127.0.0.1/mq', REPLICA_MAX_LAG_SECONDS: '2.5' });
    expect(single.catalogCache.ttlMs).toBe(300_000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ ADMIN_EMAIL: 'nope' }, 'ADMIN_EMAIL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ SEARCH_THREAD: 'sometimes' }, 'SEARCH_THREAD'],
    [{ DATABASE_REPLICA_URL: 'mariadb://r@127.0.0.1:3307/mq' }, 'DATABASE_REPLICA_URL'],
    [{ DATABASE_URL: 'mariadb://p@127.0.0.1/mq', DATABASE_REPLICA_URL: 'http://x' }, 'DATABASE_REPLICA_URL'],
    [{ REPLICA_MAX_LAG_SECONDS: 'soon' }, 'REPLICA_MAX_LAG_SECONDS'],
    [{ READ_YOUR_WRITES_SECONDS: '0' }, 'READ_YOUR_WRITES_SECONDS'],
  ])('rejects %j naming %s', (env, variable) => {
    const full = { NODE_ENV: 'test', DATA_DIR: '/tmp/mq-config-test', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32), ...env };
    expect(() => loadConfig(full)).toThrow(ConfigError);
    try {
      loadConfig(full);
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as Error).message).toContain(variable);
    }
  });

  it('requires the secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/mq-config-test' })).toThrow(/JWT_SECRET is required/);
  });

  it('makes the process exit with one line naming the variable', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { PATH: process.env.PATH, PORT: 'abc', DATA_DIR: '/tmp/mq-config-test' }, encoding: 'utf8', timeout: 30_000 });
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toEqual(['Invalid configuration: PORT must be a whole number (got "abc")']);
  });
});
