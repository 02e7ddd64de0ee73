// Bulk loads into the catalog: the MovieLens importer (`npm run import -- movielens <dir>`) and the
// Korean demo catalog (the repository's data/demo/) loaded on the first start of a fresh install and
// by `npm run seed:demo`. Both are idempotent: a second run with the same files changes no row.
//
// MovieLens files are read where they are (never copied into the repository): MovieLens is licensed
// for research and testing only, so never import it into a production catalog.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { dialectOf } from '../../db/data-source.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { readCsvFile, type CsvRecord } from './csv-reader.js';
import { Genre } from './genre.entity.js';
import { Movie, MovieCredit, MovieGenre, WATCH_GRADES, type CreditRole, type WatchGrade } from './movie.entity.js';
import { Person } from './person.entity.js';
import { NO_TITLE_INDEX, type IndexedTitle, type MovieTitleIndex } from './title-index.js';
import { chunks } from '../../db/batch.js';

// ---- MovieLens ----------------------------------------------------------------------------------------

/** MovieLens' marker for a movie without genres (not a genre). */
export const NO_GENRES_LISTED = '(no genres listed)';
/** Column limits of the catalog tables. */
const MAX = { movieName: 200, genreName: 50, personName: 100, url: 500 } as const;
/** At most this many row problems are listed in a report (all are counted). */
const MAX_ISSUES = 100;

export interface ImportIssue {
  file: string;
  /** CSV line, or the fixture's pk for the demo files. */
  line: number | null;
  reason: string;
}

export interface MovieLensImportReport {
  movies: { inserted: number; updated: number; unchanged: number };
  /** Distinct genres of the file: created now, or already in the catalog. */
  genres: { inserted: number; unchanged: number };
  /** Data rows of links.csv (null without the file); the catalog has no IMDb/TMDb columns, so they are only counted. */
  links: number | null;
  /** Data rows of ratings.csv (null without the file, or when not asked): counted, not imported (MovieLens userIds are not members). */
  ratingsSeen: number | null;
  /** Rows of movies.csv left out (bad id, empty or too long title, repeated id…). */
  skipped: number;
  /** The first problems, with their line. */
  issues: ImportIssue[];
}

export interface MovieLensOptions {
  /** Movies per INSERT and per transaction (1–1000, default 500). */
  batchSize?: number;
  /** Who runs the import (audit log); null for the command line. */
  actor?: Actor | null;
  /** Count the rows of ratings.csv (default true). */
  countRatings?: boolean;
}

interface MovieLensMovie {
  line: number;
  movielensId: number;
  name: string;
  genres: string[];
}

const TITLE_YEAR = /^(.*?)\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)$/su;

/**
 * "Toy Story (1995)" → name "Toy Story", year 1995. The year is MovieLens' release year, not an
 * opening date: it is returned for information and not stored as one. Titles without a year, or
 * whose text before the year would be empty, are kept whole.
 */
export function parseMovieLensTitle(raw: string): { name: string; year: number | null } {
  const title = raw.trim();
  const m = TITLE_YEAR.exec(title);
  if (m && m[1]!.trim()) return { name: m[1]!.trim(), year: Number(m[2]) };
  return { name: title, year: null };
}

