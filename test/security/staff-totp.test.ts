// Issue 13 §4: a second factor (TOTP, RFC 6238) for staff, against live MariaDB and Redis with
// STAFF_MFA_ROLES=admin,finance (the default) and a login budget of 5 per account:
// - after the password, an admin or finance account gets no session but the code step (or, not
//   enrolled yet, the enrolment with QR code and key); catalog staff go straight in, and may enrol
//   from the panel (then they are asked too);
// - the secret is stored encrypted, the 10 recovery codes as SHA-256; a TOTP code and a recovery
//   code are each good once;
// - every wrong code takes a point from the same login throttle as the password (429 after the
//   budget, for the right code, the panel password and the API login alike), and a correct
//   password does not give the points back while the code is outstanding;
// - an admin resets another staff member's second factor (audited; their sessions end; they enrol
//   again at the next login); `admin:create --totp-secret` provisions a known secret.
// The codes are computed here from the secret the page shows, as an authenticator app would.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import request from 'supertest';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { StaffRecoveryCode } from '../../src/modules/users/recovery-code.entity.js';
import { base32Decode, base32Encode, hotp, totp, totpStep } from '../../src/modules/users/totp.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelOrigin } from '../support/panel.js';
import { createStaff } from '../support/users.js';

let ctx: TestContext & { app: Express };
let redis: Redis;
const api = '/admin/api/resources';
let ipSeq = 0;

beforeAll(async () => {
  ctx = await createTestApp({ admin: true, env: { STAFF_MFA_ROLES: 'admin,finance', LOGIN_RATE_POINTS: '5', TRUST_PROXY: 'true' } });
  redis = new Redis(ctx.config.redisUrl!);
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await ctx?.close();
});

/** A browser of its own (cookie jar, client address). */
function browser() {
  return request.agent(ctx.app).set(panelOrigin).set('X-Forwarded-For', `203.0.113.${++ipSeq}`);
}
type Browser = ReturnType<typeof browser>;

/** The code an authenticator shows `steps` time steps from now (a step's code is accepted once). */
const codeAt = (secret: string, steps = 0) => totp(base32Decode(secret)!, Date.now() + steps * 30_000);
const sidOf = (res: request.Response) => {
  const c = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((x) => x.startsWith('marquee.admin='));
  return c ? decodeURIComponent(c.split(';')[0].split('=')[1]).replace(/^s:/, '').split('.')[0] : null;
};

const passwordStep = (b: Browser, staff: { email: string; password: string }) => b.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
const codeStep = (b: Browser, code: string) => b.post('/admin/login/totp').type('form').send({ code });
const inPanel = async (b: Browser) => (await b.get(`${api}/genres/actions/list`)).status === 200;

/** A staff account whose second factor is on with a known secret (as admin:create --totp-secret does). */
async function enrolledStaff(role: 'admin' | 'finance' | 'catalog') {
  const staff = await createStaff(ctx.rt, role);
  const secret = base32Encode(Buffer.from(createHash('sha256').update(staff.email).digest().subarray(0, 20)));
  const recovery = await ctx.rt.services.staffMfa.provision(staff.user.id, secret);
  return { ...staff, secret, recovery };
}

