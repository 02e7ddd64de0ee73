// The cinema detail is joined from kept JSON text (cinemas.routes.ts cinemaDetailJson): its text
// must be exactly what JSON.stringify of seed 004's body gives, for any cinema, showtime and review
// (quotes, line separators, nulls), with the age gate applied per request and a changed movie
// (a new view object) written anew.
import { cinemaDetailJson as detailBytes } from '../../../src/modules/cinemas/cinemas.routes.js';
import type { CinemaDetail } from '../../../src/modules/cinemas/cinemas.service.js';
import type { Cinema, CinemaRating, Showtime } from '../../../src/modules/cinemas/cinema.entities.js';
import type { MovieView } from '../../../src/modules/catalog/catalog.service.js';
import type { Movie } from '../../../src/modules/catalog/movie.entity.js';

const cinemaDetailJson = (d: CinemaDetail, visible: (v: MovieView) => boolean) => detailBytes(d, visible).toString('utf8');

function view(id: number, over: Partial<Movie> = {}): MovieView {
  const movie = { id, name: `영화 "${id}"`, nameEng: null, watchGrade: '12세 관람가', runningTime: 120, summary: null, openDate: null, trailer: null, poster: null, country: null, ratingCount: 0, ratingSumHalf: 0, ...over } as Movie;
  return { movie, genres: ['드라마'], directors: [], actors: [], manufacturer: null };
}

const cinema = { id: 7, name: 'CGV "강남"', type: 'CGV', img: null, address: '서울\u2028강남구', url: 'https://x/y?a=1&b=2', tel: null, publicTransport: '2호선', parking: null, x: 127, y: 37.5 } as unknown as Cinema;
const showtime = (id: number, movieId: number, over: Partial<Showtime> = {}) => ({ id, cinemaId: 7, movieId, info: `${id}관`, date: '2026-12-04', startTime: '23:10:00', endTime: null, totalSeats: 100, seats: null, url: null, ...over }) as Showtime;
const rating = (id: number) => ({ id, cinemaId: 7, userId: id, comment: `좋아요 "${id}"\n`, scoreHalf: 7, createdAt: new Date(Date.UTC(2026, 0, id)), updatedAt: new Date(Date.UTC(2026, 1, id)) }) as CinemaRating;

/** The body as the route built it before (an object through res.json). */
function expected(d: CinemaDetail, visible: (v: MovieView) => boolean): string {
  const c = d.cinema;
  const card = (v: MovieView) => ({ id: v.movie.id, name: v.movie.name, poster: v.movie.poster ?? '', genres: v.genres, running_time: v.movie.runningTime == null ? null : `${v.movie.runningTime}분`, watch_grade: v.movie.watchGrade });
  const seats = (n: number | null) => (n == null ? null : String(n));
  return JSON.stringify({
    score: d.score,
    has_score: d.hasScore,
    pick_cinemas: d.picked,
    id: c.id,
    name: c.name,
    type: c.type,
    img: c.img,
    address: c.address,
    url: c.url,
    tel: c.tel,
    public: c.publicTransport,
    parking: c.parking,
    onscreens: d.onscreens
      .filter((x) => visible(x.movie))
      .map(({ showtime: s, movie }) => ({ movie: card(movie), info: s.info, date: s.date, start_time: s.startTime, end_time: s.endTime, total_seats: seats(s.totalSeats), seats: seats(s.seats), url: s.url })),
    cinema_ratings: d.ratings.map(({ rating: r, user }) => ({ id: r.id, comment: r.comment, score: r.scoreHalf / 2, updated_at: r.updatedAt.toISOString(), user })),
  });
}

it('equals JSON.stringify of the detail, the age gate and the member fields applied per request', () => {
  const teen = view(1);
  const adult = view(2, { watchGrade: '청소년 관람불가' });
  const ratings = [{ rating: rating(1), user: { id: 1, username: 'a"b' } }, { rating: rating(2), user: { id: 2, username: '' } }];
  const d: CinemaDetail = { source: {}, cinema, score: 3.5, hasScore: true, picked: false, onscreens: [{ showtime: showtime(1, 1), movie: teen }, { showtime: showtime(2, 2, { seats: 3, url: 'u' }), movie: adult }], ratings };
  const everyone = () => true;
  const noAdult = (v: MovieView) => v.movie.watchGrade !== '청소년 관람불가';
  for (const visible of [everyone, noAdult, everyone]) expect(cinemaDetailJson(d, visible)).toBe(expected(d, visible));
  const other = { ...d, score: 0, hasScore: false, picked: true, onscreens: [], ratings: [] };
  expect(cinemaDetailJson(other, everyone)).toBe(expected(other, everyone));
  expect(JSON.parse(cinemaDetailJson(d, noAdult)).onscreens).toHaveLength(1);
});

it('a showtime whose movie changed (a new view) is written anew', () => {
  const s = showtime(3, 5);
  const before: CinemaDetail = { source: {}, cinema, score: 0, hasScore: false, picked: false, onscreens: [{ showtime: s, movie: view(5) }], ratings: [] };
  expect(cinemaDetailJson(before, () => true)).toBe(expected(before, () => true));
  const after = { ...before, onscreens: [{ showtime: s, movie: view(5, { name: '새 이름' }) }] };
  expect(cinemaDetailJson(after, () => true)).toBe(expected(after, () => true));
  expect(cinemaDetailJson(after, () => true)).toContain('새 이름');
});
