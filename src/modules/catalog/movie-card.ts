// Seed 004's small movie card — what my page, showtimes, search results and recommend_movies
// list — and the seed's running-time text ("139분"): one shape for every module that shows one.
import { z } from 'zod';
import '../shared/zod-openapi.js';
import type { Movie } from './movie.entity.js';

/** Minutes as the seed shows them: 139 → "139분" (null stays null). */
export function runningTimeText(minutes: number | null | undefined): string | null {
  return minutes == null ? null : `${minutes}분`;
}

/**
 * A poster as the public API answers it: the URL, or "" when the movie has none — the seed's web
 * client renders it with an image component that breaks on null (the taste page every new member
 * sees). Every route that answers a poster goes through this.
 */
export function posterJson(poster: string | null | undefined): string {
  return poster ?? '';
}
export const posterSchema = z.string().openapi({ description: 'Poster URL, or "" when the movie has none' });

/** Seed 004's smallest movie card ({id, name, poster}: taste page, ratings, shelves, top 10). */
export const smallMovieCardSchema = z.object({ id: z.number(), name: z.string(), poster: posterSchema });
export function smallMovieCard(c: { id: number; name: string; poster: string | null }) {
  return { id: c.id, name: c.name, poster: posterJson(c.poster) };
}

export const movieCardSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    poster: posterSchema,
    genres: z.array(z.string()),
    running_time: z.string().nullable().openapi({ example: '139분' }),
    watch_grade: z.string().nullable().openapi({ example: '12세 관람가' }),
  })
  .openapi('MovieCard');

export function movieCard(v: { movie: Pick<Movie, 'id' | 'name' | 'poster' | 'runningTime' | 'watchGrade'>; genres: string[] }) {
  const m = v.movie;
  return { id: m.id, name: m.name, poster: posterJson(m.poster), genres: v.genres, running_time: runningTimeText(m.runningTime), watch_grade: m.watchGrade };
}

/**
 * The card's JSON text, kept per view: the catalog's read cache replaces a view (never changes it)
 * when its movie changes, so a list of cards is assembled from kept text instead of serialised on
 * every request (the signed-in movie detail's recommend_movies, my page).
 */
const cardJsonOfView = new WeakMap<object, string>();

export function movieCardJson(v: { movie: Pick<Movie, 'id' | 'name' | 'poster' | 'runningTime' | 'watchGrade'>; genres: string[] }): string {
  let json = cardJsonOfView.get(v);
  if (json === undefined) cardJsonOfView.set(v, (json = JSON.stringify(movieCard(v))));
  return json;
}

/** `JSON.stringify(views.map(movieCard))`, from the kept card texts. */
export function movieCardsJson(views: ReadonlyArray<Parameters<typeof movieCardJson>[0]>): string {
  return `[${views.map(movieCardJson).join(',')}]`;
}
