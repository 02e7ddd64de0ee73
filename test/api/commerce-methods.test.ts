// Payment methods (seed 000 §3: GET|POST payments/methods, PUT|DELETE payments/methods/{id})
// against live MariaDB/Redis: tokenisation through the sandbox gateway (nothing raw stored),
// masks, validation with nothing written, one default per member, soft delete, ownership, roles.
import request from 'supertest';
import type { Express } from 'express';
import { IsNull } from 'typeorm';
import { PaymentMethod } from '../../src/modules/commerce/commerce.entities.js';
import { CommerceError } from '../../src/modules/commerce/domain/errors.js';
import { GatewayRejectedError, SandboxGateway, type RawMethodInput } from '../../src/modules/commerce/gateways/index.js';
import { PaymentMethodsService } from '../../src/modules/commerce/methods.service.js';
import { HttpError, toHttpError } from '../../src/http/errors.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

let ctx: TestContext & { app: Express };
let alice: Account;
let bob: Account;
const methodsOf = (userId: number) => ctx.rt.ds.getRepository(PaymentMethod).find({ where: { userId }, order: { id: 'ASC' } });

beforeAll(async () => {
  ctx = await createTestApp();
  alice = await memberAccount(ctx.rt, ctx.app);
  bob = await memberAccount(ctx.rt, ctx.app);
});
afterAll(async () => {
  await ctx.close();
});

