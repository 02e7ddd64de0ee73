// In a real headless Chromium: a catalog staff member creates a movie through the form, puts it
// in two genres and gives it a director through the join-record forms, finds it with the search
// box, and the public API then shows the genres and the director.
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Locator, Page } from 'playwright-core';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import { ARTIFACTS, launchBrowser, listen, localPage } from '../support/browser.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, uniqueName } from '../support/users.js';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  const t = await createTestApp({ admin: true });
  ctx = t;
  ({ server, baseUrl } = await listen(t.app));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await ctx?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

/** A poster image "from the internet", answered locally (the test page reaches no other host). */
const POSTER_URL = 'https://img.example.com/parasite.svg';
const POSTER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="290" viewBox="0 0 200 290"><rect width="200" height="290" fill="#1d2b53"/><circle cx="100" cy="120" r="50" fill="#ffcc00"/><rect x="20" y="220" width="160" height="24" fill="#ffffff"/></svg>`;

async function staffPage(role: 'catalog' | 'admin', viewport?: { width: number; height: number }) {
  const staff = await createStaff(ctx.rt, role);
  const page = await localPage(browser, viewport);
  await page.route('https://img.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: POSTER_SVG }));
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name="email"]', staff.email);
  await page.fill('input[name="password"]', staff.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${baseUrl}/admin`);
  return page;
}

/** Picks an option of an AdminJS (react-select) field; typing first for the async reference selects. */
async function choose(page: Page, property: string, text: string, type?: string) {
  const field: Locator = page.getByTestId(`property-edit-${property}`);
  await field.locator('input').first().click();
  if (type) await field.locator('input').first().fill(type);
  await page.getByRole('option', { name: text, exact: false }).first().click();
}

async function saveAndWait(page: Page, resourceId: string) {
  await page.getByTestId('button-save').click();
  await page.waitForURL((url) => url.pathname === `/admin/resources/${resourceId}` || url.pathname.startsWith(`/admin/resources/${resourceId}/records/`), { timeout: 15_000 });
}

