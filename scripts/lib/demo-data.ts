// Builds the demo data set of the repository (data/demo/) from the team's copy
// of the wouldyouci crawl (SHARED_DATA_DIR/wouldyouci, MIT). Only facts are kept: titles, original
// titles, opening dates, grades, running times, genres, people and their roles, cinemas (chain, name,
// address, coordinates, phone) and one day of showtimes. The crawl's synopses, poster and trailer
// URLs, cinema photos and transport/parking texts are third-party content and are left out; the
// one-line descriptions below are ours. The output is deterministic: `npm run test:data` rebuilds it
// and checks it equals the committed files.
//
// The CLI is scripts/build-demo-data.ts (`npm run demo:build`).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Cinemas kept (a handful across Seoul and the three chains, plus one independent): the crawl's ids. */
export const DEMO_CINEMAS = [1, 17, 20, 22, 34, 39, 47, 56, 63, 67, 70, 74] as const;

/**
 * Records of new_movie_13.json whose facts belong to another work of the same Korean title (the
 * crawl matched the wrong film: e.g. 아비정전 listed as "Father At The Front", 21 min, 2008). The
 * title is what the cinemas showed; the other facts are dropped rather than shipped wrong.
 */
export const DOUBTFUL_FACTS = new Set([54605, 107403, 182198, 182465, 193101]);

/** Our own one-line descriptions (the crawl's synopses are not copied). */
const DESCRIPTIONS: Record<number, string> = {
  152691: '비 오는 뉴욕에서 하루를 보내는 젊은 연인을 그린 우디 앨런 감독의 로맨틱 코미디.',
  151728: '음악을 꿈꾸는 멕시코 소년이 죽은 자들의 세상에서 가족의 이야기를 알게 되는 픽사 애니메이션.',
  85579: '죽은 소방관이 저승 차사들과 함께 49일 동안 일곱 번의 재판을 받는 판타지 드라마.',
  159851: '아직 커밍아웃하지 못한 고등학생 사이먼의 성장 이야기.',
  129095: '날씨를 조종하는 위성 시스템이 고장 나 세계 곳곳에 재난이 닥치는 재난 액션.',
  137696: '사람의 목소리를 흉내 내는 존재의 전설을 바탕으로 한 미스터리 스릴러.',
  146469: '1980년 5월, 독일 기자를 태우고 광주로 간 서울 택시운전사의 이야기.',
  146480: '1940년 됭케르크 철수 작전을 육지·바다·하늘의 세 시점으로 그린 전쟁 영화.',
  152168: '딸을 잃는 같은 하루가 되풀이되는 남자의 타임루프 스릴러.',
  135874: '고등학생 피터 파커가 스파이더맨으로 첫 악당과 맞서는 마블 영화.',
  29061: '멤피스의 한 호텔에서 같은 밤에 벌어지는 세 이야기를 엮은 짐 자무시 감독의 영화.',
  180378: '살인 누명을 쓴 어머니의 무죄를 밝히려는 변호사 딸의 법정 드라마.',
  167658: '1862년 기구를 타고 가장 높은 곳에 오르려 한 기상학자와 조종사의 모험.',
  193080: '베토벤의 유일한 오페라 〈피델리오〉 공연 실황.',
  194810: '뤽 베송 감독의 〈레옹〉을 극장 개봉판으로 다시 선보이는 재개봉작.',
  149434: '파리 오페라 발레단의 신작이 무대에 오르기까지를 따라가는 다큐멘터리.',
};

const WATCH_GRADES = ['전체 관람가', '12세 관람가', '15세 관람가', '청소년 관람불가'];
/** The crawl's marker of a missing record (pk 1): not a movie. */
const PLACEHOLDER = '정보 없음';
/** Which key of movie_chain_codes.json holds a chain's movie codes (기타 cinemas have none). */
const CHAIN_KEY: Record<string, string | null> = { CGV: 'CGV', 메가박스: 'MEGABOX', 롯데시네마: 'LOTTE', 기타: null };

interface Fixture<F> {
  pk: number;
  fields: F;
}

function readJson<T>(file: string): T {
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as T;
}

const clean = (v: unknown): string | null => {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v).trim();
  return s === '' ? null : s;
};
/** "92분" / "110분 " → 92 / 110. */
const minutes = (v: unknown): number | null => {
  const m = /^(\d{1,4})\s*분?$/.exec(clean(v) ?? '');
  return m ? Number(m[1]) : null;
};
/** Only a full calendar date (the crawl has year-only values like "1989": no day to state). */
const fullDate = (v: unknown): string | null => {
  const s = clean(v);
  return s && /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s ? s : null;
};
const ids = (v: unknown): number[] => (Array.isArray(v) ? [...new Set(v.filter((x): x is number => Number.isInteger(x) && x > 0))] : []);
const time = (v: unknown): string | null => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(clean(v) ?? '');
  return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null;
};
const seats = (v: unknown): number | null => (/^\d+$/.test(clean(v) ?? '') ? Number(v) : null);

export interface DemoMovie {
  id: number;
  name: string;
  name_eng: string | null;
  open_date: string | null;
  watch_grade: string | null;
  running_time: number | null;
  genres: number[];
  directors: number[];
  actors: number[];
  description: string;
}

