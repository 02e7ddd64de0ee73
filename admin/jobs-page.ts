// The panel's "작업 모니터" page handler (GET/POST /admin/api/pages/jobs), for the roles the role
// table lets read the queues (admin). With BullMQ it points at bull-board (admin/queues.ts); in
// embedded mode it lists the in-process jobs and retries a failed one.
import type { PageHandler } from 'adminjs';
import { InProcessJobBus } from '../jobs/bus.js';
import { can } from '../src/modules/access/rbac.js';
import type { Runtime } from '../src/runtime.js';
import { roleOf } from './access.js';
import { panelLanguageOf, panelText } from './locale/index.js';

export function jobsPage(rt: Pick<Runtime, 'jobs'>, monitorUrl: string): PageHandler {
  return async (request, _response, context) => {
    const lang = panelLanguageOf(context.currentAdmin);
    if (!can(roleOf(context), 'queues', 'read')) return { error: panelText(lang, 'jobsForbidden') };
    const bus = rt.jobs;
    if (!(bus instanceof InProcessJobBus)) return { mode: 'bullmq', monitorUrl };
    if (request.method?.toLowerCase() === 'post') {
      const id = String(request.payload?.retry ?? '');
      return bus.retry(id) ? { retried: id } : { error: panelText(lang, 'jobsNotFailed') };
    }
    const jobs = bus
      .list()
      .slice(-200)
      .reverse()
      .map((j) => ({ id: j.id, name: j.name, state: j.state, attempts: j.attempts, failures: j.failures, lastRunAt: j.lastRunAt?.toISOString() ?? null, createdAt: j.createdAt.toISOString(), error: j.error ?? null }));
    return { mode: 'in-process', jobs };
  };
}