describe('TOTP (RFC 6238 appendix B, SHA-1) and base32', () => {
  it('computes the reference codes', () => {
    const key = Buffer.from('12345678901234567890');
    // The RFC's 8-digit values, last 6 digits.
    for (const [t, want] of [[59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130']] as const) {
      expect(hotp(key, totpStep(t * 1000))).toBe(want);
    }
    expect(base32Encode(key)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq')).toEqual(key);
    expect(base32Decode('not base32!')).toBeNull();
  });
});

describe('enrolment at the first login of a role that requires it', () => {
  it('no session after the password; QR code and key; a wrong code refused; the right one opens the panel with 10 recovery codes', async () => {
    const staff = await createStaff(ctx.rt, 'admin');
    const b = browser();
    const pw = await passwordStep(b, staff);
    expect(pw.status).toBe(302);
    expect(pw.headers.location).toBe('/admin/login/totp');
    expect(await inPanel(b)).toBe(false);

    const pagePlain = await b.get('/admin/login/totp');
    expect(pagePlain.status).toBe(200);
    expect(pagePlain.text).toContain('<svg');
    expect(pagePlain.text).not.toMatch(/<script/i);
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(pagePlain.text)![1].replace(/ /g, '');
    expect(base32Decode(secret)!.length).toBe(20);
    const uri = /data-testid="totp-uri">([^<]+)</.exec(pagePlain.text)![1].replace(/&#38;/g, '&');
    expect(uri).toBe(`otpauth://totp/Marquee:${encodeURIComponent(staff.email)}?secret=${secret}&issuer=Marquee&algorithm=SHA1&digits=6&period=30`);
    // The same secret until confirmed; stored encrypted, never as the key.
    expect((await b.get('/admin/login/totp')).text).toContain(secret.match(/.{4}/g)!.join(' '));
    const row = await ctx.rt.ds.getRepository(User).createQueryBuilder('u').addSelect('u.totpSecret').where('u.id = :id', { id: staff.user.id }).getOneOrFail();
    expect(row.totpSecret).toMatch(/^v1\./);
    expect(row.totpSecret).not.toContain(secret);
    expect(row.totpEnabledAt).toBeNull();

    const wrong = await codeStep(b, String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0'));
    expect(wrong.status).toBe(401);
    expect(await inPanel(b)).toBe(false);

    const ok = await codeStep(b, codeAt(secret));
    expect(ok.status).toBe(200);
    const codes = [...ok.text.matchAll(/<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/li>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await inPanel(b)).toBe(true);

    const stored = await ctx.rt.ds.getRepository(StaffRecoveryCode).findBy({ userId: staff.user.id });
    expect(stored.map((r) => r.codeHash).sort()).toEqual(codes.map((c) => createHash('sha256').update(c.replace(/-/g, '')).digest('hex')).sort());
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'enrol-second-factor', recordId: String(staff.user.id) })).toBe(1);
  });

  it('a pending login older than 5 minutes is sent back to the password', async () => {
    const staff = await enrolledStaff('finance');
    const b = browser();
    const pw = await passwordStep(b, staff);
    const key = `${ctx.config.redisPrefix}:sess:${sidOf(pw)}`;
    const sess = JSON.parse((await redis.get(key))!);
    sess.pendingLogin.at -= 5 * 60 * 1000 + 1000;
    await redis.set(key, JSON.stringify(sess), 'KEEPTTL');
    const late = await codeStep(b, codeAt(staff.secret));
    expect(late.status).toBe(302);
    expect(late.headers.location).toBe('/admin/login');
    expect(await inPanel(b)).toBe(false);
  });
});

describe('who is asked', () => {
  it('admin and finance are asked for the code after the password; catalog is not (until it enrols itself)', async () => {
    for (const role of ['admin', 'finance'] as const) {
      const res = await passwordStep(browser(), await createStaff(ctx.rt, role));
      expect([role, res.headers.location]).toEqual([role, '/admin/login/totp']);
    }
    const catalog = await createStaff(ctx.rt, 'catalog');
    const b = browser();
    const first = await passwordStep(b, catalog);
    expect(first.headers.location).toBe('/admin');
    expect(await inPanel(b)).toBe(true);

    // Optional enrolment from the panel: a new session id, then the code is asked at every login.
    const status = await b.get('/admin/api/pages/twoFactor');
    expect(status.body).toEqual(expect.objectContaining({ enabled: false, required: false, setupUrl: '/admin/two-factor' }));
    const setup = await b.get('/admin/two-factor');
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(setup.text)![1].replace(/ /g, '');
    const done = await b.post('/admin/two-factor').type('form').send({ code: codeAt(secret) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('data-testid="recovery-codes"');
    expect(sidOf(done)).not.toBeNull();
    expect(sidOf(done)).not.toBe(sidOf(first));
    expect(await inPanel(b)).toBe(true);
    expect((await b.get('/admin/api/pages/twoFactor')).body).toEqual(expect.objectContaining({ enabled: true, recoveryCodesLeft: 10 }));

    const again = browser();
    expect((await passwordStep(again, catalog)).headers.location).toBe('/admin/login/totp');
    expect((await codeStep(again, codeAt(secret, 1))).headers.location).toBe('/admin');
    expect(await inPanel(again)).toBe(true);
  });
});

describe('codes at login', () => {
  it('the code opens the session under a new id; the same code is not accepted twice', async () => {
    const staff = await enrolledStaff('admin');
    const b = browser();
    const pw = await passwordStep(b, staff);
    const code = codeAt(staff.secret);
    const ok = await codeStep(b, code);
    expect([ok.status, ok.headers.location]).toEqual([302, '/admin']);
    expect(sidOf(ok)).not.toBe(sidOf(pw));
    expect((await b.get(`${api}/users/actions/list`)).status).toBe(200);

    const other = browser();
    await passwordStep(other, staff);
    expect((await codeStep(other, code)).status).toBe(401);
    expect((await codeStep(other, codeAt(staff.secret, 1))).status).toBe(302);
  });

  it('a recovery code works once (any case, with or without dashes), and is audited', async () => {
    const staff = await enrolledStaff('finance');
    const b = browser();
    await passwordStep(b, staff);
    const used = staff.recovery[3];
    const ok = await codeStep(b, used.toUpperCase().replace(/-/g, ' '));
    expect([ok.status, ok.headers.location]).toEqual([302, '/admin']);
    expect(await inPanel(b)).toBe(true);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'use-recovery-code', recordId: String(staff.user.id) })).toBe(1);

    const again = browser();
    await passwordStep(again, staff);
    expect((await codeStep(again, used)).status).toBe(401);
    expect(await inPanel(again)).toBe(false);
    expect((await b.get('/admin/api/pages/twoFactor')).body.recoveryCodesLeft).toBe(9);
  });
});

describe('wrong codes and the login throttle', () => {
  it('count against the account: 429 after the budget, for the right code, the panel password and the API login', async () => {
    const staff = await enrolledStaff('admin');
    const b = browser();
    await passwordStep(b, staff); // point 1 of 5
    for (let i = 0; i < 4; i++) expect((await codeStep(b, '000000')).status).toBe(401); // points 2–5
    const blocked = await codeStep(b, codeAt(staff.secret));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(await inPanel(b)).toBe(false);
    expect((await passwordStep(browser(), staff)).status).toBe(429);
    expect((await request(ctx.app).post('/user/login/').set('X-Forwarded-For', '203.0.113.250').send({ username: staff.user.username, password: staff.password })).status).toBe(429);
  });

  it('logging in with the password again does not give the points back while the code is outstanding', async () => {
    const staff = await enrolledStaff('finance');
    const b = browser();
    await passwordStep(b, staff); // 1
    expect((await codeStep(b, '111111')).status).toBe(401); // 2
    expect((await codeStep(b, '222222')).status).toBe(401); // 3
    expect((await passwordStep(b, staff)).headers.location).toBe('/admin/login/totp'); // 4: the count stays
    expect((await codeStep(b, '333333')).status).toBe(401); // 5
    expect((await codeStep(b, codeAt(staff.secret))).status).toBe(429);
  });

  it('a right code clears the count like a successful login', async () => {
    const staff = await enrolledStaff('admin');
    const b = browser();
    await passwordStep(b, staff);
    for (let i = 0; i < 3; i++) await codeStep(b, '000000');
    expect((await codeStep(b, codeAt(staff.secret))).status).toBe(302);
    const c = browser();
    await passwordStep(c, staff);
    for (let i = 0; i < 4; i++) expect((await codeStep(c, '000000')).status).toBe(401);
  });
});

describe('admin reset of another staff member’s second factor', () => {
  it('removes secret and recovery codes, ends their sessions, is audited; they enrol again at the next login', async () => {
    const admin = await enrolledStaff('admin');
    const a = browser();
    await passwordStep(a, admin);
    await codeStep(a, codeAt(admin.secret));
    const finance = await enrolledStaff('finance');
    const f = browser();
    await passwordStep(f, finance);
    await codeStep(f, codeAt(finance.secret));
    expect((await f.get(`${api}/payments/actions/list`)).status).toBe(200);

    // Finance staff may not reset anyone's (AdminJS refuses the action).
    const denied = await f.post(`${api}/users/records/${admin.user.id}/resetSecondFactor`).send({});
    expect(denied.body.notice ?? {}).not.toEqual(expect.objectContaining({ type: 'success' }));
    expect((await ctx.rt.services.staffMfa.status(admin.user.id)).enabled).toBe(true);

    const res = await a.post(`${api}/users/records/${finance.user.id}/resetSecondFactor`).send({});
    expect(res.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    const row = await ctx.rt.ds.getRepository(User).createQueryBuilder('u').addSelect('u.totpSecret').where('u.id = :id', { id: finance.user.id }).getOneOrFail();
    expect([row.totpSecret, row.totpEnabledAt]).toEqual([null, null]);
    expect(await ctx.rt.ds.getRepository(StaffRecoveryCode).countBy({ userId: finance.user.id })).toBe(0);
    const entry = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'reset-second-factor', recordId: String(finance.user.id) });
    expect(entry).toEqual(expect.objectContaining({ resource: 'users', actorId: admin.user.id }));
    expect(JSON.parse(entry.diff!)).toEqual({ secondFactor: ['totp', 'none'] });

    const ended = await f.get(`${api}/payments/actions/list`);
    expect([ended.status, ended.headers.location]).toEqual([302, '/admin/login']);
    const g = browser();
    expect((await passwordStep(g, finance)).headers.location).toBe('/admin/login/totp');
    const page = await g.get('/admin/login/totp');
    expect(page.text).toContain('data-testid="totp-qr"');
    expect(page.text).not.toContain(finance.secret.match(/.{4}/g)!.join(' '));
  });
});

describe('admin:create --totp-secret', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'admin/create-admin-cli.ts', ...args], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: ctx.scratch.db.type === 'mysql' ? ctx.scratch.db.url : '',
        JWT_SECRET: ctx.config.jwtSecret,
        SESSION_SECRET: ctx.config.sessionSecret,
        DATA_DIR: ctx.config.dataDir,
      },
    });

  it('provisions a known secret: the panel asks for its codes; a short or non-base32 secret is refused', async () => {
    const email = `cli${Date.now().toString(36)}@marquee.test`;
    const secret = base32Encode(Buffer.from('automation-known-secret!'));
    const out = await cli(['--email', email, '--password', 'cli-pass-1234', '--role', 'finance', '--totp-secret', secret]);
    expect(out.stdout).toContain('second factor: on');
    expect(out.stdout.match(/^ {2}[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/gm)).toHaveLength(10);
    const b = browser();
    expect((await passwordStep(b, { email, password: 'cli-pass-1234' })).headers.location).toBe('/admin/login/totp');
    expect((await codeStep(b, codeAt(secret))).headers.location).toBe('/admin');
    expect((await b.get(`${api}/payments/actions/list`)).status).toBe(200);

    await expect(cli(['--email', email, '--password', 'cli-pass-1234', '--totp-secret', 'ABCDEFGH'])).rejects.toMatchObject({ code: 2 });
    await expect(cli(['--email', email, '--password', 'cli-pass-1234', '--totp-secret', 'not-base32-at-all-0189!!'])).rejects.toMatchObject({ code: 2 });
  }, 60_000);
});

describe('STAFF_MFA_ROLES', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32) };
  it('defaults to admin,finance; empty means none; anything but staff roles is refused', () => {
    expect(loadConfig(base).staffMfa.requiredRoles).toEqual(['admin', 'finance']);
    expect(loadConfig({ ...base, STAFF_MFA_ROLES: '' }).staffMfa.requiredRoles).toEqual([]);
    expect(loadConfig({ ...base, STAFF_MFA_ROLES: ' catalog , support,catalog' }).staffMfa.requiredRoles).toEqual(['catalog', 'support']);
    expect(() => loadConfig({ ...base, STAFF_MFA_ROLES: 'admin,user' })).toThrow(/STAFF_MFA_ROLES/);
    expect(() => loadConfig({ ...base, MFA_SECRET_KEY: 'short' })).toThrow(/MFA_SECRET_KEY/);
  });
});