/** The demo files, as objects (file name → content). */
export function buildDemoData(sharedDataDir: string): Record<string, unknown> {
  const src = path.join(sharedDataDir, 'wouldyouci');
  const genres = readJson<Array<Fixture<{ name: string }>>>(path.join(src, 'genre.json')).map((g) => ({ id: g.pk, name: g.fields.name.trim() }));
  const peopleAll = readJson<Array<Fixture<{ name: string }>>>(path.join(src, 'people_fixture.json'));
  const fixtures = ['movie_fixture_10.json', 'new_movie_13.json'].flatMap((f) => readJson<Array<Fixture<Record<string, unknown>>>>(path.join(src, f)));
  const codes = readJson<Record<string, Record<string, string>>>(path.join(src, 'movie_chain_codes.json'));
  const cinemasAll = readJson<Array<Fixture<Record<string, string | null>>>>(path.join(src, 'cinemas.json'));
  const onscreen = readJson<Array<Fixture<Record<string, string | number | null>>>>(path.join(src, 'onscreen_2020-06-05.json'));

  const personIds = new Set(peopleAll.map((p) => p.pk));
  const movies = new Map<number, DemoMovie>();
  for (const fx of fixtures) {
    const f = fx.fields;
    const name = clean(f.name);
    if (!name || name === PLACEHOLDER) continue;
    const doubtful = DOUBTFUL_FACTS.has(fx.pk);
    const grade = clean(f.watch_grade)?.replace(/\s+/g, ' ') ?? null;
    movies.set(fx.pk, {
      id: fx.pk,
      name,
      name_eng: doubtful ? null : clean(f.name_eng),
      open_date: doubtful ? null : fullDate(f.open_date),
      watch_grade: !doubtful && grade && WATCH_GRADES.includes(grade) ? grade : null,
      running_time: doubtful ? null : minutes(f.running_time),
      genres: doubtful ? [] : ids(f.genres),
      // Only people the crawl names (people_fixture.json); the others are ids without a name.
      directors: doubtful ? [] : ids(f.directors).filter((p) => personIds.has(p)),
      actors: doubtful ? [] : ids(f.actors).filter((p) => personIds.has(p)),
      description: DESCRIPTIONS[fx.pk] ?? '',
    });
  }

  // The showtimes of the kept cinemas whose movie the chain codes name; a title without a full record
  // becomes a title-only movie, its id the crawl's Naver code (the fixtures' pks are Naver codes too).
  const cinemaById = new Map(cinemasAll.map((c) => [c.pk, c]));
  const titleByChainCode = new Map<string, string>();
  for (const [title, byChain] of Object.entries(codes)) {
    for (const [chain, code] of Object.entries(byChain)) if (/^\d+$/.test(String(code))) titleByChainCode.set(`${chain}:${Number(code)}`, title);
  }
  const idByName = new Map([...movies.values()].map((m) => [m.name, m.id]));
  const showtimes: Array<Record<string, unknown>> = [];
  for (const { fields: f } of onscreen) {
    const cinema = cinemaById.get(Number(f.cinema));
    if (!cinema || !(DEMO_CINEMAS as readonly number[]).includes(cinema.pk)) continue;
    const chain = CHAIN_KEY[String(cinema.fields.type)] ?? null;
    const title = chain ? titleByChainCode.get(`${chain}:${Number(f.movie)}`) : undefined;
    const start = time(f.start_time);
    if (!title || !start) continue;
    let movieId = idByName.get(title);
    if (movieId === undefined) {
      // Naver code 1 is the crawl's "no record" marker (a lecture, a short-film package): not a movie of ours.
      const naver = Number(codes[title]!.NAVER);
      if (!Number.isInteger(naver) || naver <= 1 || movies.has(naver)) continue;
      movies.set(naver, { id: naver, name: title, name_eng: null, open_date: null, watch_grade: null, running_time: null, genres: [], directors: [], actors: [], description: '' });
      idByName.set(title, naver);
      movieId = naver;
    }
    showtimes.push({
      cinema: cinema.pk,
      movie: movieId,
      start,
      end: time(f.end_time),
      info: (clean(f.info) ?? '').slice(0, 100),
      total_seats: seats(f.total_seats),
      seats: seats(f.seats),
    });
  }
  showtimes.sort((a, b) => Number(a.cinema) - Number(b.cinema) || String(a.start).localeCompare(String(b.start)) || String(a.info).localeCompare(String(b.info)) || Number(a.movie) - Number(b.movie));

  const usedPeople = new Set([...movies.values()].flatMap((m) => [...m.directors, ...m.actors]));
  const people = peopleAll.filter((p) => usedPeople.has(p.pk)).map((p) => ({ id: p.pk, name: p.fields.name.trim() })).sort((a, b) => a.id - b.id);
  const cinemas = DEMO_CINEMAS.map((id) => {
    const f = cinemaById.get(id)!.fields;
    return { id, type: f.type, region: clean(f.region), area: clean(f.area), name: clean(f.name), address: clean(f.address), tel: clean(f.tel), code: clean(f.code), x: Number(f.x), y: Number(f.y) };
  });
  return {
    'genres.json': genres,
    'people.json': people,
    'movies.json': [...movies.values()].sort((a, b) => a.id - b.id),
    'cinemas.json': cinemas,
    'showtimes.json': { day: '2020-06-05', showtimes },
  };
}

/** JSON with one record per line (readable diffs). */
export function demoJson(value: unknown): string {
  const line = (v: unknown) => JSON.stringify(v);
  if (Array.isArray(value)) return `[\n${value.map(line).join(',\n')}\n]\n`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => (Array.isArray(v) ? `  ${JSON.stringify(k)}: [\n${v.map((x) => `    ${line(x)}`).join(',\n')}\n  ]` : `  ${JSON.stringify(k)}: ${line(v)}`));
    return `{\n${entries.join(',\n')}\n}\n`;
  }
  return `${line(value)}\n`;
}

