// In a real headless Chromium: finance opens a paid payment in "Finance › Payments", refunds
// part of it through the "Refund…" form and sees the new status; catalog staff do not see
// Payments in the navigation and a direct URL is refused.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Payment } from '../../src/modules/commerce/commerce.entities.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { auth, CARD, memberAccount } from '../support/commerce-instruments.js';

const s = adminBrowserSuite();
const WIDE = { width: 1600, height: 1000 }; // the navigation is a side bar from this width on

it('finance refunds part of a payment and sees it partially refunded', async () => {
  const member = await memberAccount(s.ctx.rt, s.ctx.app);
  const post = (p: string, body: object) => request(s.ctx.app).post(p).set(auth(member.token)).set('Idempotency-Key', randomUUID()).send(body);
  const m = (await request(s.ctx.app).post('/payments/methods/').set(auth(member.token)).send(CARD).expect(201)).body.id;
  const id = (await post('/payments/request/', { plan: 'monthly', method_id: m }).expect(201)).body.payment_id;
  await post('/payments/approve/', { payment_id: id }).expect(200);
  await post('/payments/execute/', { payment_id: id }).expect(200);

  const page = await s.login('finance', WIDE);
  await page.goto(`${s.baseUrl}/admin/resources/payments/records/${id}/show`);
  await page.getByText(/^(paid|결제 완료)$/i).first().waitFor();
  await page.goto(`${s.baseUrl}/admin/resources/payments/records/${id}/refund`);
  const form = page.getByTestId('finance-refund');
  await form.waitFor();
  // the policy's amount first; refunding another amount outside it is an explicit override
  await page.locator('[data-testid="refund-policy"][data-rule="full_7d_unwatched"]').waitFor();
  await page.getByTestId('refund-override').check();
  await page.fill('#refund-amount', '3000');
  await page.fill('#finance-reason', 'Two days of outage');
  await s.shot(page, 'finance-refund.png');
  await page.getByTestId('finance-refund-submit').click();
  await page.waitForURL(`${s.baseUrl}/admin/resources/payments/records/${id}/show`);
  await page.getByText(/^(partially[ _]refunded|부분 환불)$/i).first().waitFor();
  await s.shot(page, 'finance-refunded.png');
  expect(await s.ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id })).toEqual(expect.objectContaining({ status: 'partially_refunded', refundedAmount: 3000 }));
  const status = await request(s.ctx.app).get(`/payments/${id}/status/`).set(auth(member.token)).expect(200);
  expect(status.body.refunds).toEqual([expect.objectContaining({ amount: 3000, status: 'completed', rule: 'override' })]);
  await page.close();
}, 60_000);

it('catalog staff do not see Payments and cannot open them', async () => {
  const page = await s.login('catalog', WIDE);
  await page.getByText('카탈로그', { exact: true }).first().waitFor();
  await s.shot(page, 'catalog-navigation.png');
  expect(await page.getByText('재무', { exact: true }).count()).toBe(0);
  expect(await page.getByRole('link', { name: '결제', exact: true }).count()).toBe(0);
  await page.goto(`${s.baseUrl}/admin/resources/payments`);
  await page.getByText(/권한이 없습니다/).first().waitFor();
  await s.shot(page, 'catalog-payments-refused.png');
  expect(await page.locator('table tbody tr').count()).toBe(0);
  await page.close();
}, 60_000);
