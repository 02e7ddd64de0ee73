// Read model over watch events for other modules (top 10, statistics): views per movie.
import { MoreThanOrEqual, type DataSource } from 'typeorm';
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
