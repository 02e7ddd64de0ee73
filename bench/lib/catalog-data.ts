// A generated catalog for the read benchmarks (bench:catalog, bench:reads): N movies with genres,
// credits, rating counters and public watch grades, from a fixed seed (the same catalog every run).
import type { DataSource } from 'typeorm';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieCredit, MovieGenre, WATCH_GRADES } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import { seeded as prng } from '../../test/support/random.js';

export const PUBLIC_GRADES = WATCH_GRADES.filter((g) => g !== '청소년 관람불가');
export const GENRES = 20;
export const PEOPLE = 20_000;
const BATCH = 1000;
const GENRE_NAMES = ['드라마', '코미디', '액션', '스릴러', '로맨스', '모험', '범죄', 'SF', '공포', '판타지', '가족', '애니메이션', '미스터리', '다큐멘터리', '전쟁', '뮤지컬', '서부', '느와르', '사극', '스포츠'];
/** Words of generated Korean titles (bench:reads searches them). */
export const TITLE_WORDS = '사랑 전쟁 여름 겨울 바다 하늘 도시 비밀 기억 시간 마지막 첫사랑 우리 그녀 남자 여자 가족 친구 범죄 왕국 황제 전설 영웅 복수 추격 탈출 추억 괴물 부산 서울 제주 한강 새벽 노을 바람 경찰 형사 검사 의사 선생님 학생 군인 스파이 기자 작가 행복 슬픔 용서 구원 운명 약속 거짓말 진실 희망 용기 자유 정의'.split(' ');

/** Deterministic PRNG (test/support/random.ts). */
export { prng };

async function insertAll(ds: DataSource, entity: typeof Movie | typeof Genre | typeof Person | typeof MovieGenre | typeof MovieCredit, rows: object[]): Promise<void> {
  await ds.transaction(async (m) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      await m.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + BATCH)).updateEntity(false).execute();
    }
  });
}

export interface LoadedCatalog {
  firstId: number;
  lastId: number;
  genreIds: number[];
  genreLinks: number;
  credits: number;
}

/**
 * Inserts `movies` movies (ids after the existing ones), GENRES genres (ids after the existing ones)
 * and PEOPLE people in bulk. `koreanTitles`: two title words and the id ("사랑 전쟁 123") instead of
 * "영화 123".
 */
export async function loadCatalog(ds: DataSource, movies: number, opts: { koreanTitles?: boolean } = {}): Promise<LoadedCatalog> {
  const rnd = prng(42);
  const pick = (n: number) => 1 + Math.floor(rnd() * n);
  const maxOf = async (table: string) => Number((await ds.query(`SELECT COALESCE(MAX(id), 0) AS n FROM ${table}`))[0].n);
  const [movie0, genre0, person0] = [await maxOf('movies'), await maxOf('genres'), await maxOf('people')];
  const genreIds = Array.from({ length: GENRES }, (_, k) => genre0 + k + 1);
  await insertAll(ds, Genre, GENRE_NAMES.slice(0, GENRES).map((name, k) => ({ id: genreIds[k], name: genre0 ? `${name} ${genreIds[k]}` : name })));
  await insertAll(ds, Person, Array.from({ length: PEOPLE }, (_, k) => ({ id: person0 + k + 1, name: `배우 ${String(k + 1).padStart(5, '0')}`, nameEng: `Person ${k + 1}` })));
  const summary = '평범한 하루를 보내던 주인공 앞에 예상치 못한 사건이 벌어지고, 모든 것이 달라지기 시작한다. '.repeat(4);
  const movieRows = [];
  const genreRows: Array<{ movieId: number; genreId: number }> = [];
  const creditRows: Array<{ movieId: number; personId: number; role: 'director' | 'actor'; position: number }> = [];
  for (let k = 1; k <= movies; k++) {
    const id = movie0 + k;
    const year = 1960 + Math.floor(rnd() * 65);
    const month = String(pick(12)).padStart(2, '0');
    const day = String(pick(28)).padStart(2, '0');
    const ratingCount = Math.floor(rnd() * 500);
    const name = opts.koreanTitles ? `${TITLE_WORDS[Math.floor(rnd() * TITLE_WORDS.length)]} ${TITLE_WORDS[Math.floor(rnd() * TITLE_WORDS.length)]} ${id}` : `영화 ${id}`;
    movieRows.push({
      id,
      name,
      nameEng: `Movie ${id}`,
      summary,
      openDate: `${year}-${month}-${day}`,
      runningTime: 80 + Math.floor(rnd() * 100),
      // The load is mostly anonymous and the age gate answers 403 for 청소년 관람불가 to anonymous
      // callers: the generated catalog uses the other grades so every request measures a full answer.
      watchGrade: PUBLIC_GRADES[Math.floor(rnd() * PUBLIC_GRADES.length)]!,
      trailer: `https://www.youtube.com/embed/bench${id}`,
      poster: `https://img.example.com/posters/${id}.jpg`,
      country: rnd() < 0.5 ? 'KR' : 'US',
      ratingCount,
      ratingSumHalf: ratingCount * (2 + Math.floor(rnd() * 9)),
    });
    const genres = new Set<number>();
    const nGenres = pick(3);
    while (genres.size < nGenres) genres.add(genreIds[pick(GENRES) - 1]!);
    for (const genreId of genres) genreRows.push({ movieId: id, genreId });
    const people = new Set<number>();
    const nActors = 2 + pick(4);
    while (people.size < nActors + 1) people.add(person0 + pick(PEOPLE));
    [...people].forEach((personId, j) => creditRows.push({ movieId: id, personId, role: j === 0 ? 'director' : 'actor', position: j === 0 ? 0 : j - 1 }));
  }
  await insertAll(ds, Movie, movieRows);
  await insertAll(ds, MovieGenre, genreRows);
  await insertAll(ds, MovieCredit, creditRows);
  return { firstId: movie0 + 1, lastId: movie0 + movies, genreIds, genreLinks: genreRows.length, credits: creditRows.length };
}
