// The embedded default: SQLite file, in-process jobs, sessions in the database — the same
// app, services and processors as the full mode.
import request from 'supertest';
import type { Express } from 'express';
import { InProcessJobBus } from '../../jobs/bus.js';
import { DailySignupStat } from '../../src/modules/statistics/daily-signup-stat.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin } from '../support/users.js';
import { panelAgent } from '../support/panel.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ dialect: 'sqlite', redis: false, admin: true });
});
afterAll(async () => {
  await ctx.close();
});

describe('embedded mode', () => {
  it('runs on SQLite without Redis', async () => {
    expect(ctx.config.embedded).toBe(true);
    expect(ctx.rt.ds.options.type).toBe('better-sqlite3');
    expect(ctx.rt.redis).toBeNull();
    const ready = await request(ctx.app).get('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'disabled' } });
  });

  it('signs up and logs in', async () => {
    const { token } = await signupAndLogin(ctx.app);
    expect(token.split('.')).toHaveLength(3);
  });

  it('runs jobs in-process with the same processor', async () => {
    const bus = ctx.rt.jobs as InProcessJobBus;
    expect(bus.kind).toBe('in-process');
    const u = await ctx.rt.services.users.signup({ username: 'embedded1', email: 'e@example.com', password: 'pa55word!', getAgreement: false });
    await ctx.rt.ds.getRepository(User).update({ id: u.id }, { createdAt: new Date('2025-05-05T10:00:00Z') });
    const id = await bus.enqueue('statistics.daily', { day: '2025-05-05' });
    await bus.drain();
    expect(bus.get(id)).toEqual(expect.objectContaining({ state: 'completed', result: expect.objectContaining({ day: '2025-05-05', signups: 1 }), progress: 100 }));
    expect(await ctx.rt.ds.getRepository(DailySignupStat).findOneByOrFail({ day: '2025-05-05' })).toEqual(expect.objectContaining({ signups: 1 }));
  });

  it('retries a failing job and then marks it failed', async () => {
    const bus = new InProcessJobBus(() => ctx.rt.services, ctx.rt.logger, 5);
    const id = await bus.enqueue('statistics.daily', { day: 'yesterday' });
    await bus.drain();
    expect(bus.get(id)).toEqual(expect.objectContaining({ state: 'failed', attempts: 5, error: expect.stringMatching(/not a day/) }));
    await bus.close();
  });

  it('deduplicates a pending job by id', async () => {
    const bus = new InProcessJobBus(() => ctx.rt.services, ctx.rt.logger, 5);
    const a = await bus.enqueue('statistics.daily', { day: '2025-05-06' }, { jobId: 'snap-2025-05-06', delayMs: 50 });
    const b = await bus.enqueue('statistics.daily', { day: '2025-05-06' }, { jobId: 'snap-2025-05-06', delayMs: 50 });
    expect(a).toBe(b);
    expect(bus.list()).toHaveLength(1);
    await bus.drain();
    await bus.close();
  });

  it('keeps admin sessions in the database', async () => {
    const staff = await createStaff(ctx.rt, 'admin');
    const agent = panelAgent(ctx.app);
    const login = await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe('/admin');
    const rows: Array<{ n: number }> = await ctx.rt.ds.query('SELECT COUNT(*) AS n FROM http_sessions');
    expect(Number(rows[0].n)).toBe(1);
    const page = await agent.get('/admin');
    expect(page.status).toBe(200);
    expect(page.text).toContain('components.bundle.js');
  });
});
