// In a real headless Chromium, for each staff role (admin, catalog, finance, support): what the
// AdminJS side bar shows and hides, as the role table (src/modules/access/rbac.ts) says, and what a
// forbidden action returns — the page's "not authorized" refusal for a URL opened directly, and
// an error notice (nothing changed) for the action API called from the signed-in page.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { ko } from '../../admin/locale/ko.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { auth, CARD, memberAccount } from '../support/commerce-instruments.js';
import { signupAndLogin, uniqueName } from '../support/users.js';

const s = adminBrowserSuite();
const WIDE = { width: 1600, height: 1000 }; // the navigation is a side bar from this width on

const GROUPS = ['Catalog', 'Cinemas', 'Members', 'Finance', 'Administration'] as const;
const RESOURCES = ['Movies', 'Genres', 'Contents', 'Cinemas', 'Showtimes', 'Users', 'Member lookup', 'Ratings', 'Watch progress', 'Payments', 'Refunds', 'Coupons', 'Audit log'] as const;
/** The resources by the id in their link (/admin/resources/<id>): labels are Korean by default. */
const RESOURCE_IDS: Record<(typeof RESOURCES)[number], string> = { Movies: 'movies', Genres: 'genres', Contents: 'contents', Cinemas: 'cinemas', Showtimes: 'showtimes', Users: 'users', 'Member lookup': 'members', Ratings: 'movie_ratings', 'Watch progress': 'watch_progress', Payments: 'payments', Refunds: 'refunds', Coupons: 'coupons', 'Audit log': 'audit_log' };
/** The groups' titles as the panel shows them (admin/locale/ko.ts). */
const groupTitle = (g: (typeof GROUPS)[number]) => (ko.labels as Record<string, string>)[g]!;
type Seen = { groups: Array<(typeof GROUPS)[number]>; resources: Array<(typeof RESOURCES)[number]> };

let movieId: number;
let paymentId: number;
let member: { id: number; username: string; email: string };

beforeAll(async () => {
  movieId = (await s.ctx.rt.ds.getRepository(Movie).save({ name: uniqueName('Roles movie ') })).id;
  const username = uniqueName('roles_member');
  await signupAndLogin(s.ctx.app, username);
  const users = s.ctx.rt.ds.getRepository(User);
  const u = await users.findOneByOrFail({ username });
  await users.update({ id: u.id }, { fullName: '홍길동', phone: '010-1234-5678', birthDate: '1990-03-01' });
  member = { id: u.id, username, email: u.email };

  const buyer = await memberAccount(s.ctx.rt, s.ctx.app);
  const post = (p: string, body: object) => request(s.ctx.app).post(p).set(auth(buyer.token)).set('Idempotency-Key', randomUUID()).send(body);
  const m = (await request(s.ctx.app).post('/payments/methods/').set(auth(buyer.token)).send(CARD).expect(201)).body.id;
  paymentId = (await post('/payments/request/', { plan: 'monthly', method_id: m }).expect(201)).body.payment_id;
}, 60_000);

/** The side bar's group titles and, with every group expanded, its resource links. */
async function sidebar(page: Page): Promise<Seen> {
  const nav = page.locator('[data-css="sidebar-resources"]');
  await nav.locator('li > a').first().waitFor();
  const groups = nav.locator('li > a:not([href])');
  const titles = (await groups.allInnerTexts()).map((t) => t.trim());
  for (let i = 0; i < titles.length; i++) await groups.nth(i).click(); // groups start collapsed
  const links = nav.locator('a[href*="/admin/resources/"]');
  if (titles.length) await links.first().waitFor();
  const hrefs = await links.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  return { groups: GROUPS.filter((g) => titles.includes(groupTitle(g))), resources: RESOURCES.filter((r) => hrefs.includes(`/admin/resources/${RESOURCE_IDS[r]}`)) };
}

/** Calls an AdminJS action API from the signed-in page (its session cookie and origin). */
async function callAction(page: Page, path: string, body?: Record<string, string>) {
  return page.evaluate(
    async ({ path, body }) => {
      const res = await fetch(path, body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {});
      return { status: res.status, json: (await res.json().catch(() => null)) as { notice?: { type: string; message: string }; record?: { params?: Record<string, unknown> }; records?: unknown[] } | null };
    },
    { path, body },
  );
}

async function expectRefusedPage(page: Page, url: string) {
  await page.goto(`${s.baseUrl}${url}`);
  await page.getByText(/not authorized to use it|not allowed|forbidden|권한이 없습니다/i).first().waitFor();
  expect(await page.locator('table tbody tr').count()).toBe(0);
}

function expectRefusedApi(res: Awaited<ReturnType<typeof callAction>>) {
  expect(res.json?.notice).toEqual(expect.objectContaining({ type: 'error' }));
  expect(res.json?.records ?? []).toEqual([]);
  expect(res.json?.record?.params ?? {}).toEqual({});
}

function expectSidebar(seen: Seen, present: Seen, absent: Seen) {
  expect(seen.groups).toEqual(expect.arrayContaining(present.groups));
  expect(seen.resources).toEqual(expect.arrayContaining(present.resources));
  for (const g of absent.groups) expect(seen.groups).not.toContain(g);
  for (const r of absent.resources) expect(seen.resources).not.toContain(r);
}

