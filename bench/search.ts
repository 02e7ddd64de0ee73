// Movie search benchmark (issue 6): autocomplete and full search over 100k generated titles.
//
//   npm run bench:search [-- --movies 100000 --duration 10 --connections 64 --warmup 2 --queries 2000 --cacheTtl 30]
//
// Builds the app (createRuntime → buildApp, API only, as `npm start`) on a scratch MariaDB database
// (TEST_DATABASE_URL, default mariadb://root@127.0.0.1:3306), inserts N generated movies — Korean
// and English titles from a fixed seed, with English names, genres, grades and rating counts — in
// bulk, then builds the search index with MovieSearchService.rebuild() (what runs after a bulk
// import; its time is printed). Then autocannon, in a child process, against:
//   1. a bare Express hello-world in the same process (the ceiling of this machine and Node),
//   2. GET /search/movie/?words=…   autocomplete: prefixes as typed (unfinished syllables), 초성,
//      mixed input, English prefixes, words from the middle of titles;
//   3. GET /search/movie/{words}/   full search: words and word pairs, typos, English words, 초성
//      — percent-encoded in the path as the seed's client sends them.
// Every request picks the next query of a list of varied queries generated from the catalog.
// Prints req/s, p50/p90/p99 and errors beside hello-world and the targets (p99 ≤ 10 ms
// autocomplete, ≤ 30 ms full search); the scratch database is dropped at the end. The last line
// of the output is one JSON object with every number.
//
// The result cache (SEARCH_CACHE_TTL, default 30 s) is on as in production and cleared before each
// endpoint's load; its hit rate is printed. The queries cycle through a fixed list, so nearly every
// request after the first pass is a hit: `--cacheTtl 0` measures the cost of computing every answer.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { buildApp } from '../src/app.js';
import { loadConfig, testEnv } from '../src/config.js';
import { createScratchMysql, type ScratchDb } from '../src/db/scratch.js';
import { Genre } from '../src/modules/catalog/genre.entity.js';
import { Movie, MovieGenre, WATCH_GRADES } from '../src/modules/catalog/movie.entity.js';
import { choseong } from '../src/modules/search/text/hangul.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { closeServer, fmt, helloWorld, listen, loadInChild, table, type LoadResult } from './lib/http-load.js';
import { parseFlags } from './lib/args.js';
import { seeded as prng } from '../test/support/random.js';

interface Args {
  movies: number;
  duration: number;
  connections: number;
  warmup: number;
  queries: number;
  /** 1: keep the scratch database (for EXPLAIN and experiments) and skip the load test. */
  keep: number;
  /** The result cache's TTL in seconds (SEARCH_CACHE_TTL; 0: off, every request computed). */
  cacheTtl: number;
}

const TARGET_P99 = { autocomplete: 10, search: 30 };
const BATCH = 2000;
const GENRES = ['드라마', '코미디', '액션', '스릴러', '로맨스', '모험', '범죄', 'SF', '공포', '판타지', '가족', '애니메이션'];

// ---- deterministic catalog ------------------------------------------------------------------------------


