// The queue monitor (/admin/queues, bull-board) behind the admin session: admins see the BullMQ
// queues and their jobs; other staff get 403; no session → the login page; embedded mode says
// that jobs run in-process.
import request from 'supertest';
import type { Express } from 'express';
import { InProcessJobBus } from '../../jobs/bus.js';
import type { JobName } from '../../jobs/queues.js';
import { jobsPage } from '../../admin/jobs-page.js';
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

  it('the panel\'s "작업 모니터" page links the queue monitor for admins and refuses other staff', async () => {
    const admin = await agentFor(ctx.app, ctx, 'admin');
    expect((await admin.get('/admin/api/pages/jobs')).body).toEqual({ mode: 'bullmq', monitorUrl: '/admin/queues' });
    // it is in the navigation (AdminJS pages) of the panel's own state
    const html = (await admin.get('/admin')).text;
    expect(html).toMatch(/"pages":\[[^\]]*"name":"jobs"/);
    const finance = await agentFor(ctx.app, ctx, 'finance');
    const refused = await finance.get('/admin/api/pages/jobs');
    expect(refused.body).toEqual({ error: '작업 모니터는 관리자만 볼 수 있습니다.' });
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
      // The panel's job page lists the in-process jobs: a finished one, with its state and last run.
      const id = await ctx.rt.jobs.enqueue('search.reindex', {});
      await (ctx.rt.jobs as InProcessJobBus).drain();
      const listed = await admin.get('/admin/api/pages/jobs');
      expect(listed.body.mode).toBe('in-process');
      expect(listed.body.jobs).toContainEqual(expect.objectContaining({ id, name: 'search.reindex', state: 'completed', attempts: 1, failures: 0, lastRunAt: expect.any(String) }));
    } finally {
      await ctx.close();
    }
  }, 120_000);
});

describe('in-process jobs on the panel page: failures and retry', () => {
  it('a failed job shows its failures and runs again from the retry button', async () => {
    const ctx = await createTestApp({ dialect: 'sqlite', redis: false });
    // A bus of its own with a 5 ms back-off, so that the five attempts fail quickly.
    const bus = new InProcessJobBus(() => ctx.rt.services as never, ctx.rt.logger, 5);
    try {
      const page = jobsPage({ jobs: bus }, '/admin/queues');
      const admin = { currentAdmin: { id: '1', email: 'a@marquee.test', role: 'admin' as const } };
      const id = await bus.enqueue('no.such.job' as JobName, {} as never);
      await bus.drain();
      const before = (await page({ method: 'get' } as never, {}, admin as never)) as { jobs: Array<Record<string, unknown>> };
      expect(before.jobs).toEqual([expect.objectContaining({ id, state: 'failed', attempts: 5, failures: 5, error: 'no processor for job no.such.job' })]);
      // a job that did not fail cannot be retried; an unknown id neither
      expect(await page({ method: 'post', payload: { retry: 'nope' } } as never, {}, admin as never)).toEqual({ error: '실패한 작업만 다시 실행할 수 있습니다.' });
      expect(await page({ method: 'post', payload: { retry: id } } as never, {}, admin as never)).toEqual({ retried: id });
      await bus.drain();
      const after = (await page({ method: 'get' } as never, {}, admin as never)) as { jobs: Array<Record<string, unknown>> };
      expect(after.jobs).toEqual([expect.objectContaining({ id, state: 'failed', failures: 10 })]);
      // other staff get no list
      expect(await page({ method: 'get' } as never, {}, { currentAdmin: { id: '2', email: 'c@marquee.test', role: 'catalog' } } as never)).toEqual({ error: '작업 모니터는 관리자만 볼 수 있습니다.' });
    } finally {
      await bus.close();
      await ctx.close();
    }
  }, 60_000);
});