describe('POST payments/methods/', () => {
  it('tokenises a card through the gateway and stores only token, brand, last 4 and expiry; the first method is the default', async () => {
    const res = await request(ctx.app).post('/payments/methods/').set(auth(alice.token)).send(CARD);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      type: 'card',
      brand: 'Visa',
      masked: '****4242',
      last4: '4242',
      exp_month: 12,
      exp_year: CARD.exp_year,
      holder: 'HONG GILDONG',
      is_default: true,
      created_at: expect.stringMatching(/Z$/),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/tok_|4242424242424242/);
    const [row] = await methodsOf(alice.id);
    expect(row.gatewayToken).toMatch(/^tok_sbx_ok_[0-9a-f]{24}$/);
    const raw = JSON.stringify(await ctx.rt.ds.query('SELECT * FROM payment_methods WHERE id = ?', [row.id]));
    expect(raw).not.toContain('4242424242424242');
    expect(raw).not.toMatch(/"123"|cvc/i);
  });

  it('masks a PayPal e-mail and a bank account; a second method is not the default', async () => {
    const pp = await request(ctx.app).post('/payments/methods').set(auth(alice.token)).send({ type: 'paypal', email: 'alice.kim@Example.com' });
    expect(pp.status).toBe(201);
    expect(pp.body).toMatchObject({ type: 'paypal', brand: 'PayPal', masked: 'a***@example.com', last4: null, exp_month: null, is_default: false });
    const bank = await request(ctx.app).post('/payments/methods').set(auth(alice.token)).send({ type: 'bank_transfer', bank: '국민은행', account_number: '123-456-7890', holder: '김앨리스' });
    expect(bank.status).toBe(201);
    expect(bank.body).toMatchObject({ type: 'bank_transfer', brand: '국민은행', masked: '****7890', holder: '김앨리스', is_default: false });
    const raw = JSON.stringify(await methodsOf(alice.id));
    expect(raw).not.toContain('alice.kim');
    expect(raw).not.toContain('1234567890');
    expect(raw).not.toContain('123-456-7890');
  });

  it('rejects bad input with field errors and writes nothing', async () => {
    const before = (await methodsOf(bob.id)).length;
    const post = (body: unknown, lang = 'en') => request(ctx.app).post('/payments/methods/').set(auth(bob.token)).set('Accept-Language', lang).send(body as object);
    const luhn = await post({ ...CARD, card_number: '4242424242424241' });
    expect(luhn.status).toBe(400);
    expect(luhn.body).toEqual({ card_number: ['This card number is not valid.'] });
    expect((await post({ ...CARD, card_number: '4242424242424241' }, 'ko')).body).toEqual({ card_number: ['유효하지 않은 카드 번호입니다.'] });
    expect((await post({ ...CARD, exp_month: 1, exp_year: 2020 }, 'ko')).body).toEqual({ exp_year: ['유효기간이 지난 카드입니다.'] });
    expect((await post({ ...CARD, cvc: '12' }, 'ko')).body).toEqual({ cvc: ['CVC는 3자리 또는 4자리 숫자여야 합니다.'] });
    expect((await post({ ...CARD, cvc: '1234' }, 'ko')).body).toEqual({ cvc: ['3자리 보안 코드(CVC)를 입력해 주세요.'] });
    const expired = await post({ ...CARD, exp_month: 1, exp_year: 2020 });
    expect(expired.status).toBe(400);
    expect(expired.body.exp_year).toEqual(['This card has expired.']);
    expect((await post({ ...CARD, cvc: '12' })).body).toEqual({ cvc: ['CVC must be 3 or 4 digits.'] });
    expect((await post({ ...CARD, cvc: '1234' })).body).toEqual({ cvc: ['Enter the 3-digit security code.'] }); // Visa: 3 digits
    expect((await post({ ...CARD, exp_month: 13 })).status).toBe(400);
    expect(Object.keys((await post({ type: 'paypal', email: 'not-an-email' })).body)).toEqual(['email']);
    expect(Object.keys((await post({ type: 'bank_transfer', bank: 'KB', account_number: '12ab34' })).body)).toEqual(['account_number']);
    expect(Object.keys((await post({ type: 'bank_transfer', bank: 'KB', account_number: '12345' })).body)).toEqual(['account_number']);
    expect((await post({ type: 'bitcoin' })).status).toBe(400);
    expect((await post({})).status).toBe(400);
    const { card_number: _n, ...noNumber } = CARD;
    expect((await post(noNumber, 'ko')).body).toEqual({ card_number: ['이 필드는 필수 항목입니다.'] });
    expect((await post(noNumber)).body).toEqual({ card_number: ['This field is required.'] });
    expect((await methodsOf(bob.id)).length).toBe(before);
  });

  it('answers 402 and stores nothing when the gateway declines the method at tokenisation', async () => {
    class DecliningGateway extends SandboxGateway {
      override tokenizeMethod(input: RawMethodInput, options: { now?: Date } = {}) {
        if (input.type === 'card' && input.number.replace(/\D/g, '') === '4000000000000002') {
          throw new GatewayRejectedError('gateway_rejected', { gateway: 'sandbox', gatewayCode: 'card_declined' }, { vars: { said: 'The card was declined.' } }, 'payment_required');
        }
        return super.tokenizeMethod(input, options);
      }
    }
    const svc = new PaymentMethodsService(ctx.rt.ds, new DecliningGateway(), ctx.rt.services.audit);
    const err = await svc.create(bob.id, { ...CARD, card_number: '4000000000000002' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommerceError);
    const http = toHttpError(err, 'en') as HttpError;
    expect(http).toBeInstanceOf(HttpError);
    expect(http.status).toBe(402);
    expect(http.body).toEqual({ message: 'The payment method was declined by the gateway: The card was declined.', code: 'payment_method_declined', gatewayCode: 'card_declined' });
    expect((toHttpError(err, 'ko') as HttpError).body).toEqual({ message: '결제 대행사에서 결제 수단을 거절했습니다. 카드사에서 결제를 거절했습니다.', code: 'payment_method_declined', gatewayCode: 'card_declined' });
    expect(await ctx.rt.ds.getRepository(PaymentMethod).countBy({ userId: bob.id })).toBe(0);
  });

  it('needs a member, finance or admin token (401 without, 403 for catalog staff)', async () => {
    expect((await request(ctx.app).post('/payments/methods/').send(CARD)).status).toBe(401);
    expect((await request(ctx.app).get('/payments/methods/')).status).toBe(401);
    const catalog = await staffAccount(ctx.rt, ctx.app, 'catalog');
    expect((await request(ctx.app).post('/payments/methods/').set(auth(catalog.token)).send(CARD)).status).toBe(403);
    expect((await request(ctx.app).get('/payments/methods/').set(auth(catalog.token))).status).toBe(403);
    expect(await ctx.rt.ds.getRepository(PaymentMethod).countBy({ userId: catalog.id })).toBe(0);
  });

  it('makes exactly one default when a member adds several first methods at once', async () => {
    const carol = await memberAccount(ctx.rt, ctx.app);
    const results = await Promise.all(Array.from({ length: 8 }, () => request(ctx.app).post('/payments/methods/').set(auth(carol.token)).send(CARD)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const rows = await methodsOf(carol.id);
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.isDefault)).toHaveLength(1);
  });
});

