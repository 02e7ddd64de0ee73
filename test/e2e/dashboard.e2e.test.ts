// The statistics dashboard in a real headless Chromium: payments made through the API and viewing
// events on the last two days (KST, the service zone), snapshotted by the statistics service; each
// role sees its blocks, the charts are drawn and carry exactly the snapshot tables' numbers; today
// is live and marked partial; KPI cards with the previous period; the range lives in the URL and
// survives a reload; "Recompute these days" queues the job and the page refreshes itself when the
// snapshots are newer (finance/admin only). Found by URL and data-testid, not by labels (the panel
// is being translated). Screenshots: artifacts/screenshots/ (desktop and phone).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { WatchEvent } from '../../src/modules/members/watch.entity.js';
import { DailyContentViewStat, DailyRevenueStat } from '../../src/modules/statistics/statistics.entities.js';
import { addDays } from '../../src/modules/statistics/statistics.service.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { capturedPaymentAt, memberAccount } from '../support/commerce-instruments.js';

const s = adminBrowserSuite();
const WIDE = { width: 1600, height: 1200 };
const PHONE = { width: 390, height: 844 };
const SHOTS = path.resolve('artifacts/screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
let today: string;
let yesterday: string;
let before: string;

/** 11:00 UTC is 20:00 KST: inside the KST day. */
async function paidOn(day: string, plan: string): Promise<void> {
  await capturedPaymentAt(s.ctx.rt, s.ctx.app, await memberAccount(s.ctx.rt, s.ctx.app), { plan }, new Date(`${day}T11:00:00Z`));
}

async function points(page: Page, testId: string): Promise<unknown> {
  const chart = page.getByTestId(testId);
  await chart.waitFor({ timeout: 20_000 });
  return JSON.parse((await chart.getAttribute('data-points'))!);
}

/** chart.js drew on the canvas: some pixel is not transparent. */
async function drawn(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  });
}

let titles: string[];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const stats = s.ctx.rt.services.statistics;
  expect(stats.timeZone).toBe('Asia/Seoul');
  [today, yesterday] = [stats.today(), stats.yesterday()];
  before = addDays(yesterday, -1);
  await paidOn(before, 'monthly');
  await paidOn(yesterday, 'monthly');
  await paidOn(yesterday, 'yearly');
  const repo = s.ctx.rt.ds.getRepository(Content);
  titles = ['대시보드 콘텐츠 하나', '대시보드 콘텐츠 둘'];
  const ids: number[] = [];
  for (const title of titles) {
    ids.push((await repo.save({ movieId: null, title, storageKey: `k/${randomUUID()}`, originalName: null, sizeBytes: '1', sha256: 'b'.repeat(64), mimeType: 'video/mp4', status: 'ready', statusReason: null, validFrom: null, validUntil: null, metadata: null, uploadedBy: null })).id);
  }
  const watch = (userId: number, contentId: number, at: string) => s.ctx.rt.ds.getRepository(WatchEvent).insert({ userId, contentId, movieId: null, positionSeconds: 60, watchedSeconds: 60, createdAt: new Date(at) });
  for (const u of [1, 2, 3]) await watch(u, ids[0], `${yesterday}T05:00:00Z`);
  await watch(1, ids[1], `${yesterday}T06:00:00Z`);
  await s.ctx.rt.services.statistics.computeRange(before, yesterday);
}, 120_000);

it('finance sees KPI cards, revenue bars with today live and partial, subscriptions and pending refunds equal to the snapshot tables', async () => {
  const page = await s.login('finance', WIDE);
  const revenue = (await points(page, 'revenue-chart-KRW')) as { gross: Array<number | null>; net: Array<number | null>; partial_day: string };
  const rows = await s.ctx.rt.ds.getRepository(DailyRevenueStat).find();
  const gross = (day: string) => rows.filter((r) => r.day === day).reduce((n, r) => n + r.gross, 0);
  // The last 30 days end today (KST): 27 days without snapshots, the two computed days, today live.
  expect(revenue.gross).toHaveLength(30);
  expect(revenue.partial_day).toBe(today);
  expect(revenue.gross.slice(27, 29)).toEqual([gross(before), gross(yesterday)]);
  expect(revenue.gross.slice(27)).toEqual([9900, 9900 + 99000, 0]);
  expect(revenue.gross.slice(0, 27).every((v) => v === null)).toBe(true); // not computed: gaps
  expect(await page.getByTestId('revenue-gross-KRW').textContent()).toBe('₩118,800');
  expect(await drawn(page, 'revenue-chart-KRW')).toBe(true);
  expect(await page.getByTestId('dash-partial').getAttribute('data-day')).toBe(today);
  expect(await page.getByTestId('dash-range').getAttribute('data-to')).toBe(today);
  // A chart of a readable height (its box, not the canvas's default aspect ratio).
  const box = await page.getByTestId('revenue-chart-KRW').boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(200);
  expect(box!.height).toBeLessThanOrEqual(400);

  // KPI cards beside the previous period's: three subscribers active (2 monthly, 1 yearly).
  await page.getByTestId('kpis').waitFor();
  expect(await page.getByTestId('kpi-active-subscribers-value').textContent()).toBe('3');
  expect(await page.getByTestId('kpi-active-subscribers-previous').textContent()).toContain('—');
  expect(await page.getByTestId('kpi-mrr-KRW-value').textContent()).toBe('₩28,050'); // 2 × 9,900 + 99,000 / 12
  await page.getByTestId('kpi-refund-rate-KRW-value').waitFor();
  await page.getByTestId('kpi-arpu-KRW-value').waitFor();

  const subs = (await points(page, 'subscriptions-chart')) as Array<{ plan: string; new: number; active: number }>;
  expect(subs).toEqual([expect.objectContaining({ plan: 'monthly', new: 2, active: 2 }), expect.objectContaining({ plan: 'yearly', new: 1, active: 1 })]);
  expect(await drawn(page, 'subscriptions-chart')).toBe(true);
  await page.getByTestId('refunds-pending-none').waitFor();
  // finance does not get the catalog blocks
  expect(await page.getByTestId('top-contents-chart').count()).toBe(0);
  expect(await page.getByTestId('catalog').count()).toBe(0);
  await s.shot(page, 'dashboard-finance.png');
  await shot(page, 'dashboard-finance-desktop.png');
  await page.close();

  const phone = await s.login('finance', PHONE);
  await phone.getByTestId('kpis').waitFor();
  const phoneBox = await phone.getByTestId('revenue-chart-KRW').boundingBox();
  expect(phoneBox!.height).toBeGreaterThanOrEqual(200);
  expect(phoneBox!.width).toBeLessThanOrEqual(PHONE.width);
  await shot(phone, 'dashboard-finance-phone.png');
  await phone.close();
}, 90_000);

