// Devices (seed 000 §9, RFC 8628): code → confirm → poll → device token; pending / slow_down /
// expired / denied; single use; revoke ends the token at once; the plan's device limit; rate
// limits on code requests (per IP) and on wrong codes (per member). MariaDB + Redis, and one run
// in the embedded mode (SQLite, memory limits).
import request from 'supertest';
import type { Express } from 'express';
import { Plan, Subscription } from '../../src/modules/commerce/commerce.entities.js';
import { DeviceAuthorization } from '../../src/modules/devices/device.entities.js';
import { USER_CODE_ALPHABET } from '../../src/modules/devices/devices.service.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';

type Ctx = TestContext & { app: Express };
let ctx: Ctx;
let ipSeq = 0;
/** Each test asks for codes from its own address (TRUST_PROXY), so the per-IP budget is per test. */
const freshIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

beforeAll(async () => {
  ctx = await createTestApp({
    env: { TRUST_PROXY: 'true', DEVICE_CODE_RATE_POINTS: '6', DEVICE_CODE_RATE_WINDOW: '600', DEVICE_CONFIRM_RATE_POINTS: '5', DEVICE_CONFIRM_RATE_WINDOW: '900', DEVICE_POLL_INTERVAL: '5', DEVICE_CODE_TTL: '600' },
  });
});
afterAll(async () => {
  await ctx.close();
});

let offsetMs = 0;
function advance(seconds: number, c: Ctx = ctx) {
  offsetMs += seconds * 1000;
  const at = offsetMs;
  c.rt.services.devices.clock = () => new Date(Date.now() + at);
}
beforeEach(() => {
  // Whole seconds apart from real time, so MariaDB's second-precision DATETIME does not blur the interval.
  offsetMs = 0;
  advance(0);
});

const userIdOf = (token: string): number => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).user_id;

