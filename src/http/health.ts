import type { Router } from 'express';
import type { Runtime } from '../runtime.js';

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz: the process is up. GET /readyz: the database (and Redis, in full mode) answer; with a replica, its lag (a lagging replica does not make the process unready: reads fall back to the primary). */
export function healthRoutes(router: Router, rt: Pick<Runtime, 'ds' | 'redis'> & Partial<Pick<Runtime, 'readRouting'>>): void {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks: Record<string, 'ok' | 'down' | 'disabled'> = { database: 'down', redis: rt.redis ? 'down' : 'disabled' };
    try {
      await withTimeout(rt.ds.query('SELECT 1'), 2000);
      checks.database = 'ok';
    } catch {
      /* reported below */
    }
    if (rt.redis) {
      try {
        if ((await withTimeout(rt.redis.ping(), 2000)) === 'PONG') checks.redis = 'ok';
      } catch {
        /* reported below */
      }
    }
    const ready = Object.values(checks).every((c) => c !== 'down');
    const replica = rt.readRouting ? { replica: rt.readRouting.status() } : {};
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks, ...replica });
  });
}
