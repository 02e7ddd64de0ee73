// Finance and support workflows over the panel's HTTP API (live MariaDB and Redis): the refund
// dialog defaults to the refund policy's decision (the one POST /refunds/ uses) and an override
// needs a reason; the payment page shows its method, refunds and history; members are found by
// username, e-mail, name, phone and (finance only) card last 4 through the service behind
// GET /customers/; support sees a member's subscription and last payments masked; pending refunds
// are approved in bulk, a refused row reported while the others go on.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Payment, PaymentMethod, Refund } from '../../src/modules/commerce/commerce.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { auth, CARD, memberAccount, type Account } from '../support/commerce-instruments.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelLogins } from '../support/panel.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const as = panelLogins(() => ctx);
const api = '/admin/api/resources';
const DAY = 86_400_000;
const post = (path: string, a: Account, body: object) => request(ctx.app).post(path).set(auth(a.token)).set('Idempotency-Key', randomUUID()).send(body);

/** A monthly subscription paid through the API; `daysAgo` moves its payment (and period) back. */
async function paidPayment(daysAgo = 0, member?: Account): Promise<{ id: number; member: Account }> {
  member ??= await memberAccount(ctx.rt, ctx.app);
  const m = (await request(ctx.app).post('/payments/methods/').set(auth(member.token)).send(CARD).expect(201)).body.id;
  const req = await post('/payments/request/', member, { plan: 'monthly', method_id: m }).expect(201);
  await post('/payments/approve/', member, { payment_id: req.body.payment_id }).expect(200);
  await post('/payments/execute/', member, { payment_id: req.body.payment_id }).expect(200);
  const id = req.body.payment_id as number;
  if (daysAgo) {
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    const back = (d: Date | null) => (d ? new Date(d.getTime() - daysAgo * DAY) : null);
    await ctx.rt.ds.getRepository(Payment).update({ id }, { paidAt: back(p.paidAt), periodStart: back(p.periodStart), periodEnd: back(p.periodEnd) });
  }
  return { id, member };
}

describe('refund dialog', () => {
  it('shows the policy decision, refunds the policy amount by default, and an override needs a reason', async () => {
    const finance = await as('finance');
    const { id, member } = await paidPayment(10); // past the 7 days: prorated
    const dialog = await finance.get(`${api}/payments/records/${id}/refund`);
    expect(dialog.status).toBe(200);
    const policy = dialog.body.policy;
    // the same decision the API's refunds service makes for the payment
    const expected = await ctx.rt.services.refunds.policy({ id: member.id, role: 'user' }, id);
    expect(policy).toEqual(expect.objectContaining({ rule: 'prorated', refundable: expected.refundable, remaining: expect.any(Number), immediate: false }));
    expect(policy.refundable).toBeGreaterThan(0);
    expect(policy.refundable).toBeLessThan(policy.remaining);

    // override without a reason: refused, nothing changes
    const noReason = await finance.post(`${api}/payments/records/${id}/refund`).send({ override: 'true', amount: String(policy.remaining), reason: '  ' });
    expect(noReason.body.notice).toEqual({ message: '사유를 입력해 주세요.', type: 'error' });
    // policy mode may not go past the policy amount
    const over = await finance.post(`${api}/payments/records/${id}/refund`).send({ amount: String(policy.refundable + 1) });
    expect(over.body.notice.type).toBe('error');
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id })).refundedAmount).toBe(0);
    expect(await ctx.rt.ds.getRepository(Refund).countBy({ paymentId: id })).toBe(0);

    // no amount, no override: the policy's amount, paid out at once (finance decides), rule kept
    const ok = await finance.post(`${api}/payments/records/${id}/refund`).send({});
    expect(ok.body.notice).toEqual({ message: expect.stringMatching(new RegExp(`^Refunded ${policy.refundable} KRW .*prorated`)), type: 'success' });
    const refunds = await ctx.rt.ds.getRepository(Refund).findBy({ paymentId: id });
    expect(refunds.map((r) => [r.amount, r.rule, r.status])).toEqual([[policy.refundable, 'prorated', 'completed']]);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'refunds', recordId: String(refunds[0]!.id), action: 'refund.create' })).toBe(1);

    // an explicit override with a reason refunds past the policy, audited as an override
    const rest = policy.remaining - policy.refundable;
    const overridden = await finance.post(`${api}/payments/records/${id}/refund`).send({ override: 'true', amount: String(rest), reason: 'service outage all month' });
    expect(overridden.body.notice.type).toBe('success');
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    expect([p.status, p.refundedAmount]).toEqual(['refunded', p.amountTotal]);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'refunds', action: 'refund.override' })).toBeGreaterThanOrEqual(1);
  });

  it('the cancel (결제 취소 = full refund) shows the amount it returns', async () => {
    const finance = await as('finance');
    const { id } = await paidPayment();
    const form = await finance.get(`${api}/payments/records/${id}/cancelPayment`);
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    expect(form.body.cancel).toEqual({ captured: true, amount: p.amountTotal, currency: p.currency });
  });
});

