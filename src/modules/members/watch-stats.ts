// Read model over watch events for other modules (top 10, statistics): views per movie.
import { MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { num } from '../../db/data-source.js';
import { WatchEvent, WatchProgress } from './watch.entity.js';

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

// ---- for recommendations: what a member watched, and every viewing as a weighted signal --------

export interface ViewingRow {
  userId: number;
  movieId: number;
  positionSeconds: number;
  durationSeconds: number;
}

/** A member's viewings of movies (position and duration per content). */
export async function viewingsOf(ds: DataSource, userId: number): Promise<ViewingRow[]> {
  const rows = await ds.getRepository(WatchProgress).createQueryBuilder('p').select(['p.userId', 'p.contentId', 'p.movieId', 'p.positionSeconds', 'p.durationSeconds']).where('p.user_id = :userId AND p.movie_id IS NOT NULL', { userId }).getMany();
  return rows.map((r) => ({ userId: r.userId, movieId: r.movieId!, positionSeconds: r.positionSeconds, durationSeconds: r.durationSeconds }));
}

/** Every viewing of a movie, in batches by (user, content) key. */
export async function* allViewings(ds: DataSource, batch = 10_000): AsyncGenerator<ViewingRow[]> {
  let after = { userId: -1, contentId: -1 };
  for (;;) {
    const rows = await ds
      .getRepository(WatchProgress)
      .createQueryBuilder('p')
      .select(['p.userId', 'p.contentId', 'p.movieId', 'p.positionSeconds', 'p.durationSeconds'])
      .where('(p.user_id > :u OR (p.user_id = :u AND p.content_id > :c))', { u: after.userId, c: after.contentId })
      .orderBy('p.userId', 'ASC')
      .addOrderBy('p.contentId', 'ASC')
      .limit(batch)
      .getMany();
    if (!rows.length) return;
    const last = rows[rows.length - 1]!;
    after = { userId: last.userId, contentId: last.contentId };
    yield rows.filter((r) => r.movieId !== null).map((r) => ({ userId: r.userId, movieId: r.movieId!, positionSeconds: r.positionSeconds, durationSeconds: r.durationSeconds }));
  }
}
