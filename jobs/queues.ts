// Queue names, job names and their typed payloads: the one list every producer and consumer uses.

export const QUEUES = {
  statistics: 'statistics',
  recommendations: 'recommendations',
  contents: 'contents',
  search: 'search',
  commerce: 'commerce',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** Every statistics snapshot of one UTC day (default: yesterday): revenue, subscriptions, views, sign-ups. */
  'statistics.daily': { day?: string };
  /** Recompute the snapshots of a range of days (late data; asked for in the panel). */
  'statistics.recompute': { from: string; to: string; requestedBy?: number | null };
  /** Full retrain of the recommender and every member's list (nightly). */
  'recommendations.train': Record<string, never>;
  /** One member's list after they rated (deduplicated per member). */
  'recommendations.refresh-user': { userId: number };
  /** Top 10 per country (nightly). */
  'recommendations.top10': Record<string, never>;
  /** ffprobe an uploaded content and fill its metadata (job id `probe-<id>`: one per content). */
  'contents.probe': { contentId: number };
  /** Validity windows: ready ↔ unavailable (every 10 minutes). */
  'contents.validity': Record<string, never>;
  /** Rebuild the movie search index from the catalog (after a bulk load; repair). */
  'search.reindex': Record<string, never>;
  /** Charge due subscriptions (one idempotent payment per attempt) and end cancelled ones (hourly). */
  'commerce.renewals': Record<string, never>;
  /** Delete Idempotency-Key records older than 24 h and webhook event ids older than 30 days (daily). */
  'commerce.idempotency-cleanup': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'statistics.daily': QUEUES.statistics,
  'statistics.recompute': QUEUES.statistics,
  'recommendations.train': QUEUES.recommendations,
  'recommendations.refresh-user': QUEUES.recommendations,
  'recommendations.top10': QUEUES.recommendations,
  'contents.probe': QUEUES.contents,
  'contents.validity': QUEUES.contents,
  'search.reindex': QUEUES.search,
  'commerce.renewals': QUEUES.commerce,
  'commerce.idempotency-cleanup': QUEUES.commerce,
};

/** Retries with exponential backoff for every job unless a job says otherwise. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export interface Schedule {
  /** Job scheduler id (stable: upserting it twice keeps one scheduler). */
  id: string;
  job: JobName;
  /** Cron pattern, evaluated in UTC. */
  pattern: string;
  data: JobPayloads[JobName];
}

export const SCHEDULES: Schedule[] = [
  // 00:05 UTC every day: yesterday's statistics (the processor defaults to yesterday).
  { id: 'statistics-daily', job: 'statistics.daily', pattern: '5 0 * * *', data: {} },
  { id: 'recommendations-train', job: 'recommendations.train', pattern: '30 2 * * *', data: {} },
  { id: 'recommendations-top10', job: 'recommendations.top10', pattern: '0 3 * * *', data: {} },
  { id: 'contents-validity', job: 'contents.validity', pattern: '*/10 * * * *', data: {} },
  { id: 'commerce-renewals', job: 'commerce.renewals', pattern: '15 * * * *', data: {} },
  { id: 'commerce-idempotency-cleanup', job: 'commerce.idempotency-cleanup', pattern: '0 4 * * *', data: {} },
  // Repair: the movie search index and its gram frequencies rebuilt from the catalog.
  { id: 'search-reindex', job: 'search.reindex', pattern: '30 4 * * *', data: {} },
];
