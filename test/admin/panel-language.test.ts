// The panel's language per staff member (users.panel_language, issue 14 §1) and its assets
// (§8), over HTTP: Korean by default; the Language page saves 'en' or 'ko' on the account and
// refuses anything else without a change; the session's currentAdmin carries the language and the
// page's <html lang> follows it; scripts come content-hashed, compressed and immutable; no page
// links anything outside the panel.
import request from 'supertest';
import type { Express } from 'express';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelAgent } from '../support/panel.js';
import { createStaff } from '../support/users.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ admin: true, dialect: 'sqlite', redis: false });
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const reduxState = (html: string) => JSON.parse(/window\.REDUX_STATE = (\{.*?\});\n/s.exec(html)![1]!);

it('is Korean by default, English once chosen on the Language page, and refuses other values', async () => {
  const staff = await createStaff(ctx.rt, 'support');
  const agent = panelAgent(ctx.app);
  expect((await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
  let page = await agent.get('/admin');
  expect(page.text).toMatch(/<html lang="?ko"?>/);
  let state = reduxState(page.text);
  expect(state.session.language).toBe('ko');
  expect(state.locale.language).toBe('ko');
  expect(state.locale.translations.ko.labels.dashboard).toBe('대시보드');
  expect((await agent.get('/admin/api/pages/language')).body).toEqual({ language: 'ko' });

  for (const bad of ['fr', '', 42, null]) {
    const res = await agent.post('/admin/api/pages/language').send({ language: bad });
    expect(res.body.error).toMatch(/ko|en/);
  }
  expect((await ctx.rt.ds.getRepository(User).findOneByOrFail({ id: staff.user.id })).panelLanguage).toBe('ko');

  expect((await agent.post('/admin/api/pages/language').send({ language: 'en' })).body).toEqual({ language: 'en' });
  expect((await ctx.rt.ds.getRepository(User).findOneByOrFail({ id: staff.user.id })).panelLanguage).toBe('en');
  page = await agent.get('/admin');
  expect(page.text).toMatch(/<html lang="?en"?>/);
  state = reduxState(page.text);
  expect(state.session.language).toBe('en');
  expect(Object.keys(state.locale.translations)).toEqual(['en']);
  // another staff member is not affected
  const other = await createStaff(ctx.rt, 'support');
  const otherAgent = panelAgent(ctx.app);
  await otherAgent.post('/admin/login').type('form').send({ email: other.email, password: other.password });
  expect((await otherAgent.get('/admin')).text).toMatch(/<html lang="?ko"?>/);
});

it('serves the login page in Korean without scripts, English on request', async () => {
  const ko = await request(ctx.app).get('/admin/login');
  expect(ko.status).toBe(200);
  expect(ko.text).toContain('<html lang="ko">');
  expect(ko.text).toContain('로그인');
  expect(ko.text).not.toMatch(/<script|AdminJS|googleapis/);
  const en = await request(ctx.app).get('/admin/login?lang=en');
  expect(en.text).toContain('<html lang="en">');
  expect(en.text).toContain('Log in');
  const wrong = await panelAgent(ctx.app).post('/admin/login').type('form').send({ email: 'nobody@marquee.test', password: 'x' });
  expect(wrong.text).toContain('이메일 또는 비밀번호가 올바르지 않습니다');
});

it('names every action an admin can open in Korean (the locale file), none left to AdminJS\'s English fallback', async () => {
  const staff = await createStaff(ctx.rt, 'admin');
  const agent = panelAgent(ctx.app);
  await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
  const state = reduxState((await agent.get('/admin')).text) as {
    resources: Array<{ id: string; actions: Array<{ name: string; component: unknown }> }>;
    locale: { translations: { ko: { actions: Record<string, string>; resources: Record<string, { actions?: Record<string, string> }> } } };
  };
  const ko = state.locale.translations.ko;
  const named: string[] = [];
  const unnamed: string[] = [];
  for (const r of state.resources) {
    for (const a of r.actions) {
      if (a.component === false) continue; // a data endpoint of a screen (details, activity, uploadPoster), never shown
      const label = ko.resources[r.id]?.actions?.[a.name] ?? ko.actions[a.name];
      (typeof label === 'string' && /[가-힣]/.test(label) ? named : unnamed).push(`${r.id}.${a.name}`);
    }
  }
  expect(unnamed).toEqual([]);
  expect(named.length).toBeGreaterThan(100);
});

it('writes the server\'s notices in each staff member\'s language: Korean by default, English once chosen', async () => {
  const admin = await createStaff(ctx.rt, 'admin');
  const target = await createStaff(ctx.rt, 'support');
  const agent = panelAgent(ctx.app);
  await agent.post('/admin/login').type('form').send({ email: admin.email, password: admin.password });
  const setPassword = (password: string) => agent.post(`/admin/api/resources/users/records/${target.user.id}/setPassword`).send({ password });
  expect((await setPassword('short')).body.notice).toEqual({ message: '비밀번호는 8자 이상이어야 합니다.', type: 'error' });
  expect((await setPassword('a-long-enough-password')).body.notice).toEqual({ message: '비밀번호를 설정했습니다.', type: 'success' });
  const ended = await agent.post(`/admin/api/resources/users/records/${target.user.id}/endSessions`).send({});
  expect(ended.body.notice.message).toMatch(/^패널 세션 0개를 종료했습니다/);

  expect((await agent.post('/admin/api/pages/language').send({ language: 'en' })).body).toEqual({ language: 'en' });
  expect((await setPassword('short')).body.notice).toEqual({ message: 'The password must be at least 8 characters.', type: 'error' });
  expect((await setPassword('another-long-password')).body.notice).toEqual({ message: 'Password set.', type: 'success' });
  // the job monitor's refusal too (support may not read the queues)
  const support = await createStaff(ctx.rt, 'support');
  const supportAgent = panelAgent(ctx.app);
  await supportAgent.post('/admin/login').type('form').send({ email: support.email, password: support.password });
  expect((await supportAgent.get('/admin/api/pages/jobs')).body).toEqual({ error: '작업 모니터는 관리자만 볼 수 있습니다.' });
});

it('serves the scripts content-hashed, compressed and immutable, and links nothing external', async () => {
  const staff = await createStaff(ctx.rt, 'admin');
  const agent = panelAgent(ctx.app);
  await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
  const page = await agent.get('/admin').set('Accept-Encoding', 'gzip');
  expect(page.headers['content-encoding']).toBe('gzip');
  expect(page.text).not.toMatch(/fonts\.googleapis|fonts\.gstatic|<link[^>]+href="https?:/);
  const srcs = [...page.text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  expect(srcs).toHaveLength(4);
  for (const src of srcs) {
    expect(src).toMatch(/^\/admin\/assets\/[0-9a-f]{16}\/(global|design-system|app|components)\.bundle\.js$/);
    const plain = await request(ctx.app).get(src).set('Accept-Encoding', 'identity').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await request(ctx.app).get(src).set('Accept-Encoding', 'br, gzip').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toMatch(/^(br|gzip)$/);
    expect(Number(br.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']) / 2);
    // the same bytes again: a 304 for the ETag
    expect((await request(ctx.app).get(src).set('If-None-Match', plain.headers.etag)).status).toBe(304);
  }
  // an unknown hash is not served
  expect((await request(ctx.app).get('/admin/assets/0000000000000000/app.bundle.js')).status).not.toBe(200);
});
