// The cinemas module: cinemas and their map, showtimes (the 3-day booking window), members'
// favourite cinemas, cinema reviews with atomic score counters, and the showtime CSV import.
// HTTP routes, the search module and the admin panel call this service; nothing else writes
// these tables.
import { Between, In, type DataSource, type EntityManager } from 'typeorm';
import { num, rowLock } from '../../db/data-source.js';
import { isUniqueViolation, toggleRow, transactionWithRetry } from '../../db/tx.js';
import { forbidden, invalid, invalidFields, msg, notFound, type FieldMessages, type Message } from '../shared/errors.js';
import { fieldCodes } from '../shared/validation.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { CatalogService, MovieView } from '../catalog/catalog.service.js';
import { toHalf } from '../ratings/ratings.service.js';
import type { UsersService } from '../users/users.service.js';
import { Cinema, CinemaPick, CinemaRating, Showtime } from './cinema.entities.js';
import { CinemasSeeder, type DemoSeedReport } from './demo-seed.js';
import { addDays, type LocalCalendar } from './local-time.js';
import { SHOWTIME_CSV_COLUMNS, SHOWTIME_CSV_REQUIRED, showtimeInput, type CinemaInput, type ShowtimeInput } from './cinema.schemas.js';
import { decodeCsv, parseCsv } from './csv.js';
import { ChangeFeed, LocalInvalidationBus, type Invalidation, type InvalidationBus } from '../../db/invalidation.js';
import { ExactCache, type ExactCacheOptions } from '../../db/exact-cache.js';
import type { MemberActivity } from '../shared/member-activity.js';

/** A member's favourite cinemas and the cinemas they reviewed (RecommendationsService.memberState). */
export type MemberCinemasSource = (userId: number) => Promise<{ cinemas: readonly number[]; reviewedCinemas: ReadonlySet<number> }>;

export const SHOWTIMES_CHANNEL = 'showtimes';
/** Cinema rows and their reviews changed (ids: the cinemas). */
export const CINEMAS_CHANNEL = 'cinemas';
/** The booking window's movie set is re-read at least this often (the bound if an invalidation is lost). */
const SHOWING_TTL_MS = 60_000;

/** Seed 004: showtimes are offered for today and the next two days. */
export const BOOKING_DAYS = 3;
/** Seed 004: "근처 영화관은 반경 2km 내에 있는 영화관입니다". */
export const NEAR_RADIUS_M = 2000;
/** Mean Earth radius (m) of the haversine distance. */
export const EARTH_RADIUS_M = 6_371_000;
const METERS_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

/** Great-circle distance in metres between two points (latitude, longitude in degrees). */
export function haversineMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}
/** Largest CSV the import reads, and its most rows. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;
/** Reviews shown on the cinema detail. */
const DETAIL_RATINGS = 10;

export interface CinemaRatingInput {
  cinema: number;
  score: number;
  comment?: string | null;
}

export interface ShowtimeWithMovie {
  showtime: Showtime;
  movie: MovieView;
}

export interface CinemaDetail {
  /** The day's public detail it was made from: the same object while the cinema's row, its showtimes and its reviews are unchanged. */
  source: object;
  cinema: Cinema;
  score: number;
  hasScore: boolean;
  picked: boolean;
  onscreens: ShowtimeWithMovie[];
  ratings: Array<{ rating: CinemaRating; user: { id: number; username: string } }>;
}

/** What every member sees of a cinema's detail on one day (kept per process: CinemasService.detailCache). */
export interface CinemaPublicDetail {
  cinema: Cinema;
  /** The day's showtimes, soonest first (the remaining ones are picked per request). */
  day: Showtime[];
  ratings: CinemaDetail['ratings'];
}

/** Why a CSV row was skipped: a message of the catalogue, about one column (`field`) or the row (the panel renders it: `field: text`). */
export interface SkipReason extends Message {
  field?: string;
}

export interface ImportReport {
  inserted: number;
  /** Rows left out and why, by code (a field's reason names its column): the caller translates them (csvSkipReason). */
  skipped: Array<{ line: number; reasons: SkipReason[] }>;
}

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Average score of a cinema (0–5, two decimals; 0 without reviews). */
export function cinemaScore(c: Pick<Cinema, 'ratingCount' | 'ratingSumHalf'>): number {
  if (!c.ratingCount) return 0;
  return Math.round((c.ratingSumHalf / 2 / c.ratingCount) * 100) / 100;
}

/** Seed 004's cinema card (map, favourites): coordinates as strings, as the seed sends them. */
export function cinemaCard(c: Cinema) {
  return { id: c.id, name: c.name, type: c.type, img: c.img, address: c.address, tel: c.tel, x: String(c.x), y: String(c.y), url: c.url };
}

/** A kept cinema row's card (the rows are replaced, never changed, when a cinema changes): the same object while the row stands. */
const cardOfRow = new WeakMap<Cinema, ReturnType<typeof cinemaCard>>();

