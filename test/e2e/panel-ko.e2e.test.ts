// The panel in Korean, on a phone, fast and self-contained (issue 14 §1, §7, §8), in Debian
// Chromium, per staff role: `<html lang="ko">` and Korean labels; English after the staff member
// switches (saved on the account); money, times and watch grades formatted on the payments list and
// a movie page; at 390×844 no sideways scrolling, a title and status column on lists, charts at
// least 200 px tall; no request leaves 127.0.0.1; the scripts come compressed and immutable.
// Screenshots (desktop and phone) go to test/artifacts/screenshots/.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { Payment } from '../../src/modules/commerce/commerce.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { addDays, previousUtcDay } from '../../src/modules/statistics/statistics.service.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { ARTIFACTS } from '../support/browser.js';
import { capturedPaymentAt, memberAccount } from '../support/commerce-instruments.js';
import { uniqueName } from '../support/users.js';

const s = adminBrowserSuite();
const DESKTOP = { width: 1600, height: 1000 };
const PHONE = { width: 390, height: 844 };
const SHOTS = path.join(ARTIFACTS, 'screenshots');
type StaffRole = 'admin' | 'catalog' | 'finance' | 'support';

/** The list each role opens on the phone, and a column it must keep there. */
const LISTS: Record<StaffRole, { resource: string; column: string }> = {
  admin: { resource: 'subscriptions', column: 'status' },
  finance: { resource: 'payments', column: 'status' },
  catalog: { resource: 'contents', column: 'status' },
  support: { resource: 'members', column: 'username' },
};

/** A navigation group each role sees. */
const GROUP: Record<StaffRole, string> = { admin: '관리', catalog: '카탈로그', finance: '재무', support: '회원' };

let paymentKrw: Payment;
let memberId: number;
let paymentUsd: Payment;
let movieId: number;
const yesterday = previousUtcDay();

