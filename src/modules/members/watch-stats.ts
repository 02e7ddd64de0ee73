// Read model over watch events for other modules (top 10, statistics): views per movie.
import { MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { num } from '../../db/data-source.js';
import { WatchEvent } from './watch.entity.js';

/** Distinct (member, content) views per movie since `since`. */
export async function viewsPerMovieSince(ds: DataSource, since: Date): Promise<Map<number, number>> {
  const rows = await ds
    .getRepository(WatchEvent)
    .createQueryBuilder('e')
    .select(['e.movie_id AS movieId', 'COUNT(DISTINCT e.user_id) AS views'])
    .where({ createdAt: MoreThanOrEqual(since) })
    .andWhere('e.movie_id IS NOT NULL')
    .groupBy('e.movie_id')
    .getRawMany<{ movieId: unknown; views: unknown }>();
  return new Map(rows.map((r) => [num(r.movieId), num(r.views)]));
}

export interface ContentViewsRow {
  contentId: number;
  movieId: number | null;
  /** Distinct members who watched the content in the range. */
  views: number;
  watchSeconds: number;
}

/** The query of contentViewsBetween, as a query builder: the benchmark reads its SQL for EXPLAIN. */
export function contentViewsQuery(m: EntityManager, from: Date, to: Date) {
  return m
    .createQueryBuilder(WatchEvent, 'e')
    .select(['e.content_id AS contentId', 'MAX(e.movie_id) AS movieId', 'COUNT(DISTINCT e.user_id) AS views', 'SUM(e.watched_seconds) AS seconds'])
    .where('e.created_at >= :from AND e.created_at < :to', { from, to })
    .groupBy('e.content_id');
}

/** Views (distinct members) and watch time per content in [from, to): a range on the indexed created_at. */
export async function contentViewsBetween(m: EntityManager, from: Date, to: Date): Promise<ContentViewsRow[]> {
  const rows = await contentViewsQuery(m, from, to).getRawMany<{ contentId: unknown; movieId: unknown; views: unknown; seconds: unknown }>();
  return rows.map((r) => ({ contentId: num(r.contentId), movieId: r.movieId === null || r.movieId === undefined ? null : num(r.movieId), views: num(r.views), watchSeconds: num(r.seconds) }));
}
