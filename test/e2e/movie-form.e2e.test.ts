// Catalog staff in a real headless Chromium, on the movie form itself: genres ticked, credits
// (person, role, character, order) added and reordered, a poster uploaded with its preview — one
// save, and the public API shows it; a content upload with its progress bar, whose status then
// follows the processing without a reload. Elements are found by URL, data-testid and field
// names (the panel's labels are being translated). Screenshots: artifacts/screenshots/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieCredit, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { uniqueName } from '../support/users.js';

const s = adminBrowserSuite();
const SHOTS = path.resolve('artifacts/screenshots');
const DESKTOP = { width: 1440, height: 1100 };
const PHONE = { width: 390, height: 844 };
let work: string;

beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(path.join(os.tmpdir(), 'mq-e2e-poster-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });

function posterPng(): Buffer {
  const file = path.join(work, 'poster.png');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=0x1d2b53:s=200x290', '-frames:v', '1', file]);
  return readFileSync(file);
}

/** Picks a person in a credit row's search select. */
async function pickPerson(page: Page, row: number, name: string) {
  const input = page.locator(`#credit-person-${row}`);
  await input.click();
  await input.fill(name);
  await page.getByRole('option', { name: new RegExp(name) }).first().click();
}

it('edits genres and ordered credits on the movie form, uploads a poster and sees its preview; one save', async () => {
  const tag = uniqueName('form');
  const repo = s.ctx.rt.ds.getRepository.bind(s.ctx.rt.ds);
  const [thriller, drama] = await repo(Genre).save([{ name: `스릴러${tag}` }, { name: `드라마${tag}` }]);
  const [director, actor] = await repo(Person).save([{ name: `봉감독${tag}`, nameEng: null }, { name: `송배우${tag}`, nameEng: null }]);
  const movie = (await s.ctx.rt.services.catalog.createMovie({ name: `기생충 ${tag}`, genreIds: [drama.id] }, null)).movie;

  const page = await s.login('catalog', DESKTOP);
  await page.goto(`${s.baseUrl}/admin/resources/movies/records/${movie.id}/edit`);
  const genres = page.getByTestId('movie-genres-edit');
  await genres.locator(`input[name="genres"][value="${drama.id}"]`).waitFor();
  expect(await genres.locator(`input[name="genres"][value="${drama.id}"]`).isChecked()).toBe(true);
  await genres.locator(`input[name="genres"][value="${thriller.id}"]`).check();

  // Credits: the actor first, then the director; then the director moved up to be billed first.
  await page.getByTestId('credit-add').click();
  await pickPerson(page, 0, `송배우${tag}`);
  await page.locator('input[name="credits.0.character"]').fill('기택');
  await page.getByTestId('credit-add').click();
  await pickPerson(page, 1, `봉감독${tag}`);
  await page.locator('select[name="credits.1.role"]').selectOption('director');
  await page.getByTestId('credit-up-1').click();
  expect(await page.locator('select[name="credits.0.role"]').inputValue()).toBe('director');

  // The poster: a PNG from disk, uploaded with progress, previewed before the save.
  await page.getByTestId('poster-file').setInputFiles({ name: 'poster.png', mimeType: 'image/png', buffer: posterPng() });
  const preview = page.getByTestId('poster-preview');
  await preview.waitFor();
  const src = (await preview.getAttribute('src'))!;
  expect(src).toMatch(/^\/media\/posters\/[0-9a-f]{32}\.png$/);
  await preview.evaluate((img: HTMLImageElement) => img.decode());
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(200);
  await shot(page, 'movie-form-desktop.png');

  // A text file named .png is refused next to the field, and the preview keeps the good poster.
  await page.getByTestId('poster-file').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all, only text'.repeat(10)) });
  await page.getByTestId('poster-error').filter({ hasText: /JPEG, PNG, WebP 이미지가 아닙니다/ }).waitFor();
  expect(await preview.getAttribute('src')).toBe(src);

  await page.getByTestId('button-save').click();
  await page.waitForURL(new RegExp(`/admin/resources/movies/records/${movie.id}/show`), { timeout: 15_000 });
  expect((await repo(MovieGenre).find({ where: { movieId: movie.id } })).map((g) => g.genreId).sort((a, b) => a - b)).toEqual([thriller.id, drama.id].sort((a, b) => a - b));
  expect((await repo(MovieCredit).find({ where: { movieId: movie.id }, order: { position: 'ASC' } })).map((c) => [c.personId, c.role, c.character, c.position])).toEqual([
    [director.id, 'director', null, 0],
    [actor.id, 'actor', '기택', 1],
  ]);
  expect((await repo(Movie).findOneByOrFail({ id: movie.id })).poster).toBe(src);
  await page.getByTestId('poster-image').waitFor();
  await page.getByTestId('movie-credits').getByText(`송배우${tag}`).waitFor();
  await shot(page, 'movie-show-desktop.png');

  const pub = await (await fetch(`${s.baseUrl}/movie/${movie.id}/`)).json();
  expect(pub).toMatchObject({ poster: src, directors: [`봉감독${tag}`], actors: [`송배우${tag}`] });
  const served = await fetch(`${s.baseUrl}${src}`);
  expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);

  // A credit whose person is removed meanwhile: the row shows the error and nothing changes.
  await page.goto(`${s.baseUrl}/admin/resources/movies/records/${movie.id}/edit`);
  await page.getByTestId('credit-add').click();
  const ghost = await repo(Person).save({ name: `사라질${tag}`, nameEng: null });
  await pickPerson(page, 2, `사라질${tag}`);
  await repo(Person).delete({ id: ghost.id });
  await page.getByTestId('button-save').click();
  await page.getByTestId('credit-error-2').waitFor();
  expect(await repo(MovieCredit).countBy({ movieId: movie.id })).toBe(2);
  await shot(page, 'movie-form-row-error-desktop.png');
  await page.close();

  // The phone: the same form, usable at 390 px.
  const phone = await s.login('catalog', PHONE);
  await phone.goto(`${s.baseUrl}/admin/resources/movies/records/${movie.id}/edit`);
  await phone.getByTestId('credit-row-1').waitFor();
  await phone.getByTestId('poster-preview').waitFor();
  await shot(phone, 'movie-form-phone.png');
  await phone.close();
}, 120_000);

it('the movie list finds a movie by 초성 through the search index', async () => {
  const movie = (await s.ctx.rt.services.catalog.createMovie({ name: '살인의 추억', nameEng: 'Memories of Murder' }, null)).movie;
  const page = await s.login('catalog', DESKTOP);
  await page.goto(`${s.baseUrl}/admin/resources/movies?filters.name=${encodeURIComponent('ㅅㅇㅇㅊㅇ')}`);
  await page.locator('tbody tr', { hasText: movie.name }).waitFor();
  await page.goto(`${s.baseUrl}/admin/resources/movies?filters.name=${encodeURIComponent('memories of')}`);
  await page.locator('tbody tr', { hasText: movie.name }).waitFor();
  await shot(page, 'movie-list-search-desktop.png');
  await page.close();
}, 60_000);

it('uploads a content with a progress bar; the status follows the processing without a reload; metadata is readable', async () => {
  const tag = uniqueName('upl');
  const page = await s.login('catalog', DESKTOP);
  await page.goto(`${s.baseUrl}/admin/resources/contents/actions/upload`);
  const form = page.getByTestId('content-upload');
  await form.locator('input[type="file"]').setInputFiles({
    name: 'teaser.mp4',
    mimeType: 'video/mp4',
    buffer: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2'), Buffer.alloc(2 * 1024 * 1024, 7)]),
  });
  await form.locator('input[name="title"]').fill(`Teaser ${tag}`);
  // The bar shows while the bytes go (watched from the first progress event on).
  const sawProgress = page.waitForSelector('[data-testid="upload-progress"]', { timeout: 15_000 });
  await page.getByTestId('upload-submit').click();
  await sawProgress;
  await page.waitForURL(/\/admin\/resources\/contents\/records\/\d+\/show/, { timeout: 20_000 });
  const content = await s.ctx.rt.ds.getRepository(Content).findOneByOrFail({ title: `Teaser ${tag}` });
  const status = page.getByTestId('content-status').first();
  expect(await status.getAttribute('data-status')).toBe('processing');
  await shot(page, 'content-processing-desktop.png');

  // The probe (the worker's job) runs: the open page shows the outcome by itself.
  await s.ctx.rt.services.contents.probe(content.id);
  const after = (await s.ctx.rt.ds.getRepository(Content).findOneByOrFail({ id: content.id })).status;
  expect(after).not.toBe('processing');
  await page.locator(`[data-testid="content-status"][data-status="${after}"]`).first().waitFor({ timeout: 15_000 });
  await page.getByTestId('content-metadata').waitFor();
  await shot(page, 'content-after-processing-desktop.png');
  await page.close();

  // A ready content's metadata, readably, and its languages edited in the panel.
  await s.ctx.rt.ds.getRepository(Content).update({ id: content.id }, { status: 'ready', statusReason: null, metadata: { duration_seconds: 7384, width: 3840, height: 2160, video_codec: 'hevc', audio_codecs: ['aac'], audio_languages: ['ko'] } });
  const phone = await s.login('catalog', PHONE);
  await phone.goto(`${s.baseUrl}/admin/resources/contents/records/${content.id}/show`);
  await phone.getByTestId('meta-duration').filter({ hasText: '2:03:04' }).waitFor();
  expect(await phone.getByTestId('meta-resolution').textContent()).toBe('3840 × 2160');
  await shot(phone, 'content-metadata-phone.png');
  await phone.goto(`${s.baseUrl}/admin/resources/contents/records/${content.id}/metadata`);
  await phone.locator('input[name="subtitles"]').fill('ko, en');
  await phone.locator('input[name="tags"]').fill('4K');
  await phone.getByTestId('meta-save').click();
  await phone.waitForURL(new RegExp(`/contents/records/${content.id}/show`));
  await phone.getByTestId('meta-subtitles').getByText('en').waitFor();
  expect((await s.ctx.rt.ds.getRepository(Content).findOneByOrFail({ id: content.id })).metadata).toMatchObject({ subtitles: ['ko', 'en'], tags: ['4K'], duration_seconds: 7384 });
  await phone.close();
}, 120_000);