/** Every request of a page, to prove none goes elsewhere than 127.0.0.1. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}
const external = (urls: string[]) => urls.filter((u) => !/^(data:|blob:|about:)/.test(u) && new URL(u).hostname !== '127.0.0.1');

async function noSidewaysScroll(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const member = await memberAccount(s.ctx.rt, s.ctx.app);
  memberId = member.id;
  paymentKrw = await capturedPaymentAt(s.ctx.rt, s.ctx.app, member, { plan: 'monthly' }, new Date(`${yesterday}T11:00:00Z`));
  paymentUsd = await capturedPaymentAt(s.ctx.rt, s.ctx.app, member, { plan: 'monthly' }, new Date(`${addDays(yesterday, -1)}T11:00:00Z`));
  // A dollar payment (the list shows each record in its own currency): 1290 cents.
  await s.ctx.rt.ds.getRepository(Payment).update({ id: paymentUsd.id }, { currency: 'USD', amountTotal: 1290, amountList: 1290 });
  // The grade is shown exactly as the catalog writes it ("12세 관람가", not "12 세 관람가").
  movieId = (await s.ctx.rt.ds.getRepository(Movie).save({ name: uniqueName('등급 영화 '), watchGrade: '12세 관람가', openDate: '2026-01-15' })).id;
  await s.ctx.rt.services.catalog.externalChange({ ids: [movieId] });
  await s.ctx.rt.ds.getRepository(Content).save({ movieId, title: '등급 영화 본편', storageKey: `k/${randomUUID()}`, originalName: null, sizeBytes: '1', sha256: 'c'.repeat(64), mimeType: 'video/mp4', status: 'ready', statusReason: null, validFrom: null, validUntil: null, metadata: null, uploadedBy: null });
  await s.ctx.rt.services.statistics.computeRange(addDays(yesterday, -1), yesterday);
}, 120_000);

describe.each(['admin', 'catalog', 'finance', 'support'] as const)('%s', (role) => {
  it('sees the panel in Korean, fits a phone, and loads nothing from elsewhere', async () => {
    const page = await s.login(role, DESKTOP);
    const urls = recordRequests(page);
    await page.reload();
    await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    expect(await page.title()).not.toMatch(/AdminJS/i);
    // The navigation: the role's group and the pages in Korean, no AdminJS wording.
    await page.getByText(GROUP[role], { exact: true }).first().waitFor();
    await page.getByText('언어 / Language', { exact: true }).first().waitFor();
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/AdminJS|Welcome|Navigation/);
    await page.screenshot({ path: path.join(SHOTS, `${role}-dashboard-desktop.png`), fullPage: true });

    const list = LISTS[role];
    await page.goto(`${s.baseUrl}/admin/resources/${list.resource}`);
    await page.locator('table').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SHOTS, `${role}-${list.resource}-desktop.png`), fullPage: true });

    // Phone: the dashboard (charts ≥ 200 px, no sideways scroll) and the list (title + status column).
    await page.setViewportSize(PHONE);
    await page.goto(`${s.baseUrl}/admin`);
    await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    const charts = page.locator('canvas[data-testid$="-chart"]');
    for (const box of await charts.evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().height))) expect(box).toBeGreaterThanOrEqual(200);
    if (role === 'admin' || role === 'finance') expect(await charts.count()).toBeGreaterThan(0);
    const dashWidth = await noSidewaysScroll(page);
    expect(dashWidth.scrollWidth).toBeLessThanOrEqual(dashWidth.innerWidth);
    // the range inputs are stacked: "to" is below "from", not beside it
    const from = (await page.locator('#dash-from').boundingBox())!;
    const to = (await page.locator('#dash-to').boundingBox())!;
    expect(to.y).toBeGreaterThanOrEqual(from.y + from.height);
    await page.screenshot({ path: path.join(SHOTS, `${role}-dashboard-phone.png`), fullPage: true });

    await page.goto(`${s.baseUrl}/admin/resources/${list.resource}`);
    await page.locator('table').first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    const header = page.locator(`thead [data-property-name="${list.column}"]`);
    await expect(header.isVisible()).resolves.toBe(true);
    expect((await header.innerText()).trim()).toMatch(/[가-힣]/); // its label is Korean
    const rows = await page.locator(`tbody td[data-property-name="${list.column}"]`).count();
    if (rows) expect(await page.locator(`tbody td[data-property-name="${list.column}"]`).first().isVisible()).toBe(true);
    // and the first column (id or title) stays too
    expect(await page.locator('thead td[data-property-name]').first().isVisible()).toBe(true);
    const listWidth = await noSidewaysScroll(page);
    expect(listWidth.scrollWidth).toBeLessThanOrEqual(listWidth.innerWidth);
    await page.screenshot({ path: path.join(SHOTS, `${role}-${list.resource}-phone.png`), fullPage: true });

    expect(external(urls)).toEqual([]);
    expect(urls.some((u) => /fonts\.(googleapis|gstatic)\.com/.test(u))).toBe(false);
    await page.close();
  }, 120_000);
});

it('serves the panel scripts compressed, content-hashed and immutable', async () => {
  // A new context with the session of a logged-in one: an empty cache, so every script comes over the wire.
  const first = await s.login('admin', DESKTOP);
  const context = await s.browser.newContext({ storageState: await first.context().storageState() });
  await first.close();
  const page = await context.newPage();
  const scripts: Response[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.push(r);
  });
  await page.goto(`${s.baseUrl}/admin`);
  await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  expect(scripts.length).toBeGreaterThanOrEqual(4);
  let wire = 0;
  for (const r of scripts) {
    expect(r.url()).toMatch(/\/admin\/assets\/[0-9a-f]{16}\/[\w.-]+\.js$/);
    const h = await r.allHeaders();
    expect(h['content-encoding']).toMatch(/^(br|gzip)$/);
    expect(h['cache-control']).toBe('public, max-age=31536000, immutable');
    wire += (await r.request().sizes()).responseBodySize;
  }
  expect(wire).toBeGreaterThan(100 * 1024); // really fetched, not from a cache
  expect(wire).toBeLessThanOrEqual(1024 * 1024); // ≤ 1 MB of JavaScript on the wire
  await context.close();
}, 60_000);

it('finance sees money by currency and times in the service zone on the payments list', async () => {
  const page = await s.login('finance', DESKTOP);
  await page.goto(`${s.baseUrl}/admin/resources/payments`);
  const krwRow = page.locator(`tbody tr[data-id="${paymentKrw.id}"]`);
  const usdRow = page.locator(`tbody tr[data-id="${paymentUsd.id}"]`);
  await krwRow.waitFor({ timeout: 20_000 });
  const total = (row: typeof krwRow) => row.locator('td[data-property-name="amountTotal"]').innerText();
  expect(await total(krwRow)).toBe(`₩${paymentKrw.amountTotal.toLocaleString('en-US')}`);
  expect(await total(usdRow)).toBe('US$12.90');
  // paidAt in KST: 11:00 UTC is 20:00 in Seoul, labelled
  const paid = (await krwRow.locator('td[data-property-name="paidAt"]').innerText()).trim();
  expect(paid).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} KST$/);
  const at = paymentKrw.paidAt!;
  const seoul = new Date(at.getTime() + 9 * 3600_000).toISOString();
  expect(paid).toBe(`${seoul.slice(0, 10)} ${seoul.slice(11, 16)} KST`);
  // the amount does not wrap at this width
  const cell = krwRow.locator('td[data-property-name="amountTotal"] [data-testid="money"]');
  const box = (await cell.boundingBox())!;
  expect(box.height).toBeLessThan(30);
  await page.screenshot({ path: path.join(SHOTS, 'finance-payments-formatted.png'), fullPage: true });
  // the show page too
  await page.goto(`${s.baseUrl}/admin/resources/payments/records/${paymentUsd.id}/show`);
  await page.getByTestId('money').first().waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('money').allInnerTexts()).toContain('US$12.90');
  await page.close();
}, 60_000);

it('catalog sees the watch grade as written and dates in the service zone on a movie page', async () => {
  const page = await s.login('catalog', DESKTOP);
  await page.goto(`${s.baseUrl}/admin/resources/movies/records/${movieId}/show`);
  await page.getByTestId('watch-grade').first().waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('watch-grade').first().innerText()).toBe('12세 관람가');
  const times = await page.locator('time[data-zone-formatted="true"]').allInnerTexts();
  expect(times.length).toBeGreaterThan(0);
  for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} KST$/);
  // the movie's own label is Korean
  await page.getByText('관람 등급').first().waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'catalog-movie-show.png'), fullPage: true });
  await page.close();
}, 60_000);

it('follows an in-panel link without reloading the page, and a link out of the app as a page', async () => {
  const page = await s.login('support', DESKTOP);
  await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documents.push(r.url());
  });
  await page.evaluate(() => {
    (window as unknown as { marker: number }).marker = 42;
    const a = document.createElement('a');
    a.href = '/admin/resources/members';
    a.textContent = 'plain link';
    a.id = 'plain-link';
    document.body.appendChild(a);
  });
  await page.click('#plain-link');
  await page.waitForURL(`${s.baseUrl}/admin/resources/members`);
  await page.locator('table').first().waitFor({ timeout: 20_000 });
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(documents).toEqual([]);
  await page.close();
}, 60_000);

it('switches to English on the Language page, saved on the account, and back', async () => {
  const page = await s.login('support', DESKTOP);
  const email = await page.evaluate(() => (window as unknown as { REDUX_STATE: { session: { email: string } } }).REDUX_STATE.session.email);
  await page.goto(`${s.baseUrl}/admin/pages/language`);
  await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.getByTestId('language-en').click()]);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.getByTestId('language-page').waitFor();
  expect((await s.ctx.rt.ds.getRepository(User).findOneByOrFail({ email })).panelLanguage).toBe('en');
  // The session's currentAdmin carries it (other parts of the panel read currentAdmin.language).
  expect(await page.evaluate(() => (window as unknown as { REDUX_STATE: { session: { language: string } } }).REDUX_STATE.session.language)).toBe('en');
  await page.goto(`${s.baseUrl}/admin`);
  await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.getByText('Members', { exact: true }).first().waitFor();
  expect(await page.getByText('회원', { exact: true }).count()).toBe(0);
  await page.screenshot({ path: path.join(SHOTS, 'support-dashboard-english.png'), fullPage: true });
  // back to Korean
  await page.goto(`${s.baseUrl}/admin/pages/language`);
  await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.getByTestId('language-ko').click()]);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
  expect((await s.ctx.rt.ds.getRepository(User).findOneByOrFail({ email })).panelLanguage).toBe('ko');
  await page.close();
}, 60_000);

/** What finance reads on the dashboard, the refund dialog of a paid payment and the member page. */
async function financeScreens(page: Page) {
  await page.goto(`${s.baseUrl}/admin`);
  await page.getByTestId('kpis').waitFor({ timeout: 20_000 });
  await page.getByTestId('refunds-pending').waitFor();
  const dashboard = await page.getByTestId('marquee-dashboard').innerText();
  const apply = await page.getByTestId('dash-apply').innerText();
  // The refund dialog once the policy is loaded (its rule is on the box; paid yesterday, nothing watched).
  await page.goto(`${s.baseUrl}/admin/resources/payments/records/${paymentKrw.id}/refund`);
  await page.locator('[data-testid="refund-policy"][data-rule="full_7d_unwatched"]').waitFor({ timeout: 20_000 });
  await page.getByTestId('refund-policy-summary').waitFor();
  const refund = await page.getByTestId('finance-refund').innerText();
  const submit = (await page.getByTestId('finance-refund-submit').innerText()).trim();
  await page.getByTestId('refund-override').check();
  const override = await page.getByTestId('finance-refund').innerText();
  // The member page: subscription, last payments, the timeline.
  await page.goto(`${s.baseUrl}/admin/resources/members/records/${memberId}/show`);
  await page.getByTestId('member-timeline').waitFor({ timeout: 20_000 });
  const member = await page.getByTestId('member-activity').innerText();
  const lang = await page.evaluate(() => document.documentElement.lang);
  return { dashboard, apply, refund, submit, override, member, lang };
}

