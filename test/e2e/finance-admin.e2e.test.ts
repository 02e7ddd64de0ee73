// In a real headless Chromium: finance opens a paid payment in "Finance › Payments", refunds
// part of it through the "Refund…" form and sees the new status; catalog staff do not see
// Payments in the navigation and a direct URL is refused.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { Payment } from '../../src/modules/commerce/commerce.entities.js';
import { ARTIFACTS, launchBrowser, listen, localPage } from '../support/browser.js';
import { auth, CARD, memberAccount } from '../support/commerce-instruments.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff } from '../support/users.js';

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

async function login(role: 'finance' | 'catalog'): Promise<Page> {
  const staff = await createStaff(ctx.rt, role);
  const page = await localPage(browser, { width: 1600, height: 1000 });
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name="email"]', staff.email);
  await page.fill('input[name="password"]', staff.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL(`${baseUrl}/admin`);
  return page;
}

it('finance refunds part of a payment and sees it partially refunded', async () => {
  const member = await memberAccount(ctx.rt, ctx.app);
  const post = (p: string, body: object) => request(ctx.app).post(p).set(auth(member.token)).set('Idempotency-Key', randomUUID()).send(body);
  const m = (await request(ctx.app).post('/payments/methods/').set(auth(member.token)).send(CARD).expect(201)).body.id;
  const id = (await post('/payments/request/', { plan: 'monthly', method_id: m }).expect(201)).body.payment_id;
  await post('/payments/approve/', { payment_id: id }).expect(200);
  await post('/payments/execute/', { payment_id: id }).expect(200);

  const page = await login('finance');
  await page.goto(`${baseUrl}/admin/resources/payments/records/${id}/show`);
  await page.getByText(/^paid$/i).first().waitFor();
  await page.goto(`${baseUrl}/admin/resources/payments/records/${id}/refund`);
  const form = page.getByTestId('finance-refund');
  await form.waitFor();
  await page.fill('#refund-amount', '3000');
  await page.fill('#finance-reason', 'Two days of outage');
  await shot(page, 'finance-refund.png');
  await form.getByRole('button', { name: 'Refund', exact: true }).click();
  await page.waitForURL(`${baseUrl}/admin/resources/payments/records/${id}/show`);
  await page.getByText(/^partially[ _]refunded$/i).first().waitFor();
  await shot(page, 'finance-refunded.png');
  expect(await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id })).toEqual(expect.objectContaining({ status: 'partially_refunded', refundedAmount: 3000 }));
  const status = await request(ctx.app).get(`/payments/${id}/status/`).set(auth(member.token)).expect(200);
  expect(status.body.refunds).toEqual([expect.objectContaining({ amount: 3000, status: 'completed', rule: 'override' })]);
  await page.close();
}, 60_000);

it('catalog staff do not see Payments and cannot open them', async () => {
  const page = await login('catalog');
  await page.getByText('Catalog', { exact: true }).first().waitFor();
  await shot(page, 'catalog-navigation.png');
  expect(await page.getByText('Finance', { exact: true }).count()).toBe(0);
  expect(await page.getByRole('link', { name: 'Payments' }).count()).toBe(0);
  await page.goto(`${baseUrl}/admin/resources/payments`);
  await page.getByText(/not authorized to use it/i).first().waitFor();
  await shot(page, 'catalog-payments-refused.png');
  expect(await page.locator('table tbody tr').count()).toBe(0);
  await page.close();
}, 60_000);
