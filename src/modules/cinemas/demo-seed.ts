// Demo data of the cinemas module, read at run time from the shared wouldyouci crawl
// (<sharedDataDir>/wouldyouci/): the 84 Seoul cinemas (fixture pk kept as id) and the 1,301
// showtimes of 2020-06-05, moved so that day becomes today (times kept). The crawl names movies by
// each chain's own code; movie_chain_codes.json maps titles to those codes, and a showtime is kept
// only when one of its titles is exactly the name of one of our movies.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { In, MoreThanOrEqual, type DataSource } from 'typeorm';
import type { CatalogService } from '../catalog/catalog.service.js';
import { Cinema, CINEMA_TYPES, Showtime, type CinemaType } from './cinema.entities.js';
import { addDays, normalizeTime, type LocalCalendar } from './local-time.js';

/** The crawl's day: it becomes today. */
export const DEMO_SHOWTIME_DAY = '2020-06-05';

/** Which key of movie_chain_codes.json holds a cinema type's movie codes (기타 cinemas have none). */
const CHAIN_KEY: Record<CinemaType, string | null> = { CGV: 'CGV', 메가박스: 'MEGABOX', 롯데시네마: 'LOTTE', 기타: null };

export interface DemoSeedReport {
  /** Cinemas inserted (0 when there already were cinemas). */
  cinemas: number;
  /** Showtimes inserted (0 when showtimes from today on already existed). */
  showtimes: number;
  /** Showtimes of the file whose movie is not one of ours (no chain code, or no movie of that title). */
  skippedUnknownMovie: number;
  /** Showtimes of a cinema id that is not the fixture's cinema in our table. */
  skippedUnknownCinema: number;
}

interface Fixture<F> {
  pk: number;
  fields: F;
}
interface CinemaFields {
  region: string;
  area: string;
  name: string;
  code: string | number | null;
  tel: string | null;
  address: string;
  x: string;
  y: string;
  url: string | null;
  public: string | null;
  parking: string | null;
  type: string;
  img: string | null;
}
interface OnscreenFields {
  cinema: number;
  movie: number | string;
  date: string;
  info: string | null;
  start_time: string;
  end_time: string | null;
  total_seats: string | null;
  seats: string | null;
  url: string | null;
}

function readJson<T>(file: string): T {
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as T;
}

const blank = (v: unknown) => v === null || v === undefined || String(v).trim() === '';
const text = (v: unknown) => (blank(v) ? null : String(v).trim());
/** "124" → 124; "" → null; "예매마감" (booking closed) → 0 free seats, unknown total. */
const seatsOf = (v: unknown, closedAs: number | null) => (blank(v) ? null : /^\d+$/.test(String(v).trim()) ? Number(v) : closedAs);