const KO_WORDS = (
  '사랑 전쟁 여름 겨울 바다 하늘 도시 비밀 기억 시간 마지막 첫사랑 우리 그녀 그들 남자 여자 아이 가족 친구 ' +
  '범죄 도시 신과 함께 해리 포터 마법사 기사 왕국 황제 전설 영웅 복수 추격 탈출 살인 추억 괴물 기생충 ' +
  '부산 서울 제주 한강 남산 밤 낮 새벽 노을 별 달 태양 바람 구름 비 눈 꽃 나무 숲 강 산 길 집 학교 ' +
  '경찰 형사 검사 변호사 의사 선생님 학생 군인 조폭 도둑 사기꾼 스파이 요원 기자 작가 화가 가수 배우 ' +
  '행복 슬픔 분노 용서 구원 운명 약속 거짓말 진실 희망 절망 용기 두려움 자유 정의 명량 한산 노량 ' +
  '어벤져스 트랜스포머 미션 임파서블 매트릭스 인셉션 인터스텔라 아바타 타이타닉 조커 베테랑 암살 ' +
  '택시운전사 국제시장 광해 왕의 남자 올드보이 아가씨 마더 곡성 부산행 터널 신세계 내부자들 관상 ' +
  '검은 하얀 붉은 푸른 작은 큰 오래된 새로운 잃어버린 숨겨진 위험한 아름다운 이상한 특별한 완벽한'
).split(/\s+/);
const EN_WORDS = (
  'the a of and love war summer winter sea sky city secret memory time last first our her him man woman child ' +
  'family friend crime gods harry potter wizard knight kingdom emperor legend hero revenge chase escape murder ' +
  'night day dawn star moon sun wind cloud rain snow flower tree forest river mountain road house school police ' +
  'detective lawyer doctor teacher student soldier thief spy agent writer painter singer actor happiness sorrow ' +
  'anger forgiveness destiny promise lie truth hope despair courage fear freedom justice avengers transformers ' +
  'mission impossible matrix inception interstellar avatar titanic joker veteran assassination parasite oldboy ' +
  'handmaiden mother wailing train tunnel black white red blue little big old new lost hidden dangerous beautiful ' +
  'strange special perfect return rise fall dark knight story game house street world life death dream'
).split(/\s+/);
const SYLLABLES = '가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히강난당랑망방상앙장창캉탕팡항건넌던런먼번선언전천컨턴펀헌골놀돌롤몰볼솔올졸촐콜톨폴홀금늠듬름믐븜슴음즘츰킴팀핌힘'.split('');
// Made-up English syllables: onset × vowel × coda (16 × 6 × 9 = 864), as varied as the Korean side's.
const EN_SYL = [...'bcdfghklmnprstvw'].flatMap((o) => [...'aeiouy'].flatMap((v) => ['', 'n', 'r', 'l', 's', 't', 'm', 'ck', 'nd'].map((c) => o + v + c)));

interface GeneratedMovie {
  id: number;
  name: string;
  nameEng: string;
}

export function generate(n: number): { movies: GeneratedMovie[]; rows: object[]; genreRows: Array<{ movieId: number; genreId: number }> } {
  const rnd = prng(20200605);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  // A larger vocabulary: the real words plus made-up ones (so grams are not all from 200 words).
  const koPool = [...KO_WORDS, ...Array.from({ length: 3000 }, () => Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(SYLLABLES)).join(''))];
  const enPool = [...EN_WORDS, ...Array.from({ length: 3000 }, () => Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(EN_SYL)).join(''))];
  const title = (pool: string[], words: number) => Array.from({ length: words }, () => pick(pool)).join(' ');
  const movies: GeneratedMovie[] = [];
  const rows: object[] = [];
  const genreRows: Array<{ movieId: number; genreId: number }> = [];
  for (let id = 1; id <= n; id++) {
    const words = 1 + Math.floor(rnd() * 3);
    const english = title(enPool, words + (rnd() < 0.3 ? 1 : 0)).replace(/^./, (c) => c.toUpperCase());
    // 70 % Korean titles (some with a subtitle or a sequel number), 30 % English ones.
    let name = rnd() < 0.7 ? title(koPool, words) : english;
    if (rnd() < 0.15) name += `-${title(koPool, 1 + Math.floor(rnd() * 2))}`;
    if (rnd() < 0.1) name += ` ${2 + Math.floor(rnd() * 3)}`;
    const ratingCount = Math.floor(rnd() ** 3 * 5000);
    movies.push({ id, name, nameEng: english });
    rows.push({ id, name: name.slice(0, 200), nameEng: english.slice(0, 200), watchGrade: pick(WATCH_GRADES), runningTime: 80 + Math.floor(rnd() * 100), poster: `https://img.example.com/posters/${id}.jpg`, ratingCount, ratingSumHalf: ratingCount * (2 + Math.floor(rnd() * 9)) });
    genreRows.push({ movieId: id, genreId: 1 + Math.floor(rnd() * GENRES.length) });
  }
  return { movies, rows, genreRows };
}