function keptCard(c: Cinema): ReturnType<typeof cinemaCard> {
  let card = cardOfRow.get(c);
  if (!card) cardOfRow.set(c, (card = cinemaCard(c)));
  return card;
}

/** LIKE patterns escape with '!' (MySQL and SQLite both accept `ESCAPE '!'`; a backslash is read differently). */
const escapeLike = (s: string) => s.replace(/[!%_]/g, (ch) => `!${ch}`);
/** Words as the search compares them: spaces do not matter ("CGV 강남" finds "CGV강남"). */
const compact = (s: string) => s.replace(/\s+/g, '');

/** Every cinema's row, kept per process (CinemasService.keptCinemas), by id too. */
interface KeptCinemas {
  list: readonly Cinema[];
  byId: ReadonlyMap<number, Cinema>;
}

export class CinemasService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    readonly calendar: LocalCalendar,
    private readonly opts: { maxBoxDegrees: number; detailCache?: ExactCacheOptions },
  ) {
    this.detailCache = new ExactCache(opts.detailCache ?? { ttlMs: 0, maxEntries: 0 });
  }

  /**
   * `<cinema id>:<date>` → CinemaPublicDetail, dropped exactly: a cinema's row or reviews changed
   * (CINEMAS_CHANNEL, ids), any showtime or cinema write (SHOWTIMES_CHANNEL, all), an account change
   * (a reviewer's name; wired in buildServices).
   */
  readonly detailCache: ExactCache<string, CinemaPublicDetail>;
  private changes: ChangeFeed | null = null;

  /** Reports a change of cinema rows or reviews (after `m`'s commit too, and to the other processes once the bus is set). */
  private cinemasChanged(m: EntityManager | null, change: Invalidation): void {
    if (this.changes) this.changes.record(m, change);
    else {
      this.detailCache.invalidate(change);
      this.forgetCinemas();
    }
  }

  // ---- the movies showing in the booking window, kept in process ---------------------------------------
  // The movie detail's is_showing and the search page read it on every request. Kept per booking
  // window (a new day reads it again), dropped by every showtime write of this process
  // (showtimesChanged) and, through the invalidation bus, of the others; at most SHOWING_TTL_MS old.

  private showing: { window: string; ids: Set<number>; at: number } | null = null;
  private showingGen = 0;
  private bus: InvalidationBus = new LocalInvalidationBus();

  useInvalidation(bus: InvalidationBus): void {
    this.bus = bus;
    bus.subscribe(SHOWTIMES_CHANNEL, () => this.forgetShowing());
    this.changes = new ChangeFeed(this.ds, bus, CINEMAS_CHANNEL);
    this.changes.onChange((c) => {
      this.detailCache.invalidate(c);
      this.forgetCinemas();
    });
  }

  private forgetShowing(): void {
    this.showingGen++;
    this.showing = null;
    this.detailCache.invalidate({ all: true });
    this.forgetCinemas();
    for (const listener of this.showingListeners) listener();
  }

  private readonly showingListeners: Array<() => void> = [];

  /** Hears every showtime change, this process's and (with the bus) the others' — what reads "showing now" keep. */
  onShowtimesChanged(listener: () => void): void {
    this.showingListeners.push(listener);
  }

  /** Showtimes were written (after the write committed): here and in every other process. */
  showtimesChanged(): void {
    this.forgetShowing();
    this.bus.publish(SHOWTIMES_CHANNEL, { all: true });
  }

  private async showingSet(): Promise<Set<number>> {
    const { from, to } = this.bookingWindow();
    const kept = this.showing;
    if (kept && kept.window === from && Date.now() - kept.at < SHOWING_TTL_MS) return kept.ids;
    const generation = this.showingGen;
    const rows = await this.showtimes
      .createQueryBuilder('s')
      .select('DISTINCT s.movie_id', 'movieId')
      .where('s.date BETWEEN :from AND :to', { from, to })
      .getRawMany<{ movieId: unknown }>();
    const ids = new Set(rows.map((r) => num(r.movieId)));
    // A write that committed meanwhile may be missing from these rows: not kept.
    if (generation === this.showingGen) this.showing = { window: from, ids, at: Date.now() };
    return ids;
  }

  private get cinemas() {
    return this.ds.getRepository(Cinema);
  }

  private get showtimes() {
    return this.ds.getRepository(Showtime);
  }

  /** Today and the last day of the booking window (local dates). */
  bookingWindow(): { from: string; to: string } {
    const from = this.calendar.today();
    // Worked out once per day (the movie detail's is_showing asks on every request).
    if (this.window?.from !== from) this.window = { from, to: addDays(from, BOOKING_DAYS - 1) };
    return { ...this.window };
  }

  private window: { from: string; to: string } | null = null;

  /** Dashboard figures: how many cinemas, and showtimes in the booking window (today … today+2). */
  async figures(): Promise<{ cinemas: number; showtimes_bookable: number }> {
    const { from, to } = this.bookingWindow();
    const [cinemas, showtimes] = await Promise.all([this.cinemas.count(), this.showtimes.count({ where: { date: Between(from, to) } })]);
    return { cinemas, showtimes_bookable: showtimes };
  }

  async get(id: number): Promise<Cinema> {
    const c = await this.cinemas.findOneBy({ id });
    if (!c) throw notFound('cinemaNotFound');
    return c;
  }

  async exists(id: number): Promise<boolean> {
    return this.cinemas.existsBy({ id });
  }

  // ---- map -----------------------------------------------------------------------------------------

  /** Cinemas inside a longitude/latitude box (corners in any order); each side at most MAP_MAX_BOX_DEGREES. */
  async inBox(box: Box): Promise<Cinema[]> {
    const [x1, x2] = box.x1 <= box.x2 ? [box.x1, box.x2] : [box.x2, box.x1];
    const [y1, y2] = box.y1 <= box.y2 ? [box.y1, box.y2] : [box.y2, box.y1];
    const max = this.opts.maxBoxDegrees;
    if (x2 - x1 > max || y2 - y1 > max) throw invalidFields({ non_field_errors: [msg('mapBoxTooLarge', { n: max })] });
    // A range on the (y, x) index.
    return this.cinemas
      .createQueryBuilder('c')
      .where('c.y BETWEEN :y1 AND :y2', { y1, y2 })
      .andWhere('c.x BETWEEN :x1 AND :x2', { x1, x2 })
      .orderBy('c.id', 'ASC')
      .getMany();
  }

  /**
   * Cinemas within `radius` metres of a point, nearest first (ties by id), with their great-circle
   * (haversine) distance rounded to the metre. Computed over the cinemas kept in memory (every
   * member's search page asks with its own position, so no answer can be kept): a bounding box,
   * then the distance.
   */
  async near(x: number, y: number, radius = NEAR_RADIUS_M): Promise<Array<{ cinema: Cinema; distance: number }>> {
    const dLat = (radius / METERS_PER_DEGREE) * 1.001;
    const cosLat = Math.cos((y * Math.PI) / 180);
    const dLng = Math.min(180, dLat / Math.max(cosLat, 1e-6));
    const found: Array<{ cinema: Cinema; exact: number }> = [];
    for (const c of (await this.keptCinemas()).list) {
      if (c.y < y - dLat || c.y > y + dLat || c.x < x - dLng || c.x > x + dLng) continue;
      const exact = haversineMetres(y, x, c.y, c.x);
      if (exact <= radius) found.push({ cinema: c, exact });
    }
    return found.sort((a, b) => a.exact - b.exact || a.cinema.id - b.cinema.id).map(({ cinema, exact }) => ({ cinema, distance: Math.round(exact) }));
  }

  /**
   * Every cinema's row, kept per process (a country has hundreds): dropped by every cinema write
   * of this process and, through the cinemas and showtimes channels, of the others (at once and
   * again after the commit), and read again at least every `detailCache` TTL (a write made outside
   * the service). Read only: the rows are shared by every request.
   */
  private kept: { rows: Promise<KeptCinemas>; at: number } | null = null;

  private keptCinemas(): Promise<KeptCinemas> {
    const ttl = this.opts.detailCache?.ttlMs ?? 0;
    const now = Date.now();
    if (!this.kept || now - this.kept.at >= ttl) {
      const rows = this.cinemas.find({ order: { id: 'ASC' } }).then((list): KeptCinemas => ({ list, byId: new Map(list.map((c) => [c.id, c])) }));
      const kept = { rows, at: now };
      this.kept = ttl > 0 ? kept : null;
      rows.catch(() => {
        if (this.kept === kept) this.kept = null;
      });
      return kept.rows;
    }
    return this.kept.rows;
  }

  private forgetCinemas(): void {
    this.kept = null;
  }

  // ---- showtimes -------------------------------------------------------------------------------------

  private async withMovies(rows: Showtime[]): Promise<ShowtimeWithMovie[]> {
    const views = new Map((await this.catalog.viewsOf([...new Set(rows.map((r) => r.movieId))])).map((v) => [v.movie.id, v]));
    return rows.flatMap((showtime) => {
      const movie = views.get(showtime.movieId);
      return movie ? [{ showtime, movie }] : [];
    });
  }

  /**
   * A cinema's showtimes of one day from a start time on, soonest first. The date must be inside
   * the booking window (today … today+2); it defaults to today, and the start time to now (today)
   * or the start of the day (a later day).
   */
  async showtimesAt(cinemaId: number, q: { date?: string; startTime?: string }): Promise<ShowtimeWithMovie[]> {
    await this.get(cinemaId);
    const now = this.calendar.now();
    const { from, to } = this.bookingWindow();
    const date = q.date ?? now.date;
    if (date < from || date > to) throw invalidFields({ date: [msg('showtimeWindow', { from, to })] });
    const startTime = q.startTime ?? (date === now.date ? now.time : '00:00:00');
    const rows = await this.showtimes
      .createQueryBuilder('s')
      .where('s.cinema_id = :cinemaId AND s.date = :date AND s.start_time >= :startTime', { cinemaId, date, startTime })
      .orderBy('s.start_time', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    return this.withMovies(rows);
  }

  /** Whether the movie has a showtime in the booking window (movie detail `is_showing`). */
  async isShowing(movieId: number): Promise<boolean> {
    return (await this.showingSet()).has(movieId);
  }

  /** Movies with a showtime in the booking window (search page: popular movies). */
  async showingMovieIds(): Promise<number[]> {
    return [...(await this.showingSet())];
  }

  /** Cinemas showing the movie in the booking window, by id, and their distinct areas in that order. */
  async cinemasShowing(movieId: number): Promise<{ areas: string[]; cinemas: Cinema[] }> {
    if (!(await this.catalog.existingMovieIds([movieId])).has(movieId)) throw notFound('movieNotFound');
    const { from, to } = this.bookingWindow();
    const cinemas = await this.cinemas
      .createQueryBuilder('c')
      .where((qb) => `c.id IN ${qb.subQuery().select('s.cinema_id').from(Showtime, 's').where('s.movie_id = :movieId AND s.date BETWEEN :from AND :to').getQuery()}`, { movieId, from, to })
      .orderBy('c.id', 'ASC')
      .getMany();
    return { areas: [...new Set(cinemas.map((c) => c.area))], cinemas };
  }

  // ---- detail and favourites ----------------------------------------------------------------------------

  /**
   * Seed 004 cinema detail: the cinema, its score, the member's review/pick, today's remaining
   * showtimes, the latest reviews. What every member sees comes from the kept day (detailCache;
   * the remaining showtimes are those starting from now); the member's review and pick, one read.
   */
  async detail(cinemaId: number, userId: number): Promise<CinemaDetail> {
    const now = this.calendar.now();
    const [pub, mine] = await Promise.all([this.publicDetail(cinemaId, now.date), this.memberFields(userId, cinemaId)]);
    return {
      source: pub,
      cinema: pub.cinema,
      score: cinemaScore(pub.cinema),
      hasScore: mine.rated,
      picked: mine.picked,
      onscreens: await this.withMovies(pub.day.filter((s) => s.startTime >= now.time)),
      ratings: pub.ratings,
    };
  }

  /** The cinema (404), its showtimes of `date` soonest first and its latest reviews with their authors' names, through the kept details. */
  private publicDetail(cinemaId: number, date: string): Promise<CinemaPublicDetail> {
    return this.detailCache.through(`${cinemaId}:${date}`, cinemaId, async () => {
      const cinema = await this.get(cinemaId);
      const [day, ratingRows] = await Promise.all([
        this.showtimes.createQueryBuilder('s').where('s.cinema_id = :cinemaId AND s.date = :date', { cinemaId, date }).orderBy('s.start_time', 'ASC').addOrderBy('s.id', 'ASC').getMany(),
        this.ds.getRepository(CinemaRating).find({ where: { cinemaId }, order: { updatedAt: 'DESC', id: 'DESC' }, take: DETAIL_RATINGS }),
      ]);
      const names = await this.users.publicNames(ratingRows.map((r) => r.userId));
      return { cinema, day, ratings: ratingRows.map((rating) => ({ rating, user: names.get(rating.userId) ?? { id: rating.userId, username: '' } })) };
    });
  }

  /** Whether the member reviewed and picked the cinema: from the member's kept read state. */
  private async memberFields(userId: number, cinemaId: number): Promise<{ rated: boolean; picked: boolean }> {
    if (!this.memberCinemas) throw new Error('CinemasService: the members’ read state is not wired (useMemberCinemas)');
    const s = await this.memberCinemas(userId);
    return { rated: s.reviewedCinemas.has(cinemaId), picked: s.cinemas.includes(cinemaId) };
  }

  private memberCinemas: MemberCinemasSource | undefined;

  /**
   * Where a member's favourite and reviewed cinemas are read: the members' kept read state
   * (RecommendationsService.memberState), which this service's picks and reviews keep exact by
   * reporting them as the member's activity.
   */
  useMemberCinemas(source: MemberCinemasSource): void {
    this.memberCinemas = source;
  }

  /** Toggles the member's favourite cinema; returns whether it is picked now. */
  async togglePick(userId: number, cinemaId: number): Promise<boolean> {
    return transactionWithRetry(this.ds, async (m) => {
      // The cinema row's write lock queues toggles of one cinema, so ten at once answer on, off, on… (src/db/tx.ts toggleRow).
      if (!(await m.findOne(Cinema, { where: { id: cinemaId }, select: { id: true }, lock: rowLock(this.ds) }))) throw notFound('cinemaNotFound');
      const picked = await toggleRow(m, CinemaPick, { userId, cinemaId });
      this.activity?.changed(m, userId);
      return picked;
    });
  }

  private activity: MemberActivity | undefined;

  /** Where a member's favourite cinemas and reviews are reported (their kept read state: my page, cinema detail). */
  useMemberActivity(activity: MemberActivity): void {
    this.activity = activity;
  }

  /** Whether the member picked the cinema (404 for an unknown cinema); changes nothing. */
  async isPicked(userId: number, cinemaId: number): Promise<boolean> {
    await this.get(cinemaId);
    return this.ds.getRepository(CinemaPick).existsBy({ userId, cinemaId });
  }

  /** The member's favourite cinemas, most recently picked first, in the seed's card shape (my page). */
  async pickedCinemas(userId: number): Promise<Array<ReturnType<typeof cinemaCard>>> {
    const picks = await this.ds.getRepository(CinemaPick).find({ where: { userId }, order: { createdAt: 'DESC', cinemaId: 'ASC' } });
    return this.cinemaCards(picks.map((p) => p.cinemaId));
  }

  /**
   * The cards of these cinemas in this order (missing ones left out): favourites whose ids were read
   * elsewhere (my page). From the kept rows, each card the same object while its row stands. Read only.
   */
  async cinemaCards(ids: number[]): Promise<Array<ReturnType<typeof cinemaCard>>> {
    if (!ids.length) return [];
    // Rows kept only with the detail cache on; off, these ids are read alone (not every cinema).
    const { byId } = (this.opts.detailCache?.ttlMs ?? 0) > 0 ? await this.keptCinemas() : { byId: new Map<number, Cinema>() };
    // A cinema written since the rows were read, outside the service (an import's raw insert): read.
    const unknown = ids.filter((id) => !byId.has(id));
    const read = new Map(unknown.length ? (await this.cinemas.findBy({ id: In(unknown) })).map((c) => [c.id, c]) : []);
    return ids.flatMap((id) => {
      const kept = byId.get(id);
      if (kept) return [keptCard(kept)];
      const c = read.get(id);
      return c ? [cinemaCard(c)] : [];
    });
  }

  // ---- reviews ---------------------------------------------------------------------------------------------

  /** The only way a cinema's score changes: an atomic increment in the caller's transaction. */
  private async adjustCounters(m: EntityManager, cinemaId: number, dCount: number, dSumHalf: number): Promise<void> {
    await m
      .createQueryBuilder()
      .update(Cinema)
      .set({ ratingCount: () => `rating_count + ${Math.trunc(dCount)}`, ratingSumHalf: () => `rating_sum_half + ${Math.trunc(dSumHalf)}` })
      .where('id = :cinemaId', { cinemaId })
      .execute();
  }

  private async assertCinema(id: number): Promise<void> {
    if (!(await this.exists(id))) throw invalidFields({ cinema: [msg('badPk', { v: id })] });
  }

  async createRating(userId: number, input: CinemaRatingInput): Promise<CinemaRating> {
    await this.assertCinema(input.cinema);
    return this.ds
      .transaction(async (m) => {
        if (await m.existsBy(CinemaRating, { userId, cinemaId: input.cinema })) throw forbidden('alreadyRated');
        const half = toHalf(input.score);
        // Counter first: it takes the cinema row's write lock before the insert's foreign-key check
        // takes a shared one, so concurrent reviews queue instead of deadlocking.
        await this.adjustCounters(m, input.cinema, 1, half);
        const saved = await m.save(m.create(CinemaRating, { userId, cinemaId: input.cinema, scoreHalf: half, comment: input.comment ?? null }));
        this.cinemasChanged(m, { ids: [input.cinema] });
        this.activity?.changed(m, userId);
        return saved;
      })
      .catch((err) => {
        // The unique index decides between two simultaneous first reviews of one cinema.
        if (isUniqueViolation(err)) throw forbidden('alreadyRated');
        throw err;
      });
  }

  private async lockOwned(m: EntityManager, userId: number, ratingId: number): Promise<CinemaRating> {
    const rating = await m.findOne(CinemaRating, { where: { id: ratingId }, lock: rowLock(this.ds) });
    if (!rating) throw notFound('ratingNotFound');
    if (rating.userId !== userId) throw invalid('noPermission');
    return rating;
  }

  async updateRating(userId: number, ratingId: number, input: CinemaRatingInput): Promise<CinemaRating> {
    return this.ds.transaction(async (m) => {
      const r = await this.lockOwned(m, userId, ratingId);
      if (r.cinemaId !== input.cinema) throw invalidFields({ cinema: [msg('cinemaMismatch')] });
      const half = toHalf(input.score);
      const delta = half - r.scoreHalf;
      r.scoreHalf = half;
      if (input.comment !== undefined) r.comment = input.comment;
      await m.save(r);
      if (delta) await this.adjustCounters(m, r.cinemaId, 0, delta);
      this.cinemasChanged(m, { ids: [r.cinemaId] });
      return r;
    });
  }

  async removeRating(userId: number, ratingId: number): Promise<void> {
    await this.ds.transaction(async (m) => {
      const r = await this.lockOwned(m, userId, ratingId);
      await m.delete(CinemaRating, { id: r.id });
      await this.adjustCounters(m, r.cinemaId, -1, -r.scoreHalf);
      this.cinemasChanged(m, { ids: [r.cinemaId] });
      this.activity?.changed(m, userId);
    });
  }

  /** A cinema's reviews, newest first (an unknown cinema has none). */
  async ratingsPage(cinemaId: number, page: { offset: number; limit: number }) {
    const [rows, count] = await this.ds.getRepository(CinemaRating).findAndCount({ where: { cinemaId }, order: { updatedAt: 'DESC', id: 'DESC' }, skip: page.offset, take: page.limit });
    const names = await this.users.publicNames(rows.map((r) => r.userId));
    return { count, rows: rows.map((rating) => ({ rating, user: names.get(rating.userId) ?? { id: rating.userId, username: '' } })) };
  }

  // ---- search by area and name ----------------------------------------------------------------------------

  /** Distinct areas (구) containing the words, those starting with them first (autocomplete). */
  async areasMatching(words: string, limit = 10): Promise<string[]> {
    const w = compact(words);
    if (!w) return [];
    const rows = await this.cinemas
      .createQueryBuilder('c')
      .select('c.area', 'area')
      .addSelect("MIN(CASE WHEN c.area LIKE :prefix ESCAPE '!' THEN 0 ELSE 1 END)", 'prefixRank')
      .where("c.area LIKE :contains ESCAPE '!'")
      .setParameters({ prefix: `${escapeLike(w)}%`, contains: `%${escapeLike(w)}%` })
      .groupBy('c.area')
      .orderBy('prefixRank', 'ASC')
      .addOrderBy('c.area', 'ASC')
      .limit(limit)
      .getRawMany<{ area: string }>();
    return rows.map((r) => r.area);
  }

  /**
   * Seed 004 area search: `byArea` are the cinemas of the areas containing the words ("서대문" →
   * 서대문구); `byName` the other cinemas whose name contains them ("신촌" → "메가박스 신촌").
   */
  async search(words: string, limit = 100): Promise<{ byArea: Cinema[]; byName: Cinema[] }> {
    const w = compact(words);
    if (!w) return { byArea: [], byName: [] };
    const contains = `%${escapeLike(w)}%`;
    const byArea = await this.cinemas.createQueryBuilder('c').where("c.area LIKE :contains ESCAPE '!'", { contains }).orderBy('c.id', 'ASC').limit(limit).getMany();
    const byName = await this.cinemas
      .createQueryBuilder('c')
      .where("REPLACE(c.name, ' ', '') LIKE :contains ESCAPE '!'", { contains })
      .andWhere("c.area NOT LIKE :contains ESCAPE '!'")
      .orderBy('c.id', 'ASC')
      .limit(limit)
      .getMany();
    return { byArea, byName };
  }

  // ---- showtime CSV import (admin panel) ------------------------------------------------------------------

  // ---- staff writes (the panel) ----------------------------------------------------------------

  /** Creates (id null) or changes a cinema as staff write it (the panel); audited in the same transaction. */
  async saveCinema(actor: Actor | null, id: number | null, input: CinemaInput): Promise<Cinema> {
    const values: Partial<Cinema> = {
      region: input.region,
      area: input.area,
      name: input.name,
      code: input.code ?? null,
      tel: input.tel ?? null,
      address: input.address,
      x: input.x,
      y: input.y,
      url: input.url ?? null,
      publicTransport: input.public ?? null,
      parking: input.parking ?? null,
      type: input.type,
      img: input.img ?? null,
    };
    return this.ds.transaction(async (m) => {
      let before: Cinema | null = null;
      if (id !== null) {
        before = await m.findOneBy(Cinema, { id });
        if (!before) throw notFound('cinemaNotFound');
        await m.update(Cinema, { id }, values);
      } else id = (await m.save(m.create(Cinema, values))).id;
      const after = await m.findOneByOrFail(Cinema, { id });
      await this.audit.record({ actor, action: before ? 'edit' : 'new', resource: 'cinemas', recordId: id, before: before ? { ...before } : null, after: { ...after } }, m);
      this.cinemasChanged(m, { ids: [id] });
      return after;
    });
  }

  /** Deletes a cinema (its showtimes, reviews and picks go with it); audited. */
  async deleteCinema(actor: Actor | null, id: number): Promise<void> {
    await this.ds.transaction(async (m) => {
      const before = await m.findOneBy(Cinema, { id });
      if (!before) throw notFound('cinemaNotFound');
      await m.delete(Cinema, { id });
      await this.audit.record({ actor, action: 'delete', resource: 'cinemas', recordId: id, before: { ...before }, after: null }, m);
      // Members' favourites of it go with it.
      this.activity?.everyone(m);
      this.cinemasChanged(m, { ids: [id] });
    });
    this.showtimesChanged();
  }

  /**
   * Creates (id null) or changes one showtime: the cinema and the movie must exist and no other
   * showtime may start at that cinema, date, time and screen (the unique index decides a race).
   * Field errors under the schema's keys; audited.
   */
  async saveShowtime(actor: Actor | null, id: number | null, input: ShowtimeInput): Promise<Showtime> {
    const errors: FieldMessages = {};
    if (!(await this.exists(input.cinema_id))) errors.cinema_id = [msg('noSuchCinema', { id: input.cinema_id })];
    if (!(await this.catalog.existingMovieIds([input.movie_id])).has(input.movie_id)) errors.movie_id = [msg('noSuchMovie', { id: input.movie_id })];
    if (Object.keys(errors).length) throw invalidFields(errors);
    const taken = (other: number | string) => invalidFields({ start_time: [msg('showtimeTaken', { other })] });
    const values: Partial<Showtime> = {
      cinemaId: input.cinema_id,
      movieId: input.movie_id,
      date: input.date,
      startTime: input.start_time,
      endTime: input.end_time ?? null,
      info: input.info,
      totalSeats: input.total_seats ?? null,
      seats: input.seats ?? null,
      url: input.url ?? null,
    };
    try {
      const saved = await this.ds.transaction(async (m) => {
        const same = await m.findOneBy(Showtime, { cinemaId: input.cinema_id, date: input.date, startTime: input.start_time, info: input.info });
        if (same && same.id !== id) throw taken(same.id);
        let before: Showtime | null = null;
        if (id !== null) {
          before = await m.findOneBy(Showtime, { id });
          if (!before) throw notFound('showtimeNotFound');
          await m.update(Showtime, { id }, values);
        } else id = (await m.save(m.create(Showtime, values))).id;
        const after = await m.findOneByOrFail(Showtime, { id });
        await this.audit.record({ actor, action: before ? 'edit' : 'new', resource: 'showtimes', recordId: id, before: before ? { ...before } : null, after: { ...after } }, m);
        return after;
      });
      this.showtimesChanged();
      return saved;
    } catch (err) {
      if (isUniqueViolation(err)) throw taken('?');
      throw err;
    }
  }

  async deleteShowtime(actor: Actor | null, id: number): Promise<void> {
    await this.ds.transaction(async (m) => {
      const before = await m.findOneBy(Showtime, { id });
      if (!before) throw notFound('showtimeNotFound');
      await m.delete(Showtime, { id });
      await this.audit.record({ actor, action: 'delete', resource: 'showtimes', recordId: id, before: { ...before }, after: null }, m);
    });
    this.showtimesChanged();
  }

  /**
   * Imports showtimes from CSV (UTF-8 or EUC-KR; header: cinema_id,movie_id,date,start_time
   * [,end_time,info,total_seats,seats,url] in any order). Every row is validated; bad rows and rows that repeat an existing
   * screening are skipped with their reasons, the others are inserted, all in one transaction.
   */
  async importShowtimesCsv(file: Buffer | string, actor: Actor | null): Promise<ImportReport> {
    const fileError = (code: Parameters<typeof msg>[0], vars?: Parameters<typeof msg>[1]) => invalidFields({ file: [msg(code, vars)] });
    const size = typeof file === 'string' ? Buffer.byteLength(file, 'utf8') : file.length;
    if (size > MAX_IMPORT_BYTES) throw fileError('csvTooLarge', { mb: MAX_IMPORT_BYTES / 1024 / 1024 });
    const rows = parseCsv(decodeCsv(file));
    if (!rows.length) throw fileError('csvEmpty');
    const header = rows[0].cells.map((h) => h.trim().toLowerCase());
    const unknown = header.filter((h) => !(SHOWTIME_CSV_COLUMNS as readonly string[]).includes(h));
    const missing = SHOWTIME_CSV_REQUIRED.filter((c) => !header.includes(c));
    const repeated = header.filter((h, i) => header.indexOf(h) !== i);
    if (unknown.length || missing.length || repeated.length) {
      const parts = [
        missing.length ? `missing column(s): ${missing.join(', ')}` : '',
        unknown.length ? `unknown column(s): ${unknown.join(', ')}` : '',
        repeated.length ? `repeated column(s): ${repeated.join(', ')}` : '',
      ].filter(Boolean);
      throw fileError('csvBadHeader', { parts: parts.join('; '), columns: SHOWTIME_CSV_COLUMNS.join(',') });
    }
    const data = rows.slice(1);
    if (data.length > MAX_IMPORT_ROWS) throw fileError('csvTooManyRows', { max: MAX_IMPORT_ROWS, n: data.length });

    const skipped: ImportReport['skipped'] = [];
    const valid: Array<{ line: number; row: ShowtimeInput }> = [];
    for (const { line, cells } of data) {
      if (cells.length !== header.length) {
        skipped.push({ line, reasons: [{ code: 'csvFieldCount', vars: { expected: header.length, got: cells.length } }] });
        continue;
      }
      const raw = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
      const parsed = showtimeInput.safeParse(raw);
      if (!parsed.success) {
        const errors = fieldCodes(parsed.error.issues, raw);
        skipped.push({ line, reasons: Object.entries(errors).flatMap(([field, messages]) => messages.map((m) => ({ field, ...m }))) });
        continue;
      }
      valid.push({ line, row: parsed.data });
    }

    const cinemaIds = [...new Set(valid.map((v) => v.row.cinema_id))];
    const knownCinemas = new Set<number>();
    for (let i = 0; i < cinemaIds.length; i += 500) {
      for (const c of await this.cinemas.find({ where: { id: In(cinemaIds.slice(i, i + 500)) }, select: { id: true } })) knownCinemas.add(c.id);
    }
    const movieIds = [...new Set(valid.map((v) => v.row.movie_id))];
    const knownMovies = new Set<number>();
    for (let i = 0; i < movieIds.length; i += 500) for (const id of await this.catalog.existingMovieIds(movieIds.slice(i, i + 500))) knownMovies.add(id);

    // The unique index compares `info` without regard to case (MySQL collation): so does this key.
    const slotKey = (r: { cinemaId: number; date: string; startTime: string; info: string }) => `${r.cinemaId}|${r.date}|${r.startTime}|${r.info.trim().toLowerCase()}`;
    const firstLine = new Map<string, number>();
    const candidates: Array<{ line: number; row: ShowtimeInput; key: string }> = [];
    for (const { line, row } of valid) {
      const reasons: SkipReason[] = [];
      if (!knownCinemas.has(row.cinema_id)) reasons.push({ field: 'cinema_id', code: 'noSuchCinema', vars: { id: row.cinema_id } });
      if (!knownMovies.has(row.movie_id)) reasons.push({ field: 'movie_id', code: 'noSuchMovie', vars: { id: row.movie_id } });
      const key = slotKey({ cinemaId: row.cinema_id, date: row.date, startTime: row.start_time, info: row.info });
      const earlier = firstLine.get(key);
      if (earlier !== undefined) reasons.push({ code: 'csvRepeatsLine', vars: { line: earlier } });
      if (reasons.length) {
        skipped.push({ line, reasons });
        continue;
      }
      firstLine.set(key, line);
      candidates.push({ line, row, key });
    }

    try {
      const report = await this.ds.transaction(async (m) => {
        const existing = new Set<string>();
        const pairs = [...new Set(candidates.map((c) => `${c.row.cinema_id}|${c.row.date}`))].map((p) => p.split('|'));
        for (let i = 0; i < pairs.length; i += 200) {
          const chunk = pairs.slice(i, i + 200);
          const qb = m.getRepository(Showtime).createQueryBuilder('s').select(['s.cinemaId', 's.date', 's.startTime', 's.info']);
          chunk.forEach(([cinemaId, date], j) => qb.orWhere(`(s.cinema_id = :c${j} AND s.date = :d${j})`, { [`c${j}`]: Number(cinemaId), [`d${j}`]: date }));
          for (const s of await qb.getMany()) existing.add(slotKey(s));
        }
        const toInsert: Array<Partial<Showtime>> = [];
        for (const { line, row, key } of candidates) {
          if (existing.has(key)) {
            skipped.push({ line, reasons: [{ code: 'csvSlotTaken' }] });
            continue;
          }
          toInsert.push({
            cinemaId: row.cinema_id,
            movieId: row.movie_id,
            date: row.date,
            startTime: row.start_time,
            endTime: row.end_time ?? null,
            info: row.info,
            totalSeats: row.total_seats ?? null,
            seats: row.seats ?? null,
            url: row.url ?? null,
          });
        }
        for (let i = 0; i < toInsert.length; i += 500) await m.insert(Showtime, toInsert.slice(i, i + 500));
        skipped.sort((a, b) => a.line - b.line);
        await this.audit.record({ actor, action: 'import', resource: 'showtimes', after: { inserted: toInsert.length, skipped: skipped.length } }, m);
        return { inserted: toInsert.length, skipped };
      });
      if (report.inserted) this.showtimesChanged();
      return report;
    } catch (err) {
      if (isUniqueViolation(err)) throw fileError('csvCollision');
      throw err;
    }
  }

  // ---- demo data --------------------------------------------------------------------------------------------

  /**
   * The demo cinemas and showtimes of the demo data set (data/demo/, see CinemasSeeder): cinemas
   * when there are none, showtimes (moved to today) when none is left from today on.
   */
  async seedDemoIfEmpty(demoDir: string): Promise<DemoSeedReport | null> {
    const report = await new CinemasSeeder(this.ds, this.catalog, this.calendar).seedIfEmpty(demoDir);
    if (report?.showtimes) this.showtimesChanged();
    return report;
  }
}

