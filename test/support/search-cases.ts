// Search cases generated from a list of titles (deterministic): what a person types for a title —
// a prefix, the title without or with extra spaces, its 초성, its English name — and the typos of
// issue 16: one syllable replaced, deleted or inserted, in titles of 3+ Hangul syllables. Used by
// test/api/search-typos.test.ts (the demo data) and test/data/search-typos-korean.test.ts (the
// real Korean titles of SHARED_DATA_DIR), through the API as the client calls it.
import request from 'supertest';
import type { Express } from 'express';
import { choseong, isSyllable } from '../../src/modules/search/text/index.js';

export type CaseKind = 'prefix' | 'spaces_removed' | 'space_added' | 'choseong' | 'english' | 'replaced' | 'deleted' | 'inserted';
export const TYPO_KINDS: readonly CaseKind[] = ['replaced', 'deleted', 'inserted'];
export const LITERAL_KINDS: readonly CaseKind[] = ['prefix', 'spaces_removed', 'space_added', 'choseong', 'english'];

export interface SearchCase {
  kind: CaseKind;
  query: string;
  movieId: number;
  title: string;
}

export interface CaseTitle {
  id: number;
  name: string;
  nameEng?: string | null;
}

import { seeded } from './random.js';

export { seeded };

/**
 * The cases of every title. Typos only for titles of 3+ Hangul syllables; the syllable put in (a
 * replacement or an insertion) is drawn from the syllables of all the titles (a typo mostly gives a
 * common syllable) and differs from the one replaced and from its neighbours.
 */
export function searchCases(titles: readonly CaseTitle[], seed = 16): SearchCase[] {
  const rnd = seeded(seed);
  const pool = [...new Set(titles.flatMap((t) => [...t.name].filter(isSyllable)))].sort();
  const draw = (not: ReadonlySet<string>) => {
    for (;;) {
      const s = pool[Math.floor(rnd() * pool.length)]!;
      if (!not.has(s)) return s;
    }
  };
  const out: SearchCase[] = [];
  for (const t of titles) {
    const chars = [...t.name];
    const syllables = chars.flatMap((c, i) => (isSyllable(c) ? [i] : []));
    const add = (kind: CaseKind, query: string) => {
      if (query.trim()) out.push({ kind, query, movieId: t.id, title: t.name });
    };
    const compact = chars.filter((c) => c.trim()).join('');
    // A prefix: two thirds of the title's characters (at least 2).
    if (chars.length >= 3) add('prefix', chars.slice(0, Math.max(2, Math.ceil((chars.length * 2) / 3))).join('').trim());
    if (compact !== t.name) add('spaces_removed', compact);
    if (syllables.length >= 2) {
      // A space between two syllables that had none.
      const gaps = syllables.filter((i) => i > 0 && isSyllable(chars[i - 1]!));
      if (gaps.length) {
        const at = gaps[Math.floor(rnd() * gaps.length)]!;
        add('space_added', [...chars.slice(0, at), ' ', ...chars.slice(at)].join(''));
      }
    }
    if (syllables.length >= 2) add('choseong', choseong(compact));
    if (t.nameEng && /[a-z]{3}/i.test(t.nameEng)) add('english', t.nameEng);
    if (syllables.length >= 3) {
      const i = syllables[Math.floor(rnd() * syllables.length)]!;
      add('replaced', [...chars.slice(0, i), draw(new Set([chars[i]!, chars[i - 1] ?? '', chars[i + 1] ?? ''])), ...chars.slice(i + 1)].join(''));
      const d = syllables[Math.floor(rnd() * syllables.length)]!;
      add('deleted', [...chars.slice(0, d), ...chars.slice(d + 1)].join(''));
      // Before a syllable, or after the last one.
      const at = rnd() < 1 / (syllables.length + 1) ? syllables[syllables.length - 1]! + 1 : syllables[Math.floor(rnd() * syllables.length)]!;
      add('inserted', [...chars.slice(0, at), draw(new Set([chars[at - 1] ?? '', chars[at] ?? ''])), ...chars.slice(at)].join(''));
    }
  }
  return out;
}

export interface CaseResult extends SearchCase {
  found: boolean;
  /** What the API answered first (titles), for the failure list. */
  got: string[];
}

/** How many of the first results count as found (what a client shows without scrolling). */
export const TOP = 10;

/**
 * One case through the API as the client calls it: typos and English names through the full search
 * (`GET /search/movie/{words}/`: search_result, then similar_result; found in the first TOP), the
 * literal kinds through the autocomplete (`GET /search/movie/?words=`: the title among its titles).
 */
export async function runCase(app: Express, c: SearchCase): Promise<CaseResult> {
  if (c.kind === 'english' || TYPO_KINDS.includes(c.kind)) {
    const res = await request(app).get(`/search/movie/${encodeURIComponent(c.query)}/`).expect(200);
    const all = [...res.body.search_result, ...res.body.similar_result] as Array<{ id: number; name: string }>;
    const top = all.slice(0, TOP);
    return { ...c, found: top.some((m) => m.id === c.movieId), got: top.map((m) => m.name) };
  }
  const res = await request(app).get('/search/movie/').query({ words: c.query }).expect(200);
  const titles = res.body as string[];
  return { ...c, found: titles.includes(c.title), got: titles };
}

export interface Rates {
  kind: CaseKind;
  cases: number;
  found: number;
  rate: number;
  misses: CaseResult[];
}

export async function measure(app: Express, cases: readonly SearchCase[]): Promise<Map<CaseKind, Rates>> {
  const out = new Map<CaseKind, Rates>();
  for (const c of cases) {
    const r = await runCase(app, c);
    const k = out.get(c.kind) ?? { kind: c.kind, cases: 0, found: 0, rate: 0, misses: [] };
    k.cases++;
    if (r.found) k.found++;
    else k.misses.push(r);
    k.rate = k.found / k.cases;
    out.set(c.kind, k);
  }
  return out;
}

/** One line per kind: "replaced 41/45 (91.1 %)", and the first misses. */
export function report(label: string, rates: Map<CaseKind, Rates>, misses = 5): string {
  const lines = [`${label}:`];
  for (const r of rates.values()) {
    lines.push(`  ${r.kind.padEnd(15)} ${String(r.found).padStart(4)}/${String(r.cases).padEnd(4)} ${(100 * r.rate).toFixed(1)} %`);
    for (const m of r.misses.slice(0, misses)) lines.push(`      miss: ${JSON.stringify(m.query)} for ${JSON.stringify(m.title)} → ${JSON.stringify(m.got.slice(0, 5))}`);
  }
  return lines.join('\n');
}
