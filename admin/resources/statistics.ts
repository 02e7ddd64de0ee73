// Statistics in the panel: the computed days (when, how long, who asked) and "Recompute days…",
// which queues the statistics.recompute job through the statistics service (range checked,
// request audited). Finance and admins; the dashboard links here for late data.
import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import { StatDay } from '../../src/modules/statistics/statistics.entities.js';
import { StatisticsRangeError } from '../../src/modules/statistics/statistics.service.js';
import type { Services } from '../../src/runtime.js';
import { actorOf, permit } from '../access.js';
import { asActions } from '../audit.js';
import { Components } from '../components.js';
import { panelText } from '../locale/index.js';
import { panelLang } from '../service-form.js';

export const STAT_DAYS_RESOURCE = 'stat_days';

export function statisticsResource(services: Services): ResourceWithOptions {
  const recomputers = permit('statistics', 'recompute');
  const never = { isAccessible: false, isVisible: false };
  return {
    resource: StatDay,
    options: {
      id: STAT_DAYS_RESOURCE,
      navigation: { name: 'Administration', icon: 'Shield' },
      properties: {
        day: { isTitle: true },
        requestedBy: { reference: 'users' },
      },
      listProperties: ['day', 'computedAt', 'durationMs', 'requestedBy'],
      filterProperties: ['day', 'computedAt'],
      sort: { sortBy: 'day', direction: 'desc' },
      actions: asActions({
        list: { isAccessible: recomputers, isVisible: recomputers },
        show: { isAccessible: recomputers, isVisible: recomputers },
        search: { isAccessible: recomputers },
        new: never,
        edit: never,
        delete: never,
        bulkDelete: never,
        recompute: {
          actionType: 'resource',
          icon: 'RefreshCw',
          label: 'Recompute days…',
          isAccessible: recomputers,
          isVisible: recomputers,
          component: Components.StatsRecompute,
          handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
            if (request.method !== 'post') return {};
            const actor = actorOf(context);
            try {
              const r = await services.statistics.requestRecompute(actor ?? { id: null, email: null }, { from: request.payload?.from, to: request.payload?.to });
              return { notice: { message: panelText(panelLang(context), 'recomputeQueued', { days: r.days, from: r.from, to: r.to }), type: 'success' }, job_id: r.jobId };
            } catch (err) {
              if (err instanceof StatisticsRangeError) return { notice: { message: panelText(panelLang(context), `statsRange_${err.code}`, err.vars), type: 'error' }, field: err.field };
              throw err;
            }
          },
        },
      }),
      translations: { en: { labels: { [STAT_DAYS_RESOURCE]: 'Statistics days' }, properties: { computedAt: 'Computed at', durationMs: 'Took (ms)', requestedBy: 'Recompute asked by' }, actions: { recompute: 'Recompute days…' } } },
    },
  };
}