async function requestCode(c: Ctx = ctx, ip = freshIp(), body: Record<string, unknown> = { name: '거실 TV', type: 'tv' }) {
  return request(c.app).post('/devices/code/').set('X-Forwarded-For', ip).send(body);
}
const poll = (deviceCode: string, c: Ctx = ctx) => request(c.app).post('/devices/token/').send({ device_code: deviceCode, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' });
const confirm = (token: string, userCode: string, approve?: boolean, c: Ctx = ctx) =>
  request(c.app).post('/devices/confirm/').set('Authorization', `JWT ${token}`).send(approve === undefined ? { user_code: userCode } : { user_code: userCode, approve });

/** Pairs a new device for the member: returns the device token and id. */
async function pair(memberToken: string, c: Ctx = ctx) {
  const code = (await requestCode(c)).body;
  const ok = await confirm(memberToken, code.user_code, undefined, c);
  expect(ok.status).toBe(200);
  advance(6, c);
  const tok = await poll(code.device_code, c);
  expect(tok.status).toBe(200);
  return { token: tok.body.access_token as string, deviceId: tok.body.device.id as number };
}

async function flow(c: Ctx) {
  const member = await signupAndLogin(c.app);
  const code = await requestCode(c, freshIp(), { name: 'Projector', type: 'projector' });
  expect(code.status).toBe(200);
  expect(code.headers['cache-control']).toBe('no-store');
  expect(code.body.device_code.length).toBeGreaterThanOrEqual(40);
  expect(code.body.user_code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
  expect(code.body.expires_in).toBe(600);
  expect(code.body.interval).toBe(5);
  expect(code.body.verification_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/device$/);
  expect(code.body.verification_uri_complete).toBe(`${code.body.verification_uri}?user_code=${code.body.user_code}`);

  // Neither code is stored in clear.
  const row = await c.rt.ds.getRepository(DeviceAuthorization).findOneByOrFail({ deviceName: 'Projector' });
  expect(row.deviceCodeHash).not.toContain(code.body.device_code);
  expect(row.userCodeHash).not.toContain(code.body.user_code.replace('-', ''));

  const pending = await poll(code.body.device_code, c);
  expect(pending.status).toBe(400);
  expect(pending.body.error).toBe('authorization_pending');

  // Typed in lower case without the dash: same code.
  const typed = code.body.user_code.replace('-', '').toLowerCase();
  const ok = await confirm(member.token, typed, undefined, c);
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ status: 'approved', device: { name: 'Projector', type: 'projector', last_seen_at: null } });

  advance(6, c);
  const tok = await poll(code.body.device_code, c);
  expect(tok.status).toBe(200);
  expect(tok.body).toMatchObject({ token_type: 'Bearer', device: { id: ok.body.device.id } });
  const claims = JSON.parse(Buffer.from(tok.body.access_token.split('.')[1], 'base64url').toString());
  expect(claims).toMatchObject({ user_id: userIdOf(member.token), username: member.username, device_id: ok.body.device.id });

  // The device acts as the member on the public API (both schemes).
  const mine = await request(c.app).get('/devices/').set('Authorization', `Bearer ${tok.body.access_token}`);
  expect(mine.status).toBe(200);
  expect(mine.body.results.map((d: { id: number }) => d.id)).toEqual([ok.body.device.id]);
  expect(mine.body.results[0].last_seen_at).not.toBeNull();
  return { member, device: tok.body };
}

describe('device pairing flow', () => {
  it('code → pending → confirm (case/dash-insensitive) → token that works as the member', async () => {
    await flow(ctx);
  });

  it('slow_down adds 5 s to the interval; a poll after the new interval is accepted', async () => {
    const code = (await requestCode()).body;
    expect((await poll(code.device_code)).body.error).toBe('authorization_pending');
    const fast = await poll(code.device_code);
    expect(fast.status).toBe(400);
    expect(fast.body).toMatchObject({ error: 'slow_down', interval: 10 });
    advance(6); // 6 s < the new 10 s interval
    expect((await poll(code.device_code)).body).toMatchObject({ error: 'slow_down', interval: 15 });
    advance(16);
    expect((await poll(code.device_code)).body.error).toBe('authorization_pending');
  });

  it('an expired code: expired_token for the device, 410 for the member', async () => {
    const member = await signupAndLogin(ctx.app);
    const code = (await requestCode()).body;
    advance(601);
    const res = await poll(code.device_code);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('expired_token');
    const late = await confirm(member.token, code.user_code);
    expect(late.status).toBe(410);
    expect(late.body.message).toMatch(/만료/);
    expect((await request(ctx.app).get('/devices/').set('Authorization', `JWT ${member.token}`)).body.count).toBe(0);
  });

  it('a denied code: access_denied, and the code cannot be approved afterwards', async () => {
    const member = await signupAndLogin(ctx.app);
    const code = (await requestCode()).body;
    const denied = await confirm(member.token, code.user_code, false);
    expect(denied.status).toBe(200);
    expect(denied.body).toEqual({ status: 'denied', device: null });
    expect((await poll(code.device_code)).body.error).toBe('access_denied');
    expect((await confirm(member.token, code.user_code)).status).toBe(410);
    expect((await request(ctx.app).get('/devices/').set('Authorization', `JWT ${member.token}`)).body.count).toBe(0);
  });

  it('codes are single use: a second poll and a second confirmation are refused', async () => {
    const member = await signupAndLogin(ctx.app);
    const code = (await requestCode()).body;
    expect((await confirm(member.token, code.user_code)).status).toBe(200);
    advance(6);
    expect((await poll(code.device_code)).status).toBe(200);
    advance(6);
    const again = await poll(code.device_code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    const other = await signupAndLogin(ctx.app);
    const reuse = await confirm(other.token, code.user_code);
    expect(reuse.status).toBe(410);
    expect(reuse.body.message).toMatch(/이미 사용된/);
  });

  it('unknown codes: 404 for the member, invalid_grant for a device', async () => {
    const member = await signupAndLogin(ctx.app);
    const res = await confirm(member.token, 'BCDF-GHJK');
    expect(res.status).toBe(404);
    expect(res.body.detail).toMatch(/코드를 찾을 수 없습니다/);
    expect((await poll('not-a-real-device-code')).body.error).toBe('invalid_grant');
  });
});

describe('revoking', () => {
  it('a revoked device token stops working on the next request; other members cannot revoke it', async () => {
    const member = await signupAndLogin(ctx.app);
    const dev = await pair(member.token);
    const auth = { Authorization: `JWT ${dev.token}` };
    expect((await request(ctx.app).get('/devices/').set(auth)).status).toBe(200);

    const stranger = await signupAndLogin(ctx.app);
    const foreign = await request(ctx.app).delete(`/devices/${dev.deviceId}/`).set('Authorization', `JWT ${stranger.token}`);
    expect(foreign.status).toBe(404);
    expect((await request(ctx.app).get('/devices/').set(auth)).status).toBe(200);

    expect((await request(ctx.app).delete(`/devices/${dev.deviceId}/`).set('Authorization', `JWT ${member.token}`)).status).toBe(204);
    const after = await request(ctx.app).get('/devices/').set(auth);
    expect(after.status).toBe(401);
    // The member's own login token is unaffected; the device is gone from the list; revoking twice → 404.
    const list = await request(ctx.app).get('/devices/').set('Authorization', `JWT ${member.token}`);
    expect(list.body.count).toBe(0);
    expect((await request(ctx.app).delete(`/devices/${dev.deviceId}/`).set('Authorization', `JWT ${member.token}`)).status).toBe(404);
  });

  it('a device token naming another member’s device is refused', async () => {
    const a = await signupAndLogin(ctx.app);
    const devA = await pair(a.token);
    const b = await signupAndLogin(ctx.app);
    // Re-sign A's device claim for B with the server's secret: the device is not B's → 401.
    const jwt = (await import('jsonwebtoken')).default;
    const forged = jwt.sign({ user_id: userIdOf(b.token), username: b.username, email: 'x@example.com', device_id: devA.deviceId, exp: Math.floor(Date.now() / 1000) + 60, orig_iat: 0 }, ctx.config.jwtSecret);
    expect((await request(ctx.app).get('/devices/').set('Authorization', `JWT ${forged}`)).status).toBe(401);
  });
});

describe('device limit', () => {
  it('without a subscription the default limit (1) applies; the refused code stays usable after removing a device', async () => {
    const member = await signupAndLogin(ctx.app);
    const first = await pair(member.token);
    const code = (await requestCode()).body;
    const refused = await confirm(member.token, code.user_code);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ device_limit: 1, active_devices: 1 });
    expect(refused.body.message).toMatch(/1대/);
    expect((await poll(code.device_code)).body.error).toBe('authorization_pending');

    await request(ctx.app).delete(`/devices/${first.deviceId}/`).set('Authorization', `JWT ${member.token}`).expect(204);
    expect((await confirm(member.token, code.user_code)).status).toBe(200);
  });

  it('an active subscription uses its plan’s device_limit; a pending one does not', async () => {
    const member = await signupAndLogin(ctx.app);
    const userId = userIdOf(member.token);
    const plan = await ctx.rt.ds.getRepository(Plan).save({ code: `family${Date.now()}`, name: 'Family', interval: 'month', price: 17000, currency: 'KRW', deviceLimit: 3, active: true });
    const sub = await ctx.rt.ds.getRepository(Subscription).save({ userId, planId: plan.id, status: 'pending' });
    expect((await request(ctx.app).get('/devices/').set('Authorization', `JWT ${member.token}`)).body.device_limit).toBe(1);

    await ctx.rt.ds.getRepository(Subscription).update({ id: sub.id }, { status: 'active', currentPeriodStart: new Date(), currentPeriodEnd: new Date(Date.now() + 30 * 86400_000) });
    for (let i = 0; i < 3; i++) await pair(member.token);
    const list = await request(ctx.app).get('/devices/').set('Authorization', `JWT ${member.token}`);
    expect(list.body).toMatchObject({ device_limit: 3, count: 3 });
    const fourth = (await requestCode()).body;
    const refused = await confirm(member.token, fourth.user_code);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ device_limit: 3, active_devices: 3 });
  });

  it('two confirmations at once cannot both take the last slot', async () => {
    const member = await signupAndLogin(ctx.app);
    const codes = [(await requestCode()).body, (await requestCode()).body, (await requestCode()).body];
    const results = await Promise.all(codes.map((c) => confirm(member.token, c.user_code)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 403, 403]);
    expect((await request(ctx.app).get('/devices/').set('Authorization', `JWT ${member.token}`)).body.count).toBe(1);
  });
});

