// The queue monitor (/admin/queues, bull-board) behind the admin session: admins see the BullMQ
// queues and their jobs; other staff get 403; no session → the login page; embedded mode says
// that jobs run in-process.
import request from 'supertest';
import type { Express } from 'express';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff } from '../support/users.js';
import { panelAgent } from '../support/panel.js';

async function agentFor(app: Express, ctx: TestContext, role: 'admin' | 'catalog' | 'finance') {
  const staff = await createStaff(ctx.rt, role);
  const agent = panelAgent(app);
  expect((await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
  return agent;
}

describe('with Redis (BullMQ)', () => {
  let ctx: TestContext & { app: Express };
  beforeAll(async () => {
    ctx = await createTestApp({ admin: true });
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('admins see every queue and a waiting job; other staff are refused; anonymous goes to the login', async () => {
    await ctx.rt.jobs.enqueue('search.reindex', {}, { jobId: 'monitor-test' });
    const admin = await agentFor(ctx.app, ctx, 'admin');
    const page = await admin.get('/admin/queues');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Marquee jobs');
    const api = await admin.get('/admin/queues/api/queues').query({ activeQueue: 'search', status: 'waiting', page: 1 });
    expect(api.status).toBe(200);
    const names = api.body.queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual(['commerce', 'contents', 'recommendations', 'search', 'statistics']);
    const search = api.body.queues.find((q: { name: string }) => q.name === 'search');
    expect(search.counts.waiting).toBe(1);
    expect(search.jobs.map((j: { id: string }) => j.id)).toEqual(['monitor-test']);

    for (const role of ['catalog', 'finance'] as const) {
      const other = await agentFor(ctx.app, ctx, role);
      expect((await other.get('/admin/queues')).status).toBe(403);
      expect((await other.get('/admin/queues/api/queues')).status).toBe(403);
    }
    const anonymous = await request(ctx.app).get('/admin/queues');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/admin/login');
  });
});

describe('embedded mode (no Redis)', () => {
  it('says that jobs run in-process', async () => {
    const ctx = await createTestApp({ admin: true, dialect: 'sqlite', redis: false });
    try {
      const admin = await agentFor(ctx.app, ctx, 'admin');
      const page = await admin.get('/admin/queues');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Jobs run in-process');
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
