// The search page (seed 004 "Search"): cinemas near the member, popular movies now showing,
// movies coming soon, and the cinema search by area (구) and name. It composes the cinemas and
// catalog services; it owns no tables.
import type { CatalogService, MovieView } from '../catalog/catalog.service.js';
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
  constructor(
    private readonly cinemas: CinemasService,
    private readonly catalog: CatalogService,
    private readonly movieSearch: MovieSearchService,
  ) {}

  /** The search page: `point` is the member's position (x = longitude, y = latitude), when the app knows it. */
  /** `grades`: the viewer's visible watch grades (age gate; null = all). */
  async home(point: { x: number; y: number } | null, grades: readonly WatchGrade[] | null = null): Promise<SearchHome> {
    const today = this.cinemas.calendar.today();
    const [near, showing, comingSoon] = await Promise.all([
      point ? this.cinemas.near(point.x, point.y) : Promise.resolve([]),
      this.cinemas.showingMovieIds(),
      this.catalog.comingSoon(today, addMonths(today, 1), COMING_SOON_MAX, grades),
    ]);
    return { near, popular: await this.catalog.mostRated(showing, POPULAR_MOVIES, grades), comingSoon };
  }

  /** Movie titles for the autocomplete (at most 10); `grades`: the viewer's visible watch grades (null = all). */
  movieTitles(words: string, grades: readonly WatchGrade[] | null = null): Promise<string[]> {
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
