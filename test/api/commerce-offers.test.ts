// Discounts and coupons (seed 000 §6, §7) against live MariaDB/Redis: the endpoints, roles and
// ownership, OffersPort (discount window/eligibility/cap, coupon lock → consume → release), and the
// coupon issue limits under concurrency (100 parallel issues of a coupon limited to 10 → 10).
import request from 'supertest';
import type { Express } from 'express';
import { Coupon, CouponIssue, Discount } from '../../src/modules/commerce/commerce.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { uniqueName } from '../support/users.js';
import { auth, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

let ctx: TestContext & { app: Express };
let finance: Account;
let admin: Account;
let catalog: Account;
let alice: Account;
let bob: Account;
const offers = () => ctx.rt.services.offers;
const count = (e: typeof Discount | typeof Coupon | typeof CouponIssue) => ctx.rt.ds.getRepository(e).count();
const HOUR = 3600_000;

/** Plain members inserted directly (the limit tests need many ids, not logins). */
async function bulkUsers(n: number): Promise<number[]> {
  const repo = ctx.rt.ds.getRepository(User);
  const rows = await repo.save(Array.from({ length: n }, () => repo.create({ username: uniqueName('bulk'), email: `${uniqueName('bulk')}@example.com`, passwordHash: 'x', role: 'user' })), { chunk: 50 });
  return rows.map((u) => u.id);
}

async function discount(body: object = {}) {
  const res = await request(ctx.app).post('/discounts/').set(auth(finance.token)).send({ name: '제휴 할인', kind: 'partner', type: 'percent', value: 10, ...body });
  expect(res.status).toBe(201);
  return res.body as { id: number };
}
async function coupon(body: object = {}) {
  const res = await request(ctx.app).post('/coupons/').set(auth(finance.token)).send({ code: uniqueName('C'), name: '웰컴 쿠폰', type: 'fixed', value: 1000, currency: 'KRW', ...body });
  expect(res.status).toBe(201);
  return res.body as { id: number; code: string };
}

beforeAll(async () => {
  ctx = await createTestApp();
  [finance, admin, catalog, alice, bob] = await Promise.all([
    staffAccount(ctx.rt, ctx.app, 'finance'),
    staffAccount(ctx.rt, ctx.app, 'admin'),
    staffAccount(ctx.rt, ctx.app, 'catalog'),
    memberAccount(ctx.rt, ctx.app),
    memberAccount(ctx.rt, ctx.app),
  ]);
});
afterAll(async () => {
  await ctx.close();
});

describe('discounts', () => {
  it('POST: finance/admin create (audited); members 403, catalog 403, anonymous 401', async () => {
    const now = Date.now();
    const res = await request(ctx.app)
      .post('/discounts/')
      .set(auth(admin.token))
      .send({ name: '통신사 제휴', kind: 'partner', type: 'fixed', value: 2000, currency: 'KRW', valid_from: new Date(now - HOUR).toISOString(), valid_until: new Date(now + 24 * HOUR).toISOString(), plans: ['monthly'], max_uses: 100 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: '통신사 제휴', kind: 'partner', type: 'fixed', value: 2000, currency: 'KRW', plans: ['monthly'], max_uses: 100, used_count: 0, remaining_uses: 100, active: true });
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'discounts', recordId: String(res.body.id), action: 'discount.create' })).toBe(1);
    const before = await count(Discount);
    const body = { name: 'x', kind: 'promotion', type: 'percent', value: 5 };
    expect((await request(ctx.app).post('/discounts/').set(auth(alice.token)).send(body)).status).toBe(403);
    expect((await request(ctx.app).post('/discounts/').set(auth(catalog.token)).send(body)).status).toBe(403);
    expect((await request(ctx.app).post('/discounts/').send(body)).status).toBe(401);
    expect(await count(Discount)).toBe(before);
  });

  it('POST validates every field and writes nothing', async () => {
    const before = await count(Discount);
    const post = (b: object, lang = 'en') => request(ctx.app).post('/discounts/').set(auth(finance.token)).set('Accept-Language', lang).send({ name: 'd', kind: 'promotion', type: 'percent', value: 10, ...b });
    expect((await post({ value: 150 })).body).toEqual({ value: ['A percentage must be greater than 0 and at most 100.'] });
    expect((await post({ value: 150 }, 'ko')).body).toEqual({ value: ['할인율은 0보다 크고 100 이하여야 합니다.'] });
    expect((await post({ plans: ['weekly'] }, 'ko')).body).toEqual({ plans: ['존재하지 않는 요금제 코드입니다: weekly.'] });
    expect((await post({ type: 'fixed', value: 500 })).body).toEqual({ currency: ['A fixed amount needs a currency.'] });
    expect((await post({ valid_from: '2030-02-01T00:00:00Z', valid_until: '2030-01-01T00:00:00+09:00' })).body).toEqual({ valid_until: ['validUntil must be later than validFrom.'] });
    expect((await post({ plans: ['weekly'] })).body).toEqual({ plans: ['Unknown plan code(s): weekly.'] });
    expect((await post({ kind: 'friends' })).status).toBe(400);
    expect((await post({ value: 2.5 })).status).toBe(400);
    expect((await post({ currency: 'XYZ', type: 'fixed' })).status).toBe(400);
    expect((await post({ valid_from: 'tomorrow' })).status).toBe(400);
    expect(Object.keys((await post({ name: '' })).body)).toEqual(['name']);
    expect(await count(Discount)).toBe(before);
  });

  it('GET: the public sees what runs now; finance sees all with counters; a page past the last is 404', async () => {
    const now = Date.now();
    const running = await discount({ name: 'running' });
    const future = await discount({ name: 'future', valid_from: new Date(now + 24 * HOUR).toISOString() });
    const past = await discount({ name: 'past', valid_until: new Date(now - HOUR).toISOString() });
    const off = await discount({ name: 'off', active: false });
    const publicIds = (await request(ctx.app).get('/discounts/?page_size=100')).body.results.map((d: { id: number }) => d.id);
    expect(publicIds).toContain(running.id);
    for (const d of [future, past, off]) expect(publicIds).not.toContain(d.id);
    const memberView = await request(ctx.app).get('/discounts/?page_size=100').set(auth(alice.token));
    expect(memberView.body.results.find((d: { id: number }) => d.id === running.id)).not.toHaveProperty('used_count');
    const full = await request(ctx.app).get('/discounts/?page_size=100').set(auth(finance.token));
    const fullIds = full.body.results.map((d: { id: number }) => d.id);
    for (const d of [running, future, past, off]) expect(fullIds).toContain(d.id);
    expect(full.body.results[0]).toHaveProperty('used_count');
    const paged = await request(ctx.app).get('/discounts/?page_size=1').set(auth(finance.token));
    expect(paged.body.count).toBe(full.body.count);
    expect(paged.body.next).toMatch(/page=2/);
    expect((await request(ctx.app).get('/discounts/?page=9999')).status).toBe(404);

    expect((await request(ctx.app).get(`/discounts/${running.id}/`)).body).toMatchObject({ id: running.id, name: 'running' });
    expect((await request(ctx.app).get(`/discounts/${off.id}/`)).status).toBe(404);
    expect((await request(ctx.app).get(`/discounts/${off.id}/`).set(auth(finance.token))).body).toMatchObject({ id: off.id, active: false });
    expect((await request(ctx.app).get('/discounts/99999999/').set('Accept-Language', 'en')).body).toEqual({ detail: 'Discount not found.' });
    expect((await request(ctx.app).get('/discounts/99999999/')).body).toEqual({ detail: '할인을 찾을 수 없습니다.' });
  });

  it('PUT: partial update with validation (nothing changes on error); the cap cannot go below the uses', async () => {
    const d = await discount({ max_uses: 5 });
    await ctx.rt.ds.transaction((m) => offers().consume(m, { paymentId: 1, couponIssueId: null, discountId: d.id, now: new Date() }));
    await ctx.rt.ds.transaction((m) => offers().consume(m, { paymentId: 2, couponIssueId: null, discountId: d.id, now: new Date() }));
    const put = (b: object, token = finance.token) => request(ctx.app).put(`/discounts/${d.id}/`).set(auth(token)).set('Accept-Language', 'en').send(b);
    const ok = await put({ value: 20, plans: ['yearly'], name: '봄 프로모션' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ value: 20, plans: ['yearly'], name: '봄 프로모션', used_count: 2, max_uses: 5, kind: 'partner' });
    expect((await put({ max_uses: 1 })).body).toEqual({ max_uses: ['Already used 2 times; the cap cannot be lower.'] });
    expect((await put({ type: 'fixed' })).body).toEqual({ currency: ['A fixed amount needs a currency.'] });
    expect((await put({})).status).toBe(400);
    expect((await put({ value: 5 }, alice.token)).status).toBe(403);
    expect((await request(ctx.app).put('/discounts/99999999/').set(auth(finance.token)).send({ value: 5 })).status).toBe(404);
    const row = await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ id: d.id });
    expect(row).toMatchObject({ value: 20, type: 'percent', maxUses: 5, usedCount: 2, planCodes: ['yearly'] });
  });

  it('DELETE: an unused discount is removed, a used one deactivated; 404 and roles', async () => {
    const unused = await discount();
    const used = await discount();
    await ctx.rt.ds.transaction((m) => offers().consume(m, { paymentId: 3, couponIssueId: null, discountId: used.id, now: new Date() }));
    expect((await request(ctx.app).delete(`/discounts/${unused.id}/`).set(auth(alice.token))).status).toBe(403);
    expect((await request(ctx.app).delete(`/discounts/${unused.id}/`).set(auth(finance.token))).status).toBe(204);
    expect(await ctx.rt.ds.getRepository(Discount).findOneBy({ id: unused.id })).toBeNull();
    expect((await request(ctx.app).delete(`/discounts/${used.id}/`).set(auth(finance.token))).status).toBe(204);
    expect((await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ id: used.id })).active).toBe(false);
    expect((await request(ctx.app).delete(`/discounts/${unused.id}/`).set(auth(finance.token))).status).toBe(404);
  });

  it('checkDiscount: window, plan eligibility, cap, active, currency; consume takes the cap atomically; release gives it back', async () => {
    const t = new Date('2030-06-15T00:00:00Z');
    const d = await discount({ type: 'fixed', value: 1000, currency: 'KRW', plans: ['monthly'], valid_from: '2030-06-01T00:00:00Z', valid_until: '2030-07-01T00:00:00Z', max_uses: 2 });
    const check = (over: Partial<{ planCode: string | null; listPrice: number; currency: string; now: Date }> = {}) =>
      offers().checkDiscount(d.id, { planCode: 'monthly', listPrice: 9900, currency: 'KRW', now: t, ...over });
    expect((await check()).id).toBe(d.id);
    await expect(check({ now: new Date('2030-05-31T23:59:59Z') })).rejects.toMatchObject({ code: 'discount_not_started', httpStatus: 400 });
    await expect(check({ now: new Date('2030-07-01T00:00:00Z') })).rejects.toMatchObject({ code: 'discount_expired', httpStatus: 400 });
    await expect(check({ planCode: 'yearly' })).rejects.toMatchObject({ code: 'discount_plan_not_eligible' });
    await expect(check({ planCode: null })).rejects.toMatchObject({ code: 'discount_plan_not_eligible' });
    await expect(check({ currency: 'USD' })).rejects.toMatchObject({ code: 'discount_currency_mismatch' });
    await expect(offers().checkDiscount(99999999, { planCode: 'monthly', listPrice: 9900, currency: 'KRW', now: t })).rejects.toMatchObject({ httpStatus: 404 });

    const use = (paymentId: number) => ctx.rt.ds.transaction((m) => offers().consume(m, { paymentId, couponIssueId: null, discountId: d.id, now: t }));
    const results = await Promise.allSettled([use(11), use(12), use(13), use(14), use(15)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['discount_exhausted', 'discount_exhausted', 'discount_exhausted']);
    await expect(check()).rejects.toMatchObject({ code: 'discount_exhausted', httpStatus: 409 });
    await ctx.rt.ds.transaction((m) => offers().release(m, { paymentId: 11, couponIssueId: null, discountId: d.id }));
    expect((await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ id: d.id })).usedCount).toBe(1);
    expect((await check()).id).toBe(d.id);
    await request(ctx.app).put(`/discounts/${d.id}/`).set(auth(finance.token)).send({ active: false }).expect(200);
    await expect(check()).rejects.toMatchObject({ code: 'discount_inactive', httpStatus: 409 });
    await expect(use(16)).rejects.toMatchObject({ code: 'discount_exhausted' });
  });
});