describe('GET payments/methods/', () => {
  it('lists only the caller’s methods, newest first, masked', async () => {
    const res = await request(ctx.app).get('/payments/methods/').set(auth(alice.token));
    expect(res.status).toBe(200);
    expect(res.body.map((m: { type: string }) => m.type)).toEqual(['bank_transfer', 'paypal', 'card']);
    expect(res.body.filter((m: { is_default: boolean }) => m.is_default)).toHaveLength(1);
    expect(JSON.stringify(res.body)).not.toMatch(/tok_sbx/);
    expect((await request(ctx.app).get('/payments/methods/').set(auth(bob.token))).body).toEqual([]);
  });
});

describe('PUT payments/methods/{id}/', () => {
  it('moves the default, edits holder and card expiry', async () => {
    const dave = await memberAccount(ctx.rt, ctx.app);
    const card = (await request(ctx.app).post('/payments/methods/').set(auth(dave.token)).send(CARD)).body;
    const pp = (await request(ctx.app).post('/payments/methods/').set(auth(dave.token)).send({ type: 'paypal', email: 'dave@example.com' })).body;
    const res = await request(ctx.app).put(`/payments/methods/${pp.id}/`).set(auth(dave.token)).send({ is_default: true });
    expect(res.status).toBe(200);
    expect(res.body.is_default).toBe(true);
    const rows = await methodsOf(dave.id);
    expect(rows.filter((r) => r.isDefault).map((r) => r.id)).toEqual([pp.id]);
    const y = new Date().getUTCFullYear() + 5;
    const upd = await request(ctx.app).put(`/payments/methods/${card.id}`).set(auth(dave.token)).send({ holder: 'DAVE LEE', exp_month: '3', exp_year: y });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ holder: 'DAVE LEE', exp_month: 3, exp_year: y, is_default: false });
    expect((await ctx.rt.services.methods.getDefault(dave.id))!.id).toBe(pp.id);
  });

  it('validates (nothing changes), and another member’s or a missing id is 404', async () => {
    const erin = await memberAccount(ctx.rt, ctx.app);
    const card = (await request(ctx.app).post('/payments/methods/').set(auth(erin.token)).send(CARD)).body;
    const pp = (await request(ctx.app).post('/payments/methods/').set(auth(erin.token)).send({ type: 'paypal', email: 'erin@example.com' })).body;
    const put = (id: number, body: object, token = erin.token, lang = 'en') => request(ctx.app).put(`/payments/methods/${id}/`).set(auth(token)).set('Accept-Language', lang).send(body);
    expect((await put(card.id, {})).status).toBe(400);
    expect((await put(card.id, { is_default: false })).body).toEqual({ is_default: ['A member always has one default method: make another method the default instead.'] });
    expect((await put(card.id, { exp_month: 1, exp_year: 2021 })).body).toEqual({ exp_year: ['This card has expired.'] });
    expect((await put(pp.id, { exp_month: 1, exp_year: 2040 })).body).toEqual({ exp_month: ['Only a card has an expiry date.'] });
    expect((await put(card.id, { exp_month: 0 })).status).toBe(400);
    const stolen = await put(card.id, { is_default: true, holder: 'MALLORY' }, alice.token);
    expect(stolen.status).toBe(404);
    expect(stolen.body).toEqual({ detail: 'Payment method not found.' });
    expect((await put(card.id, { is_default: true }, alice.token, 'ko')).body).toEqual({ detail: '결제 수단을 찾을 수 없습니다.' });
    expect((await put(pp.id, { exp_month: 1, exp_year: 2040 }, erin.token, 'ko')).body).toEqual({ exp_month: ['유효기간은 카드에만 있습니다.'] });
    expect((await put(99999999, { is_default: true })).status).toBe(404);
    const row = await ctx.rt.ds.getRepository(PaymentMethod).findOneByOrFail({ id: card.id });
    expect(row).toMatchObject({ isDefault: true, holder: 'HONG GILDONG', expMonth: 12 });
    expect((await request(ctx.app).put(`/payments/methods/${card.id}/`).send({ is_default: true })).status).toBe(401);
  });
});

