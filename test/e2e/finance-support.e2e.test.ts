// In a real headless Chromium, the finance and support workflows of issue 14 (selectors are URLs,
// data-testid / data-css attributes and field names — never English labels, the panel is being
// translated):
//   finance: find a member by card last 4 → their timeline → the payment (method, refunds, history)
//            → "Refund…" defaults to the policy's amount → refunded; bulk approve of pending refunds;
//            the list's CSV button carries the list's filters;
//   support: find a member by phone → the member page shows the subscription status, masked.
// Screenshots, desktop and phone (390×844), in artifacts/screenshots/ (gitignored).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { Payment, PaymentMethod, Refund } from '../../src/modules/commerce/commerce.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { auth, CARD, memberAccount, type Account } from '../support/commerce-instruments.js';

const s = adminBrowserSuite();
const WIDE = { width: 1600, height: 1000 };
const PHONE = { width: 390, height: 844 };
const SHOTS = path.resolve('artifacts/screenshots');
const DAY = 86_400_000;

const shot = async (page: Page, name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
};

/** A monthly subscription paid through the API, moved `daysAgo` back (10 → the prorated rule). */
async function paid(member: Account, daysAgo: number): Promise<number> {
  const post = (p: string, body: object) => request(s.ctx.app).post(p).set(auth(member.token)).set('Idempotency-Key', randomUUID()).send(body);
  const m = (await request(s.ctx.app).post('/payments/methods/').set(auth(member.token)).send(CARD).expect(201)).body.id;
  const id = (await post('/payments/request/', { plan: 'monthly', method_id: m }).expect(201)).body.payment_id as number;
  await post('/payments/approve/', { payment_id: id }).expect(200);
  await post('/payments/execute/', { payment_id: id }).expect(200);
  if (daysAgo) {
    const repo = s.ctx.rt.ds.getRepository(Payment);
    const p = await repo.findOneByOrFail({ id });
    const back = (d: Date | null) => (d ? new Date(d.getTime() - daysAgo * DAY) : null);
    await repo.update({ id }, { paidAt: back(p.paidAt), periodStart: back(p.periodStart), periodEnd: back(p.periodEnd) });
  }
  return id;
}

let member: Account;
let paymentId: number;

beforeAll(async () => {
  member = await memberAccount(s.ctx.rt, s.ctx.app);
  await s.ctx.rt.ds.getRepository(User).update({ id: member.id }, { fullName: '나결제', phone: '010-4242-1357' });
  paymentId = await paid(member, 10);
  await s.ctx.rt.ds.getRepository(PaymentMethod).update({ userId: member.id }, { masked: '****6061' });
}, 60_000);

it('finance: finds the member by card last 4, opens the payment from the timeline and refunds the policy amount', async () => {
  const page = await s.login('finance', WIDE);
  await page.goto(`${s.baseUrl}/admin/resources/members?filters.q=6061`);
  // the row's show action (in the row's menu: attached, not necessarily visible)
  const link = page.locator(`a[href*="/resources/members/records/${member.id}/show"]`).first();
  await link.waitFor({ state: 'attached' });
  await shot(page, 'finance-member-search-desktop.png');
  await page.goto(`${s.baseUrl}${await link.getAttribute('href')}`);
  await page.waitForURL(`${s.baseUrl}/admin/resources/members/records/${member.id}/show`);
  const timeline = page.getByTestId('member-timeline');
  await timeline.waitFor();
  expect(await timeline.locator('[data-kind="method"]').first().textContent()).toContain('•••• 6061');
  await shot(page, 'finance-member-timeline-desktop.png');
  await timeline.locator(`a[href*="/resources/payments/records/${paymentId}/show"]`).first().click();
  await page.waitForURL(`${s.baseUrl}/admin/resources/payments/records/${paymentId}/show`);
  await page.getByTestId('payment-history').waitFor();
  expect(await page.getByTestId('payment-method').textContent()).toContain('•••• 6061');
  expect(await page.getByTestId('payment-gateway-ref').textContent()).toMatch(/sbx|tx|\w{6,}/);
  await shot(page, 'finance-payment-desktop.png');

  await page.goto(`${s.baseUrl}/admin/resources/payments/records/${paymentId}/refund`);
  const policy = page.locator('[data-testid="refund-policy"][data-rule="prorated"]');
  await policy.waitFor();
  const refundable = Number(await policy.getAttribute('data-refundable'));
  expect(refundable).toBeGreaterThan(0);
  // the amount defaults to the policy's; no override, no reason needed
  await page.waitForFunction((v) => (document.querySelector('#refund-amount') as HTMLInputElement | null)?.value === v, String(refundable));
  expect(await page.getByTestId('refund-override').isChecked()).toBe(false);
  await shot(page, 'finance-refund-dialog-desktop.png');
  await page.getByTestId('finance-refund-submit').click();
  await page.waitForURL(`${s.baseUrl}/admin/resources/payments/records/${paymentId}/show`);
  await page.locator(`[data-testid^="payment-refund-"]`).first().waitFor();
  const refunds = await s.ctx.rt.ds.getRepository(Refund).findBy({ paymentId });
  expect(refunds.map((r) => [r.amount, r.rule, r.status])).toEqual([[refundable, 'prorated', 'completed']]);
  await shot(page, 'finance-payment-refunded-desktop.png');

  // the same dialog on a phone
  const phone = await s.login('finance', PHONE);
  const other = await paid(member, 10);
  await phone.goto(`${s.baseUrl}/admin/resources/payments/records/${other}/refund`);
  await phone.locator('[data-testid="refund-policy"][data-rule="prorated"]').waitFor();
  await shot(phone, 'finance-refund-dialog-phone.png');
  await phone.close();
  await page.close();
}, 120_000);

