// The queue monitor at /admin/queues (bull-board): waiting, active, delayed, completed and failed
// jobs of every BullMQ queue, with retry. Behind the admin panel's own session and for the admin
// role only: no session → the login page; another staff role → 403. In embedded mode (no Redis)
// jobs run in-process and there is nothing to monitor; the page says so.
import type { RequestHandler, Router } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullJobBus } from '../jobs/bus.js';
import type { Runtime } from '../src/runtime.js';
import { can } from '../src/modules/access/rbac.js';
import type { AdminSessionUser } from './access.js';

export const QUEUES_PATH = '/queues';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Mounts the monitor at the end of the admin router (under the admin root): AdminJS's session
 * middleware and login redirect run before it on that router.
 */
export async function mountQueueMonitor(rt: Runtime, router: Router, rootPath: string): Promise<void> {
  const { default: express } = await import('express');
  const guard: RequestHandler = (req, res, next) => {
    const user = (req.session as unknown as { adminUser?: AdminSessionUser } | undefined)?.adminUser;
    if (!user) {
      res.redirect(`${rootPath}/login`);
      return;
    }
    if (!can(user.role, 'queues', 'read')) {
      res.status(403).type('text/plain').send('The queue monitor is for admins only.');
      return;
    }
    next();
  };
  const base = `${rootPath}${QUEUES_PATH}`;
  const monitor = express.Router();
  monitor.use(guard);
  if (rt.jobs instanceof BullJobBus) {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(base);
    createBullBoard({ queues: rt.jobs.allQueues().map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'Marquee jobs' } } });
    monitor.use(serverAdapter.getRouter() as unknown as RequestHandler);
  } else {
    monitor.get('/', (_req, res) => {
      res
        .type('html')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Marquee jobs</title></head><body><h1>Jobs run in-process</h1><p>This server has no Redis (embedded mode): jobs run inside the API process and there is no queue to monitor. Set REDIS_URL and run the worker (<code>npm run worker</code>) to use BullMQ.</p><p><a href="${escapeHtml(rootPath)}">Back to the panel</a></p></body></html>`,
        );
    });
  }
  router.use(QUEUES_PATH, monitor);
}