describe('DELETE payments/methods/{id}/', () => {
  it('soft-deletes; deleting the default promotes the newest remaining method; ownership is 404', async () => {
    const fay = await memberAccount(ctx.rt, ctx.app);
    const a = (await request(ctx.app).post('/payments/methods/').set(auth(fay.token)).send(CARD)).body;
    const b = (await request(ctx.app).post('/payments/methods/').set(auth(fay.token)).send({ type: 'paypal', email: 'fay@example.com' })).body;
    const c = (await request(ctx.app).post('/payments/methods/').set(auth(fay.token)).send({ type: 'bank_transfer', bank: 'KB', account_number: '99887766' })).body;
    expect(a.is_default).toBe(true);
    expect((await request(ctx.app).delete(`/payments/methods/${a.id}/`).set(auth(alice.token))).status).toBe(404);
    expect((await request(ctx.app).delete(`/payments/methods/${a.id}/`)).status).toBe(401);
    const res = await request(ctx.app).delete(`/payments/methods/${a.id}/`).set(auth(fay.token));
    expect(res.status).toBe(204);
    const rows = await methodsOf(fay.id);
    expect(rows.find((r) => r.id === a.id)!.deletedAt).toBeInstanceOf(Date);
    expect(rows.filter((r) => r.isDefault).map((r) => r.id)).toEqual([c.id]);
    expect((await request(ctx.app).delete(`/payments/methods/${a.id}/`).set(auth(fay.token))).status).toBe(404);
    const list = (await request(ctx.app).get('/payments/methods/').set(auth(fay.token))).body;
    expect(list.map((m: { id: number }) => m.id)).toEqual([c.id, b.id]);
    // deleting a non-default leaves the default alone
    await request(ctx.app).delete(`/payments/methods/${b.id}/`).set(auth(fay.token)).expect(204);
    expect((await ctx.rt.services.methods.getDefault(fay.id))!.id).toBe(c.id);
    await request(ctx.app).delete(`/payments/methods/${c.id}/`).set(auth(fay.token)).expect(204);
    expect(await ctx.rt.services.methods.getDefault(fay.id)).toBeNull();
    expect(await ctx.rt.ds.getRepository(PaymentMethod).countBy({ userId: fay.id, deletedAt: IsNull() })).toBe(0);
  });
});

describe('PaymentMethodsPort', () => {
  it('getUsable answers only the owner’s live method; listForUser can include deleted ones', async () => {
    const gus = await memberAccount(ctx.rt, ctx.app);
    const a = (await request(ctx.app).post('/payments/methods/').set(auth(gus.token)).send(CARD)).body;
    const b = (await request(ctx.app).post('/payments/methods/').set(auth(gus.token)).send({ type: 'paypal', email: 'gus@example.com' })).body;
    const svc = ctx.rt.services.methods;
    expect((await svc.getUsable(gus.id, a.id)).gatewayToken).toMatch(/^tok_sbx_/);
    await expect(svc.getUsable(alice.id, a.id)).rejects.toMatchObject({ httpStatus: 404, code: 'payment_method_not_found' });
    await request(ctx.app).delete(`/payments/methods/${b.id}/`).set(auth(gus.token)).expect(204);
    await expect(svc.getUsable(gus.id, b.id)).rejects.toMatchObject({ httpStatus: 404 });
    expect((await svc.listForUser(gus.id)).map((m) => m.id)).toEqual([a.id]);
    expect((await svc.listForUser(gus.id, { includeDeleted: true })).map((m) => m.id)).toEqual([b.id, a.id]);
    // the stored token authorises at the gateway (the declined test card is declined there)
    const declined = (await request(ctx.app).post('/payments/methods/').set(auth(gus.token)).send({ ...CARD, card_number: '4000000000000002' })).body;
    const token = (await svc.getUsable(gus.id, declined.id)).gatewayToken;
    const auth1 = await ctx.rt.services.paymentGateway.authorize({ paymentId: 1, amount: { amount: 9900, currency: 'KRW' }, methodToken: token, idempotencyKey: `t-${declined.id}` });
    expect(auth1.status).toBe('declined');
  });
});

describe('removeAllForUser (customers/{member_id}/paymentinformation DELETE)', () => {
  it('soft-deletes every method of the member, audited with the reason', async () => {
    const hal = await memberAccount(ctx.rt, ctx.app);
    await request(ctx.app).post('/payments/methods/').set(auth(hal.token)).send(CARD).expect(201);
    await request(ctx.app).post('/payments/methods/').set(auth(hal.token)).send({ type: 'paypal', email: 'hal@example.com' }).expect(201);
    const keep = (await methodsOf(alice.id)).filter((m) => !m.deletedAt).length;
    const n = await ctx.rt.services.methods.removeAllForUser(hal.id, { id: null, email: 'finance@marquee.test' }, 'member asked');
    expect(n).toBe(2);
    expect((await request(ctx.app).get('/payments/methods/').set(auth(hal.token))).body).toEqual([]);
    expect(await ctx.rt.services.methods.getDefault(hal.id)).toBeNull();
    expect((await methodsOf(alice.id)).filter((m) => !m.deletedAt)).toHaveLength(keep);
  });
});