it('finance reads the dashboard, the refund dialog and the member page in Korean by default', async () => {
  const page = await s.login('finance', DESKTOP);
  const t = await financeScreens(page);
  expect(t.lang).toBe('ko');
  // dashboard: heading, KPI block, subscriptions and pending refunds, the range button
  for (const text of ['Marquee 백오피스', '주요 지표', '활성 구독자', '월 반복 매출 MRR (KRW)', '요금제별 구독', '재무 처리를 기다리는 환불', '날짜는 Asia/Seoul (KST) 기준입니다']) expect(t.dashboard).toContain(text);
  expect(t.apply).toBe('조회');
  expect(t.dashboard).not.toMatch(/back office|Key figures|Active subscribers|Refunds waiting|Subscriptions by plan/);
  // the refund dialog: what it does, the policy's decision and why, the override, the button
  expect(t.refund).toContain('환불 정책에 따라 결제 대행사를 통해 이 결제를 환불합니다.');
  expect(t.refund).toMatch(/환불 정책: full_7d_unwatched — 결제 금액 ₩[\d,]+ 중 ₩[\d,]+ 환불 가능/);
  expect(t.refund).toContain('결제 후 7일이 지나지 않았고 그동안 시청하지 않았습니다');
  expect(t.refund).toMatch(/정책 예외로 환불 \(최대 ₩[\d,]+, 사유 필수, 감사 로그에 기록\)/);
  expect(t.refund).toContain('사유 (선택)');
  expect(t.submit).toMatch(/^₩[\d,]+ 환불$/);
  expect(t.override).toContain('금액 (KRW, 최소 화폐 단위, 최대 ');
  expect(t.refund).not.toMatch(/Refunds this payment|Policy:|Override|Reason|Amount/);
  // the member page: subscription, last payments and their columns, the timeline's entries
  for (const text of ['구독', '이용 중', '최근 결제', '일시', '종류', '상태', '금액', '결제 완료', '타임라인 (', `구독 결제 #${paymentKrw.id}`, '구독 시작']) expect(t.member).toContain(text);
  expect(t.member).not.toMatch(/Last payments|Timeline|When|subscription payment|renews/);
  await page.close();
}, 120_000);

