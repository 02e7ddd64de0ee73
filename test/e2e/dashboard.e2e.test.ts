// The statistics dashboard in a real headless Chromium: payments made through the API and viewing
// events on the last two days, snapshotted by the statistics service; each role sees its blocks,
// the charts are drawn and carry exactly the snapshot tables' numbers; the date-range picker
// reloads; "Recompute these days" queues the job (finance/admin only).
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { WatchEvent } from '../../src/modules/members/watch.entity.js';
import { DailyContentViewStat, DailyRevenueStat } from '../../src/modules/statistics/statistics.entities.js';
import { addDays, previousUtcDay } from '../../src/modules/statistics/statistics.service.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { capturedPaymentAt, memberAccount } from '../support/commerce-instruments.js';

const s = adminBrowserSuite();
const WIDE = { width: 1600, height: 1200 };
const yesterday = previousUtcDay();
const before = addDays(yesterday, -1);

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
  for (const u of [1, 2, 3]) await watch(u, ids[0], `${yesterday}T20:00:00Z`);
  await watch(1, ids[1], `${yesterday}T21:00:00Z`);
  await s.ctx.rt.services.statistics.computeRange(before, yesterday);
}, 120_000);

it('finance sees revenue, subscriptions and pending refunds equal to the snapshot tables, and can recompute', async () => {
  const page = await s.login('finance', WIDE);
  const revenue = (await points(page, 'revenue-chart-KRW')) as { gross: Array<number | null>; net: Array<number | null> };
  const rows = await s.ctx.rt.ds.getRepository(DailyRevenueStat).find();
  const gross = (day: string) => rows.filter((r) => r.day === day).reduce((n, r) => n + r.gross, 0);
  expect(revenue.gross).toHaveLength(30);
  expect(revenue.gross.slice(28)).toEqual([gross(before), gross(yesterday)]);
  expect(revenue.gross.slice(28)).toEqual([9900, 9900 + 99000]);
  expect(revenue.gross.slice(0, 28).every((v) => v === null)).toBe(true); // not computed: gaps
  expect(await page.getByTestId('revenue-gross-KRW').textContent()).toBe('118,800 KRW');
  expect(await drawn(page, 'revenue-chart-KRW')).toBe(true);

  const subs = (await points(page, 'subscriptions-chart')) as Array<{ plan: string; new: number; active: number }>;
  expect(subs).toEqual([expect.objectContaining({ plan: 'monthly', new: 2, active: 2 }), expect.objectContaining({ plan: 'yearly', new: 1, active: 1 })]);
  expect(await drawn(page, 'subscriptions-chart')).toBe(true);
  await page.getByTestId('refunds-pending-none').waitFor();
  // finance does not get the catalog blocks
  expect(await page.getByTestId('top-contents-chart').count()).toBe(0);
  expect(await page.getByTestId('catalog').count()).toBe(0);
  await s.shot(page, 'dashboard-finance.png');

  // The date-range picker: only the two computed days.
  await page.fill('#dash-from', before);
  await page.fill('#dash-to', yesterday);
  await page.getByTestId('dash-apply').click();
  await page.getByTestId('dash-range').filter({ hasText: `${before} – ${yesterday}: 2 of 2 days computed` }).waitFor();
  expect(((await points(page, 'revenue-chart-KRW')) as { gross: number[] }).gross).toEqual([9900, 108900]);

  // Recompute the range: the job is queued and the request audited.
  await page.getByTestId('dash-recompute').click();
  await page.getByText(/Recomputing 2 days/).first().waitFor();
  await s.ctx.rt.relay.flush(); // the outbox relay moves the intent to BullMQ
  const queued = await (s.ctx.rt.jobs as BullJobBus).queue(QUEUES.statistics).getJobs(['waiting', 'delayed', 'active', 'completed']);
  expect(queued.map((j) => [j.name, j.data])).toContainEqual(['statistics.recompute', expect.objectContaining({ from: before, to: yesterday })]);
  expect(await s.ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'statistics.recompute', recordId: `${before}..${yesterday}` })).toBe(1);
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
  await page.close();
}, 60_000);

it('a bad range is refused with the field named', async () => {
  const page = await s.login('admin', WIDE);
  await page.getByTestId('revenue-chart-KRW').waitFor({ timeout: 20_000 });
  await page.getByTestId('top-contents-chart').waitFor();
  await page.fill('#dash-from', yesterday);
  await page.fill('#dash-to', before);
  await page.getByTestId('dash-apply').click();
  await page.getByTestId('dash-error').filter({ hasText: /^to: / }).waitFor();
  await s.shot(page, 'dashboard-admin-bad-range.png');
  await page.close();
}, 60_000);
