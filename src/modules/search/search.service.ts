// The search page (seed 004 "Search"): cinemas near the member, popular movies now showing,
// movies coming soon, and the cinema search by area (구) and name. It composes the cinemas and
// catalog services; it owns no tables.
import { ExactCache, type ExactCacheOptions } from '../../db/exact-cache.js';
import { gradesKey, type CatalogService, type MovieView } from '../catalog/catalog.service.js';
import type { Movie, WatchGrade } from '../catalog/movie.entity.js';
import type { Cinema } from '../cinemas/cinema.entities.js';
import type { CinemasService } from '../cinemas/cinemas.service.js';
import { addMonths } from '../cinemas/local-time.js';
import type { MovieSearchResult, MovieSearchService } from './movie-search.service.js';

/** Seed 004: "상영중인 영화 중에서 평점 많은 순으로 10개". */
export const POPULAR_MOVIES = 10;
/** Seed 004: coming soon = opening within a month; at most this many, soonest first. */
export const COMING_SOON_MAX = 20;

export interface SearchHome {
  near: Array<{ cinema: Cinema; distance: number }>;
  popular: Movie[];
  comingSoon: Array<{ view: MovieView; pickCount: number }>;
}

export class SearchService {
  /**
   * `<day>|<visible grades>` → the page's movie lists (popular showing movies, coming soon with
   * their pick counts), kept per process and dropped by any catalog change (scores, movies), any
   * showtime change (what is showing) and any member activity (picks); buildServices wires the
   * three. The nearby cinemas are read per request (the member's own position).
   */
  readonly homeCache: ExactCache<string, Pick<SearchHome, 'popular' | 'comingSoon'>>;

  constructor(
    private readonly cinemas: CinemasService,
    private readonly catalog: CatalogService,
    private readonly movieSearch: MovieSearchService,
    opts: { homeCache?: ExactCacheOptions } = {},
  ) {
    this.homeCache = new ExactCache(opts.homeCache ?? { ttlMs: 0, maxEntries: 0 });
  }

  /** The search page: `point` is the member's position (x = longitude, y = latitude), when the app knows it. */
  /** `grades`: the viewer's visible watch grades (age gate; null = all). */
  async home(point: { x: number; y: number } | null, grades: readonly WatchGrade[] | null = null): Promise<SearchHome> {
    const today = this.cinemas.calendar.today();
    const [near, lists] = await Promise.all([
      point ? this.cinemas.near(point.x, point.y) : Promise.resolve([]),
      this.homeCache.through(`${today}|${gradesKey(grades)}`, 0, async () => {
        const [showing, comingSoon] = await Promise.all([this.cinemas.showingMovieIds(), this.catalog.comingSoon(today, addMonths(today, 1), COMING_SOON_MAX, grades)]);
        return { popular: await this.catalog.mostRated(showing, POPULAR_MOVIES, grades), comingSoon };
      }),
    ]);
    return { near, popular: lists.popular, comingSoon: lists.comingSoon };
  }

  /** Movie titles for the autocomplete (at most 10); `grades`: the viewer's visible watch grades (null = all). */
  movieTitles(words: string, grades: readonly WatchGrade[] | null = null): Promise<readonly string[]> {
    return this.movieSearch.autocomplete(words, grades);
  }

  /** Movies matching the words (exact, prefix, contains) and, disjoint, similar titles. */
  movies(words: string, grades: readonly WatchGrade[] | null = null): Promise<MovieSearchResult> {
    return this.movieSearch.search(words, grades);
  }

  /** Area names for the autocomplete. */
  areas(words: string): Promise<string[]> {
    return this.cinemas.areasMatching(words);
  }

  /** Cinemas of the matching areas, and (disjoint) cinemas whose name matches. */
  cinemasFor(words: string): Promise<{ byArea: Cinema[]; byName: Cinema[] }> {
    return this.cinemas.search(words);
  }
}
