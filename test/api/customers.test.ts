// Staff views of members (seed 000 §8 `customers`, §10 `customersprivacy`) against live
// MariaDB/Redis: search, masking, admin-only unmasking (audited), roles, the member count.
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin, staffTokens, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);

let hong: { id: number; username: string };
let kim: { id: number; username: string };
let memberToken: string;

const staffToken = staffTokens(() => ctx);

async function member(profile: Partial<User>, username = uniqueName('member')) {
  const { token } = await signupAndLogin(ctx.app, username);
  const u = await repo(User).findOneByOrFail({ username });
  await repo(User).update({ id: u.id }, profile);
  return { id: u.id, username, token };
}

beforeAll(async () => {
  ctx = await createTestApp();
  const h = await member({ fullName: '홍길동', phone: '010-1234-5678', birthDate: '1990-03-01' }, uniqueName('hong_gd'));
  hong = { id: h.id, username: h.username };
  memberToken = h.token;
  const k = await member({ fullName: '김철수', phone: '01098765432', birthDate: null }, uniqueName('kimcs'));
  kim = { id: k.id, username: k.username };
  await member({ fullName: null, phone: null });
});
afterAll(async () => {
  await ctx?.close();
});

describe('roles', () => {
  it.each(['/customers/', '/customersprivacy/', '/customersprivacy/count/'])('%s: 401 anonymous, 403 for members and catalog staff, 200 for finance and admin', async (url) => {
    expect((await request(ctx.app).get(url)).status).toBe(401);
    expect((await request(ctx.app).get(url).set(auth(memberToken))).status).toBe(403);
    expect((await request(ctx.app).get(url).set(auth(await staffToken('catalog')))).status).toBe(403);
    expect((await request(ctx.app).get(url).set(auth(await staffToken('finance')))).status).toBe(200);
    expect((await request(ctx.app).get(url).set(auth(await staffToken('admin')))).status).toBe(200);
  });
});

describe('GET customers', () => {
  it('finds members by username, e-mail or phone, with masked phones and no secrets', async () => {
    const t = await staffToken('finance');
    const byName = await request(ctx.app).get('/customers/').query({ search: hong.username.slice(0, 10) }).set(auth(t));
    expect(byName.status).toBe(200);
    expect(byName.body).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [{ id: hong.id, username: hong.username, email: `${hong.username}@example.com`, phone: '010-****-5678', created_at: expect.stringMatching(/Z$/), role: 'user' }],
    });
    expect(JSON.stringify(byName.body)).not.toMatch(/password|hash|홍길동|1234/);

    const byEmail = await request(ctx.app).get('/customers/').query({ search: `${kim.username}@EXAMPLE.com` }).set(auth(t));
    expect(byEmail.body.results.map((r: { id: number }) => r.id)).toEqual([kim.id]);
    expect(byEmail.body.results[0].phone).toBe('010-****-5432');

    for (const phone of ['010-9876-5432', '01098765432', '9876 5432']) {
      const res = await request(ctx.app).get('/customers/').query({ search: phone }).set(auth(t));
      expect(res.body.results.map((r: { id: number }) => r.id)).toEqual([kim.id]);
    }
  });

  it('treats LIKE wildcards literally, filters by role, and pages', async () => {
    const t = await staffToken('admin');
    expect((await request(ctx.app).get('/customers/').query({ search: '%' }).set(auth(t))).body.count).toBe(0);
    // "_" matches the underscore in hong_gd… only, not any character
    const underscore = await request(ctx.app).get('/customers/').query({ search: '_gd' }).set(auth(t));
    expect(underscore.body.results.map((r: { id: number }) => r.id)).toEqual([hong.id]);

    await staffToken('finance');
    const staff = await request(ctx.app).get('/customers/').query({ role: 'finance' }).set(auth(t));
    expect(staff.body.count).toBeGreaterThanOrEqual(1);
    expect(staff.body.results.every((r: { role: string }) => r.role === 'finance')).toBe(true);
    expect((await request(ctx.app).get('/customers/').query({ role: 'king' }).set(auth(t))).status).toBe(400);

    const all = await request(ctx.app).get('/customers/').query({ page_size: 2 }).set(auth(t));
    const total = await repo(User).count();
    expect(all.body.count).toBe(total);
    expect(all.body.results).toHaveLength(2);
    expect(all.body.next).toMatch(/page=2/);
    // newest first
    expect(all.body.results[0].id).toBeGreaterThan(all.body.results[1].id);
    expect((await request(ctx.app).get('/customers/').query({ page: 999 }).set(auth(t))).status).toBe(404);
  });
});