it('admin: every group and resource; a switched-off action is refused even to admins', async () => {
  const page = await s.login('admin', WIDE);
  const seen = await sidebar(page);
  expectSidebar(seen, { groups: [...GROUPS], resources: [...RESOURCES] }, { groups: [], resources: [] });
  await s.shot(page, 'roles-admin-navigation.png');
  // Contents come from uploads: the generic "new" is off for everyone.
  await expectRefusedPage(page, '/admin/resources/contents/actions/new');
  await page.close();
}, 90_000);

it('catalog: Catalog, Cinemas and Ratings; no Finance, Users, Member lookup or audit log; Payments refused', async () => {
  const page = await s.login('catalog', WIDE);
  const seen = await sidebar(page);
  expectSidebar(
    seen,
    { groups: ['Catalog', 'Cinemas', 'Members'], resources: ['Movies', 'Genres', 'Contents', 'Cinemas', 'Showtimes', 'Ratings'] },
    { groups: ['Finance', 'Administration'], resources: ['Users', 'Member lookup', 'Watch progress', 'Payments', 'Refunds', 'Coupons', 'Audit log'] },
  );
  await s.shot(page, 'roles-catalog-navigation.png');
  await expectRefusedPage(page, '/admin/resources/payments');
  await expectRefusedPage(page, `/admin/resources/payments/records/${paymentId}/show`);
  await s.shot(page, 'roles-catalog-payments-refused.png');
  expectRefusedApi(await callAction(page, '/admin/api/resources/payments/actions/list'));
  expectRefusedApi(await callAction(page, `/admin/api/resources/members/records/${member.id}/show`));
  await page.close();
}, 90_000);

it('finance: Finance, catalog read-only and the member lookup; no Users or audit log; editing a movie is refused', async () => {
  const page = await s.login('finance', WIDE);
  const seen = await sidebar(page);
  expectSidebar(
    seen,
    { groups: ['Catalog', 'Members', 'Finance'], resources: ['Movies', 'Contents', 'Member lookup', 'Ratings', 'Watch progress', 'Payments', 'Refunds', 'Coupons'] },
    { groups: [], resources: ['Users', 'Audit log'] },
  );
  await s.shot(page, 'roles-finance-navigation.png');
  await page.goto(`${s.baseUrl}/admin/resources/movies/records/${movieId}/show`);
  await page.getByText(/Roles movie/).first().waitFor();
  expect(await page.getByRole('link', { name: /^(Edit|수정)$/ }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^(Edit|수정)$/ }).count()).toBe(0);
  await expectRefusedPage(page, `/admin/resources/movies/records/${movieId}/edit`);
  await s.shot(page, 'roles-finance-movie-edit-refused.png');
  expectRefusedApi(await callAction(page, `/admin/api/resources/movies/records/${movieId}/edit`, { name: 'Renamed by finance' }));
  expect((await s.ctx.rt.ds.getRepository(Movie).findOneByOrFail({ id: movieId })).name).not.toBe('Renamed by finance');
  await page.close();
}, 90_000);

it('support: catalog read-only and the masked member lookup, nothing else; finance, users and member edits refused', async () => {
  const page = await s.login('support', WIDE);
  const seen = await sidebar(page);
  expectSidebar(
    seen,
    { groups: ['Catalog', 'Cinemas', 'Members'], resources: ['Movies', 'Genres', 'Contents', 'Cinemas', 'Showtimes', 'Member lookup'] },
    { groups: ['Finance', 'Administration'], resources: ['Users', 'Ratings', 'Watch progress', 'Payments', 'Refunds', 'Coupons', 'Audit log'] },
  );
  await s.shot(page, 'roles-support-navigation.png');

  // The member lookup: masked name, phone and e-mail, no edit or delete.
  await page.goto(`${s.baseUrl}/admin/resources/members/records/${member.id}/show`);
  await page.getByText('010-****-5678').first().waitFor();
  await page.getByText('홍*동').first().waitFor();
  const html = await page.content();
  for (const secret of ['010-1234-5678', '홍길동', member.email, '1990-03-01']) expect(html).not.toContain(secret);
  for (const name of [/^(Edit|수정)$/, /^(Delete|삭제)$/]) {
    expect(await page.getByRole('link', { name }).count()).toBe(0);
    expect(await page.getByRole('button', { name }).count()).toBe(0);
  }
  await s.shot(page, 'roles-support-member.png');

  await expectRefusedPage(page, `/admin/resources/payments/records/${paymentId}/show`);
  await s.shot(page, 'roles-support-payment-refused.png');
  await expectRefusedPage(page, `/admin/resources/members/records/${member.id}/edit`);
  await expectRefusedPage(page, '/admin/resources/users');
  await expectRefusedPage(page, `/admin/resources/movies/records/${movieId}/edit`);
  expectRefusedApi(await callAction(page, `/admin/api/resources/members/records/${member.id}/edit`, { username: 'renamed-by-support' }));
  expectRefusedApi(await callAction(page, `/admin/api/resources/payments/records/${paymentId}/show`));
  expectRefusedApi(await callAction(page, '/admin/api/resources/audit_log/actions/list'));
  expect((await s.ctx.rt.ds.getRepository(User).findOneByOrFail({ id: member.id })).username).toBe(member.username);
  const queues = await page.goto(`${s.baseUrl}/admin/queues`);
  expect(queues?.status()).toBe(403);
  await page.close();
}, 90_000);