it('keeps the range in the URL across a reload; a recompute refreshes the page when its job is done', async () => {
  const page = await s.login('finance', WIDE);
  await page.getByTestId('dash-range').waitFor();
  await page.fill('#dash-from', before);
  await page.fill('#dash-to', yesterday);
  await page.getByTestId('dash-apply').click();
  await page.waitForURL((url) => url.searchParams.get('from') === before && url.searchParams.get('to') === yesterday);
  const range = page.locator(`[data-testid="dash-range"][data-from="${before}"][data-to="${yesterday}"]`);
  await range.waitFor();
  expect(await range.textContent()).toContain('2일 중 2일 집계됨');
  expect(((await points(page, 'revenue-chart-KRW')) as { gross: number[] }).gross).toEqual([9900, 108900]);
  expect(await page.getByTestId('dash-partial').count()).toBe(0); // today is not in this range

  await page.reload();
  await page.locator(`[data-testid="dash-range"][data-from="${before}"][data-to="${yesterday}"]`).waitFor();
  expect(await page.inputValue('#dash-from')).toBe(before);
  expect(((await points(page, 'revenue-chart-KRW')) as { gross: number[] }).gross).toEqual([9900, 108900]);

  // Recompute: the job is queued and audited; the page waits, and refreshes when the snapshots are newer.
  await page.getByTestId('dash-recompute').click();
  await page.getByTestId('dash-waiting').waitFor();
  await s.ctx.rt.relay.flush(); // the outbox relay moves the intent to BullMQ
  const queued = await (s.ctx.rt.jobs as BullJobBus).queue(QUEUES.statistics).getJobs(['waiting', 'delayed', 'active', 'completed']);
  expect(queued.map((j) => [j.name, j.data])).toContainEqual(['statistics.recompute', expect.objectContaining({ from: before, to: yesterday })]);
  expect(await s.ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'statistics.recompute', recordId: `${before}..${yesterday}` })).toBe(1);
  // A payment that arrived late for yesterday; the worker (here: the service it calls) recomputes.
  await paidOn(yesterday, 'monthly');
  await s.ctx.rt.services.statistics.computeRange(before, yesterday);
  await page.getByTestId('dash-waiting').waitFor({ state: 'detached', timeout: 20_000 });
  expect(((await points(page, 'revenue-chart-KRW')) as { gross: number[] }).gross).toEqual([9900, 108900 + 9900]);
  await shot(page, 'dashboard-range-desktop.png');
  await page.close();
}, 90_000);

it('catalog staff see views and catalog figures, not money', async () => {
  const page = await s.login('catalog', WIDE);
  const top = (await points(page, 'top-contents-chart')) as Array<{ title: string; views: number }>;
  const viewRows = await s.ctx.rt.ds.getRepository(DailyContentViewStat).find();
  expect(top).toEqual([
    { title: titles[0], views: 3 },
    { title: titles[1], views: 1 },
  ]);
  expect(Number(await page.getByTestId('views-total').textContent())).toBe(viewRows.reduce((n, r) => n + r.views, 0));
  expect(await drawn(page, 'top-contents-chart')).toBe(true);
  await page.getByTestId('catalog-figures').waitFor();
  expect(await page.getByTestId('revenue-chart-KRW').count()).toBe(0);
  expect(await page.getByTestId('subscriptions').count()).toBe(0);
  expect(await page.getByTestId('dash-recompute').count()).toBe(0);
  await s.shot(page, 'dashboard-catalog.png');
  await shot(page, 'dashboard-catalog-desktop.png');
  await page.close();
}, 60_000);

it('a bad range is refused with the field named', async () => {
  const page = await s.login('admin', WIDE);
  await page.getByTestId('revenue-chart-KRW').waitFor({ timeout: 20_000 });
  await page.getByTestId('top-contents-chart').waitFor();
  await page.fill('#dash-from', yesterday);
  await page.fill('#dash-to', before);
  await page.getByTestId('dash-apply').click();
  await page.getByTestId('dash-error').filter({ hasText: /^종료일: 기간의 끝이 시작보다 앞섭니다/ }).waitFor();
  await s.shot(page, 'dashboard-admin-bad-range.png');
  await page.close();
}, 60_000);
