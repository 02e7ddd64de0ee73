// Seed 004's small movie card — what my page, showtimes, search results and recommend_movies
// list — and the seed's running-time text ("139분"): one shape for every module that shows one.
import { z } from 'zod';
import '../../http/openapi.js';
import type { Movie } from './movie.entity.js';

/** Minutes as the seed shows them: 139 → "139분" (null stays null). */
export function runningTimeText(minutes: number | null | undefined): string | null {
  return minutes == null ? null : `${minutes}분`;
}

export const movieCardSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    poster: z.string().nullable(),
    genres: z.array(z.string()),
    running_time: z.string().nullable().openapi({ example: '139분' }),
    watch_grade: z.string().nullable().openapi({ example: '12세 관람가' }),
  })
  .openapi('MovieCard');

export function movieCard(v: { movie: Pick<Movie, 'id' | 'name' | 'poster' | 'runningTime' | 'watchGrade'>; genres: string[] }) {
  const m = v.movie;
  return { id: m.id, name: m.name, poster: m.poster, genres: v.genres, running_time: runningTimeText(m.runningTime), watch_grade: m.watchGrade };
}
