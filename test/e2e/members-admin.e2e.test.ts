// In a real headless Chromium: catalog staff open a review in "Members › Ratings", hide it with a
// reason through the "Hide…" form, and show it again; the public API follows.
import path from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import { ARTIFACTS, launchBrowser, listen, localPage } from '../support/browser.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Parameters<typeof listen>[0] };
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  ({ server, baseUrl } = await listen(ctx.app));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await ctx?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

it('hides a review with a reason and shows it again', async () => {
  const movie = await ctx.rt.ds.getRepository(Movie).save({ name: uniqueName('기생충 ') });
  const { token } = await signupAndLogin(ctx.app);
  const rating = (await request(ctx.app).post('/movie/rating/').set({ Authorization: `JWT ${token}` }).send({ movie: movie.id, score: 1, comment: '결말은 ... 입니다 (스포일러)' }).expect(201)).body;

  const staff = await createStaff(ctx.rt, 'catalog');
  const page = await localPage(browser);
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name="email"]', staff.email);
  await page.fill('input[name="password"]', staff.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL(`${baseUrl}/admin`);

  await page.goto(`${baseUrl}/admin/resources/movie_ratings/records/${rating.id}/hide`);
  const form = page.getByTestId('rating-hide');
  await form.waitFor();
  await form.getByText('스포일러').waitFor();
  await page.fill('#hide-reason', 'Spoiler in the comment');
  await shot(page, 'members-rating-hide.png');
  await form.getByRole('button', { name: 'Hide review' }).click();
  await page.waitForURL(`${baseUrl}/admin/resources/movie_ratings/records/${rating.id}/show`);
  await page.getByText('Spoiler in the comment').first().waitFor();
  expect(await ctx.rt.ds.getRepository(MovieRating).findOneByOrFail({ id: rating.id })).toEqual(expect.objectContaining({ hidden: true, hiddenReason: 'Spoiler in the comment' }));
  const reviews = await request(ctx.app).get('/movie/rating/page/').query({ movie: movie.id }).set({ Authorization: `JWT ${token}` });
  expect(reviews.body.count).toBe(0);

  await page.goto(`${baseUrl}/admin/resources/movie_ratings/records/${rating.id}/unhide`);
  await page.getByTestId('rating-unhide').getByRole('button', { name: 'Show review' }).click();
  await page.waitForURL(`${baseUrl}/admin/resources/movie_ratings/records/${rating.id}/show`);
  expect((await ctx.rt.ds.getRepository(MovieRating).findOneByOrFail({ id: rating.id })).hidden).toBe(false);
  await page.close();
}, 60_000);
