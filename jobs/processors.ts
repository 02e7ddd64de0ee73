// The job processors: the same functions run in the BullMQ worker and the in-process runner.
// They call services; they never write tables themselves.
import type { IdempotencyService } from '../src/modules/commerce/idempotency.js';
import type { PaymentsService } from '../src/modules/commerce/payments.service.js';
import type { ContentsService } from '../src/modules/catalog/contents.service.js';
import type { RecommendationsService } from '../src/modules/recommendations/recommendations.service.js';
import type { StatisticsService } from '../src/modules/statistics/statistics.service.js';
import type { MovieSearchService } from '../src/modules/search/movie-search.service.js';
import { addDays, LATE_DATA_DAYS } from '../src/modules/statistics/statistics.service.js';
import type { Outbox } from './outbox.js';
import type { JobName, JobPayloads } from './queues.js';

export interface JobServices {
  /** The bus tells it when a job starts (a deduplicated intent's id is then free again). */
  outbox: Pick<Outbox, 'started'>;
  statistics: StatisticsService;
  recommendations: RecommendationsService;
  contents: ContentsService;
  movieSearch: MovieSearchService;
  payments: PaymentsService;
  idempotency: IdempotencyService;
}

export interface JobContext {
  progress(fraction: number): Promise<void>;
  log(message: string): Promise<void>;
}

type Processor<N extends JobName> = (data: JobPayloads[N], services: JobServices, ctx: JobContext) => Promise<unknown>;

export const processors: { [N in JobName]: Processor<N> } = {
  'statistics.daily': async (data, services, ctx) => {
    // The nightly run (no day given) also redoes the day before: viewing events reported late land there.
    const yesterday = services.statistics.yesterday();
    const days = data.day ? [data.day] : [addDays(yesterday, -LATE_DATA_DAYS), yesterday];
    let snap;
    for (const [i, day] of days.entries()) {
      snap = await services.statistics.computeDay(day);
      await ctx.progress((i + 1) / days.length);
    }
    return { day: snap!.day, signups: snap!.signups, revenue_rows: snap!.revenue, subscription_rows: snap!.subscriptions, content_rows: snap!.contents, days };
  },
  'statistics.recompute': async (data, services, ctx) => {
    const done = await services.statistics.computeRange(data.from, data.to, { requestedBy: data.requestedBy ?? null, onProgress: (f) => ctx.progress(f) });
    return { from: data.from, to: data.to, days: done.length };
  },
  'recommendations.train': async (_data, services, ctx) => {
    const run = await services.recommendations.trainAll((f) => ctx.progress(f));
    // Another training holds the lease (a second worker, an overlapping job): this one is not needed.
    if (!run) {
      await ctx.log('another training is running; skipped');
      return { skipped: true };
    }
    return { runId: run.id, users: run.users, items: run.items, ratings: run.ratings, ms: run.durationMs };
  },
  'recommendations.refresh-user': async (data, services, ctx) => {
    await services.recommendations.refreshUser(data.userId, (f) => ctx.progress(f));
    return { userId: data.userId };
  },
  'recommendations.top10': async (_data, services, ctx) => {
    const rows = await services.recommendations.computeTop10();
    await ctx.progress(1);
    return { rows };
  },
  'contents.probe': async (data, services, ctx) => {
    const outcome = await services.contents.probe(data.contentId);
    await ctx.progress(1);
    return outcome ?? { id: data.contentId, gone: true };
  },
  'contents.validity': async (_data, services, ctx) => {
    const changed = await services.contents.markExpired(new Date());
    await ctx.progress(1);
    return changed;
  },
  'search.reindex': async (_data, services, ctx) => {
    const done = await services.movieSearch.rebuild({ onProgress: (n) => ctx.log(`${n} movies indexed`) });
    await ctx.progress(1);
    return done;
  },
  'commerce.renewals': async (_data, services, ctx) => {
    const out = await services.payments.runRenewals(services.idempotency);
    await ctx.progress(1);
    return out;
  },
  'commerce.idempotency-cleanup': async (_data, services, ctx) => {
    const deleted = await services.idempotency.cleanup();
    const webhookEvents = await services.payments.pruneWebhookEvents();
    await ctx.progress(1);
    return { deleted, webhook_events: webhookEvents };
  },
};

export async function runProcessor<N extends JobName>(name: N, data: JobPayloads[N], services: JobServices, ctx: JobContext): Promise<unknown> {
  const processor = processors[name] as Processor<N> | undefined;
  if (!processor) throw new Error(`no processor for job ${name}`);
  return processor(data, services, ctx);
}