describe('catalog in the admin panel (Chromium)', () => {
  it('creates a movie, links two genres and a director, finds it by title; the public API shows them', async () => {
    const tag = uniqueName('e2e');
    const [thriller, drama] = await ctx.rt.ds.getRepository(Genre).save([{ name: `스릴러 ${tag}` }, { name: `드라마 ${tag}` }]);
    const director = await ctx.rt.ds.getRepository(Person).save({ name: `봉준호 ${tag}`, nameEng: 'Bong Joon-ho' });
    const title = `기생충 ${tag}`;
    const page = await staffPage('catalog', { width: 1280, height: 1700 });

    // 1. the movie, through the generic form (validated on the server)
    await page.goto(`${baseUrl}/admin/resources/movies/actions/new`);
    await page.locator('input[name="name"]').fill(title);
    await choose(page, 'watchGrade', '15세 관람가');
    await page.locator('input[name="runningTime"]').fill('131');
    // A non-http poster is refused with a message next to the field; nothing is written.
    await page.locator('input[name="poster"]').fill('javascript:alert(1)');
    await page.getByTestId('button-save').click();
    await page.getByTestId('property-edit-poster').getByText('유효한 URL을 입력하십시오.').waitFor();
    expect(await ctx.rt.ds.getRepository(Movie).countBy({ name: title })).toBe(0);
    await shot(page, 'catalog-movie-invalid.png');
    await page.locator('input[name="poster"]').fill(POSTER_URL);
    await saveAndWait(page, 'movies');
    const movie = await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ name: title });
    expect(movie).toEqual(expect.objectContaining({ watchGrade: '15세 관람가', runningTime: 131, poster: POSTER_URL }));

    // 2. two genres and a director, through the join-record forms (reference selects search by title)
    for (const genre of [thriller, drama]) {
      await page.goto(`${baseUrl}/admin/resources/movie_genres/actions/new`);
      await choose(page, 'movieId', title, tag);
      await choose(page, 'genreId', genre.name, genre.name.split(' ')[0]);
      await saveAndWait(page, 'movie_genres');
    }
    await page.goto(`${baseUrl}/admin/resources/movie_credits/actions/new`);
    await choose(page, 'movieId', title, tag);
    await choose(page, 'personId', director.name, '봉준호');
    await choose(page, 'role', '감독'); // the value director, labelled in Korean
    await saveAndWait(page, 'movie_credits');

    // 3. the search box on the movie list finds it by title (thumbnail with alt text)
    await page.goto(`${baseUrl}/admin/resources/movies`);
    await page.getByRole('searchbox', { name: '제목으로 영화 검색' }).fill(tag);
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.waitForURL(/filters\.name=/);
    let row = page.locator('tbody tr', { hasText: title });
    await row.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    const thumb = row.getByTestId('poster-thumb');
    expect(await thumb.getAttribute('alt')).toBe(`${title} 포스터`);
    expect(await thumb.getAttribute('src')).toBe(POSTER_URL);
    await thumb.evaluate((img: HTMLImageElement) => img.decode());
    expect(await thumb.evaluate((img: HTMLImageElement) => [img.naturalWidth > 0, img.width, img.height])).toEqual([true, 36, 52]);
    await shot(page, 'catalog-movie-search.png');

    // ... and the genre filter of the filter drawer (served through movie_genres)
    const other = await ctx.rt.ds.getRepository(Movie).save({ name: `다른 영화 ${tag}` });
    // Written straight into the table: the title index (the list's search) is told.
    await ctx.rt.services.catalog.reindexTitles([other.id]);
    await page.goto(`${baseUrl}/admin/resources/movies?filters.name=${tag}`);
    await page.locator('tbody tr', { hasText: other.name }).waitFor();
    await page.locator('[data-css="movies-filter-button"]').click();
    const genreFilter = page.getByTestId('property-filter-genre');
    await genreFilter.locator('input').first().fill('드라마');
    await page.getByRole('option', { name: drama.name }).click();
    await page.getByRole('button', { name: '적용' }).click();
    await page.waitForURL(new RegExp(`filters.genre=${drama.id}`));
    await page.locator('tbody tr', { hasText: other.name }).waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining(title)]);
    await shot(page, 'catalog-movie-genre-filter.png');
    await page.goto(`${baseUrl}/admin/resources/movies?filters.name=${tag}`);
    row = page.locator('tbody tr', { hasText: title });
    await row.waitFor();

    // 4. the show page lists its genres and credits
    await row.getByText(title).click();
    await page.waitForURL(new RegExp(`/admin/resources/movies/records/${movie.id}/show`));
    const genres = page.getByTestId('movie-genres');
    await genres.getByText(thriller.name).waitFor();
    await genres.getByText(drama.name).waitFor();
    await page.getByTestId('movie-credits').getByText(`감독: ${director.name}`).waitFor();
    await shot(page, 'catalog-movie-show.png');
    await page.close();

    // 5. the public API (same server) shows the genres and the director
    const res = await fetch(`${baseUrl}/movie/${movie.id}/`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(expect.objectContaining({ id: movie.id, name: title, watch_grade: '15세 관람가', running_time: '131분', directors: [director.name] }));
    expect([...body.genres].sort()).toEqual([thriller.name, drama.name].sort());
  }, 90_000);

  it('uploads a content file through the Upload form; an admin sees it in the audit log', async () => {
    const tag = uniqueName('upl');
    const movie = await ctx.rt.ds.getRepository(Movie).save({ name: `업로드 ${tag}` });
    await ctx.rt.services.catalog.reindexTitles([movie.id]);
    const page = await staffPage('catalog', { width: 1280, height: 1400 });
    await page.goto(`${baseUrl}/admin/resources/contents/actions/upload`);
    const form = page.getByTestId('content-upload');
    await form.locator('input[type="file"]').setInputFiles({
      name: 'teaser.mp4',
      mimeType: 'video/mp4',
      buffer: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2'), Buffer.alloc(512, 7)]),
    });
    await form.locator('input[name="title"]').fill(`Teaser ${tag}`);
    await form.locator('input').nth(2).fill(tag);
    await page.getByRole('option', { name: new RegExp(tag) }).first().click();
    await shot(page, 'catalog-content-upload.png');
    await form.getByRole('button', { name: '업로드' }).click();
    await page.waitForURL(/\/admin\/resources\/contents\/records\/\d+\/show/, { timeout: 15_000 });
    const content = await ctx.rt.ds.getRepository(Content).findOneByOrFail({ title: `Teaser ${tag}` });
    expect(content).toEqual(expect.objectContaining({ movieId: movie.id, originalName: 'teaser.mp4', mimeType: 'video/mp4' }));
    await page.getByText(`Teaser ${tag}`).first().waitFor();
    await shot(page, 'catalog-content-show.png');
    await page.close();

    const admin = await staffPage('admin', { width: 1280, height: 1000 });
    await admin.goto(`${baseUrl}/admin/resources/audit_log?filters.resource=contents&filters.recordId=${content.id}`);
    const row = admin.locator('tbody tr', { hasText: 'create' });
    await row.waitFor();
    await row.getByText('create').click();
    await admin.getByTestId('json-diff').waitFor();
    expect(JSON.parse((await admin.getByTestId('json-diff').getAttribute('data-json'))!).title).toEqual([null, `Teaser ${tag}`]);
    await admin.getByTestId('json-diff').getByRole('row', { name: `title — Teaser ${tag}` }).waitFor();
    await shot(admin, 'catalog-audit-entry.png');
    await admin.close();
  }, 60_000);
});
