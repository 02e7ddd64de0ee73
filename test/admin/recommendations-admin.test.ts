// Recommendation runs in the panel over the AdminJS HTTP API (live MariaDB and Redis): the runs the
// worker stores in rec_runs, with their progress, for admins and catalog staff (finance is refused),
// and "Retrain now" (admins) queues recommendations.train through the recommendations service.
import type { Express } from 'express';
import type request from 'supertest';
import type { BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { RecRun } from '../../src/modules/recommendations/recommendation.entities.js';
import type { Role } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelAgent } from '../support/panel.js';
import { createStaff } from '../support/users.js';

let ctx: TestContext & { app: Express };
let done: RecRun;
let running: RecRun;
beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  const runs = ctx.rt.ds.getRepository(RecRun);
  done = await runs.save(runs.create({ kind: 'full', status: 'done', progress: 100, algorithm: 'hybrid', users: 610, items: 9724, ratings: 100836, globalMean: 3.5, durationMs: 2150, finishedAt: new Date() }));
  running = await runs.save(runs.create({ kind: 'full', status: 'running', progress: 42 }));
  await runs.save(runs.create({ kind: 'full', status: 'failed', progress: 12, error: 'cannot train a recommender on zero ratings', finishedAt: new Date(), durationMs: 5 }));
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const agents = new Map<Role, ReturnType<typeof request.agent>>();
const staffIds = new Map<Role, number>();
async function as(role: Exclude<Role, 'user'>) {
  const known = agents.get(role);
  if (known) return known;
  const staff = await createStaff(ctx.rt, role);
  const agent = panelAgent(ctx.app);
  expect((await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
  agents.set(role, agent);
  staffIds.set(role, staff.user.id);
  return agent;
}
const api = '/admin/api/resources/rec_runs';

describe('Recommendation runs in the panel', () => {
  it('lists the runs, newest first, with progress, counts, duration and error', async () => {
    const admin = await as('admin');
    const list = await admin.get(`${api}/actions/list`);
    expect(list.status).toBe(200);
    const params = list.body.records.map((r: { params: Record<string, unknown> }) => r.params);
    expect(params.map((p: { id: number }) => p.id).slice(0, 3)).toEqual([running.id + 1, running.id, done.id]);
    expect(params.find((p: { id: number }) => p.id === running.id)).toEqual(expect.objectContaining({ status: 'running', progress: 42, kind: 'full' }));
    expect(params.find((p: { id: number }) => p.id === done.id)).toEqual(
      expect.objectContaining({ status: 'done', progress: 100, users: 610, items: 9724, ratings: 100836, durationMs: 2150, startedAt: expect.any(String), finishedAt: expect.any(String) }),
    );
    expect(params.find((p: { id: number }) => p.id === running.id + 1)).toEqual(expect.objectContaining({ status: 'failed', error: 'cannot train a recommender on zero ratings' }));
    const show = await admin.get(`${api}/records/${done.id}/show`);
    expect(show.body.record.params).toEqual(expect.objectContaining({ algorithm: 'hybrid', globalMean: 3.5 }));
  });

  it('is read-only: no new, edit or delete for anyone', async () => {
    const admin = await as('admin');
    for (const action of ['new', 'edit', 'delete']) {
      const path = action === 'new' ? `${api}/actions/new` : `${api}/records/${done.id}/${action}`;
      const res = await admin.post(path).send({ status: 'failed' });
      expect(res.status === 403 || res.status === 404 || res.body.notice?.type === 'error').toBe(true);
    }
    expect((await ctx.rt.ds.getRepository(RecRun).findOneByOrFail({ id: done.id })).status).toBe('done');
  });

  it('shows the runs to catalog staff (no retrain) and refuses finance', async () => {
    const catalog = await as('catalog');
    const list = await catalog.get(`${api}/actions/list`);
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { id: string }) => Number(r.id))).toContain(running.id);
    const retrain = await catalog.post(`${api}/actions/retrain`).send({});
    expect(retrain.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(retrain.body.job_id).toBeUndefined();

    const finance = await as('finance');
    const refused = await finance.get(`${api}/actions/list`);
    expect(refused.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(refused.body.records ?? []).toEqual([]);
    expect((await finance.get(`${api}/records/${done.id}/show`)).body.record?.params ?? {}).toEqual({});
  });

  it('Retrain now (admins) queues one recommendations.train job through the service and audits it', async () => {
    const admin = await as('admin');
    const q = (ctx.rt.jobs as BullJobBus).queue(QUEUES.recommendations);
    // opening the action (GET) changes nothing
    expect((await admin.get(`${api}/actions/retrain`)).status).toBe(200);
    expect((await q.getJobs(['waiting', 'delayed', 'active'])).filter((j) => j.name === 'recommendations.train')).toHaveLength(0);
    const first = await admin.post(`${api}/actions/retrain`).send({});
    expect(first.status).toBe(200);
    expect(first.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect(first.body.job_id).toEqual(expect.any(String));
    // a second click while it waits is the same job
    const second = await admin.post(`${api}/actions/retrain`).send({});
    expect(second.body.job_id).toBe(first.body.job_id);
    await ctx.rt.relay.flush(); // the outbox relay moves the intent to BullMQ
    const jobs = (await q.getJobs(['waiting', 'delayed', 'active'])).filter((j) => j.name === 'recommendations.train');
    expect(jobs.map((j) => j.id)).toEqual([first.body.job_id]);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'recommendations.retrain', actorId: staffIds.get('admin')! })).toBe(2);
  });
});