describe('coupons', () => {
  it('POST coupons: finance/admin create; duplicate code 409; invalid 400; nothing written', async () => {
    const c = await coupon({ code: 'WELCOME-2030', min_amount: 5000, total_limit: 100, per_user_limit: 2 });
    expect(c).toMatchObject({ code: 'WELCOME-2030', type: 'fixed', value: 1000, currency: 'KRW', min_amount: 5000, total_limit: 100, per_user_limit: 2, issued_count: 0 });
    const before = await count(Coupon);
    const post = (b: object, token = finance.token, lang = 'en') => request(ctx.app).post('/coupons/').set(auth(token)).set('Accept-Language', lang).send({ code: uniqueName('X'), name: 'n', type: 'percent', value: 10, ...b });
    const dup = await post({ code: 'WELCOME-2030' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ message: 'A coupon with code "WELCOME-2030" already exists.', code: 'coupon_code_taken' });
    expect((await post({ code: 'WELCOME-2030' }, finance.token, 'ko')).body).toEqual({ message: "'WELCOME-2030' 코드의 쿠폰이 이미 있습니다.", code: 'coupon_code_taken' });
    expect((await post({ code: 'a b' }, finance.token, 'ko')).body).toEqual({ code: ['쿠폰 코드는 영문자, 숫자, "-", "_"로 된 3~40자여야 합니다.'] });
    expect((await post({ value: 101 })).body).toEqual({ value: ['A percentage must be greater than 0 and at most 100.'] });
    expect((await post({ code: 'a b' })).body).toEqual({ code: ['A code is 3–40 letters, digits, "-" or "_".'] });
    expect((await post({ total_limit: 0 })).status).toBe(400);
    expect((await post({}, alice.token)).status).toBe(403);
    expect((await post({}, catalog.token)).status).toBe(403);
    expect(await count(Coupon)).toBe(before);
    expect((await request(ctx.app).get(`/coupons/${c.id}/`).set(auth(finance.token))).body.code).toBe('WELCOME-2030');
    expect((await request(ctx.app).get(`/coupons/${c.id}/`).set(auth(alice.token))).status).toBe(403);
  });

  it('a code raced by parallel creates is taken once', async () => {
    const code = uniqueName('RACE');
    const results = await Promise.all(Array.from({ length: 6 }, () => request(ctx.app).post('/coupons/').set(auth(finance.token)).send({ code, name: 'r', type: 'percent', value: 5 })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await ctx.rt.ds.getRepository(Coupon).countBy({ code })).toBe(1);
  });

  it('issues to users within the per-user limit, all or nothing, and shows the history', async () => {
    const c = await coupon({ total_limit: 5, per_user_limit: 1 });
    const res = await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: [alice.id, String(bob.id)] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ coupon_id: c.id, issued: 2 });
    expect(res.body.issues.map((i: { user_id: number; status: string }) => [i.user_id, i.status])).toEqual([
      [alice.id, 'issued'],
      [bob.id, 'issued'],
    ]);
    // alice again: over the per-user limit → 409, nothing issued (not even carol's)
    const carol = await memberAccount(ctx.rt, ctx.app);
    const again = await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: [carol.id, alice.id] });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ message: `다음 회원은 이미 1인당 한도(1장)만큼 이 쿠폰을 가지고 있습니다: ${alice.id}.`, code: 'coupon_user_limit_reached', users: [alice.id], per_user_limit: 1 });
    expect((await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).issuedCount).toBe(2);
    expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: c.id })).toBe(2);
    // the total limit: 3 left, 4 asked → 409
    const ids = await bulkUsers(4);
    const over = await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: ids });
    expect(over.status).toBe(409);
    expect(over.body).toEqual({ message: '이 쿠폰은 3장만 더 발급할 수 있습니다(요청: 4장).', code: 'coupon_limit_reached', remaining: 3, requested: 4 });
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ user_id: carol.id })).status).toBe(201);
    // validation, unknown users, roles, not found
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).set('Accept-Language', 'en').send({})).body).toEqual({ users: ['Name the users to issue to.'] });
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({})).body).toEqual({ users: ['쿠폰을 발급할 회원을 지정해 주세요.'] });
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: [] })).status).toBe(400);
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).set('Accept-Language', 'en').send({ users: [99999999] })).body).toEqual({ users: ['Unknown user id(s): 99999999.'] });
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: [99999999] })).body).toEqual({ users: ['존재하지 않는 회원 ID입니다: 99999999.'] });
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(alice.token)).send({ users: [alice.id] })).status).toBe(403);
    expect((await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(catalog.token)).send({ users: [alice.id] })).status).toBe(403);
    expect((await request(ctx.app).post('/coupons/99999999/issues/').set(auth(finance.token)).send({ users: [alice.id] })).status).toBe(404);
    expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: c.id })).toBe(3);

    const hist = await request(ctx.app).get(`/coupons/${c.id}/issues/?page_size=2`).set(auth(finance.token));
    expect(hist.status).toBe(200);
    expect(hist.body.count).toBe(3);
    expect(hist.body.results.map((i: { user_id: number }) => i.user_id)).toEqual([carol.id, bob.id]);
    expect(hist.body.next).toMatch(/page=2/);
    expect((await request(ctx.app).get(`/coupons/${c.id}/issues/?user_id=${alice.id}`).set(auth(admin.token))).body.count).toBe(1);
    expect((await request(ctx.app).get(`/coupons/${c.id}/issues/?page=3&page_size=2`).set(auth(finance.token))).status).toBe(404);
    expect((await request(ctx.app).get(`/coupons/${c.id}/issues/`).set(auth(alice.token))).status).toBe(403);
    expect((await request(ctx.app).get('/coupons/99999999/issues/').set(auth(finance.token))).status).toBe(404);
  });

  it('does not issue an expired coupon', async () => {
    const c = await coupon({ valid_until: new Date(Date.now() - HOUR).toISOString() });
    const res = await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: [alice.id] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('coupon_expired');
    expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: c.id })).toBe(0);
  });

  it('users/{id}/coupons: a member sees their own (another id → 404), finance sees anyone’s; count; remove an unused one', async () => {
    const dan = await memberAccount(ctx.rt, ctx.app);
    const c1 = await coupon({ per_user_limit: 2, total_limit: 10 });
    const c2 = await coupon({ valid_from: new Date(Date.now() + 24 * HOUR).toISOString() });
    await request(ctx.app).post(`/coupons/${c1.id}/issues/`).set(auth(finance.token)).send({ users: [dan.id, dan.id] }).expect(201);
    await request(ctx.app).post(`/coupons/${c2.id}/issues/`).set(auth(finance.token)).send({ users: [dan.id] }).expect(201);

    const list = await request(ctx.app).get(`/users/${dan.id}/coupons/`).set(auth(dan.token));
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(3);
    expect(list.body.results[0]).toMatchObject({ coupon_id: c2.id, user_id: dan.id, status: 'issued', coupon: { id: c2.id, code: c2.code } });
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/count/`).set(auth(dan.token))).body).toEqual({ count: 3, usable: 2 });
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/`).set(auth(alice.token))).status).toBe(404);
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/count/`).set(auth(alice.token))).status).toBe(404);
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/`).set(auth(catalog.token))).status).toBe(403);
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/`)).status).toBe(401);
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/`).set(auth(finance.token))).body.count).toBe(3);

    expect((await request(ctx.app).delete(`/users/${dan.id}/coupons/${c1.id}/`).set(auth(alice.token))).status).toBe(404);
    expect((await request(ctx.app).delete(`/users/${dan.id}/coupons/${c1.id}/`).set(auth(dan.token))).status).toBe(204);
    expect((await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ id: c1.id })).issuedCount).toBe(1);
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/count/`).set(auth(dan.token))).body).toEqual({ count: 2, usable: 1 });
    expect((await request(ctx.app).get(`/users/${dan.id}/coupons/?status=revoked`).set(auth(dan.token))).body.count).toBe(1);
    // the other copy is used at a payment: it cannot be removed any more
    await ctx.rt.ds.transaction(async (m) => {
      const { issue } = await offers().lockCouponForUse(m, dan.id, c1.id, { base: 9900, currency: 'KRW', now: new Date() });
      await offers().consume(m, { paymentId: 77, couponIssueId: issue.id, discountId: null, now: new Date() });
    });
    const used = await request(ctx.app).delete(`/users/${dan.id}/coupons/${c1.id}/`).set(auth(dan.token));
    expect(used.status).toBe(409);
    expect(used.body.code).toBe('coupon_already_used');
    expect((await request(ctx.app).delete(`/users/${dan.id}/coupons/99999999/`).set(auth(dan.token))).status).toBe(404);
    // finance removes on the member's behalf
    expect((await request(ctx.app).delete(`/users/${dan.id}/coupons/${c2.id}/`).set(auth(finance.token))).status).toBe(204);
  });

  it('lockCouponForUse → consume → release: used once, given back on cancellation, minimum amount and window checked', async () => {
    const erin = await memberAccount(ctx.rt, ctx.app);
    const c = await coupon({ type: 'percent', value: 10, currency: null, min_amount: 5000, valid_until: '2031-01-01T00:00:00Z' });
    await request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: [erin.id] }).expect(201);
    const t = new Date('2030-06-01T00:00:00Z');
    const lock = (over: Partial<{ base: number; now: Date }> = {}, userId = erin.id) =>
      ctx.rt.ds.transaction((m) => offers().lockCouponForUse(m, userId, c.id, { base: 9900, currency: 'KRW', now: t, ...over }));
    await expect(lock({ base: 4999 })).rejects.toMatchObject({ code: 'coupon_below_minimum', httpStatus: 400 });
    await expect(lock({ now: new Date('2031-01-01T00:00:00Z') })).rejects.toMatchObject({ code: 'coupon_expired' });
    await expect(lock({}, alice.id)).rejects.toMatchObject({ httpStatus: 404 });
    const { coupon: got, issue } = await lock();
    expect(got.id).toBe(c.id);
    await ctx.rt.ds.transaction((m) => offers().consume(m, { paymentId: 501, couponIssueId: issue.id, discountId: null, now: t }));
    expect(await ctx.rt.ds.getRepository(CouponIssue).findOneByOrFail({ id: issue.id })).toMatchObject({ status: 'used', paymentId: 501 });
    await expect(lock()).rejects.toMatchObject({ code: 'coupon_already_used', httpStatus: 409 });
    await expect(ctx.rt.ds.transaction((m) => offers().consume(m, { paymentId: 502, couponIssueId: issue.id, discountId: null, now: t }))).rejects.toMatchObject({ httpStatus: 409 });
    // a release for another payment does nothing; the right one gives it back
    await ctx.rt.ds.transaction((m) => offers().release(m, { paymentId: 999, couponIssueId: issue.id, discountId: null }));
    expect((await ctx.rt.ds.getRepository(CouponIssue).findOneByOrFail({ id: issue.id })).status).toBe('used');
    await ctx.rt.ds.transaction((m) => offers().release(m, { paymentId: 501, couponIssueId: issue.id, discountId: null }));
    expect(await ctx.rt.ds.getRepository(CouponIssue).findOneByOrFail({ id: issue.id })).toMatchObject({ status: 'issued', paymentId: null, usedAt: null });
    expect((await lock()).issue.id).toBe(issue.id);
    // a consume that fails rolls back with its transaction
    await expect(
      ctx.rt.ds.transaction(async (m) => {
        await offers().consume(m, { paymentId: 503, couponIssueId: issue.id, discountId: null, now: t });
        throw new Error('payment insert failed');
      }),
    ).rejects.toThrow('payment insert failed');
    expect((await ctx.rt.ds.getRepository(CouponIssue).findOneByOrFail({ id: issue.id })).status).toBe('issued');
  });

  it('100 parallel issues of a coupon limited to 10 → exactly 10 (and 20 racing issues to one member with a per-user limit of 1 → 1)', async () => {
    const c = await coupon({ total_limit: 10, per_user_limit: 1 });
    const ids = await bulkUsers(100);
    const results = await Promise.all(ids.map((id) => request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ users: [id] })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(90);
    expect((await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).issuedCount).toBe(10);
    expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: c.id })).toBe(10);

    const solo = await coupon({ total_limit: null, per_user_limit: 1 });
    const racing = await Promise.all(Array.from({ length: 20 }, () => request(ctx.app).post(`/coupons/${solo.id}/issues/`).set(auth(finance.token)).send({ user_id: alice.id })));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 409)).toHaveLength(19);
    expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: solo.id, userId: alice.id })).toBe(1);
    expect((await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ id: solo.id })).issuedCount).toBe(1);
  });
});

describe('OpenAPI', () => {
  it('documents every request body of the instrument endpoints', async () => {
    const doc = (await request(ctx.app).get('/openapi.json')).body;
    const body = (path: string, method: string) => doc.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema?.$ref;
    expect(body('/payments/methods/', 'post')).toBe('#/components/schemas/PaymentMethodCreate');
    expect(body('/payments/methods/{methods_id}/', 'put')).toBe('#/components/schemas/PaymentMethodUpdate');
    expect(body('/payments/users/{user_id}/subscription/', 'put')).toBe('#/components/schemas/SubscriptionUpdate');
    expect(body('/discounts/', 'post')).toBe('#/components/schemas/DiscountCreate');
    expect(body('/discounts/{discount_id}/', 'put')).toBe('#/components/schemas/DiscountUpdate');
    expect(body('/coupons/', 'post')).toBe('#/components/schemas/CouponCreate');
    expect(body('/coupons/{coupon_id}/issues/', 'post')).toBe('#/components/schemas/CouponIssueRequest');
    const create = doc.components.schemas.PaymentMethodCreate;
    expect(JSON.stringify(create)).toContain('card_number');
    expect(JSON.stringify(create)).toContain('account_number');
    for (const p of ['/users/{user_id}/coupons/', '/users/{user_id}/coupons/count/', '/users/{user_id}/coupons/{coupon_id}/', '/coupons/{coupon_id}/issues/', '/payments/plans/']) expect(doc.paths[p]).toBeDefined();
  });
});