export class CinemasSeeder {
  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly calendar: LocalCalendar,
  ) {}

  /** null when the data files are not there. */
  async seedIfEmpty(sharedDataDir: string): Promise<DemoSeedReport | null> {
    const dir = path.join(sharedDataDir, 'wouldyouci');
    const files = { cinemas: path.join(dir, 'cinemas.json'), onscreen: path.join(dir, `onscreen_${DEMO_SHOWTIME_DAY}.json`), codes: path.join(dir, 'movie_chain_codes.json') };
    if (!Object.values(files).every((f) => existsSync(f))) return null;
    const fixtures = readJson<Array<Fixture<CinemaFields>>>(files.cinemas);
    const report: DemoSeedReport = { cinemas: 0, showtimes: 0, skippedUnknownMovie: 0, skippedUnknownCinema: 0 };
    report.cinemas = await this.seedCinemas(fixtures);
    const today = this.calendar.today();
    if (await this.ds.getRepository(Showtime).existsBy({ date: MoreThanOrEqual(today) })) return report;
    Object.assign(report, await this.seedShowtimes(fixtures, readJson(files.onscreen), readJson(files.codes), today));
    return report;
  }

  private async seedCinemas(fixtures: Array<Fixture<CinemaFields>>): Promise<number> {
    return this.ds.transaction(async (m) => {
      if ((await m.count(Cinema)) > 0) return 0;
      const rows = fixtures.map(({ pk, fields: f }) => ({
        id: pk,
        region: f.region,
        area: f.area,
        name: f.name,
        code: text(f.code),
        tel: text(f.tel),
        address: f.address,
        x: Number(f.x),
        y: Number(f.y),
        url: text(f.url),
        publicTransport: text(f.public),
        parking: text(f.parking),
        type: ((CINEMA_TYPES as readonly string[]).includes(f.type) ? f.type : '기타') as CinemaType,
        img: text(f.img),
      }));
      for (let i = 0; i < rows.length; i += 100) await m.insert(Cinema, rows.slice(i, i + 100));
      return rows.length;
    });
  }

  private async seedShowtimes(
    fixtures: Array<Fixture<CinemaFields>>,
    onscreen: Array<Fixture<OnscreenFields>>,
    chainCodes: Record<string, Record<string, string>>,
    today: string,
  ): Promise<Omit<DemoSeedReport, 'cinemas'>> {
    // Our cinema rows that still are the fixture's cinemas (same id and name).
    const fixtureName = new Map(fixtures.map((f) => [f.pk, f.fields.name]));
    const ours = await this.ds.getRepository(Cinema).find({ where: { id: In([...fixtureName.keys()]) }, select: { id: true, name: true, type: true } });
    const cinemaType = new Map(ours.filter((c) => fixtureName.get(c.id) === c.name).map((c) => [c.id, c.type]));

    // chain → numeric code → titles (codes compare as numbers: MEGABOX "01309400" is 1309400 in the crawl).
    const titlesByCode = new Map<string, Map<number, string[]>>();
    for (const [title, codes] of Object.entries(chainCodes)) {
      for (const [chain, code] of Object.entries(codes)) {
        if (!/^\d+$/.test(String(code))) continue;
        const byCode = titlesByCode.get(chain) ?? new Map<number, string[]>();
        titlesByCode.set(chain, byCode);
        const list = byCode.get(Number(code)) ?? [];
        list.push(title);
        byCode.set(Number(code), list);
      }
    }
    const movieIds = await this.catalog.movieIdsByNames(Object.keys(chainCodes));

    const out = { showtimes: 0, skippedUnknownMovie: 0, skippedUnknownCinema: 0 };
    const rows: Array<Partial<Showtime>> = [];
    for (const { fields: f } of onscreen) {
      const type = cinemaType.get(Number(f.cinema));
      if (!type) {
        out.skippedUnknownCinema++;
        continue;
      }
      const chain = CHAIN_KEY[type];
      const titles = chain ? (titlesByCode.get(chain)?.get(Number(f.movie)) ?? []) : [];
      const movieId = titles.map((title) => movieIds.get(title)).find((id) => id !== undefined);
      const startTime = normalizeTime(String(f.start_time ?? ''));
      if (movieId === undefined || !startTime) {
        out.skippedUnknownMovie++;
        continue;
      }
      const offset = Math.round((Date.parse(`${f.date}T00:00:00Z`) - Date.parse(`${DEMO_SHOWTIME_DAY}T00:00:00Z`)) / 86_400_000);
      rows.push({
        cinemaId: Number(f.cinema),
        movieId,
        date: addDays(today, offset),
        startTime,
        endTime: blank(f.end_time) ? null : normalizeTime(String(f.end_time)),
        info: (text(f.info) ?? '').slice(0, 100),
        totalSeats: seatsOf(f.total_seats, null),
        seats: seatsOf(f.seats, 0),
        url: text(f.url)?.slice(0, 500) ?? null,
      });
    }
    await this.ds.transaction(async (m) => {
      for (let i = 0; i < rows.length; i += 200) {
        await m.createQueryBuilder().insert().into(Showtime).values(rows.slice(i, i + 200)).orIgnore().execute();
      }
    });
    out.showtimes = rows.length;
    return out;
  }
}
