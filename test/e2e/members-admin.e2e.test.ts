// In a real headless Chromium: catalog staff open a review in "Members › Ratings", hide it with a
// reason through the "Hide…" form, and show it again; the public API follows.
import request from 'supertest';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { signupAndLogin, uniqueName } from '../support/users.js';

const s = adminBrowserSuite();

it('hides a review with a reason and shows it again', async () => {
  const movie = await s.ctx.rt.ds.getRepository(Movie).save({ name: uniqueName('기생충 ') });
  const { token } = await signupAndLogin(s.ctx.app);
  const rating = (await request(s.ctx.app).post('/movie/rating/').set({ Authorization: `JWT ${token}` }).send({ movie: movie.id, score: 1, comment: '결말은 ... 입니다 (스포일러)' }).expect(201)).body;

  const page = await s.login('catalog');

  await page.goto(`${s.baseUrl}/admin/resources/movie_ratings/records/${rating.id}/hide`);
  const form = page.getByTestId('rating-hide');
  await form.waitFor();
  await form.getByText('스포일러').waitFor();
  await page.fill('#hide-reason', 'Spoiler in the comment');
  await s.shot(page, 'members-rating-hide.png');
  await form.getByRole('button', { name: '리뷰 숨기기' }).click();
  await page.waitForURL(`${s.baseUrl}/admin/resources/movie_ratings/records/${rating.id}/show`);
  await page.getByText('Spoiler in the comment').first().waitFor();
  expect(await s.ctx.rt.ds.getRepository(MovieRating).findOneByOrFail({ id: rating.id })).toEqual(expect.objectContaining({ hidden: true, hiddenReason: 'Spoiler in the comment' }));
  const reviews = await request(s.ctx.app).get('/movie/rating/page/').query({ movie: movie.id }).set({ Authorization: `JWT ${token}` });
  expect(reviews.body.count).toBe(0);

  await page.goto(`${s.baseUrl}/admin/resources/movie_ratings/records/${rating.id}/unhide`);
  await page.getByTestId('rating-unhide').getByRole('button', { name: '리뷰 다시 표시' }).click();
  await page.waitForURL(`${s.baseUrl}/admin/resources/movie_ratings/records/${rating.id}/show`);
  expect((await s.ctx.rt.ds.getRepository(MovieRating).findOneByOrFail({ id: rating.id })).hidden).toBe(false);
  await page.close();
}, 60_000);