describe('GET customersprivacy', () => {
  it('shows members masked by default: name, phone and age, never the birth date; no audit entry', async () => {
    const t = await staffToken('finance');
    const before = await repo(AuditEntry).countBy({ resource: 'customersprivacy' });
    const res = await request(ctx.app).get('/customersprivacy/').query({ search: hong.username }).set(auth(t));
    expect(res.status).toBe(200);
    const age = new Date().getUTCFullYear() - 1990 - (new Date().getUTCMonth() < 2 ? 1 : 0);
    expect(res.body.results).toEqual([{ id: hong.id, username: hong.username, name: '홍*동', phone: '010-****-5678', age }]);
    expect(JSON.stringify(res.body)).not.toMatch(/1990|birth/);
    const all = await request(ctx.app).get('/customersprivacy/').set(auth(t));
    // members only: staff accounts are not customers
    expect(all.body.count).toBe(await repo(User).countBy({ role: 'user' }));
    expect(all.body.results.find((r: { id: number }) => r.id === kim.id)).toEqual({ id: kim.id, username: kim.username, name: '김*수', phone: '010-****-5432', age: null });
    expect(await repo(AuditEntry).countBy({ resource: 'customersprivacy' })).toBe(before);
  });

  it('unmasks only for admins, and writes who saw which members to the audit log', async () => {
    const finance = await staffToken('finance');
    const refused = await request(ctx.app).get('/customersprivacy/').query({ unmask: 'true' }).set(auth(finance));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: '개인정보 마스킹 해제는 관리자만 할 수 있습니다.' });

    const admin = await staffToken('admin');
    const adminUser = await repo(User).findOneByOrFail({ role: 'admin' });
    const res = await request(ctx.app).get('/customersprivacy/').query({ unmask: 'true', search: '010-1234' }).set(auth(admin));
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([expect.objectContaining({ id: hong.id, name: '홍길동', phone: '010-1234-5678' })]);

    const entries = await repo(AuditEntry).find({ where: { resource: 'customersprivacy', action: 'unmask' }, order: { id: 'DESC' } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual(expect.objectContaining({ actorId: adminUser.id, actorEmail: adminUser.email }));
    expect(JSON.parse(entries[0]!.diff!).member_ids).toEqual([null, [hong.id]]);
    // the audit entry names the members, not their data
    expect(entries[0]!.diff).not.toMatch(/홍길동|5678/);

    // unmask=false by an admin: masked, and nothing audited
    await request(ctx.app).get('/customersprivacy/').query({ unmask: 'false' }).set(auth(admin)).expect(200);
    expect(await repo(AuditEntry).countBy({ resource: 'customersprivacy', action: 'unmask' })).toBe(1);
  });
});

describe('GET customersprivacy/count', () => {
  it('counts members only', async () => {
    await staffToken('admin');
    const res = await request(ctx.app).get('/customersprivacy/count/').set(auth(await staffToken('finance')));
    expect(res.body).toEqual({ count: await repo(User).countBy({ role: 'user' }) });
    expect(res.body.count).toBeGreaterThanOrEqual(3);
    await signupAndLogin(ctx.app);
    expect((await request(ctx.app).get('/customersprivacy/count').set(auth(await staffToken('finance')))).body.count).toBe(res.body.count + 1);
  });
});

describe('embedded mode (SQLite)', () => {
  let sqlite: TestContext & { app: Express };
  beforeAll(async () => {
    sqlite = await createTestApp({ dialect: 'sqlite', redis: false });
  });
  afterAll(async () => {
    await sqlite?.close();
  });

  it('searches by name, phone digits and literal wildcards the same way', async () => {
    const username = uniqueName('lee_sq');
    await signupAndLogin(sqlite.app, username);
    await sqlite.rt.ds.getRepository(User).update({ username }, { fullName: '이순신', phone: '010-2222-3333' });
    const { user, password } = await createStaff(sqlite.rt, 'admin');
    const token = (await request(sqlite.app).post('/user/login/').send({ username: user.username, password }).expect(200)).body.token;
    const ids = async (search: string) => (await request(sqlite.app).get('/customersprivacy/').query({ search }).set(auth(token)).expect(200)).body.results.map((r: { username: string }) => r.username);
    expect(await ids('01022223333')).toEqual([username]);
    expect(await ids('_sq')).toEqual([username]);
    expect(await ids('%')).toEqual([]);
    const res = await request(sqlite.app).get('/customersprivacy/').query({ search: 'lee' }).set(auth(token));
    expect(res.body.results).toEqual([{ id: expect.any(Number), username, name: '이*신', phone: '010-****-3333', age: null }]);
  });
});