it('finance: bulk approve of pending refunds reports each row; the CSV button carries the list’s filters', async () => {
  const pending: number[] = [];
  for (let i = 0; i < 2; i++) {
    const m = await memberAccount(s.ctx.rt, s.ctx.app);
    const id = await paid(m, 10);
    const r = await request(s.ctx.app).post('/refunds/').set(auth(m.token)).set('Idempotency-Key', randomUUID()).send({ payment_id: id, reason: 'moving' }).expect(201);
    pending.push((await s.ctx.rt.ds.getRepository(Refund).findOneByOrFail({ code: r.body.refund_code })).id);
  }
  const page = await s.login('finance', WIDE);
  await page.goto(`${s.baseUrl}/admin/resources/refunds?filters.status=requested`);
  for (const id of pending) await page.locator(`a[href*="/resources/refunds/records/${id}/show"]`).first().waitFor({ state: 'attached' });
  await shot(page, 'finance-refunds-pending-desktop.png');
  await page.goto(`${s.baseUrl}/admin/resources/refunds/bulk/bulkApprove?recordIds=${pending.join(',')}`);
  await page.getByTestId('bulk-bulkApprove').waitFor();
  await page.getByTestId('bulk-submit').click();
  for (const id of pending) await page.locator(`[data-testid="bulk-row-${id}"][data-outcome="done"]`).waitFor();
  await shot(page, 'finance-bulk-approve-desktop.png');
  for (const id of pending) expect((await s.ctx.rt.ds.getRepository(Refund).findOneByOrFail({ id })).status).toBe('completed');

  // CSV 내보내기 on the filtered payments list: the link carries the filters and the sort
  await page.goto(`${s.baseUrl}/admin/resources/payments?filters.status=paid&sortBy=createdAt&direction=asc`);
  await page.getByTestId('action-csvExport').first().click();
  const exportLink = page.getByTestId('csv-export-link');
  await exportLink.waitFor();
  const href = (await exportLink.getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/admin\/export\/payments\.csv\?/);
  const params = new URLSearchParams(href.split('?')[1]);
  expect([params.get('filters.status'), params.get('sortBy'), params.get('direction')]).toEqual(['paid', 'createdAt', 'asc']);
  await shot(page, 'finance-csv-export-desktop.png');
  // the browser's own session downloads it (BOM + header line)
  const csv = await page.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, bom: [b[0], b[1], b[2]], head: new TextDecoder().decode(b.slice(3, 200)).split('\r\n')[0] };
  }, href);
  expect(csv.status).toBe(200);
  expect(csv.bom).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.head.startsWith('id,userId,')).toBe(true);
  await page.close();
}, 120_000);

it('support: finds the member by phone and sees the subscription status, masked (desktop and phone)', async () => {
  for (const [viewport, suffix] of [
    [WIDE, 'desktop'],
    [PHONE, 'phone'],
  ] as const) {
    const page = await s.login('support', viewport);
    await page.goto(`${s.baseUrl}/admin/resources/members?filters.q=${encodeURIComponent('010-4242-1357')}`);
    const link = page.locator(`a[href*="/resources/members/records/${member.id}/show"]`).first();
    await link.waitFor({ state: 'attached' });
    const listText = (await page.locator('body').textContent()) ?? '';
    expect(listText).not.toContain('4242-1357');
    expect(listText).not.toContain('나결제');
    await shot(page, `support-member-search-${suffix}.png`);
    await page.goto(`${s.baseUrl}/admin/resources/members/records/${member.id}/show`);
    const sub = page.locator('[data-testid="member-subscription"][data-status="active"]');
    await sub.waitFor();
    await page.getByTestId('member-last-payments').waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain('010-****-1357');
    expect(body).toContain('나*제');
    expect(body).not.toMatch(/4242-1357|나결제|6061|4242 4242/);
    expect(await page.getByTestId('member-timeline').count()).toBe(0);
    await shot(page, `support-member-page-${suffix}.png`);
    // support may not open payments
    await page.goto(`${s.baseUrl}/admin/resources/payments/records/${paymentId}/show`);
    await page.waitForTimeout(500);
    expect(await page.getByTestId('payment-details').count()).toBe(0);
    await page.close();
  }
}, 120_000);
