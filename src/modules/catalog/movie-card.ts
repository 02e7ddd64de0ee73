// Seed 004's small movie card — what my page, showtimes, search results and recommend_movies
// list — and the seed's running-time text ("139분"): one shape for every module that shows one.
import { hash } from 'node:crypto';
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
 * every request (the signed-in movie detail's recommend_movies, my page, the search's answers).
 * With it, once asked for, its length in UTF-8 bytes and its SHA-1: an answer made of cards sums
 * the lengths and hashes the digests instead of measuring and hashing its whole text.
 */
class KeptCard {
  private measured: { bytes: number; digest: string } | undefined;
  constructor(readonly json: string) {}
  get sized(): { bytes: number; digest: string } {
    return (this.measured ??= { bytes: Buffer.byteLength(this.json, 'utf8'), digest: hash('sha1', this.json, 'base64') });
  }
}

type CardView = { movie: Pick<Movie, 'id' | 'name' | 'poster' | 'runningTime' | 'watchGrade'>; genres: string[] };
const keptCards = new WeakMap<object, KeptCard>();

function keptCard(v: CardView): KeptCard {
  let card = keptCards.get(v);
  if (card === undefined) keptCards.set(v, (card = new KeptCard(JSON.stringify(movieCard(v)))));
  return card;
}

export function movieCardJson(v: CardView): string {
  return keptCard(v).json;
}

/** `JSON.stringify(views.map(movieCard))`, from the kept card texts. */
export function movieCardsJson(views: readonly CardView[]): string {
  return `[${views.map(movieCardJson).join(',')}]`;
}

/** movieCardsJson with its length in UTF-8 bytes and the cards' digests, one per line (what determines the text). */
export function movieCardsSized(views: readonly CardView[]): { json: string; bytes: number; digests: string } {
  let json = '[';
  let bytes = 2;
  let digests = '';
  for (let k = 0; k < views.length; k++) {
    const card = keptCard(views[k]!);
    const { bytes: n, digest } = card.sized;
    if (k > 0) {
      json += ',';
      bytes++;
    }
    json += card.json;
    bytes += n;
    digests += `${digest}\n`;
  }
  return { json: json + ']', bytes, digests };
}
