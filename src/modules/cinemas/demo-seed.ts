// Demo data of the cinemas module, read from the repository's demo data set (data/demo/): a handful
// of Seoul cinemas (their ids kept) and one day of showtimes, moved so that day becomes today (times
// kept). A showtime is kept only when its cinema is the file's cinema in our table and its movie is
// one of ours.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { In, MoreThanOrEqual, type DataSource } from 'typeorm';
import type { CatalogService } from '../catalog/catalog.service.js';
import { Cinema, CINEMA_TYPES, Showtime, type CinemaType } from './cinema.entities.js';
import { isIsoDate, normalizeTime, type LocalCalendar } from './local-time.js';

export const DEMO_CINEMA_FILES = { cinemas: 'cinemas.json', showtimes: 'showtimes.json' } as const;

export interface DemoSeedReport {
  /** Cinemas inserted (0 when there already were cinemas). */
  cinemas: number;
  /** Showtimes inserted (0 when showtimes from today on already existed). */
  showtimes: number;
  /** Showtimes of the file whose movie is not in our catalog. */
  skippedUnknownMovie: number;
  /** Showtimes of a cinema id that is not the file's cinema in our table. */
  skippedUnknownCinema: number;
}

interface DemoCinema {
  id: number;
  type: string;
  region: string;
  area: string;
  name: string;
  address: string;
  tel: string | null;
  code: string | null;
  x: number;
  y: number;
}
interface DemoShowtime {
  cinema: number;
  movie: number;
  start: string;
  end: string | null;
  info: string | null;
  total_seats: number | null;
  seats: number | null;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const text = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim());
const count = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : null);

export class CinemasSeeder {
  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly calendar: LocalCalendar,
  ) {}

  /** null when the data files are not there. */
  async seedIfEmpty(demoDir: string): Promise<DemoSeedReport | null> {
    const files = { cinemas: path.join(demoDir, DEMO_CINEMA_FILES.cinemas), showtimes: path.join(demoDir, DEMO_CINEMA_FILES.showtimes) };
    if (!Object.values(files).every((f) => existsSync(f))) return null;
    const cinemas = readJson<DemoCinema[]>(files.cinemas);
    const report: DemoSeedReport = { cinemas: 0, showtimes: 0, skippedUnknownMovie: 0, skippedUnknownCinema: 0 };
    report.cinemas = await this.seedCinemas(cinemas);
    const today = this.calendar.today();
    if (await this.ds.getRepository(Showtime).existsBy({ date: MoreThanOrEqual(today) })) return report;
    Object.assign(report, await this.seedShowtimes(cinemas, readJson(files.showtimes), today));
    return report;
  }

  private async seedCinemas(records: DemoCinema[]): Promise<number> {
    return this.ds.transaction(async (m) => {
      if ((await m.count(Cinema)) > 0) return 0;
      const rows = records.map((c) => ({
        id: c.id,
        region: c.region,
        area: c.area,
        name: c.name,
        code: text(c.code),
        tel: text(c.tel),
        address: c.address,
        x: Number(c.x),
        y: Number(c.y),
        type: ((CINEMA_TYPES as readonly string[]).includes(c.type) ? c.type : '기타') as CinemaType,
      }));
      for (let i = 0; i < rows.length; i += 100) await m.insert(Cinema, rows.slice(i, i + 100));
      return rows.length;
    });
  }

  private async seedShowtimes(records: DemoCinema[], file: { day: string; showtimes: DemoShowtime[] }, today: string): Promise<Omit<DemoSeedReport, 'cinemas'>> {
    if (!isIsoDate(file.day)) throw new Error(`${DEMO_CINEMA_FILES.showtimes}: "day" must be YYYY-MM-DD`);
    // Our cinema rows that still are the file's cinemas (same id and name).
    const fileName = new Map(records.map((c) => [c.id, c.name]));
    const ours = await this.ds.getRepository(Cinema).find({ where: { id: In([...fileName.keys()]) }, select: { id: true, name: true } });
    const cinemaIds = new Set(ours.filter((c) => fileName.get(c.id) === c.name).map((c) => c.id));
    const movieIds = await this.catalog.existingMovieIds([...new Set(file.showtimes.map((s) => Number(s.movie)))]);

    const out = { showtimes: 0, skippedUnknownMovie: 0, skippedUnknownCinema: 0 };
    const rows: Array<Partial<Showtime>> = [];
    for (const s of file.showtimes) {
      if (!cinemaIds.has(Number(s.cinema))) {
        out.skippedUnknownCinema++;
        continue;
      }
      const startTime = normalizeTime(String(s.start ?? ''));
      if (!movieIds.has(Number(s.movie)) || !startTime) {
        out.skippedUnknownMovie++;
        continue;
      }
      rows.push({
        cinemaId: Number(s.cinema),
        movieId: Number(s.movie),
        date: today,
        startTime,
        endTime: s.end ? normalizeTime(String(s.end)) : null,
        info: (text(s.info) ?? '').slice(0, 100),
        totalSeats: count(s.total_seats),
        seats: count(s.seats),
        url: null,
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
