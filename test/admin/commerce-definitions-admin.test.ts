// Issue 13 §1 (commerce part): plans, discounts and coupons written in the panel go through their
// services with the API's schemas, so the panel refuses what the API refuses — the drifts found
// in the review: a discount cap below its used count, a discount naming an unknown plan, a coupon
// per-user limit above the API's 100 — with the same fields, writes nothing, and the service's
// audit entry is the one written. Through the panel's own action API, against live MariaDB.
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Coupon, Discount, Plan } from '../../src/modules/commerce/commerce.entities.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, staffAccount, type Account } from '../support/commerce-instruments.js';
import { panelLogins } from '../support/panel.js';

let ctx: TestContext & { app: Express };
let finance: Account;
const as = panelLogins(() => ctx);
const api = '/admin/api/resources';
const errorsOf = (res: request.Response) => Object.keys(res.body.record?.errors ?? {}).sort();

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
});
afterAll(async () => {
  await ctx?.close();
});

describe('discounts', () => {
  it('a cap below the used count is refused by the panel as by the API', async () => {
    const d = await ctx.rt.services.offers.createDiscount(finance, { name: 'Spring', kind: 'promotion', type: 'percent', value: 10, max_uses: 10 });
    await ctx.rt.ds.getRepository(Discount).update({ id: d.id }, { usedCount: 5 });
    const panel = await (await as('finance')).post(`${api}/discounts/records/${d.id}/edit`).send({ maxUses: '3' });
    expect(panel.body.notice.type).toBe('error');
    expect(errorsOf(panel)).toEqual(['maxUses']);
    const viaApi = await request(ctx.app).put(`/discounts/${d.id}/`).set(auth(finance.token)).set('Accept-Language', 'en').send({ max_uses: 3 });
    expect(viaApi.status).toBe(400);
    expect(Object.keys(viaApi.body)).toContain('max_uses');
    expect((await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ id: d.id })).maxUses).toBe(10);
  });

  it('a discount naming an unknown plan is refused; a good one is created with the service’s audit entry', async () => {
    const finance = await as('finance');
    const bad = await finance.post(`${api}/discounts/actions/new`).send({ name: 'Partner', kind: 'partner', type: 'percent', value: '20', 'planCodes.0': 'monthly', 'planCodes.1': 'no-such-plan' });
    expect(bad.body.notice.type).toBe('error');
    expect(errorsOf(bad)).toEqual(['planCodes']);
    expect(await ctx.rt.ds.getRepository(Discount).countBy({ name: 'Partner' })).toBe(0);

    const ok = await finance.post(`${api}/discounts/actions/new`).send({ name: 'Partner', kind: 'partner', type: 'percent', value: '20', 'planCodes.0': 'monthly', maxUses: '', active: 'true', usedCount: '99' });
    expect(ok.body.notice.type).toBe('success');
    const saved = await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ name: 'Partner' });
    expect(saved).toMatchObject({ planCodes: ['monthly'], maxUses: null, usedCount: 0, value: 20 });
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'discounts', action: 'discount.create', recordId: String(saved.id) })).toBe(1);
  });

  it('the API’s text rule holds in the panel: a NUL or a lone surrogate in a name is a field error', async () => {
    const agent = await as('finance');
    for (const name of ['Bad\u0000name', 'Bad\ud800name']) {
      const res = await agent.post(`${api}/discounts/actions/new`).send({ name, kind: 'promotion', type: 'percent', value: '10' });
      expect(res.body.notice.type).toBe('error');
      expect(errorsOf(res)).toEqual(['name']);
    }
    expect(await ctx.rt.ds.getRepository(Discount).countBy({ kind: 'promotion', value: 10, name: 'Bad\u0000name' })).toBe(0);
  });

  it('field errors of the schema come back on the form fields (percent over 100, fixed without a currency)', async () => {
    const res = await (await as('finance')).post(`${api}/discounts/actions/new`).send({ name: 'Broken', kind: 'promotion', type: 'fixed', value: 'abc' });
    expect(res.body.notice.type).toBe('error');
    expect(errorsOf(res)).toContain('value');
    expect(await ctx.rt.ds.getRepository(Discount).countBy({ name: 'Broken' })).toBe(0);
  });
});