describe('payment page', () => {
  it('shows the method as "brand •••• last4", the gateway reference, the refunds and the status history', async () => {
    const finance = await as('finance');
    const { id } = await paidPayment();
    await finance.post(`${api}/payments/records/${id}/refund`).send({ amount: '1000', reason: 'goodwill' }).expect(200);
    const res = await finance.get(`${api}/payments/records/${id}/details`);
    expect(res.status).toBe(200);
    const d = res.body.details;
    expect(d.method).toMatch(/^\S.* •••• 4242$/);
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    expect(d.gatewayRef).toBe(p.gatewayRef);
    expect(d.refunds).toEqual([expect.objectContaining({ amount: 1000, status: 'completed', rule: 'full_7d_unwatched', reason: 'goodwill' })]);
    expect(d.history.map((h: { status: string }) => h.status)).toEqual(expect.arrayContaining(['requested', 'approved', 'paid', 'partially_refunded']));
    expect(JSON.stringify(d)).not.toMatch(/gateway_token|gatewayToken|4242 4242/);
    // support may not open payments at all
    const support = await as('support');
    expect((await support.get(`${api}/payments/records/${id}/details`)).body.details).toBeUndefined();
  });
});

describe('member search', () => {
  let target: Account;
  beforeAll(async () => {
    target = await memberAccount(ctx.rt, ctx.app);
    await ctx.rt.ds.getRepository(User).update({ id: target.id }, { fullName: '차은우찾기', phone: '010-3141-5926' });
    await paidPayment(0, target);
    await ctx.rt.ds.getRepository(PaymentMethod).update({ userId: target.id }, { masked: '****8765' });
  });
  const ids = (res: request.Response) => (res.body.records ?? []).map((r: { id: string }) => Number(r.id));
  const list = async (role: 'finance' | 'support', q: string) => (await as(role)).get(`${api}/members/actions/list`).query({ 'filters.q': q });

  it.each([
    ['username', () => target.username],
    ['e-mail', () => target.email],
    ['name', () => '은우찾'],
    ['full phone', () => '010-3141-5926'],
    ['phone digits', () => '31415926'],
    ['card last 4', () => '8765'],
    ['card last 4 as shown', () => '•••• 8765'],
  ])('finance finds the member by %s', async (_what, q) => {
    const res = await list('finance', q());
    expect(res.status).toBe(200);
    expect(ids(res)).toContain(target.id);
    // results are masked whatever the search said
    const row = res.body.records.find((r: { id: string }) => Number(r.id) === target.id);
    expect(row.params).toEqual(expect.objectContaining({ fullName: '차***기', phone: '010-****-5926' }));
    expect(JSON.stringify(res.body)).not.toMatch(/3141|차은우찾기/);
  });

  it('the payments Member filter searches the lookup the same way, for finance', async () => {
    const finance = await as('finance');
    const res = await finance.get(`${api}/members/search/${encodeURIComponent('8765')}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toContain(target.id);
    const byName = await finance.get(`${api}/members/search/${encodeURIComponent('은우찾')}`);
    expect(ids(byName)).toEqual([target.id]);
    const payments = await finance.get(`${api}/payments/actions/list`).query({ 'filters.userId': target.id });
    expect(payments.body.records).toHaveLength(1);
    expect(payments.body.records[0].populated.userId.params.username).toBe(target.username);
    // the same search as the API's GET /customers/ (card last 4 included for finance)
    expect(await ctx.rt.services.members.searchCustomers({ search: '8765', role: 'user' }, { offset: 0, limit: 50 }, { role: 'finance' })).toEqual(expect.objectContaining({ rows: expect.arrayContaining([expect.objectContaining({ id: target.id })]) }));
  });

  it('support finds by phone with masked results only, and cannot search by card (card data is not theirs)', async () => {
    const byPhone = await list('support', '010-3141-5926');
    expect(ids(byPhone)).toEqual([target.id]);
    expect(byPhone.body.records[0].params).toEqual(expect.objectContaining({ fullName: '차***기', phone: '010-****-5926', email: expect.stringMatching(/^m\*+@example\.com$/) }));
    expect(JSON.stringify(byPhone.body)).not.toMatch(/3141|차은우찾기/);
    expect(ids(await list('support', '8765'))).not.toContain(target.id);
    expect(ids(await (await as('support')).get(`${api}/members/search/8765`))).not.toContain(target.id);
    // and catalog staff may not search members at all
    const catalog = await (await as('catalog')).get(`${api}/members/actions/list`).query({ 'filters.q': target.username });
    expect(catalog.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
  });

  it('support sees the subscription status and last payments (status, amount) — no card, no ids, no timeline', async () => {
    const res = await (await as('support')).get(`${api}/members/records/${target.id}/activity`);
    expect(res.status).toBe(200);
    const { billing } = res.body.activity;
    expect(billing.subscription).toEqual({ status: 'active', plan: expect.any(String), current_period_end: expect.any(String), cancel_at_period_end: false });
    expect(billing.payments).toEqual([{ kind: 'subscription', status: 'paid', amount: expect.any(Number), refunded: 0, currency: 'KRW', created_at: expect.any(String) }]);
    expect(res.body.activity.timeline).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/8765|4242|3141|차은우찾기|method/i);
  });

  it('finance sees one timeline of payments, subscription events and payment methods, linked to their records', async () => {
    const res = await (await as('finance')).get(`${api}/members/records/${target.id}/activity`);
    const kinds = res.body.activity.timeline.map((i: { kind: string }) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['payment', 'subscription', 'method']));
    const payment = res.body.activity.timeline.find((i: { kind: string }) => i.kind === 'payment');
    expect(payment.link).toEqual({ resourceId: 'payments', recordId: expect.any(String) });
    expect(res.body.activity.timeline.find((i: { kind: string }) => i.kind === 'method').title).toMatch(/•••• 8765/);
  });
});

describe('bulk', () => {
  it('approves pending refunds in bulk through the service, one refused row reported, the others done', async () => {
    const finance = await as('finance');
    const pending: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { id, member } = await paidPayment(10);
      const r = await post('/refunds/', member, { payment_id: id, reason: 'moving' }).expect(201);
      expect(r.body.status).toBe('requested');
      pending.push((await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ code: r.body.refund_code })).id);
    }
    // a refund that is no longer pending: the service refuses to approve it
    const { id: doneId } = await paidPayment();
    await finance.post(`${api}/payments/records/${doneId}/refund`).send({}).expect(200);
    const done = await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ paymentId: doneId });
    const res = await finance.post(`${api}/refunds/bulk/bulkApprove`).query({ recordIds: [pending[0], done.id, pending[1]].join(',') }).send({});
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: String(pending[0]), ok: true, message: expect.stringMatching(/^approved/) },
      { id: String(done.id), ok: false, message: '이미 완료된 환불입니다.' },
      { id: String(pending[1]), ok: true, message: expect.stringMatching(/^approved/) },
    ]);
    expect(res.body.notice.type).toBe('info');
    for (const id of pending) expect((await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ id })).status).toBe('completed');
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'refunds', action: 'refund.approve' })).toBeGreaterThanOrEqual(2);
  });

  it('bulk reject needs a reason; support and catalog staff may not run refund bulk actions', async () => {
    const finance = await as('finance');
    const { id, member } = await paidPayment(10);
    const r = await post('/refunds/', member, { payment_id: id, reason: 'moving' }).expect(201);
    const refund = await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ code: r.body.refund_code });
    const noReason = await finance.post(`${api}/refunds/bulk/bulkReject`).query({ recordIds: String(refund.id) }).send({ reason: '' });
    expect(noReason.body.notice.type).toBe('error');
    expect(noReason.body.results).toBeUndefined();
    for (const role of ['support', 'catalog'] as const) {
      const res = await (await as(role)).post(`${api}/refunds/bulk/bulkReject`).query({ recordIds: String(refund.id) }).send({ reason: 'no' });
      expect(res.body.results).toBeUndefined();
    }
    expect((await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ id: refund.id })).status).toBe('requested');
    const ok = await finance.post(`${api}/refunds/bulk/bulkReject`).query({ recordIds: String(refund.id) }).send({ reason: 'duplicate request' });
    expect(ok.body.results).toEqual([{ id: String(refund.id), ok: true, message: expect.any(String) }]);
    expect((await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ id: refund.id })).status).toBe('rejected');
  });

  it('admins deactivate members in bulk through the users service; finance may not', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const b = await memberAccount(ctx.rt, ctx.app);
    await ctx.rt.ds.getRepository(User).update({ id: b.id }, { isActive: false });
    const refused = await (await as('finance')).post(`${api}/members/bulk/bulkDeactivate`).query({ recordIds: `${a.id}` }).send({ reason: 'fraud' });
    expect(refused.body.results).toBeUndefined();
    expect((await ctx.rt.ds.getRepository(User).findOneByOrFail({ id: a.id })).isActive).toBe(true);
    const res = await (await as('admin')).post(`${api}/members/bulk/bulkDeactivate`).query({ recordIds: `${a.id},${b.id}` }).send({ reason: 'fraud ring' });
    expect(res.body.results).toEqual([
      { id: String(a.id), ok: true, message: 'deactivated' },
      { id: String(b.id), ok: false, message: 'Already inactive.' },
    ]);
    expect((await ctx.rt.ds.getRepository(User).findOneByOrFail({ id: a.id })).isActive).toBe(false);
    await request(ctx.app).get('/user/').set(auth(a.token)).expect(401);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'members', action: 'member.deactivate', recordId: String(a.id) })).toBe(1);
  });

  it('catalog staff regrade movies in bulk through the catalog service (other fields kept); finance may not', async () => {
    const repo = ctx.rt.ds.getRepository(Movie);
    const [m1, m2] = await repo.save([0, 1].map((i) => repo.create({ name: `등급 변경 ${Date.now()} ${i}`, nameEng: `Regrade ${i}`, summary: '줄거리', watchGrade: '전체 관람가', openDate: '2021-05-05', runningTime: 101 })));
    ctx.rt.services.catalog.externalChange({ ids: [m1!.id, m2!.id] });
    const bad = await (await as('catalog')).post(`${api}/movies/bulk/bulkRegrade`).query({ recordIds: `${m1!.id},${m2!.id}` }).send({ value: '19세' });
    expect(bad.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([false, false]);
    const denied = await (await as('finance')).post(`${api}/movies/bulk/bulkRegrade`).query({ recordIds: `${m1!.id}` }).send({ value: '15세 관람가' });
    expect(denied.body.results).toBeUndefined();
    const ok = await (await as('catalog')).post(`${api}/movies/bulk/bulkRegrade`).query({ recordIds: `${m1!.id},${m2!.id}` }).send({ value: '15세 관람가' });
    expect(ok.body.results).toEqual([
      { id: String(m1!.id), ok: true, message: '전체 관람가 → 15세 관람가' },
      { id: String(m2!.id), ok: true, message: '전체 관람가 → 15세 관람가' },
    ]);
    const after = await repo.findOneByOrFail({ id: m1!.id });
    expect(after).toEqual(expect.objectContaining({ watchGrade: '15세 관람가', nameEng: 'Regrade 0', summary: '줄거리', openDate: '2021-05-05', runningTime: 101 }));
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'movies', action: 'update', recordId: String(m1!.id) })).toBe(1);
  });

  it('deletes in bulk through the owning service: a genre that still has movies is refused and reported, the other deleted', async () => {
    const genres = ctx.rt.ds.getRepository(Genre);
    const [empty, used] = await genres.save([genres.create({ name: `빈 장르 ${Date.now()}` }), genres.create({ name: `쓰는 장르 ${Date.now()}` })]);
    const movie = await ctx.rt.ds.getRepository(Movie).save({ name: `장르 영화 ${Date.now()}`, watchGrade: '전체 관람가' });
    await ctx.rt.ds.getRepository(MovieGenre).insert({ movieId: movie.id, genreId: used!.id });
    ctx.rt.services.catalog.externalChange({ ids: [movie.id] });
    const denied = await (await as('finance')).post(`${api}/genres/bulk/bulkRemove`).query({ recordIds: `${empty!.id}` }).send({});
    expect(denied.body.results).toBeUndefined();
    const res = await (await as('catalog')).post(`${api}/genres/bulk/bulkRemove`).query({ recordIds: `${empty!.id},${used!.id}` }).send({});
    expect(res.body.results).toEqual([
      { id: String(empty!.id), ok: true, message: 'deleted' },
      { id: String(used!.id), ok: false, message: expect.any(String) },
    ]);
    expect(await genres.countBy({ id: empty!.id })).toBe(0);
    expect(await genres.countBy({ id: used!.id })).toBe(1);
    // payments have no service delete: no bulk delete there
    const payments = await (await as('admin')).get(`${api}/payments/actions/list`);
    expect(payments.body.meta).toBeDefined();
    const admin = await as('admin');
    const noBulk = await admin.post(`${api}/payments/bulk/bulkRemove`).query({ recordIds: '1' }).send({});
    expect(noBulk.body.results).toBeUndefined();
  });
});
