// Recommendation runs in the panel: every training run of the recommender (nightly full retrain or
// a member's refresh) with its progress as the worker reports it, read-only. "Retrain now" (admins)
// queues the recommendations.train job through the recommendations service (one at a time, audited).
import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import { RecRun } from '../../src/modules/recommendations/recommendation.entities.js';
import type { Services } from '../../src/runtime.js';
import { actorOf, permit } from '../access.js';
import { asActions } from '../audit.js';
import { Components } from '../components.js';
import { panelText } from '../locale/index.js';
import { panelLang } from '../service-form.js';

export const REC_RUNS_RESOURCE = 'rec_runs';

export function recommendationsResource(services: Services): ResourceWithOptions {
  const readers = permit('recommendation-runs', 'read');
  const retrainers = permit('recommendation-runs', 'retrain');
  const never = { isAccessible: false, isVisible: false };
  const readOnly = { isVisible: { list: true, show: true, edit: false, filter: true } };
  return {
    resource: RecRun,
    options: {
      id: REC_RUNS_RESOURCE,
      // Beside Ratings (what the runs learn from): catalog staff see it without the Administration group.
      navigation: { name: 'Members', icon: 'User' },
      properties: {
        id: { isTitle: true },
        kind: { availableValues: [{ value: 'full', label: 'Full retrain' }, { value: 'user', label: 'Member refresh' }], ...readOnly },
        status: { availableValues: ['running', 'done', 'failed'].map((v) => ({ value: v, label: v })), ...readOnly },
        userId: { reference: 'members', ...readOnly },
        error: { type: 'textarea', isVisible: { list: false, show: true, edit: false, filter: false } },
        globalMean: { isVisible: { list: false, show: true, edit: false, filter: false } },
      },
      listProperties: ['id', 'startedAt', 'finishedAt', 'kind', 'status', 'progress', 'users', 'items', 'ratings', 'durationMs', 'error'],
      showProperties: ['id', 'kind', 'status', 'progress', 'startedAt', 'finishedAt', 'durationMs', 'algorithm', 'users', 'items', 'ratings', 'globalMean', 'userId', 'error'],
      filterProperties: ['kind', 'status', 'startedAt', 'userId'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: asActions({
        list: { isAccessible: readers, isVisible: readers },
        show: { isAccessible: readers, isVisible: readers },
        search: { isAccessible: readers },
        new: never,
        edit: never,
        delete: never,
        bulkDelete: never,
        retrain: {
          actionType: 'resource',
          icon: 'RefreshCw',
          label: 'Retrain now',
          isAccessible: retrainers,
          isVisible: retrainers,
          component: Components.RecRetrain,
          // A GET (opening the action) changes nothing; the button POSTs.
          handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
            if (request.method !== 'post') return {};
            const { jobId } = await services.recommendations.requestRetrain(actorOf(context));
            return { notice: { message: panelText(panelLang(context), 'retrainStarted'), type: 'success' }, job_id: jobId };
          },
        },
      }),
      translations: {
        en: {
          labels: { [REC_RUNS_RESOURCE]: 'Recommendation runs' },
          properties: {
            startedAt: 'Started',
            finishedAt: 'Finished',
            progress: 'Progress %',
            users: 'Users',
            items: 'Items',
            ratings: 'Ratings',
            durationMs: 'Duration (ms)',
            globalMean: 'Global mean',
            userId: 'Member (refresh)',
          },
          actions: { retrain: 'Retrain now' },
        },
      },
    },
  };
}