describe('rate limits and validation', () => {
  it('limits code requests per IP (429 with Retry-After), without affecting other addresses', async () => {
    const ip = freshIp();
    for (let i = 0; i < 6; i++) expect((await requestCode(ctx, ip)).status).toBe(200);
    const blocked = await requestCode(ctx, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await requestCode(ctx, freshIp())).status).toBe(200);
  });

  it('limits wrong codes per member: after 5 misses even the right code is refused for a while', async () => {
    const member = await signupAndLogin(ctx.app);
    const code = (await requestCode()).body;
    for (let i = 0; i < 5; i++) expect((await confirm(member.token, 'ZZZZ-ZZZZ')).status).toBe(404);
    const blocked = await confirm(member.token, code.user_code);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another member is not affected by this member's misses.
    const other = await signupAndLogin(ctx.app);
    expect((await confirm(other.token, code.user_code)).status).toBe(200);
  });

  it('validates input and requires a signed-in member where it should', async () => {
    const noName = await requestCode(ctx, freshIp(), { type: 'tv' });
    expect(noName.status).toBe(400);
    expect(noName.body.name).toBeDefined();
    const badType = await requestCode(ctx, freshIp(), { name: 'TV', type: 'toaster' });
    expect(badType.status).toBe(400);
    expect(badType.body.type).toBeDefined();

    expect((await request(ctx.app).post('/devices/confirm/').send({ user_code: 'BCDF-GHJK' })).status).toBe(401);
    expect((await request(ctx.app).get('/devices/')).status).toBe(401);
    expect((await request(ctx.app).delete('/devices/1/')).status).toBe(401);

    const member = await signupAndLogin(ctx.app);
    const malformed = await confirm(member.token, 'AEIO-U123');
    expect(malformed.status).toBe(400);
    expect(malformed.body.user_code[0]).toMatch(/XXXX-XXXX/);
    expect((await request(ctx.app).post('/devices/confirm/').set('Authorization', `JWT ${member.token}`).send({})).status).toBe(400);
    expect((await request(ctx.app).delete('/devices/abc/').set('Authorization', `JWT ${member.token}`)).status).toBe(400);

    const noCode = await request(ctx.app).post('/devices/token/').send({});
    expect(noCode.status).toBe(400);
    expect(noCode.body.device_code).toBeDefined();
    const grant = await request(ctx.app).post('/devices/token/').send({ device_code: 'x', grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    // RFC 8628 clients send the token request form-encoded.
    const form = await request(ctx.app).post('/devices/token/').type('form').send({ device_code: 'nope', grant_type: 'urn:ietf:params:oauth:grant-type:device_code' });
    expect(form.body.error).toBe('invalid_grant');
  });
});

describe('embedded mode (SQLite, memory rate limits)', () => {
  it('runs the same flow', async () => {
    const embedded = await createTestApp({ dialect: 'sqlite', redis: false, env: { TRUST_PROXY: 'true' } });
    try {
      embedded.rt.services.devices.clock = () => new Date();
      const { member, device } = await flow(embedded);
      await request(embedded.app).delete(`/devices/${device.device.id}/`).set('Authorization', `JWT ${member.token}`).expect(204);
      expect((await request(embedded.app).get('/devices/').set('Authorization', `JWT ${device.access_token}`)).status).toBe(401);
    } finally {
      await embedded.close();
    }
  });
});

describe('the verification page (verification_uri)', () => {
  it('GET /device serves the Korean page and its script under the API’s CSP (no inline script)', async () => {
    const page = await request(ctx.app).get('/device?user_code=BCDF-GHJK').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('TV 연결');
    expect(page.text).toContain('<script src="/device/page.js"></script>');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect((await request(ctx.app).get('/device/')).status).toBe(200);
    const js = await request(ctx.app).get('/device/page.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    for (const path of ['/user/login/', '/devices/confirm/', 'user_code']) expect(js.text).toContain(path);
  });

  it('DEVICE_VERIFICATION_URI points verification_uri at the member app’s own page (DEVICE_VERIFICATION_URL still read)', async () => {
    for (const name of ['DEVICE_VERIFICATION_URI', 'DEVICE_VERIFICATION_URL']) {
      const other = await createTestApp({ env: { [name]: 'https://app.example.com/tv/' } });
      try {
        const code = (await request(other.app).post('/devices/code/').send({ name: 'TV' })).body;
        expect(code.verification_uri).toBe('https://app.example.com/tv');
        expect(code.verification_uri_complete).toBe(`https://app.example.com/tv?user_code=${code.user_code}`);
      } finally {
        await other.close();
      }
    }
  });
});
