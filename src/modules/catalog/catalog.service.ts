// The catalog module: genres, movies with their credits, production companies, picks.
// HTTP routes and the admin panel call this service; nothing else writes these tables.
import { In, Raw, type DataSource, type EntityManager, type FindOperator } from 'typeorm';
import { num, rowLock } from '../../db/data-source.js';
import { toggleRow, transactionWithRetry } from '../../db/tx.js';
import { conflict, forbidden, invalidFields, msg, notFound, tooLarge, type FieldMessages } from '../shared/errors.js';
import { can } from '../access/rbac.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { Role } from '../users/user.entity.js';
import { Genre } from './genre.entity.js';
import { Manufacturer, type PartnershipStatus } from './manufacturer.entity.js';
import { Movie, MovieCredit, MovieGenre, MoviePick, type CreditRole, type WatchGrade } from './movie.entity.js';
import { Person } from './person.entity.js';
import { whereGradeVisible } from '../age/age.policy.js';
import type { MemberActivity } from '../shared/member-activity.js';
import { NO_TITLE_INDEX, type IndexedTitle, type MovieTitleIndex } from './title-index.js';
import { LocalInvalidationBus, type Invalidation, type InvalidationBus } from '../../db/invalidation.js';
import { CatalogChanges, CatalogReadCache, DEFAULT_CATALOG_CACHE, type CatalogCacheOptions } from './read-cache.js';
import { InvalidImageError, sanitizePoster, type PosterKind, type PosterStore } from './posters.js';

export interface MovieInput {
  name: string;
  nameEng?: string | null;
  summary?: string | null;
  openDate?: string | null;
  runningTime?: number | null;
  watchGrade?: WatchGrade | null;
  trailer?: string | null;
  poster?: string | null;
  country?: string | null;
  manufacturerId?: number | null;
  /** Genre ids. Omitted → unchanged (update) / none (create). */
  genreIds?: number[];
  /** People by id, or by name (created when missing). Omitted → unchanged. */
  directors?: Array<number | string>;
  actors?: Array<number | string>;
  /**
   * Every credit of the movie, in billing order (the panel's movie form): replaces directors and
   * actors together. Omitted → unchanged. A person may hold a role once per movie.
   */
  credits?: CreditInput[];
}

export interface CreditInput {
  person: number;
  role: CreditRole;
  /** The part played (actors); null when unknown. */
  character?: string | null;
  position: number;
}

/** A movie's genres and credits as the panel's movie form edits them. */
export interface MovieRelations {
  genreIds: number[];
  credits: Array<CreditInput & { personName: string; character: string | null }>;
}

export interface MovieView {
  movie: Movie;
  genres: string[];
  directors: string[];
  actors: string[];
  manufacturer: { id: number; name: string } | null;
}

export interface ManufacturerInput {
  name: string;
  contactPerson?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  partnershipStatus?: PartnershipStatus;
  partnershipNotes?: string | null;
  partnershipStartedOn?: string | null;
  partnershipEndedOn?: string | null;
}

export interface PageArgs {
  offset: number;
  limit: number;
}

/** Average score of a movie on the seed's scale (0–5, two decimals); 0 without ratings. */
export function averageScore(m: Pick<Movie, 'ratingCount' | 'ratingSumHalf'>): number {
  if (!m.ratingCount) return 0;
  return Math.round((m.ratingSumHalf / 2 / m.ratingCount) * 100) / 100;
}

function plain(m: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v !== 'object' || v === null || v instanceof Date) out[k] = v;
  return out;
}

const indexed = (m: Movie): IndexedTitle => ({ id: m.id, name: m.name, nameEng: m.nameEng, watchGrade: m.watchGrade, ratingCount: m.ratingCount ?? 0 });

/** The cache key of a visible grade set (the age gate): viewers seeing the same grades share entries. */
export function gradesKey(grades: readonly WatchGrade[] | null | undefined): string {
  return grades == null ? '*' : `[${[...new Set(grades)].sort().join('|')}]`;
}

export interface CatalogServiceOptions {
  /** The read cache (config: CATALOG_CACHE_TTL, CATALOG_CACHE_SIZE); ttlMs 0 disables it. */
  cache?: Partial<CatalogCacheOptions>;
  /** Tells other processes what changed (Redis pub/sub); in-process only by default. */
  bus?: InvalidationBus;
  /** Where uploaded posters go (the public media root) and the largest accepted, in bytes. */
  posters?: { store: PosterStore; maxBytes: number };
  /** Where a member's picks are reported (the movie detail's per-member state). */
  activity?: MemberActivity;
}

export class CatalogService {
  private titleIndex: MovieTitleIndex = NO_TITLE_INDEX;
  /** Public projections of movies, genre pages and the genre list (read-cache.ts). */
  readonly cache: CatalogReadCache;
  /** Where every catalog write reports the movies it changed (this process and, through the bus, the others). */
  readonly changes: CatalogChanges;

