// Where the movie search's terms are held and queried (a TermsHost). The search service reads the
// rows from the database and decides what applies (movie-search.service.ts: numbered refreshes,
// full reads); a host holds the TitleMemory they make and answers the queries from it
// (title-queries.ts). Two hosts, one behaviour (the same HeldTerms inside both):
//   - ThreadTerms (the default of every process): the memory lives in a node:worker_threads thread
//     of its own (terms-thread.ts), so a search's CPU (a few hundred µs) runs beside the event
//     loop, not on it: the process's other requests are not held up behind searches, and a
//     second core does the searching;
//   - InlineTerms: on the caller's thread (SEARCH_THREAD=off).
// Messages to the thread are handled in the order sent, so a query sent after a change (a refresh
// applied, a load begun) is answered from the terms after it, as inline.
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../threads.js';
import { TitleMemory, type Grades, type MemoryTerm } from './title-memory.js';
import { autocompleteTitles, searchIds, type SearchIds } from './title-queries.js';

/** What is held: movies, terms and the sum of their termChecksum (compared with the table's). */
export interface HeldSummary {
  movies: number;
  terms: number;
  sum: number;
}

export type TermChanges = ReadonlyArray<readonly [movieId: number, terms: readonly MemoryTerm[]]>;

export interface TermsHost {
  /**
   * Replaces every term by `rows` (a full read), once the loads asked for before are done. The
   * movies in `keep` and those replaced after this call keep the terms they have then (refreshed
   * after the rows were read, so newer). Queries meanwhile answer from the terms being replaced.
   */
  load(rows: readonly MemoryTerm[], keep: readonly number[]): Promise<HeldSummary>;
  /** These movies' terms are now the ones given (empty: none). */
  replace(changes: TermChanges): Promise<HeldSummary>;
  /** The full search's movie ids of the normalised query (title-queries.ts searchIds). */
  search(q: string, grades: Grades): Promise<SearchIds>;
  /** The autocomplete's titles of the normalised query (title-queries.ts autocompleteTitles). */
  autocomplete(q: string, grades: Grades): Promise<string[]>;
  close(): Promise<void>;
}

/** The held memory and its loads: what both hosts run (ThreadTerms in its thread). */
export class HeldTerms {
  private memory = new TitleMemory();
  /** Per load under way or waiting: the movies replaced since it was asked for. */
  private readonly loads = new Set<Set<number>>();
  private queue: Promise<unknown> = Promise.resolve();

  summary(): HeldSummary {
    return { movies: this.memory.movies, terms: this.memory.checksum.terms, sum: this.memory.checksum.sum };
  }

  load(rows: readonly MemoryTerm[], keep: readonly number[]): Promise<HeldSummary> {
    const kept = new Set(keep);
    this.loads.add(kept);
    const run = this.queue.then(async () => {
      const next = new TitleMemory();
      await next.load(rows);
      for (const id of kept) next.replace(id, this.memory.termsOf(id));
      this.memory = next;
      this.loads.delete(kept);
      return this.summary();
    });
    this.queue = run.catch(() => this.loads.delete(kept));
    return run;
  }

  replace(changes: TermChanges): HeldSummary {
    for (const [id, terms] of changes) {
      this.memory.replace(id, terms);
      for (const kept of this.loads) kept.add(id);
    }
    return this.summary();
  }

  search(q: string, grades: Grades): SearchIds {
    return searchIds(this.memory, q, grades);
  }

  autocomplete(q: string, grades: Grades): string[] {
    return autocompleteTitles(this.memory, q, grades);
  }
}

/** The terms on the caller's thread. */
export class InlineTerms implements TermsHost {
  private readonly held = new HeldTerms();

  load(rows: readonly MemoryTerm[], keep: readonly number[]): Promise<HeldSummary> {
    return this.held.load(rows, keep);
  }

  async replace(changes: TermChanges): Promise<HeldSummary> {
    return this.held.replace(changes);
  }

  async search(q: string, grades: Grades): Promise<SearchIds> {
    return this.held.search(q, grades);
  }

  async autocomplete(q: string, grades: Grades): Promise<string[]> {
    return this.held.autocomplete(q, grades);
  }

  async close(): Promise<void> {}
}

/** A call to the thread and its answer (terms-thread.ts). */
export type ThreadCall = { id: number; op: 'load'; args: [readonly MemoryTerm[], readonly number[]] } | { id: number; op: 'replace'; args: [TermChanges] } | { id: number; op: 'search' | 'autocomplete'; args: [string, Grades] };
export type ThreadAnswer = { id: number; value: unknown } | { id: number; error: string };

/**
 * The terms in a thread of their own. The thread keeps the process alive only while a call waits
 * for it. When it dies (it should not: a bug, out of memory) every waiting call fails, later calls
 * fail at once, and `onLost` tells the owner, which starts a new host and loads it again.
 */
export class ThreadTerms implements TermsHost {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (v: never) => void; reject: (err: Error) => void }>();
  private calls = 0;
  private lost: Error | null = null;

  constructor(onLost: (err: Error) => void = () => {}) {
    this.worker = startThread(import.meta.url, './terms-thread');
    this.worker.unref();
    this.worker.on('message', (m: ThreadAnswer) => {
      const call = this.waiting.get(m.id);
      if (!call) return;
      this.waiting.delete(m.id);
      if (!this.waiting.size) this.worker.unref();
      if ('error' in m) call.reject(new Error(m.error));
      else call.resolve(m.value as never);
    });
    const die = (err: Error) => {
      if (this.lost) return;
      this.lost = err;
      for (const call of this.waiting.values()) call.reject(err);
      this.waiting.clear();
      onLost(err);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`the search thread exited (code ${code})`)));
  }

  private call<T>(op: ThreadCall['op'], args: ThreadCall['args']): Promise<T> {
    if (this.lost) return Promise.reject(this.lost);
    const id = ++this.calls;
    if (!this.waiting.size) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: never) => void, reject });
      this.worker.postMessage({ id, op, args });
    });
  }

  load(rows: readonly MemoryTerm[], keep: readonly number[]): Promise<HeldSummary> {
    return this.call('load', [rows, keep]);
  }

  replace(changes: TermChanges): Promise<HeldSummary> {
    return this.call('replace', [changes]);
  }

  search(q: string, grades: Grades): Promise<SearchIds> {
    return this.call('search', [q, grades]);
  }

  autocomplete(q: string, grades: Grades): Promise<string[]> {
    return this.call('autocomplete', [q, grades]);
  }

  async close(): Promise<void> {
    this.lost ??= new Error('the search thread is closed');
    await this.worker.terminate();
  }
}