/** Varied queries from the catalog, fixed seed: what people type into the box and what they search. */
export function queries(movies: GeneratedMovie[], count: number): { autocomplete: string[]; search: string[] } {
  const rnd = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const typo = (s: string) => {
    const chars = [...s];
    const i = Math.floor(rnd() * chars.length);
    const c = chars[i]!.codePointAt(0)!;
    // A Korean syllable with another vowel, or a Latin letter dropped.
    if (c >= 0xac00 && c <= 0xd7a3) chars[i] = String.fromCodePoint(0xac00 + (((c - 0xac00) + 28 * (1 + Math.floor(rnd() * 3))) % 11172));
    else chars.splice(i, 1);
    return chars.join('');
  };
  const auto: string[] = [];
  const full: string[] = [];
  while (auto.length < count) {
    const m = pick(movies);
    const r = rnd();
    const chars = [...m.name];
    if (r < 0.45) auto.push(chars.slice(0, 1 + Math.floor(rnd() * Math.min(6, chars.length))).join('')); // typed prefix, unfinished
    else if (r < 0.6) auto.push(choseong(m.name.replace(/\s+/g, '')).slice(0, 2 + Math.floor(rnd() * 3))); // 초성
    else if (r < 0.7) auto.push(chars[0] + choseong(chars.slice(1).join('').replace(/\s+/g, '')).slice(0, 2)); // mixed "신ㄱㅎ"
    else if (r < 0.85) auto.push(m.nameEng.slice(0, 3 + Math.floor(rnd() * 6))); // English prefix
    else auto.push(pick(m.name.split(/[\s-]+/))); // a word from the middle
  }
  while (full.length < count) {
    const m = pick(movies);
    const r = rnd();
    const words = m.name.split(/[\s-]+/).filter(Boolean);
    if (r < 0.35) full.push(pick(words));
    else if (r < 0.55) full.push(words.slice(0, 2).join(' '));
    else if (r < 0.75) full.push(typo(m.name.split('-')[0]!));
    else if (r < 0.9) full.push(pick(m.nameEng.split(' ').filter((w) => w.length > 2)) ?? m.nameEng);
    else full.push(choseong(m.name.replace(/\s+/g, '')).slice(0, 4));
  }
  return { autocomplete: auto, search: full };
}

async function insertAll(ds: DataSource, entity: typeof Movie | typeof Genre | typeof MovieGenre, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await ds.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + BATCH)).updateEntity(false).execute();
  }
}

// ---- main ---------------------------------------------------------------------------------------------