  private readonly posters: CatalogServiceOptions['posters'];
  private readonly activity: MemberActivity | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    opts: CatalogServiceOptions = {},
  ) {
    this.posters = opts.posters;
    this.activity = opts.activity;
    this.cache = new CatalogReadCache({ ...DEFAULT_CATALOG_CACHE, ...opts.cache });
    this.changes = new CatalogChanges(ds, opts.bus ?? new LocalInvalidationBus());
    this.changes.onChange((c) => this.cache.apply(c));
  }

  /**
   * A write that did not go through this service (the panel's row edits, the import) changed these
   * movies, or (`all`) anything: cached reads are dropped here and in the other processes. Pass the
   * write's manager when still inside its transaction (applied again after the commit).
   */
  externalChange(change: Invalidation, m?: EntityManager): void {
    this.changes.record(m, change);
  }

  /** The title index (search) every movie write keeps in sync, in the write's transaction (src/runtime.ts). */
  useTitleIndex(index: MovieTitleIndex): void {
    this.titleIndex = index;
  }

  // ---- genres ---------------------------------------------------------------------------------

  async listGenres(page: PageArgs): Promise<{ count: number; rows: Array<{ id: number; name: string; movieCount: number }> }> {
    const key = `${page.offset}:${page.limit}`;
    const cached = this.cache.genreList(key);
    if (cached) return cached;
    const generation = this.cache.generation;
    const list = await this.listGenresUncached(page);
    this.cache.setGenreList(key, list, generation);
    return list;
  }

  private async listGenresUncached(page: PageArgs): Promise<{ count: number; rows: Array<{ id: number; name: string; movieCount: number }> }> {
    const count = await this.ds.getRepository(Genre).count();
    const rows: Array<{ id: number; name: string; movieCount: unknown }> = await this.ds
      .getRepository(Genre)
      .createQueryBuilder('g')
      .select(['g.id AS id', 'g.name AS name'])
      .addSelect((qb) => qb.select('COUNT(*)').from(MovieGenre, 'mg').where('mg.genre_id = g.id'), 'movieCount')
      .orderBy('g.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getRawMany();
    return { count, rows: rows.map((r) => ({ id: num(r.id), name: r.name, movieCount: num(r.movieCount) })) };
  }

  countGenres(): Promise<number> {
    return this.ds.getRepository(Genre).count();
  }

  /** Catalog figures for the dashboard: how many movies, genres, people and production companies. */
  async figures(): Promise<{ movies: number; genres: number; people: number; manufacturers: number }> {
    const [movies, genres, people, manufacturers] = await Promise.all([this.ds.getRepository(Movie).count(), this.ds.getRepository(Genre).count(), this.ds.getRepository(Person).count(), this.ds.getRepository(Manufacturer).count()]);
    return { movies, genres, people, manufacturers };
  }

  async getGenre(id: number): Promise<Genre> {
    const g = await this.ds.getRepository(Genre).findOneBy({ id });
    if (!g) throw notFound('genreNotFound');
    return g;
  }

  async createGenre(name: string, actor: Actor | null): Promise<Genre> {
    return transactionWithRetry(
      this.ds,
      async (m) => {
        await this.assertGenreNameFree(m, name, null);
        const g = await m.save(m.create(Genre, { name }));
        await this.audit.record({ actor, action: 'create', resource: 'genres', recordId: g.id, after: { name } }, m);
        this.changes.record(m, { lists: true });
        return g;
      },
      { uniqueErrors: this.genreNameErrors() },
    );
  }

  async renameGenre(id: number, name: string, actor: Actor | null): Promise<Genre> {
    return transactionWithRetry(
      this.ds,
      async (m) => {
        const g = await m.findOneBy(Genre, { id });
        if (!g) throw notFound('genreNotFound');
        await this.assertGenreNameFree(m, name, id);
        const before = g.name;
        g.name = name;
        await m.save(g);
        await this.audit.record({ actor, action: 'update', resource: 'genres', recordId: id, before: { name: before }, after: { name } }, m);
        // Every movie of the genre shows its name.
        this.changes.record(m, { all: true });
        return g;
      },
      { uniqueErrors: this.genreNameErrors() },
    );
  }

  /** A genre that still has movies is kept (409) unless an admin forces it; forcing unlinks the movies. */
  async deleteGenre(id: number, opts: { force: boolean; actorRole: Role }, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const g = await m.findOneBy(Genre, { id });
      if (!g) throw notFound('genreNotFound');
      const movies = await m.countBy(MovieGenre, { genreId: id });
      if (movies > 0) {
        if (!opts.force) throw conflict('genreHasMovies', { n: movies }, { movie_count: movies });
        if (!can(opts.actorRole, 'genres', 'force-delete')) throw forbidden('forceAdminOnly');
        await m.delete(MovieGenre, { genreId: id });
      }
      await m.delete(Genre, { id });
      await this.audit.record({ actor, action: 'delete', resource: 'genres', recordId: id, before: { name: g.name, movie_count: movies }, reason: opts.force ? 'force' : null }, m);
      this.changes.record(m, { all: true });
    });
  }

  private async assertGenreNameFree(m: EntityManager, name: string, exceptId: number | null) {
    const existing = await m.findOneBy(Genre, { name });
    if (existing && existing.id !== exceptId) throw this.genreNameErrors().uq_genres_name();
  }

  /** A name taken meanwhile (two writes at once): the unique index answers like the check above. */
  private genreNameErrors() {
    return { uq_genres_name: () => invalidFields({ name: [msg('uniqueGenre')] }) };
  }

  // ---- movies ---------------------------------------------------------------------------------

  /** `grades`: the viewer's visible watch grades (age gate; null/omitted = all). */
  /**
   * A page of the genre's movies, newest first. The page and the total come from one query (a
   * window count); the genre itself is looked up only when the page is empty (404 or past the end).
   */
  async moviesInGenre(genreId: number, page: PageArgs, grades?: readonly WatchGrade[] | null): Promise<{ count: number; views: MovieView[]; cached?: object }> {
    const key = `${genreId}:${page.offset}:${page.limit}:${gradesKey(grades)}`;
    const cached = this.cache.page(key);
    // `cached`: the cached page itself (replaced, never changed, when the list changes) for callers that keep its serialisation.
    if (cached) return { count: cached.count, views: await this.viewsOf(cached.ids), cached };
    const generation = this.cache.generation;
    const { count, ids } = await this.genrePageUncached(genreId, page, grades);
    this.cache.setPage(key, { count, ids }, generation);
    return { count, views: await this.viewsOf(ids) };
  }

  private async genrePageUncached(genreId: number, page: PageArgs, grades?: readonly WatchGrade[] | null): Promise<{ count: number; ids: number[] }> {
    const base = () => whereGradeVisible(this.ds.getRepository(MovieGenre).createQueryBuilder('mg').innerJoin(Movie, 'm', 'm.id = mg.movie_id').where('mg.genre_id = :genreId', { genreId }), 'm.watch_grade', grades);
    const rows: Array<{ id: unknown; total: unknown }> = await base()
      .select('m.id', 'id')
      .addSelect('COUNT(*) OVER ()', 'total')
      .orderBy('m.open_date', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit)
      .getRawMany();
    if (!rows.length) {
      await this.getGenre(genreId);
      return { count: await base().getCount(), ids: [] };
    }
    return { count: num(rows[0].total), ids: rows.map((r) => num(r.id)) };
  }

  async movieView(id: number): Promise<MovieView> {
    const [view] = await this.viewsOf([id]);
    if (!view) throw notFound('movieNotFound');
    return view;
  }

  /** The movie, only when it belongs to the genre (seed 000's genre/movie paths). */
  async movieInGenre(genreId: number, movieId: number): Promise<MovieView> {
    await this.getGenre(genreId);
    const linked = await this.ds.getRepository(MovieGenre).existsBy({ genreId, movieId });
    if (!linked) throw notFound('movieNotFound');
    return this.movieView(movieId);
  }

  /**
   * Public projections of these movies in the order of `ids` (missing ones left out): from the read
   * cache, the others loaded in four queries and cached. Treat them as read-only (shared).
   */
  async viewsOf(ids: number[]): Promise<MovieView[]> {
    if (!ids.length) return [];
    if (!this.cache.enabled) return this.viewsOfUncached(ids);
    const found = new Map<number, MovieView>();
    const missing: number[] = [];
    for (const id of ids) {
      const v = this.cache.view(id);
      if (v) found.set(id, v);
      else missing.push(id);
    }
    if (missing.length) {
      const generation = this.cache.generation;
      const loaded = await this.viewsOfUncached([...new Set(missing)]);
      this.cache.setViews(loaded, generation);
      for (const v of loaded) found.set(v.movie.id, v);
    }
    return ids.map((id) => found.get(id)).filter((v): v is MovieView => !!v);
  }

  /** Loads movies with genres, credits and company in four queries, in the order of `ids`. */
  private async viewsOfUncached(ids: number[]): Promise<MovieView[]> {
    const movies = await this.ds.getRepository(Movie).find({ where: { id: In(ids) }, relations: { manufacturer: true } });
    const genres = await this.ds
      .getRepository(MovieGenre)
      .createQueryBuilder('mg')
      // From the links of these movies (LEFT JOIN, ordered by the links' key; every link has its
      // genre: FK): joined from the genres and ordered by them, MySQL walks every link of every genre.
      .leftJoin(Genre, 'g', 'g.id = mg.genre_id')
      .select(['mg.movie_id AS movieId', 'g.name AS name'])
      .where('mg.movie_id IN (:...ids)', { ids })
      .orderBy('mg.movie_id', 'ASC')
      .addOrderBy('mg.genre_id', 'ASC')
      .getRawMany<{ movieId: unknown; name: string | null }>();
    const credits = await this.ds
      .getRepository(MovieCredit)
      .createQueryBuilder('c')
      .innerJoin(Person, 'p', 'p.id = c.person_id')
      .select(['c.movie_id AS movieId', 'c.role AS role', 'p.name AS name'])
      .where('c.movie_id IN (:...ids)', { ids })
      .orderBy('c.position', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getRawMany<{ movieId: unknown; role: CreditRole; name: string }>();
    const byId = new Map(movies.map((m) => [m.id, { movie: m, genres: [] as string[], directors: [] as string[], actors: [] as string[], manufacturer: m.manufacturer ? { id: m.manufacturer.id, name: m.manufacturer.name } : null }]));
    for (const g of genres) if (g.name !== null) byId.get(num(g.movieId))?.genres.push(g.name);
    for (const c of credits) {
      const v = byId.get(num(c.movieId));
      if (v) (c.role === 'director' ? v.directors : v.actors).push(c.name);
    }
    return ids.map((id) => byId.get(id)).filter((v): v is MovieView => !!v);
  }

  async createMovie(input: MovieInput, actor: Actor | null): Promise<MovieView> {
    const id = await transactionWithRetry(this.ds, async (m) => {
      await this.assertRefs(m, input);
      const movie = await m.save(m.create(Movie, this.scalarFields(input)));
      await this.replaceRelations(m, movie.id, input, { fresh: true });
      await this.titleIndex.upsert(m, [indexed(movie)]);
      await this.audit.record({ actor, action: 'create', resource: 'movies', recordId: movie.id, after: { ...plain(movie), genres: input.genreIds, directors: input.directors, actors: input.actors, credits: input.credits } }, m);
      this.changes.record(m, { ids: [movie.id], lists: true });
      return movie.id;
    });
    return this.movieView(id);
  }

  /** PUT semantics: scalar fields are replaced (omitted → empty); relations only when given. */
  async updateMovie(id: number, input: MovieInput, actor: Actor | null): Promise<MovieView> {
    await transactionWithRetry(this.ds, async (m) => {
      const movie = await m.findOne(Movie, { where: { id }, lock: rowLock(this.ds) });
      if (!movie) throw notFound('movieNotFound');
      await this.assertRefs(m, input);
      const before: Record<string, unknown> = plain(movie);
      const after: Record<string, unknown> = {};
      if (input.genreIds || input.credits) {
        const rel = await this.relationsIn(m, id);
        if (input.genreIds) before.genres = rel.genreIds;
        if (input.credits) before.credits = rel.credits.map(({ personName: _n, ...c }) => c);
      }
      Object.assign(movie, this.scalarFields(input));
      await m.save(movie);
      await this.replaceRelations(m, id, input);
      await this.titleIndex.upsert(m, [indexed(movie)]);
      if (input.genreIds) after.genres = [...new Set(input.genreIds)];
      if (input.credits) after.credits = input.credits;
      await this.audit.record({ actor, action: 'update', resource: 'movies', recordId: id, before, after: { ...plain(movie), ...after } }, m);
      this.changes.record(m, { ids: [id], lists: true });
    });
    return this.movieView(id);
  }

  async deleteMovie(id: number, actor: Actor | null): Promise<void> {
    await transactionWithRetry(this.ds, async (m) => {
      const movie = await m.findOneBy(Movie, { id });
      if (!movie) throw notFound('movieNotFound');
      await m.delete(MovieGenre, { movieId: id });
      await m.delete(MovieCredit, { movieId: id });
      await m.delete(MoviePick, { movieId: id });
      await this.titleIndex.remove(m, [id]);
      await m.delete(Movie, { id });
      await this.audit.record({ actor, action: 'delete', resource: 'movies', recordId: id, before: plain(movie) }, m);
      this.changes.record(m, { ids: [id], lists: true });
      // Its picks, and the ratings and watch progress its rows take with them, were members' state.
      this.activity?.everyone(m);
    });
  }

  /** Seed 000 "delete a movie of a genre": the movie leaves the genre (the movie itself stays). */
  async removeMovieFromGenre(genreId: number, movieId: number, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const res = await m.delete(MovieGenre, { genreId, movieId });
      if (!res.affected) throw notFound('movieNotFound');
      await this.audit.record({ actor, action: 'unlink', resource: 'movie_genres', recordId: `${movieId}:${genreId}` }, m);
      this.changes.record(m, { ids: [movieId], lists: true });
    });
  }

  private scalarFields(input: MovieInput): Partial<Movie> {
    return {
      name: input.name,
      nameEng: input.nameEng ?? null,
      summary: input.summary ?? null,
      openDate: input.openDate ?? null,
      runningTime: input.runningTime ?? null,
      watchGrade: input.watchGrade ?? null,
      trailer: input.trailer ?? null,
      poster: input.poster ?? null,
      country: input.country ?? null,
      manufacturerId: input.manufacturerId ?? null,
    };
  }

  /** Every referenced genre, person id and company must exist: 400 naming the field otherwise. */
  private async assertRefs(m: EntityManager, input: MovieInput): Promise<void> {
    const errors: FieldMessages = {};
    if (input.manufacturerId != null && !(await m.existsBy(Manufacturer, { id: input.manufacturerId }))) {
      errors.manufacturer = [msg('unknownIds', { v: String(input.manufacturerId) })];
    }
    if (input.genreIds?.length) {
      const found = new Set((await m.findBy(Genre, { id: In(input.genreIds) })).map((g) => g.id));
      const missing = input.genreIds.filter((id) => !found.has(id));
      if (missing.length) errors.genres = [msg('unknownIds', { v: missing.join(', ') })];
    }
    for (const field of ['directors', 'actors'] as const) {
      const ids = (input[field] ?? []).filter((x): x is number => typeof x === 'number');
      if (!ids.length) continue;
      const found = new Set((await m.findBy(Person, { id: In(ids) })).map((p) => p.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) errors[field] = [msg('unknownIds', { v: missing.join(', ') })];
    }
    if (input.credits?.length) {
      const ids = [...new Set(input.credits.map((c) => c.person))];
      const found = new Set((await m.findBy(Person, { id: In(ids) })).map((p) => p.id));
      const seen = new Set<string>();
      input.credits.forEach((c, i) => {
        if (!found.has(c.person)) errors[`credits.${i}.person`] = [msg('unknownIds', { v: String(c.person) })];
        const key = `${c.person}:${c.role}`;
        if (seen.has(key)) errors[`credits.${i}.role`] = [msg('creditExists')];
        seen.add(key);
      });
    }
    if (Object.keys(errors).length) throw invalidFields(errors);
  }

  /** A movie's genre ids and credits (billing order, with the people's names), for the panel's form. */
  async movieRelations(id: number): Promise<MovieRelations> {
    return this.relationsIn(this.ds.manager, id);
  }

  private async relationsIn(m: EntityManager, id: number): Promise<MovieRelations> {
    const genres = await m.find(MovieGenre, { where: { movieId: id }, order: { genreId: 'ASC' } });
    const credits = await m
      .getRepository(MovieCredit)
      .createQueryBuilder('c')
      .innerJoin(Person, 'p', 'p.id = c.person_id')
      .select(['c.person_id AS person', 'c.role AS role', 'c.character_name AS characterName', 'c.position AS position', 'p.name AS personName'])
      .where('c.movie_id = :id', { id })
      .orderBy('c.position', 'ASC')
      .addOrderBy('c.role', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getRawMany<{ person: unknown; role: CreditRole; characterName: string | null; position: unknown; personName: string }>();
    return {
      genreIds: genres.map((g) => g.genreId),
      credits: credits.map((c) => ({ person: num(c.person), role: c.role, character: c.characterName ?? null, position: num(c.position), personName: c.personName })),
    };
  }

  private async personIds(m: EntityManager, refs: Array<number | string>): Promise<number[]> {
    const out: number[] = [];
    for (const ref of refs) {
      if (typeof ref === 'number') {
        out.push(ref);
        continue;
      }
      const name = ref.trim();
      const existing = await m.findOne(Person, { where: { name }, order: { id: 'ASC' } });
      out.push(existing ? existing.id : (await m.save(m.create(Person, { name, nameEng: null }))).id);
    }
    return [...new Set(out)];
  }

  /**
   * `fresh`: the movie was inserted in this transaction, so it has no relations to delete — and
   * must not try: on InnoDB a DELETE that matches nothing gap-locks the end of the index, and two
   * concurrent creates holding that gap then deadlock on their INSERTs (a 500).
   */
  private async replaceRelations(m: EntityManager, movieId: number, input: MovieInput, opts: { fresh?: boolean } = {}): Promise<void> {
    if (input.genreIds) {
      if (!opts.fresh) await m.delete(MovieGenre, { movieId });
      const ids = [...new Set(input.genreIds)];
      if (ids.length) await m.insert(MovieGenre, ids.map((genreId) => ({ movieId, genreId })));
    }
    if (input.credits) {
      if (!opts.fresh) await m.delete(MovieCredit, { movieId });
      if (input.credits.length) {
        await m.insert(
          MovieCredit,
          input.credits.map((c) => ({ movieId, personId: c.person, role: c.role, character: c.character?.trim() || null, position: c.position })),
        );
      }
      return;
    }
    for (const role of ['director', 'actor'] as const) {
      const refs = role === 'director' ? input.directors : input.actors;
      if (!refs) continue;
      if (!opts.fresh) await m.delete(MovieCredit, { movieId, role });
      const ids = await this.personIds(m, refs);
      if (ids.length) await m.insert(MovieCredit, ids.map((personId, position) => ({ movieId, personId, role, position })));
    }
  }

  // ---- posters -----------------------------------------------------------------------------------

  /**
   * An uploaded poster image: sniffed from its bytes (JPEG, PNG or WebP; a text file named .png is
   * refused), checked, stripped of metadata and stored under the public media root. Returns the
   * URL path a movie's poster field takes (`/media/posters/<random>.<ext>`); the movie itself is
   * changed by the movie form's save (createMovie/updateMovie), audited there.
   */
  /** The largest poster accepted, in bytes (callers check a file's size before reading it). */
  get posterMaxBytes(): number {
    return this.posters?.maxBytes ?? 0;
  }

  async storePoster(bytes: Buffer): Promise<{ url: string; kind: PosterKind; width: number; height: number; bytes: number }> {
    if (!this.posters) throw new Error('poster storage is not configured');
    if (bytes.length > this.posters.maxBytes) throw tooLarge('posterTooLarge', { n: this.posters.maxBytes });
    if (!bytes.length) throw invalidFields({ file: [msg('posterEmpty')] });
    let clean: ReturnType<typeof sanitizePoster>;
    try {
      clean = sanitizePoster(bytes);
    } catch (err) {
      if (err instanceof InvalidImageError) throw invalidFields({ file: [msg('posterNotImage', { v: err.message })] });
      throw err;
    }
    const url = await this.posters.store.save(clean.data, clean.kind);
    return { url, kind: clean.kind, width: clean.width, height: clean.height, bytes: clean.data.length };
  }

  // ---- picks and scores -------------------------------------------------------------------------

  /** Toggles the user's pick of a movie; returns whether it is picked now. */
  async togglePick(userId: number, movieId: number): Promise<boolean> {
    return transactionWithRetry(this.ds, async (m) => {
      // The movie row's write lock queues toggles of one movie, so ten at once answer on, off, on… (src/db/tx.ts toggleRow).
      if (!(await m.findOne(Movie, { where: { id: movieId }, select: { id: true }, lock: rowLock(this.ds) }))) throw notFound('movieNotFound');
      const picked = await toggleRow(m, MoviePick, { userId, movieId });
      this.activity?.changed(m, userId);
      return picked;
    });
  }

  /**
   * The ratings module's only way to change a movie's score: an atomic increment in the caller's
   * transaction (never read-modify-write), so concurrent ratings keep the average exact.
   */
  async adjustRatingCounters(m: EntityManager, movieId: number, dCount: number, dSumHalf: number): Promise<void> {
    await m
      .createQueryBuilder()
      .update(Movie)
      .set({ ratingCount: () => `rating_count + ${Math.trunc(dCount)}`, ratingSumHalf: () => `rating_sum_half + ${Math.trunc(dSumHalf)}` })
      .where('id = :movieId', { movieId })
      .execute();
    if (Math.trunc(dCount)) await this.titleIndex.adjustPopularity(m, movieId, Math.trunc(dCount));
    // The score of the movie's projection (lists are ordered by date, not by score).
    this.changes.record(m, { ids: [movieId] });
  }

  /** Which of these movie ids exist. */
  async existingMovieIds(ids: number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows = await this.ds.getRepository(Movie).find({ where: { id: In(ids) }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  /** Watch grades of these movies (missing ids are absent) — for the age gate. */
  async gradesOf(ids: number[]): Promise<Map<number, WatchGrade | null>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.ds.getRepository(Movie).find({ where: { id: In(unique) }, select: { id: true, watchGrade: true } });
    return new Map(rows.map((r) => [r.id, r.watchGrade]));
  }

  /** Small movie cards ({id, name, poster}) in the order given. */
  async cards(ids: number[]): Promise<Array<{ id: number; name: string; poster: string | null }>> {
    if (!ids.length) return [];
    const rows = await this.ds.getRepository(Movie).find({ where: { id: In(ids) }, select: { id: true, name: true, poster: true } });
    const byId = new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, poster: r.poster }]));
    return ids.map((id) => byId.get(id)).filter((c): c is { id: number; name: string; poster: string | null } => !!c);
  }

  /** Genre ids of these movies, most frequent first. */
  async topGenresOf(movieIds: number[], limit = 3): Promise<number[]> {
    if (!movieIds.length) return [];
    const rows = await this.ds
      .getRepository(MovieGenre)
      .createQueryBuilder('mg')
      .select(['mg.genre_id AS genreId', 'COUNT(*) AS n'])
      .where('mg.movie_id IN (:...movieIds)', { movieIds })
      .groupBy('mg.genre_id')
      .orderBy('n', 'DESC')
      .addOrderBy('mg.genre_id', 'ASC')
      .limit(limit)
      .getRawMany<{ genreId: unknown }>();
    return rows.map((r) => num(r.genreId));
  }

  /** Most-rated movies (then best average) of these genres — or of all when none — excluding some ids. */
  async popularMovieIds(genreIds: number[], exclude: Set<number>, limit: number): Promise<number[]> {
    const qb = this.ds.getRepository(Movie).createQueryBuilder('m').select('m.id', 'id');
    if (genreIds.length) qb.where((q) => `m.id IN ${q.subQuery().select('mg.movie_id').from(MovieGenre, 'mg').where('mg.genre_id IN (:...genreIds)').getQuery()}`, { genreIds });
    const rows = await qb
      .orderBy('m.rating_count', 'DESC')
      .addOrderBy('m.rating_sum_half', 'DESC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit + exclude.size)
      .getRawMany<{ id: unknown }>();
    return rows.map((r) => num(r.id)).filter((id) => !exclude.has(id)).slice(0, limit);
  }

  /** Per country: movies with their rating counters (top 10 job). */
  async ratedMoviesByCountry(): Promise<Array<{ id: number; country: string; ratingCount: number; ratingSumHalf: number }>> {
    const rows = await this.ds
      .getRepository(Movie)
      .createQueryBuilder('m')
      .select(['m.id AS id', 'm.country AS country', 'm.rating_count AS ratingCount', 'm.rating_sum_half AS ratingSumHalf'])
      .where('m.country IS NOT NULL')
      .getRawMany<{ id: unknown; country: string; ratingCount: unknown; ratingSumHalf: unknown }>();
    return rows.map((r) => ({ id: num(r.id), country: r.country, ratingCount: num(r.ratingCount), ratingSumHalf: num(r.ratingSumHalf) }));
  }

  /** Every pick (member, movie), in batches by key — a signal for the recommendation model. */
  async *allPicks(batch = 10_000): AsyncGenerator<Array<{ userId: number; movieId: number }>> {
    let after = { userId: -1, movieId: -1 };
    for (;;) {
      const rows = await this.ds
        .getRepository(MoviePick)
        .createQueryBuilder('p')
        .select(['p.userId', 'p.movieId'])
        .where('(p.user_id > :u OR (p.user_id = :u AND p.movie_id > :m))', { u: after.userId, m: after.movieId })
        .orderBy('p.userId', 'ASC')
        .addOrderBy('p.movieId', 'ASC')
        .limit(batch)
        .getMany();
      if (!rows.length) return;
      after = { userId: rows[rows.length - 1]!.userId, movieId: rows[rows.length - 1]!.movieId };
      yield rows.map((r) => ({ userId: r.userId, movieId: r.movieId }));
    }
  }

  async pickedMovieIds(userId: number): Promise<number[]> {
    const rows = await this.ds.getRepository(MoviePick).find({ where: { userId }, order: { createdAt: 'DESC' }, select: { movieId: true } });
    return rows.map((r) => r.movieId);
  }

  async isPicked(userId: number, movieId: number): Promise<boolean> {
    return this.ds.getRepository(MoviePick).existsBy({ userId, movieId });
  }

  async score(movieId: number): Promise<number> {
    const movie = await this.ds.getRepository(Movie).findOne({ where: { id: movieId }, select: { id: true, ratingCount: true, ratingSumHalf: true } });
    if (!movie) throw notFound('movieNotFound');
    return averageScore(movie);
  }

  // ---- reads for the cinemas and search modules ---------------------------------------------------

  /**
   * Re-reads these movies and hands them to the title index in one transaction (movies that no
   * longer exist are removed from it): for writes that bypass this service, e.g. the admin panel's
   * row edits.
   */
  async reindexTitles(ids: number[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (!unique.length) return;
    await this.ds.transaction(async (m) => {
      const movies = await this.titlesForIndex(m, { ids: unique });
      const found = new Set(movies.map((t) => t.id));
      await this.titleIndex.upsert(m, movies);
      const gone = unique.filter((id) => !found.has(id));
      if (gone.length) await this.titleIndex.remove(m, gone);
      // The panel wrote these rows outside this service: their cached reads go too.
      this.changes.record(m, { ids: unique, lists: true });
    });
  }

  /**
   * Titles for the index, in the caller's transaction: by ids, or one page in id order (after
   * `afterId`). Rows are locked on MySQL so that a concurrent rename waits and its own index
   * update lands after this one.
   */
  async titlesForIndex(m: EntityManager, q: { ids: number[] } | { afterId: number; limit: number }): Promise<IndexedTitle[]> {
    const qb = m
      .getRepository(Movie)
      .createQueryBuilder('m')
      .select(['m.id', 'm.name', 'm.nameEng', 'm.watchGrade', 'm.ratingCount'])
      .orderBy('m.id', 'ASC');
    if ('ids' in q) {
      if (!q.ids.length) return [];
      qb.where('m.id IN (:...ids)', { ids: q.ids });
    } else qb.where('m.id > :afterId', { afterId: q.afterId }).limit(q.limit);
    if (rowLock(this.ds)) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map(indexed);
  }

  /** Search result cards (movie with its genre names) in the order of `ids`, in two queries. */
  async cardsWithGenres(ids: number[]): Promise<Array<{ movie: Movie; genres: string[] }>> {
    if (!ids.length) return [];
    const [movies, genres] = await Promise.all([
      this.ds.getRepository(Movie).find({
        where: { id: In(ids) },
        select: { id: true, name: true, nameEng: true, poster: true, runningTime: true, watchGrade: true, ratingCount: true },
      }),
      this.ds
        .getRepository(MovieGenre)
        .createQueryBuilder('mg')
        // LEFT JOIN (every link has its genre: FK) keeps the links first: joined the other way round,
        // MySQL walks every link of every genre and filters them by movie.
        .leftJoin(Genre, 'g', 'g.id = mg.genre_id')
        .select(['mg.movie_id AS movieId', 'g.name AS name'])
        .where('mg.movie_id IN (:...ids)', { ids })
        .orderBy('mg.movie_id', 'ASC')
        .addOrderBy('mg.genre_id', 'ASC')
        .getRawMany<{ movieId: unknown; name: string }>(),
    ]);
    const byId = new Map(movies.map((m) => [m.id, { movie: m, genres: [] as string[] }]));
    for (const g of genres) byId.get(num(g.movieId))?.genres.push(g.name);
    return ids.map((id) => byId.get(id)).filter((c): c is { movie: Movie; genres: string[] } => !!c);
  }

  /** The `limit` most-rated of these movies (then best average, then id), with their counters. */
  async mostRated(ids: number[], limit: number, grades?: readonly WatchGrade[] | null): Promise<Movie[]> {
    if (!ids.length) return [];
    const qb = this.ds
      .getRepository(Movie)
      .createQueryBuilder('m')
      .select(['m.id', 'm.name', 'm.nameEng', 'm.poster', 'm.watchGrade', 'm.ratingCount', 'm.ratingSumHalf'])
      .where('m.id IN (:...ids)', { ids: [...new Set(ids)] });
    return whereGradeVisible(qb, 'm.watch_grade', grades)
      .orderBy('m.rating_count', 'DESC')
      .addOrderBy('CASE WHEN m.rating_count > 0 THEN m.rating_sum_half * 1.0 / m.rating_count ELSE 0 END', 'DESC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Movies opening after `after` and on or before `until` (YYYY-MM-DD), soonest first, with their pick counts. */
  async comingSoon(after: string, until: string, limit: number, grades?: readonly WatchGrade[] | null): Promise<Array<{ view: MovieView; pickCount: number }>> {
    const qb = this.ds.getRepository(Movie).createQueryBuilder('m').select('m.id', 'id').where('m.open_date > :after AND m.open_date <= :until', { after, until });
    const rows = await whereGradeVisible(qb, 'm.watch_grade', grades)
      .orderBy('m.open_date', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: unknown }>();
    const ids = rows.map((r) => num(r.id));
    if (!ids.length) return [];
    const picks = await this.ds
      .getRepository(MoviePick)
      .createQueryBuilder('p')
      .select(['p.movie_id AS movieId', 'COUNT(*) AS n'])
      .where('p.movie_id IN (:...ids)', { ids })
      .groupBy('p.movie_id')
      .getRawMany<{ movieId: unknown; n: unknown }>();
    const counts = new Map(picks.map((p) => [num(p.movieId), num(p.n)]));
    return (await this.viewsOf(ids)).map((view) => ({ view, pickCount: counts.get(view.movie.id) ?? 0 }));
  }

  // ---- production companies -------------------------------------------------------------------------

  async listManufacturers(filter: { search?: string; status?: PartnershipStatus }, page: PageArgs) {
    const qb = this.ds.getRepository(Manufacturer).createQueryBuilder('mf');
    if (filter.search) qb.andWhere('mf.name LIKE :q', { q: `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (filter.status) qb.andWhere('mf.partnership_status = :status', { status: filter.status });
    const [rows, count] = await qb.orderBy('mf.id', 'ASC').skip(page.offset).take(page.limit).getManyAndCount();
    const works = await this.worksCount(rows.map((r) => r.id));
    return { count, rows: rows.map((r) => ({ manufacturer: r, worksCount: works.get(r.id) ?? 0 })) };
  }

  private async worksCount(ids: number[]): Promise<Map<number, number>> {
    if (!ids.length) return new Map();
    const rows = await this.ds
      .getRepository(Movie)
      .createQueryBuilder('m')
      .select(['m.manufacturer_id AS id', 'COUNT(*) AS n'])
      .where('m.manufacturer_id IN (:...ids)', { ids })
      .groupBy('m.manufacturer_id')
      .getRawMany<{ id: unknown; n: unknown }>();
    return new Map(rows.map((r) => [num(r.id), num(r.n)]));
  }

  async getManufacturer(id: number): Promise<{ manufacturer: Manufacturer; works: Array<{ id: number; name: string; openDate: string | null }> }> {
    const manufacturer = await this.ds.getRepository(Manufacturer).findOneBy({ id });
    if (!manufacturer) throw notFound('manufacturerNotFound');
    const works = await this.ds.getRepository(Movie).find({ where: { manufacturerId: id }, select: { id: true, name: true, openDate: true }, order: { openDate: 'DESC', id: 'DESC' }, take: 500 });
    return { manufacturer, works: works.map((w) => ({ id: w.id, name: w.name, openDate: w.openDate })) };
  }

  async createManufacturer(input: ManufacturerInput, actor: Actor | null): Promise<Manufacturer> {
    return transactionWithRetry(
      this.ds,
      async (m) => {
        await this.assertManufacturerNameFree(m, input.name, null);
        const mf = await m.save(m.create(Manufacturer, this.manufacturerFields(input)));
        await this.audit.record({ actor, action: 'create', resource: 'manufacturers', recordId: mf.id, after: plain(mf) }, m);
        return mf;
      },
      { uniqueErrors: this.manufacturerNameErrors() },
    );
  }

  async updateManufacturer(id: number, input: ManufacturerInput, actor: Actor | null): Promise<Manufacturer> {
    return transactionWithRetry(
      this.ds,
      async (m) => {
        const mf = await m.findOneBy(Manufacturer, { id });
        if (!mf) throw notFound('manufacturerNotFound');
        await this.assertManufacturerNameFree(m, input.name, id);
        const before = plain(mf);
        Object.assign(mf, this.manufacturerFields(input));
        await m.save(mf);
        await this.audit.record({ actor, action: 'update', resource: 'manufacturers', recordId: id, before, after: plain(mf) }, m);
        // Its movies show its name.
        this.changes.record(m, { all: true });
        return mf;
      },
      { uniqueErrors: this.manufacturerNameErrors() },
    );
  }

  /** Deleting a company keeps its movies (their company becomes empty). */
  async deleteManufacturer(id: number, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const mf = await m.findOneBy(Manufacturer, { id });
      if (!mf) throw notFound('manufacturerNotFound');
      await m.update(Movie, { manufacturerId: id }, { manufacturerId: null });
      await m.delete(Manufacturer, { id });
      await this.audit.record({ actor, action: 'delete', resource: 'manufacturers', recordId: id, before: plain(mf) }, m);
      this.changes.record(m, { all: true });
    });
  }

  private manufacturerFields(input: ManufacturerInput): Partial<Manufacturer> {
    return {
      name: input.name,
      contactPerson: input.contactPerson ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      address: input.address ?? null,
      partnershipStatus: input.partnershipStatus ?? 'prospect',
      partnershipNotes: input.partnershipNotes ?? null,
      partnershipStartedOn: input.partnershipStartedOn ?? null,
      partnershipEndedOn: input.partnershipEndedOn ?? null,
    };
  }

  private async assertManufacturerNameFree(m: EntityManager, name: string, exceptId: number | null) {
    const existing = await m.findOneBy(Manufacturer, { name });
    if (existing && existing.id !== exceptId) throw this.manufacturerNameErrors().uq_manufacturers_name();
  }

  private manufacturerNameErrors() {
    return { uq_manufacturers_name: () => invalidFields({ name: [msg('uniqueManufacturer')] }) };
  }

  /**
   * A find-options condition on a movie id column: "the movie is in this genre", as a sub-query on
   * movie_genres (its genre index), so a list filtered by genre never loads the join table.
   */
  inGenreCondition(genreId: number): FindOperator<unknown> {
    const meta = this.ds.getMetadata(MovieGenre);
    const q = (name: string) => this.ds.driver.escape(name);
    const col = (prop: string) => q(meta.findColumnWithPropertyName(prop)!.databaseName);
    return Raw((alias) => `${alias} IN (SELECT ${col('movieId')} FROM ${q(meta.tableName)} WHERE ${col('genreId')} = :inGenreId)`, { inGenreId: genreId });
  }

  // ---- people and the join records (the panel's forms) ---------------------------------------------

  async createPerson(input: { name: string; nameEng?: string | null }, actor: Actor | null): Promise<Person> {
    return this.ds.transaction(async (m) => {
      const p = await m.save(m.create(Person, { name: input.name, nameEng: input.nameEng ?? null }));
      await this.audit.record({ actor, action: 'create', resource: 'people', recordId: p.id, after: plain(p) }, m);
      return p;
    });
  }

  async updatePerson(id: number, input: { name: string; nameEng?: string | null }, actor: Actor | null): Promise<Person> {
    return this.ds.transaction(async (m) => {
      const p = await m.findOneBy(Person, { id });
      if (!p) throw notFound('notFound');
      const before = plain(p);
      Object.assign(p, { name: input.name, nameEng: input.nameEng ?? null });
      await m.save(p);
      await this.audit.record({ actor, action: 'update', resource: 'people', recordId: id, before, after: plain(p) }, m);
      // Their movies show their name.
      this.changes.record(m, { all: true });
      return p;
    });
  }

  /** A person who still has credits is kept (409): their credits go first. */
  async deletePerson(id: number, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const p = await m.findOneBy(Person, { id });
      if (!p) throw notFound('notFound');
      const credits = await m.countBy(MovieCredit, { personId: id });
      if (credits > 0) throw conflict('personHasCredits', { n: credits }, { credit_count: credits });
      await m.delete(Person, { id });
      await this.audit.record({ actor, action: 'delete', resource: 'people', recordId: id, before: plain(p) }, m);
    });
  }

  /** The movie and the records it joins must exist: field errors (API keys) otherwise. */
  private async assertJoinRefs(m: EntityManager, refs: { movie: number; genre?: number; person?: number }): Promise<void> {
    const errors: FieldMessages = {};
    if (!(await m.existsBy(Movie, { id: refs.movie }))) errors.movie = [msg('unknownIds', { v: String(refs.movie) })];
    if (refs.genre !== undefined && !(await m.existsBy(Genre, { id: refs.genre }))) errors.genre = [msg('unknownIds', { v: String(refs.genre) })];
    if (refs.person !== undefined && !(await m.existsBy(Person, { id: refs.person }))) errors.person = [msg('unknownIds', { v: String(refs.person) })];
    if (Object.keys(errors).length) throw invalidFields(errors);
  }

  /**
   * Puts a movie in a genre; with `replacing`, the join record it replaces goes in the same
   * transaction (the panel's edit of a join record). A pair that exists already is a field error.
   */
  async linkGenre(link: { movie: number; genre: number }, actor: Actor | null, replacing?: { movie: number; genre: number }): Promise<void> {
    await transactionWithRetry(this.ds, async (m) => {
      await this.assertJoinRefs(m, link);
      if (replacing) {
        const res = await m.delete(MovieGenre, { movieId: replacing.movie, genreId: replacing.genre });
        if (!res.affected) throw notFound('notFound');
      }
      if (await m.existsBy(MovieGenre, { movieId: link.movie, genreId: link.genre })) throw invalidFields({ genre: [msg('movieInGenreAlready')] });
      await m.insert(MovieGenre, { movieId: link.movie, genreId: link.genre });
      await this.audit.record({ actor, action: replacing ? 'relink' : 'link', resource: 'movie_genres', recordId: `${link.movie}:${link.genre}`, before: replacing ?? null, after: link }, m);
      this.changes.record(m, { ids: [...new Set([link.movie, ...(replacing ? [replacing.movie] : [])])], lists: true });
    });
  }

  /** Adds a credit, or (with `replacing`) changes one: the key (movie, person, role) is unique. */
  async saveCredit(credit: { movie: number; person: number; role: CreditRole; position: number; character?: string | null }, actor: Actor | null, replacing?: { movie: number; person: number; role: CreditRole }): Promise<void> {
    await transactionWithRetry(this.ds, async (m) => {
      await this.assertJoinRefs(m, credit);
      if (replacing) {
        const res = await m.delete(MovieCredit, { movieId: replacing.movie, personId: replacing.person, role: replacing.role });
        if (!res.affected) throw notFound('notFound');
      }
      if (await m.existsBy(MovieCredit, { movieId: credit.movie, personId: credit.person, role: credit.role })) throw invalidFields({ role: [msg('creditExists')] });
      await m.insert(MovieCredit, { movieId: credit.movie, personId: credit.person, role: credit.role, position: credit.position, character: credit.character?.trim() || null });
      await this.audit.record({ actor, action: replacing ? 'update' : 'create', resource: 'movie_credits', recordId: `${credit.movie}:${credit.person}:${credit.role}`, before: replacing ?? null, after: credit }, m);
      this.changes.record(m, { ids: [...new Set([credit.movie, ...(replacing ? [replacing.movie] : [])])] });
    });
  }

  async removeCredit(key: { movie: number; person: number; role: CreditRole }, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const res = await m.delete(MovieCredit, { movieId: key.movie, personId: key.person, role: key.role });
      if (!res.affected) throw notFound('notFound');
      await this.audit.record({ actor, action: 'delete', resource: 'movie_credits', recordId: `${key.movie}:${key.person}:${key.role}`, before: key }, m);
      this.changes.record(m, { ids: [key.movie] });
    });
  }
}
