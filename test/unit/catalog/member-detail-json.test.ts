// The signed-in movie detail is assembled from kept JSON parts (catalog.routes.ts memberDetailJson):
// its text must be exactly what JSON.stringify of the seed 004 body gives — the member's fields first,
// then the recommended cards, then the movie's fields — for any movie (quotes, line separators, nulls).
import { memberDetailJson as detailBytes, type MemberDetailFields } from '../../../src/modules/catalog/catalog.routes.js';
import { joinedBytes } from '../../../src/http/conditional.js';
import type { MovieView } from '../../../src/modules/catalog/catalog.service.js';
import type { Movie } from '../../../src/modules/catalog/movie.entity.js';

/** The answer's text (its parts joined), after checking its length and that its ETag is that of its text. */
function memberDetailJson(v: MovieView, f: MemberDetailFields, owner?: object): string {
  const out = detailBytes(v, f, owner);
  const bytes = joinedBytes(out);
  expect(out.length).toBe(bytes.length);
  const text = bytes.toString('utf8');
  const seen = etags.get(text);
  if (seen) expect(out.etag).toBe(seen);
  for (const [other, etag] of etags) if (other !== text) expect(out.etag).not.toBe(etag);
  etags.set(text, out.etag);
  return text;
}

/** Every answer's ETag by its text, across the tests: the same text always has the same ETag, and different texts different ones. */
const etags = new Map<string, string>();

function view(id: number, over: Partial<Movie> = {}, rest: Partial<MovieView> = {}): MovieView {
  const movie = { id, name: `영화 "${id}"`, nameEng: null, watchGrade: '12세 관람가', runningTime: 139, summary: 'a\u2028b\n"c"\\', openDate: '2020-01-02', trailer: null, poster: null, country: 'KR', ratingCount: 3, ratingSumHalf: 20, ...over } as Movie;
  return { movie, genres: ['드라마', 'SF'], directors: ['감독'], actors: [], manufacturer: null, ...rest };
}

/** The body as the route built it before (an object through res.json). */
function expected(v: MovieView, f: { hasScore: boolean; picked: boolean; showing: boolean; predictedScore: number; recommended: MovieView[] }) {
  const m = v.movie;
  const card = (c: MovieView) => ({ id: c.movie.id, name: c.movie.name, poster: c.movie.poster ?? '', genres: c.genres, running_time: c.movie.runningTime == null ? null : `${c.movie.runningTime}분`, watch_grade: c.movie.watchGrade });
  return JSON.stringify({
    has_score: f.hasScore,
    pick_movies: f.picked,
    is_showing: f.showing,
    predicted_score: f.predictedScore,
    recommend_movies: f.recommended.map(card),
    id: m.id,
    name: m.name,
    name_eng: m.nameEng,
    watch_grade: m.watchGrade,
    running_time: m.runningTime == null ? null : `${m.runningTime}분`,
    summary: m.summary,
    open_date: m.openDate,
    trailer: m.trailer,
    poster: m.poster ?? '',
    directors: v.directors,
    genres: v.genres,
    actors: v.actors,
    country: m.country,
    manufacturer: v.manufacturer,
    score: m.ratingCount ? Math.round((m.ratingSumHalf / 2 / m.ratingCount) * 100) / 100 : 0,
  });
}

it('equals JSON.stringify of the detail, for members with and without recommendations', () => {
  const v = view(1);
  const recs = [view(2, { poster: 'https://img.example.com/2.jpg', runningTime: null, watchGrade: null }), view(3, { name: 'line\u2029sep' }, { manufacturer: { id: 9, name: '제작 "사"' } })];
  for (const f of [
    { hasScore: true, picked: false, showing: true, predictedScore: 87, recommended: recs },
    { hasScore: false, picked: true, showing: false, predictedScore: 0, recommended: [] },
    { hasScore: false, picked: false, showing: false, predictedScore: -0, recommended: [recs[1]!] },
  ]) {
    const raw = memberDetailJson(v, f);
    expect(raw).toBe(expected(v, f));
    // Kept parts are reused: the same again.
    expect(memberDetailJson(v, f)).toBe(raw);
  }
  const other = view(4, { nameEng: 'Other', manufacturer: undefined, ratingCount: 0 }, { manufacturer: { id: 1, name: 'M' }, actors: ['배우 1', '배우 2'] });
  const f = { hasScore: true, picked: true, showing: true, predictedScore: 100, recommended: [v, ...recs] };
  expect(memberDetailJson(other, f)).toBe(expected(other, f));
});

it('a changed movie (a new view object) is serialised anew', () => {
  const before = view(5);
  const f = { hasScore: false, picked: false, showing: false, predictedScore: 0, recommended: [before] };
  expect(memberDetailJson(before, f)).toBe(expected(before, f));
  const after = view(5, { name: '새 이름' });
  const g = { ...f, recommended: [after] };
  expect(memberDetailJson(after, g)).toBe(expected(after, g));
  expect(memberDetailJson(after, g)).toContain('새 이름');
});

it('the recommended cards kept with a member\'s state follow its list: other views, another order, one more or fewer', () => {
  const state = {};
  const [a, b, c] = [view(11), view(12), view(13)];
  const f = { hasScore: false, picked: false, showing: false, predictedScore: 0, recommended: [a, b] };
  for (const recommended of [[a, b], [a, b], [b, a], [a, b, c], [a], [], [view(11, { name: '바뀐 이름' }), b]]) {
    const g = { ...f, recommended };
    // The same state across movies (the list is the member's, not the movie's).
    for (const movie of [view(20), view(21, { watchGrade: null })]) expect(memberDetailJson(movie, g, state)).toBe(expected(movie, g));
  }
});

describe('movie cards from kept text (my page, recommend_movies)', () => {
  it('equal JSON.stringify of the cards, empty lists included, and a view keeps its text', async () => {
    const { movieCard, movieCardsJson, movieCardJson } = await import('../../../src/modules/catalog/movie-card.js');
    const views = [view(1), view(2, { poster: 'https://x/p"1".jpg', runningTime: null, watchGrade: null, name: 'a\u2028"b"' }), view(3, {}, { genres: [] })];
    expect(movieCardsJson(views)).toBe(JSON.stringify(views.map(movieCard)));
    expect(movieCardsJson([])).toBe('[]');
    expect(JSON.parse(movieCardsJson(views))).toEqual(views.map(movieCard));
    expect(movieCardJson(views[0]!)).toBe(movieCardJson(views[0]!));
  });
});