function parseArgs(argv: string[]): Args {
  return parseFlags<Args>(argv, {
    usage: 'usage: npm run bench:search [-- --movies N --duration S --connections N --warmup S --queries N --keep 1 --cacheTtl S]',
    defaults: { movies: 100_000, duration: 10, connections: 64, warmup: 2, queries: 2000, keep: 0, cacheTtl: 30 },
    min: { warmup: 0, keep: 0, cacheTtl: 0 },
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const te = testEnv();
  let scratch: ScratchDb | undefined;
  let rt: Runtime | undefined;
  let api: Server | undefined;
  let hello: Server | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-bench-search-'));
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await closeServer(api);
    await closeServer(hello);
    if (rt) await rt.close();
    if (scratch && !args.keep) await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    scratch = await createScratchMysql(te.mysqlUrl, 'mq_bench');
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: scratch.db.type === 'mysql' ? scratch.db.url : '',
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(24).toString('hex'),
      SESSION_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'silent',
      SEARCH_CACHE_TTL: String(args.cacheTtl),
    });
    rt = await createRuntime(config, { migrate: true, schedule: false });

    const t0 = Date.now();
    const data = generate(args.movies);
    await insertAll(rt.ds, Genre, GENRES.map((name, k) => ({ id: k + 1, name })));
    await insertAll(rt.ds, Movie, data.rows);
    await insertAll(rt.ds, MovieGenre, data.genreRows);
    const loadSeconds = (Date.now() - t0) / 1000;
    const index = await rt.services.movieSearch.rebuild({ batchSize: 2000 });
    console.log(`scratch database ${scratch.name}: ${args.movies} movies loaded in ${loadSeconds.toFixed(1)} s; index rebuilt in ${(index.ms / 1000).toFixed(1)} s (${index.terms} terms)`);

    const q = queries(data.movies, args.queries);
    if (args.keep) {
      console.log(`kept ${scratch.name}; sample queries: ${JSON.stringify({ autocomplete: q.autocomplete.slice(0, 30), search: q.search.slice(0, 30) })}`);
      return;
    }
    const autoPaths = q.autocomplete.map((w) => `/search/movie/?words=${encodeURIComponent(w)}`);
    const searchPaths = q.search.map((w) => `/search/movie/${encodeURIComponent(w)}/`);

    const app = await buildApp(rt, { admin: false });
    const apiAt = await listen(app);
    api = apiAt.server;
    const helloAt = await helloWorld();
    hello = helloAt.server;

    // Every query once, sequentially: no error, how many find something, and single-request latency.
    const probe = async (paths: string[], hit: (body: unknown) => boolean) => {
      let found = 0;
      const times: number[] = [];
      for (const p of paths.slice(0, 300)) {
        const s = process.hrtime.bigint();
        const res = await fetch(apiAt.url + p);
        const body = await res.json();
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
        if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${JSON.stringify(body)}`);
        if (hit(body)) found++;
      }
      times.sort((a, b) => a - b);
      return { found, of: Math.min(300, paths.length), p50: times[Math.floor(times.length * 0.5)]!, p99: times[Math.floor(times.length * 0.99)]! };
    };
    const autoProbe = await probe(autoPaths, (b) => (b as string[]).length > 0);
    const searchProbe = await probe(searchPaths, (b) => (b as { meta: { search_result: number; similar_result: number } }).meta.search_result + (b as { meta: { similar_result: number } }).meta.similar_result > 0);
    console.log(`one at a time (first 300 queries): autocomplete p50 ${fmt(autoProbe.p50, 1)} ms p99 ${fmt(autoProbe.p99, 1)} ms, ${autoProbe.found}/${autoProbe.of} with titles; full search p50 ${fmt(searchProbe.p50, 1)} ms p99 ${fmt(searchProbe.p99, 1)} ms, ${searchProbe.found}/${searchProbe.of} with results`);

    const common = { duration: args.duration, connections: args.connections, warmup: args.warmup };
    const targets = [
      { label: 'express hello-world', url: helloAt.url, paths: ['/'], target: null },
      { label: 'GET /search/movie/?words=', url: apiAt.url, paths: autoPaths, target: TARGET_P99.autocomplete },
      { label: 'GET /search/movie/{words}/', url: apiAt.url, paths: searchPaths, target: TARGET_P99.search },
    ];
    console.log(`autocannon: ${args.connections} connections, ${args.warmup} s warm-up + ${args.duration} s per target, ${args.queries} distinct queries per endpoint, ${os.cpus().length} CPUs, Node ${process.version}`);
    const cache = rt.services.movieSearch.cache;
    console.log(`result cache: ${cache.enabled ? `TTL ${args.cacheTtl} s` : 'off (--cacheTtl 0)'}`);
    const results: Array<{ r: LoadResult; target: number | null; cacheHitRate: number | null }> = [];
    for (const t of targets) {
      // Each endpoint starts cold (the one-at-a-time probe above warmed some entries).
      cache.clear();
      const [h0, m0] = [cache.hits, cache.misses];
      const r = await loadInChild({ ...common, label: t.label, url: t.url, paths: t.paths });
      const lookups = cache.hits - h0 + (cache.misses - m0);
      const cacheHitRate = t.target === null || !lookups ? null : (cache.hits - h0) / lookups;
      results.push({ r, target: t.target, cacheHitRate });
      console.log(`  ${t.label}: ${fmt(r.reqPerSec)} req/s${cacheHitRate === null ? '' : `, cache hits ${fmt(cacheHitRate * 100, 1)} % (warm-up included)`}`);
    }
    const base = results[0]!.r.reqPerSec;
    console.log('');
    console.log(
      table(
        ['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99 target', 'errors', 'non-2xx', 'timeouts', 'vs hello'],
        results.map(({ r, target }) => [
          r.label,
          fmt(r.reqPerSec),
          fmt(r.latencyP50),
          fmt(r.latencyP90),
          fmt(r.latencyP99),
          target === null ? '' : `≤ ${target} ${r.latencyP99 <= target ? 'met' : `missed by ${fmt(r.latencyP99 - target)}`}`,
          String(r.errors),
          String(r.non2xx),
          String(r.timeouts),
          `${fmt((r.reqPerSec / base) * 100, 1)} %`,
        ]),
      ),
    );
    console.log('');
    console.log(JSON.stringify({ args, cpus: os.cpus().length, node: process.version, loadSeconds, index, probe: { autocomplete: autoProbe, search: searchProbe }, results: results.map(({ r, target, cacheHitRate }) => ({ ...r, targetP99: target, ratioToHello: r.reqPerSec / base, cacheHitRate })) }));
  } finally {
    await cleanup();
  }
}

// Run when started as a script (the generators are importable for experiments).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