describe('coupons', () => {
  it('a per-user limit above the API’s 100 is refused in the panel too', async () => {
    const res = await (await as('finance')).post(`${api}/coupons/actions/new`).send({ code: 'BIGLIMIT', name: 'Big', type: 'fixed', value: '1000', currency: 'KRW', perUserLimit: '500' });
    expect(res.body.notice.type).toBe('error');
    expect(errorsOf(res)).toEqual(['perUserLimit']);
    expect(await ctx.rt.ds.getRepository(Coupon).countBy({ code: 'BIGLIMIT' })).toBe(0);
  });

  it('an edit keeps the code, refuses a total limit below what is issued, and is audited by the service', async () => {
    const c = await ctx.rt.services.offers.createCoupon(finance, { code: 'EDITME', name: 'Edit me', type: 'fixed', value: 1000, currency: 'KRW', total_limit: 10 });
    await ctx.rt.ds.getRepository(Coupon).update({ id: c.id }, { issuedCount: 4 });
    const agent = await as('finance');
    const low = await agent.post(`${api}/coupons/records/${c.id}/edit`).send({ totalLimit: '2' });
    expect(errorsOf(low)).toEqual(['totalLimit']);
    const ok = await agent.post(`${api}/coupons/records/${c.id}/edit`).send({ code: 'RENAMED', name: 'Edited', totalLimit: '20' });
    expect(ok.body.notice.type).toBe('success');
    expect(await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).toMatchObject({ code: 'EDITME', name: 'Edited', totalLimit: 20, issuedCount: 4 });
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'coupons', action: 'coupon.update', recordId: String(c.id) })).toBe(1);
  });
});

describe('plans', () => {
  it('are created and edited through the plans service; a taken code and a bad device limit are field errors', async () => {
    const agent = await as('admin');
    const ok = await agent.post(`${api}/plans/actions/new`).send({ code: 'student', name: 'Student', interval: 'month', price: '4900', currency: 'KRW', deviceLimit: '1', active: 'true' });
    expect(ok.body.notice.type).toBe('success');
    const plan = await ctx.rt.ds.getRepository(Plan).findOneByOrFail({ code: 'student' });
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'plans', action: 'plan.create', recordId: String(plan.id) })).toBe(1);
    const taken = await agent.post(`${api}/plans/actions/new`).send({ code: 'student', name: 'Again', interval: 'month', price: '4900', currency: 'KRW', deviceLimit: '1' });
    expect(errorsOf(taken)).toEqual(['code']);
    const bad = await agent.post(`${api}/plans/records/${plan.id}/edit`).send({ deviceLimit: '50', price: '5900' });
    expect(errorsOf(bad)).toEqual(['deviceLimit']);
    expect((await ctx.rt.ds.getRepository(Plan).findOneByOrFail({ id: plan.id })).price).toBe(4900);
    const edited = await agent.post(`${api}/plans/records/${plan.id}/edit`).send({ price: '5900', active: 'false' });
    expect(edited.body.notice.type).toBe('success');
    expect(await ctx.rt.ds.getRepository(Plan).findOneByOrFail({ id: plan.id })).toMatchObject({ price: 5900, active: false, code: 'student' });
  });

  it('are not deleted from the panel', async () => {
    const plan = await ctx.rt.ds.getRepository(Plan).findOneByOrFail({ code: 'monthly' });
    const res = await (await as('admin')).post(`${api}/plans/records/${plan.id}/delete`);
    expect(res.status >= 400 || res.body.notice?.type === 'error').toBe(true);
    expect(await ctx.rt.ds.getRepository(Plan).countBy({ id: plan.id })).toBe(1);
  });
});
