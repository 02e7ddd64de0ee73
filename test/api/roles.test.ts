// The role table in the API (src/modules/access/rbac.ts) against live MariaDB/Redis, for the support role:
// members masked (customers, customersprivacy; never unmasked), catalog read-only, nothing of
// finance or catalog writes — each refused with 403 {"message"}.
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin, staffTokens, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
let hong: { id: number; username: string; email: string };
let manufacturerId: number;

const staffToken = staffTokens(() => ctx);

beforeAll(async () => {
  ctx = await createTestApp();
  const username = uniqueName('hong_support');
  await signupAndLogin(ctx.app, username);
  const users = ctx.rt.ds.getRepository(User);
  const u = await users.findOneByOrFail({ username });
  await users.update({ id: u.id }, { fullName: '홍길동', phone: '010-1234-5678', birthDate: '1990-03-01' });
  hong = { id: u.id, username, email: u.email };
  const mf = await request(ctx.app)
    .post('/manufacturers/')
    .set(auth(await staffToken('catalog')))
    .send({ name: uniqueName('Studio'), contact_person: '김담당', phone: '02-123-4567', email: 'deal@studio.example', partnership_status: 'negotiating', partnership_notes: 'secret terms' })
    .expect(201);
  manufacturerId = mf.body.id;
});
afterAll(async () => {
  await ctx?.close();
});

describe('support: members, masked', () => {
  it('GET customers finds a member by e-mail, with e-mail and phone masked', async () => {
    const res = await request(ctx.app).get('/customers/').query({ search: hong.email }).set(auth(await staffToken('support'))).expect(200);
    expect(res.body.count).toBe(1);
    const row = res.body.results[0];
    expect(row).toEqual(expect.objectContaining({ id: hong.id, username: hong.username, phone: '010-****-5678' }));
    expect(row.email).not.toBe(hong.email);
    expect(row.email).toBe(`${hong.email[0]}${'*'.repeat(hong.email.indexOf('@') - 1)}${hong.email.slice(hong.email.indexOf('@'))}`);
    expect(JSON.stringify(res.body)).not.toContain('01012345678');
    expect(JSON.stringify(res.body)).not.toContain('1234-5678');
  });

  it('finance still gets the e-mail in clear (behaviour unchanged)', async () => {
    const res = await request(ctx.app).get('/customers/').query({ search: hong.email }).set(auth(await staffToken('finance'))).expect(200);
    expect(res.body.results[0]).toEqual(expect.objectContaining({ email: hong.email, phone: '010-****-5678' }));
  });

  it('GET customersprivacy is masked, and ?unmask=true is refused (and not audited)', async () => {
    const token = await staffToken('support');
    const res = await request(ctx.app).get('/customersprivacy/').query({ search: hong.username }).set(auth(token)).expect(200);
    expect(res.body.results).toEqual([{ id: hong.id, username: hong.username, name: '홍*동', phone: '010-****-5678', age: expect.any(Number) }]);
    const before = await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'unmask' });
    const refused = await request(ctx.app).get('/customersprivacy/').query({ search: hong.username, unmask: 'true' }).set(auth(token));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: expect.any(String) });
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'unmask' })).toBe(before);
    expect((await request(ctx.app).get('/customersprivacy/count/').set(auth(token)).expect(200)).body.count).toBeGreaterThanOrEqual(1);
  });
});

describe('support: catalog read-only', () => {
  it('reads the catalog, without production companies’ contact details', async () => {
    const token = await staffToken('support');
    await request(ctx.app).get('/movie/genre/').set(auth(token)).expect(200);
    const mf = await request(ctx.app).get(`/manufacturers/${manufacturerId}/`).set(auth(token)).expect(200);
    expect(mf.body).not.toHaveProperty('contact_person');
    expect(mf.body).not.toHaveProperty('partnership_notes');
    const asCatalog = await request(ctx.app).get(`/manufacturers/${manufacturerId}/`).set(auth(await staffToken('catalog'))).expect(200);
    expect(asCatalog.body).toHaveProperty('contact_person', '김담당');
  });

  it.each([
    ['post', '/movie/genre/', { name: 'Support genre' }],
    ['put', '/movie/genre/1/', { name: 'Renamed' }],
    ['delete', '/movie/genre/1/', undefined],
    ['post', '/manufacturers/', { name: 'X', partnership_status: 'negotiating' }],
    ['delete', '/manufacturers/1/', undefined],
    ['post', '/contents/', {}],
    ['put', '/contents/1/validity/', { valid_until: null }],
  ] as const)('%s %s → 403', async (method, url, body) => {
    const res = await request(ctx.app)[method](url).set(auth(await staffToken('support'))).send(body ?? {});
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: expect.any(String) });
  });
});

describe('support: nothing of finance', () => {
  it.each([
    ['put', '/payments/', { payment_id: 1, status: 'cancelled', reason: 'x' }],
    ['post', '/payments/request/', { plan: 'monthly' }],
    ['get', '/payments/methods/', undefined],
    ['post', '/discounts/', { name: 'X' }],
    ['post', '/coupons/', { code: 'SUPPORT1' }],
    ['get', '/coupons/1/', undefined],
    ['get', '/customers/1/paymentinformation/', undefined],
    ['get', '/themes/', undefined],
  ] as const)('%s %s → 403', async (method, url, body) => {
    const res = await request(ctx.app)[method](url).set(auth(await staffToken('support'))).send(body ?? {});
    expect(res.status).toBe(403);
    expect(res.body).toEqual(expect.objectContaining({ message: expect.any(String) }));
  });

  it('discounts: support sees what the public sees (running ones, no counters); finance sees all', async () => {
    const created = await request(ctx.app).post('/discounts/').set(auth(await staffToken('finance'))).send({ name: '제휴 할인', kind: 'partner', type: 'percent', value: 10 }).expect(201);
    const asFinance = await request(ctx.app).get(`/discounts/${created.body.id}/`).set(auth(await staffToken('finance'))).expect(200);
    expect(asFinance.body).toHaveProperty('used_count', 0);
    const asSupport = await request(ctx.app).get(`/discounts/${created.body.id}/`).set(auth(await staffToken('support'))).expect(200);
    expect(asSupport.body).not.toHaveProperty('used_count');
    const list = await request(ctx.app).get('/discounts/').set(auth(await staffToken('support'))).expect(200);
    for (const d of list.body.results) expect(d).not.toHaveProperty('used_count');
  });
});

describe('catalog and finance staff keep their borders', () => {
  it('catalog staff: 403 on finance writes and on members', async () => {
    const token = await staffToken('catalog');
    expect((await request(ctx.app).post('/discounts/').set(auth(token)).send({ name: 'X' })).status).toBe(403);
    expect((await request(ctx.app).get('/customers/').set(auth(token))).status).toBe(403);
  });

  it('finance: 403 on catalog writes', async () => {
    const token = await staffToken('finance');
    expect((await request(ctx.app).post('/movie/genre/').set(auth(token)).send({ name: 'Finance genre' })).status).toBe(403);
    expect((await request(ctx.app).put(`/manufacturers/${manufacturerId}/`).set(auth(token)).send({ name: 'Y', partnership_status: 'negotiating' })).status).toBe(403);
  });
});