/** "Adventure|Animation" → ["Adventure", "Animation"]; "(no genres listed)" → []. Order kept, repeats dropped. */
export function parseMovieLensGenres(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split('|')) {
    const name = part.trim();
    if (!name || name === NO_GENRES_LISTED || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

// ---- demo catalog (data/demo/) ------------------------------------------------------------------------

/** The catalog files of the demo data set (data/demo/README.md describes them). */
export const DEMO_FILES = { genres: 'genres.json', people: 'people.json', movies: 'movies.json' } as const;

export interface DemoSeedReport {
  /** The folder read. */
  dir: string;
  genres: { inserted: number; unchanged: number };
  people: { inserted: number; unchanged: number };
  /** Movies are matched by the file's id (kept as our id); an existing movie is left as it is. */
  movies: { inserted: number; unchanged: number };
  /** movie_genres and movie_credits rows written for the inserted movies. */
  genreLinks: number;
  credits: number;
  issues: ImportIssue[];
}

export type DemoSeedIfEmptyResult =
  | { status: 'seeded'; report: DemoSeedReport }
  | { status: 'not-empty'; movies: number }
  | { status: 'missing'; dir: string; files: string[] };

interface DemoNamed {
  id: number;
  name: string;
}
interface DemoMovie extends DemoNamed {
  name_eng: string | null;
  open_date: string | null;
  watch_grade: string | null;
  running_time: number | null;
  genres: number[];
  directors: number[];
  actors: number[];
  description: string;
}

/** A JSON array of records with a positive integer id (others are reported by the caller's checks). */
function readRecords<T extends { id: number }>(file: string): T[] {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${path.basename(file)}: expected a JSON array`);
  return data.filter((x): x is T => typeof x === 'object' && x !== null && Number.isInteger((x as T).id) && (x as T).id > 0);
}

const str = (v: unknown): string | null => {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v).trim();
  return s === '' ? null : s;
};

/** A full "YYYY-MM-DD" calendar date, else null. */
export function parseOpenDate(v: unknown): string | null {
  const s = str(v);
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? s : null;
}

function parseWatchGrade(v: unknown): WatchGrade | null {
  const s = str(v)?.replace(/\s+/g, ' ');
  return s && (WATCH_GRADES as readonly string[]).includes(s) ? (s as WatchGrade) : null;
}

const minutes = (v: unknown): number | null => (Number.isInteger(v) && (v as number) > 0 && (v as number) < 10_000 ? (v as number) : null);

const idList = (v: unknown): number[] => (Array.isArray(v) ? [...new Set(v.filter((x): x is number => Number.isInteger(x) && x > 0))] : []);

// ---- the service ----------------------------------------------------------------------------------------

export class CatalogImportService {
  private titleIndex: MovieTitleIndex = NO_TITLE_INDEX;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The title index (search) each import batch updates in its own transaction (src/runtime.ts). */
  useTitleIndex(index: MovieTitleIndex): void {
    this.titleIndex = index;
  }

  private catalogChanged: (m: EntityManager) => void = () => {};

  /** Told in each import transaction that the catalog changed (the catalog's read caches, every process). */
  onCatalogChanged(listener: (m: EntityManager) => void): void {
    this.catalogChanged = listener;
  }

  /**
   * Imports a MovieLens folder (movies.csv; links.csv and ratings.csv optional). Movies are matched by
   * their MovieLens id: new ones are inserted, changed ones (title or genres) updated, the others not
   * touched. The file is the source of an imported movie's name, English name and genres; the other
   * fields (poster, summary… entered by staff) are never changed. Streams the CSV and writes in
   * batches, one transaction per batch.
   */
  async importMovieLens(dir: string, opts: MovieLensOptions = {}): Promise<MovieLensImportReport> {
    const batchSize = opts.batchSize ?? 500;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new RangeError('batchSize must be 1–1000');
    const moviesFile = path.join(dir, 'movies.csv');
    if (!existsSync(moviesFile)) throw new Error(`no movies.csv in ${dir}`);

    const report: MovieLensImportReport = {
      movies: { inserted: 0, updated: 0, unchanged: 0 },
      genres: { inserted: 0, unchanged: 0 },
      links: null,
      ratingsSeen: null,
      skipped: 0,
      issues: [],
    };
    const skip = (line: number, reason: string) => {
      report.skipped++;
      if (report.issues.length < MAX_ISSUES) report.issues.push({ file: 'movies.csv', line, reason });
    };
    const genreIds = new Map<string, number>();
    const firstLine = new Map<number, number>();
    let batch: MovieLensMovie[] = [];
    let columns: { id: number; title: number; genres: number } | null = null;

    for await (const rec of readCsvFile(moviesFile)) {
      if (!columns) {
        const at = headerOf(rec, ['movieId', 'title', 'genres'], 'movies.csv');
        columns = { id: at[0]!, title: at[1]!, genres: at[2]! };
        continue;
      }
      const movie = this.movieLensRow(rec, columns, firstLine, skip);
      if (!movie) continue;
      batch.push(movie);
      if (batch.length >= batchSize) {
        await this.applyMovieLensBatch(batch, genreIds, report);
        batch = [];
      }
    }
    if (!columns) throw new Error('movies.csv is empty');
    if (batch.length) await this.applyMovieLensBatch(batch, genreIds, report);

    const linksFile = path.join(dir, 'links.csv');
    if (existsSync(linksFile)) report.links = await countDataRows(linksFile);
    const ratingsFile = path.join(dir, 'ratings.csv');
    if (opts.countRatings !== false && existsSync(ratingsFile)) report.ratingsSeen = await countDataRows(ratingsFile);

    if (report.movies.inserted || report.movies.updated || report.genres.inserted) {
      await this.audit.record({
        actor: opts.actor ?? null,
        action: 'import',
        resource: 'movies',
        reason: 'movielens',
        after: { source: 'movielens', movies_inserted: report.movies.inserted, movies_updated: report.movies.updated, genres_inserted: report.genres.inserted, rows_skipped: report.skipped },
      });
    }
    return report;
  }

  private movieLensRow(
    rec: CsvRecord,
    col: { id: number; title: number; genres: number },
    firstLine: Map<number, number>,
    skip: (line: number, reason: string) => void,
  ): MovieLensMovie | null {
    const rawId = rec.cells[col.id]?.trim() ?? '';
    const rawTitle = rec.cells[col.title];
    if (rawTitle === undefined || rec.cells[col.genres] === undefined) return skip(rec.line, `expected 3 columns, got ${rec.cells.length}`), null;
    if (!/^\d{1,10}$/.test(rawId) || Number(rawId) < 1 || Number(rawId) > 2_147_483_647) return skip(rec.line, `movieId "${rawId}" is not a positive whole number`), null;
    const movielensId = Number(rawId);
    const seen = firstLine.get(movielensId);
    if (seen !== undefined) return skip(rec.line, `movieId ${movielensId} repeats line ${seen}`), null;
    const { name } = parseMovieLensTitle(rawTitle);
    if (!name) return skip(rec.line, 'empty title'), null;
    if (name.length > MAX.movieName) return skip(rec.line, `title longer than ${MAX.movieName} characters`), null;
    const genres = parseMovieLensGenres(rec.cells[col.genres]!);
    const long = genres.find((g) => g.length > MAX.genreName);
    if (long) return skip(rec.line, `genre "${long.slice(0, 60)}…" longer than ${MAX.genreName} characters`), null;
    firstLine.set(movielensId, rec.line);
    return { line: rec.line, movielensId, name, genres };
  }

  private async applyMovieLensBatch(batch: MovieLensMovie[], genreIds: Map<string, number>, report: MovieLensImportReport): Promise<void> {
    const mysql = dialectOf(this.ds) === 'mysql';
    await this.ds.transaction(async (m) => {
      await this.ensureGenres(m, [...new Set(batch.flatMap((b) => b.genres))], genreIds, report);
      const wanted = (b: MovieLensMovie) => b.genres.map((g) => genreIds.get(g)!);

      const existing = await m
        .getRepository(Movie)
        .createQueryBuilder('m')
        .select(['m.id', 'm.movielensId', 'm.name', 'm.nameEng', 'm.watchGrade', 'm.ratingCount'])
        .where('m.movielens_id IN (:...ids)', { ids: batch.map((b) => b.movielensId) })
        .getMany();
      const byMlId = new Map(existing.map((e) => [e.movielensId!, e]));
      const links = existing.length ? await m.find(MovieGenre, { where: { movieId: In(existing.map((e) => e.id)) }, select: { movieId: true, genreId: true } }) : [];
      const linked = new Map<number, number[]>();
      for (const l of links) linked.set(l.movieId, [...(linked.get(l.movieId) ?? []), l.genreId]);

      const fresh: MovieLensMovie[] = [];
      const renamed: IndexedTitle[] = [];
      for (const b of batch) {
        const row = byMlId.get(b.movielensId);
        if (!row) {
          fresh.push(b);
          continue;
        }
        const have = linked.get(row.id) ?? [];
        const want = wanted(b);
        if (row.name === b.name && row.nameEng === b.name && sameSet(have, want)) {
          report.movies.unchanged++;
          continue;
        }
        // Any change rewrites the row, so updated_at tells when the file last changed the movie (with
        // the column's microseconds on MySQL: TypeORM's own CURRENT_TIMESTAMP would drop them).
        await m.update(Movie, { id: row.id }, { name: b.name, nameEng: b.name, ...(mysql ? { updatedAt: () => 'CURRENT_TIMESTAMP(6)' } : {}) });
        if (row.name !== b.name || row.nameEng !== b.name) renamed.push({ id: row.id, name: b.name, nameEng: b.name, watchGrade: row.watchGrade, ratingCount: row.ratingCount });
        const removed = have.filter((g) => !want.includes(g));
        const added = want.filter((g) => !have.includes(g));
        if (removed.length) await m.delete(MovieGenre, { movieId: row.id, genreId: In(removed) });
        if (added.length) await m.insert(MovieGenre, added.map((genreId) => ({ movieId: row.id, genreId })));
        report.movies.updated++;
      }

      if (renamed.length) await this.titleIndex.upsert(m, renamed);
      // Renames, relinked genres and new movies: the batch touches many movies and the genre counts.
      this.catalogChanged(m);
      if (!fresh.length) return;
      await m
        .createQueryBuilder()
        .insert()
        .into(Movie)
        .values(fresh.map((b) => ({ name: b.name, nameEng: b.name, movielensId: b.movielensId })))
        .updateEntity(false)
        .execute();
      const ids = await m.find(Movie, { where: { movielensId: In(fresh.map((b) => b.movielensId)) }, select: { id: true, movielensId: true } });
      const idOf = new Map(ids.map((r) => [r.movielensId!, r.id]));
      const newLinks = fresh.flatMap((b) => wanted(b).map((genreId) => ({ movieId: idOf.get(b.movielensId)!, genreId })));
      for (const part of chunks(newLinks, 1000)) await m.insert(MovieGenre, part);
      await this.titleIndex.upsert(m, fresh.map((b) => ({ id: idOf.get(b.movielensId)!, name: b.name, nameEng: b.name, watchGrade: null, ratingCount: 0 })));
      report.movies.inserted += fresh.length;
    });
  }

  /** Resolves genre names to ids (creating the missing ones); each name is counted once per import. */
  private async ensureGenres(m: EntityManager, names: string[], cache: Map<string, number>, report: MovieLensImportReport): Promise<void> {
    const missing = names.filter((n) => !cache.has(n));
    if (!missing.length) return;
    const resolve = async (): Promise<number> => {
      const rows = await m.find(Genre, { where: { name: In(missing) }, select: { id: true, name: true } });
      let found = 0;
      for (const n of missing) {
        if (cache.has(n)) continue;
        // Exact name first; MySQL's collation also matches another letter case, which is the same genre there.
        const row = rows.find((r) => r.name === n) ?? rows.find((r) => r.name.toLowerCase() === n.toLowerCase());
        if (row) {
          cache.set(n, row.id);
          found++;
        }
      }
      return found;
    };
    report.genres.unchanged += await resolve();
    const toCreate = missing.filter((n) => !cache.has(n));
    if (!toCreate.length) return;
    await m.createQueryBuilder().insert().into(Genre).values(toCreate.map((name) => ({ name }))).orIgnore().updateEntity(false).execute();
    report.genres.inserted += await resolve();
    const lost = missing.filter((n) => !cache.has(n));
    if (lost.length) throw new Error(`could not create the genres ${lost.join(', ')}`);
  }

  // ---- demo catalog ---------------------------------------------------------------------------------------

  /**
   * Loads the demo catalog of `demoDir` (data/demo/): genres, people and movies with their genres,
   * directors and actors (in billing order). The files' ids are kept as ours (so the seed's examples
   * such as movie 85579 work) unless an id is already taken by another record. Existing records are
   * never changed: a second run inserts nothing. One transaction.
   */
  async seedDemo(demoDir: string, opts: { actor?: Actor | null } = {}): Promise<DemoSeedReport> {
    const missing = this.missingDemoFiles(demoDir);
    if (missing.length) throw new Error(`demo data not found: ${missing.map((f) => path.join(demoDir, f)).join(', ')}`);
    const genres = readRecords<DemoNamed>(path.join(demoDir, DEMO_FILES.genres));
    const people = readRecords<DemoNamed>(path.join(demoDir, DEMO_FILES.people));
    const movies = readRecords<DemoMovie>(path.join(demoDir, DEMO_FILES.movies));

    const report: DemoSeedReport = {
      dir: demoDir,
      genres: { inserted: 0, unchanged: 0 },
      people: { inserted: 0, unchanged: 0 },
      movies: { inserted: 0, unchanged: 0 },
      genreLinks: 0,
      credits: 0,
      issues: [],
    };
    const issue = (file: string, id: number | null, reason: string) => {
      if (report.issues.length < MAX_ISSUES) report.issues.push({ file, line: id, reason });
    };

    await this.ds.transaction(async (m) => {
      const genreId = await this.seedNamed(m, Genre, DEMO_FILES.genres, genres, MAX.genreName, report.genres, issue, false);
      const personId = await this.seedNamed(m, Person, DEMO_FILES.people, people, MAX.personName, report.people, issue, true);

      const ids = movies.map((r) => r.id);
      const taken = new Map(ids.length ? (await m.find(Movie, { where: { id: In(ids) }, select: { id: true, name: true } })).map((r) => [r.id, r.name]) : []);
      const seen = new Set<number>();
      const inserted: IndexedTitle[] = [];
      const file = DEMO_FILES.movies;
      for (const r of movies) {
        const name = str(r.name);
        if (!name || name.length > MAX.movieName) {
          issue(file, r.id, 'movie without a usable name');
          continue;
        }
        if (seen.has(r.id)) {
          issue(file, r.id, 'movie id repeated');
          continue;
        }
        seen.add(r.id);
        const existingName = taken.get(r.id);
        if (existingName !== undefined) {
          if (existingName === name) report.movies.unchanged++;
          else issue(file, r.id, `movie id ${r.id} already belongs to "${existingName}"`);
          continue;
        }
        const title: IndexedTitle = { id: r.id, name, nameEng: str(r.name_eng)?.slice(0, MAX.movieName) ?? null, watchGrade: parseWatchGrade(r.watch_grade), ratingCount: 0 };
        await m.insert(Movie, {
          id: r.id,
          name,
          nameEng: title.nameEng,
          summary: str(r.description),
          openDate: parseOpenDate(r.open_date),
          runningTime: minutes(r.running_time),
          watchGrade: title.watchGrade,
        });
        inserted.push(title);
        report.movies.inserted++;

        const gids = idList(r.genres).flatMap((g) => (genreId.has(g) ? [genreId.get(g)!] : []));
        const links = [...new Set(gids)].map((g) => ({ movieId: r.id, genreId: g }));
        if (links.length) await m.insert(MovieGenre, links);
        report.genreLinks += links.length;

        const credits: Array<{ movieId: number; personId: number; role: CreditRole; position: number }> = [];
        for (const role of ['director', 'actor'] as const) {
          let position = 0;
          for (const id of idList(role === 'director' ? r.directors : r.actors)) {
            const pid = personId.get(id);
            if (pid === undefined) {
              issue(file, r.id, `${role} ${id} is not in ${DEMO_FILES.people}`);
              continue;
            }
            if (credits.some((c) => c.personId === pid && c.role === role)) continue;
            credits.push({ movieId: r.id, personId: pid, role, position: position++ });
          }
        }
        if (credits.length) await m.insert(MovieCredit, credits);
        report.credits += credits.length;
      }

      await this.titleIndex.upsert(m, inserted);
      this.catalogChanged(m);
      if (report.movies.inserted || report.genres.inserted || report.people.inserted) {
        await this.audit.record(
          {
            actor: opts.actor ?? null,
            action: 'import',
            resource: 'movies',
            reason: 'demo seed',
            after: { source: 'demo', movies_inserted: report.movies.inserted, genres_inserted: report.genres.inserted, people_inserted: report.people.inserted },
          },
          m,
        );
      }
    });
    return report;
  }

  /** The demo catalog on a fresh install: only when there is no movie yet, and only when the files are there. */
  async seedDemoIfEmpty(demoDir: string, opts: { actor?: Actor | null } = {}): Promise<DemoSeedIfEmptyResult> {
    const movies = await this.ds.getRepository(Movie).count();
    if (movies > 0) return { status: 'not-empty', movies };
    const files = this.missingDemoFiles(demoDir);
    if (files.length) return { status: 'missing', dir: demoDir, files };
    return { status: 'seeded', report: await this.seedDemo(demoDir, opts) };
  }

  private missingDemoFiles(dir: string): string[] {
    return [DEMO_FILES.genres, DEMO_FILES.people, DEMO_FILES.movies].filter((f) => !existsSync(path.join(dir, f)));
  }

  /**
   * Genres (by name) and people (by id): a record that is already there is mapped to it; a new one
   * keeps its id when that id is free. Returns the file's id → our id.
   */
  private async seedNamed(
    m: EntityManager,
    entity: typeof Genre | typeof Person,
    file: string,
    records: DemoNamed[],
    maxName: number,
    counts: { inserted: number; unchanged: number },
    issue: (file: string, id: number | null, reason: string) => void,
    matchById: boolean,
  ): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const rows: Array<{ pk: number; name: string }> = [];
    for (const rec of records) {
      const name = str(rec.name);
      if (!name || name.length > maxName) {
        issue(file, rec.id, 'record without a usable name');
        continue;
      }
      if (rows.some((r) => r.pk === rec.id)) {
        issue(file, rec.id, 'id repeated');
        continue;
      }
      rows.push({ pk: rec.id, name });
    }
    if (!rows.length) return out;
    const repo = m.getRepository<{ id: number; name: string }>(entity);
    const byId = new Map((await repo.find({ where: { id: In(rows.map((r) => r.pk)) }, select: { id: true, name: true } })).map((r) => [r.id, r.name]));
    const byName = new Map<string, number>();
    for (const r of await repo.find({ where: { name: In(rows.map((x) => x.name)) }, select: { id: true, name: true }, order: { id: 'ASC' } })) {
      if (!byName.has(r.name)) byName.set(r.name, r.id);
    }
    const later: Array<{ pk: number; name: string }> = [];
    const withId: Array<{ id: number; name: string }> = [];
    const planned = new Map<string, number>();
    for (const r of rows) {
      const idHolder = byId.get(r.pk);
      // People are the fixture's records by id (two people may share a name); genres are one per name.
      const match = matchById ? (idHolder === r.name ? r.pk : idHolder !== undefined ? byName.get(r.name) : undefined) : byName.get(r.name);
      if (match !== undefined) {
        out.set(r.pk, match);
        counts.unchanged++;
      } else if (!matchById && planned.has(r.name)) {
        out.set(r.pk, planned.get(r.name)!);
      } else if (idHolder === undefined) {
        withId.push({ id: r.pk, name: r.name });
        planned.set(r.name, r.pk);
        out.set(r.pk, r.pk);
      } else {
        later.push(r);
      }
    }
    for (const part of chunks(withId, 200)) await repo.insert(part);
    counts.inserted += withId.length;
    for (const r of later) {
      // The fixture's id belongs to another record: a new id.
      if (!matchById && planned.has(r.name)) {
        out.set(r.pk, planned.get(r.name)!);
        continue;
      }
      const res = await repo.insert({ name: r.name });
      const id = Number(res.identifiers[0]!.id);
      planned.set(r.name, id);
      out.set(r.pk, id);
      counts.inserted++;
    }
    return out;
  }
}

/** Positions of the named columns in a header row; a missing column is an error naming the file. */
function headerOf(rec: CsvRecord, names: string[], file: string): number[] {
  const cells = rec.cells.map((c) => c.trim());
  return names.map((n) => {
    const at = cells.indexOf(n);
    if (at < 0) throw new Error(`${file}: no "${n}" column in the header (${cells.join(',')})`);
    return at;
  });
}

/** Data rows of a CSV file (its header line excluded), streamed. */
async function countDataRows(file: string): Promise<number> {
  let n = -1;
  for await (const _ of readCsvFile(file)) n++;
  return Math.max(n, 0);
}