it('a staff member who chose English reads the same screens in English', async () => {
  const page = await s.login('finance', DESKTOP);
  const email = await page.evaluate(() => (window as unknown as { REDUX_STATE: { session: { email: string } } }).REDUX_STATE.session.email);
  // users.panel_language = 'en' (the Language page writes it); the session follows the account at the next page.
  await s.ctx.rt.ds.getRepository(User).update({ email }, { panelLanguage: 'en' });
  const t = await financeScreens(page);
  expect(t.lang).toBe('en');
  for (const text of ['Marquee back office', 'Key figures', 'Active subscribers', 'MRR (KRW)', 'Subscriptions by plan', 'Refunds waiting for finance', 'by calendar day in Asia/Seoul (KST)']) expect(t.dashboard).toContain(text);
  expect(t.apply).toBe('Show');
  expect(t.refund).toContain('Refunds this payment through the gateway under the refund policy below.');
  expect(t.refund).toMatch(/Policy: full_7d_unwatched — refundable ₩[\d,]+ of ₩[\d,]+/);
  expect(t.refund).toContain('Paid within the last 7 days and nothing watched since');
  expect(t.refund).toMatch(/Override the policy \(up to ₩[\d,]+; a reason is required and audited\)/);
  expect(t.refund).toContain('Reason (optional)');
  expect(t.submit).toMatch(/^Refund ₩[\d,]+$/);
  expect(t.override).toContain('Amount (KRW, minor units; at most ');
  // nothing Korean is left in the dialog
  expect(t.refund).not.toMatch(/[가-힣]/);
  for (const text of ['Subscription', 'Last payments', 'When', 'Kind', 'Status', 'Amount', 'Timeline (', `subscription payment #${paymentKrw.id}`, 'subscription started']) expect(t.member).toContain(text);
  expect(t.member).not.toMatch(/최근 결제|타임라인|일시|구독 결제/);
  await page.close();
}, 120_000);
