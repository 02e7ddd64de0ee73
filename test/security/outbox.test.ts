// The transactional outbox (issue 12, item 4; architecture rule 12). With Redis killed, a rating, a
// content upload and a recompute request answer in their normal time: they only write their job
// intent in their own transaction. When Redis comes back the relays move every intent to BullMQ, and
// each job appears — and runs — once. A rolled-back change leaves no intent. The embedded mode
// relays the same outbox to the in-process runner.
//
// Redis here is a private `redis-server` on a free port that the test kills (SIGKILL) and restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import type { Job } from 'bullmq';
import { InProcessJobBus, type BullJobBus } from '../../jobs/bus.js';
import { OutboxEntry } from '../../jobs/outbox.entity.js';
import { QUEUES } from '../../jobs/queues.js';
import { OutboxRelay } from '../../jobs/relay.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin } from '../support/users.js';

/** A request that took longer than this did not answer "in its normal time". */
const NORMAL_MS = 2000;

const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const userIdOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).user_id as number;

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as AddressInfo;
  srv.close();
  await once(srv, 'close');
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return proc;
}

async function killRedis(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGKILL');
  await exited;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fake MP4 (passes sniffing; ffprobe will not read it). */
function fakeMp4(bytes: number): Buffer {
  const head = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1')]);
  return Buffer.concat([head, randomBytes(bytes - head.length)]);
}

const ALL_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;

describe('with a private Redis that dies and comes back (MariaDB)', () => {
  let port: number;
  let redis: ChildProcess;
  let ctx: TestContext & { app: Express };
  let bus: BullJobBus;
  let movies: number[];
  let members: Array<{ token: string; id: number }>;
  let catalogToken: string;
  let admin: { id: number; email: string };
  /** Every time a BullMQ worker took a job: job id → how often. */
  const runs = new Map<string, number>();
  const outboxRows = () => ctx.rt.ds.getRepository(OutboxEntry).find({ order: { id: 'ASC' } });

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    ctx = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    bus = ctx.rt.jobs as BullJobBus;
    for (const w of bus.startWorkers(ctx.rt.services, 1)) {
      w.on('active', (job: Job) => runs.set(String(job.id), (runs.get(String(job.id)) ?? 0) + 1));
    }
    const repo = ctx.rt.ds.getRepository(Movie);
    movies = (await repo.save([1, 2, 3].map((i) => repo.create({ name: `아웃박스 ${i}` })))).map((m) => m.id);
    members = [];
    for (let i = 0; i < 2; i++) {
      const { token } = await signupAndLogin(ctx.app);
      members.push({ token, id: userIdOf(token) });
    }
    const catalog = await createStaff(ctx.rt, 'catalog');
    catalogToken = (await request(ctx.app).post('/user/login/').send({ username: catalog.user.username, password: catalog.password }).expect(200)).body.token;
    const staff = await createStaff(ctx.rt, 'admin');
    admin = { id: staff.user.id, email: staff.email };
  }, 60_000);

  afterAll(async () => {
    // The context purges its Redis keys on close: Redis must be up.
    if (redis && (redis.exitCode !== null || redis.signalCode !== null)) redis = await startRedis(port);
    await ctx?.close();
    if (redis) await killRedis(redis);
  }, 60_000);

  let uploadId: number;
  let recomputeJobId: string;

  it('Redis down: rating, upload and recompute answer in normal time; their intents wait in the outbox', async () => {
    await killRedis(redis);

    const rate = async (member: { token: string }, movie: number) => {
      const t0 = performance.now();
      const res = await request(ctx.app).post('/movie/rating/').set(auth(member.token)).send({ movie: String(movie), score: 4 }).timeout(10_000);
      return { res, ms: Math.round(performance.now() - t0) };
    };
    const first = await rate(members[0], movies[0]);
    expect(first.res.status).toBe(201);
    const second = await rate(members[0], movies[1]);
    const other = await rate(members[1], movies[0]);
    expect([second.res.status, other.res.status]).toEqual([201, 201]);

    const t0 = performance.now();
    const upload = await request(ctx.app).post('/contents/').set(auth(catalogToken)).field('title', '아웃박스 업로드').attach('file', fakeMp4(4096), { filename: 'outbox.mp4', contentType: 'video/mp4' }).timeout(10_000);
    const uploadMs = Math.round(performance.now() - t0);
    expect(upload.status).toBe(201);
    uploadId = upload.body.id;

    const t1 = performance.now();
    const recompute = await ctx.rt.services.statistics.requestRecompute(admin, { from: '2026-01-01', to: '2026-01-02' });
    const recomputeMs = Math.round(performance.now() - t1);
    recomputeJobId = recompute.jobId;

    console.log(`Redis down: POST /movie/rating/ ${first.ms} ms, ${second.ms} ms, ${other.ms} ms; POST /contents/ ${uploadMs} ms; recompute request ${recomputeMs} ms`);
    for (const ms of [first.ms, second.ms, other.ms, uploadMs, recomputeMs]) expect(ms).toBeLessThan(NORMAL_MS);

    // The retry the issue saw is not needed, and a duplicate is still refused as before.
    expect((await rate(members[0], movies[0])).res.status).toBe(403);

    // Two ratings of one member: one refresh intent (deduplicated); one per other producer.
    const rows = await outboxRows();
    expect(rows.map((r) => [r.jobName, JSON.parse(r.payload), r.jobId, r.dedupId, r.relayedAt])).toEqual([
      ['recommendations.refresh-user', { userId: members[0].id }, null, `rec-refresh-${members[0].id}`, null],
      ['recommendations.refresh-user', { userId: members[1].id }, null, `rec-refresh-${members[1].id}`, null],
      ['contents.probe', { contentId: uploadId }, `probe-${uploadId}`, null, null],
      ['statistics.recompute', { from: '2026-01-01', to: '2026-01-02', requestedBy: admin.id }, null, 'stats-recompute-2026-01-01-2026-01-02', null],
    ]);
    expect(recomputeJobId).toBe(`outbox-${rows[3].id}`);
    // A second request for the same range while it waits is the same job.
    expect((await ctx.rt.services.statistics.requestRecompute(admin, { from: '2026-01-01', to: '2026-01-02' })).jobId).toBe(recomputeJobId);
    // The relay tried and backs off; it does not lose the intents.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ctx.rt.services.outbox.pending()).toBe(4);
    await expect(ctx.rt.relay.flush()).rejects.toThrow(/unreachable/);
    expect((await outboxRows()).every((r) => r.attempts >= 1 && r.lastError)).toBe(true);
  }, 60_000);

  it('Redis back: every job reaches BullMQ once and runs once, with a second relay competing', async () => {
    // A second relay on the same table (as the worker process runs one): they claim different rows.
    const second = new OutboxRelay(ctx.rt.services.outbox, ctx.rt.jobs, ctx.rt.logger, { pollMs: 50 });
    second.start();
    try {
      const t0 = Date.now();
      redis = await startRedis(port);
      await waitFor('the outbox to be relayed', async () => (await ctx.rt.services.outbox.pending()) === 0);
      console.log(`Redis back: outbox relayed ${Date.now() - t0} ms after the restart`);

      const rec = (await bus.queue(QUEUES.recommendations).getJobs([...ALL_STATES])).filter((j) => j.name === 'recommendations.refresh-user');
      expect(rec.map((j) => j.data.userId).sort()).toEqual([members[0].id, members[1].id].sort());
      // Still waiting their 30 s (the delay counts from the rating, not from Redis' return).
      expect(await Promise.all(rec.map((j) => j.getState()))).toEqual(['delayed', 'delayed']);
      expect(rec.every((j) => j.opts.delay! <= 30_000)).toBe(true);

      const probes = (await bus.queue(QUEUES.contents).getJobs([...ALL_STATES])).filter((j) => j.name === 'contents.probe');
      expect(probes.map((j) => j.id)).toEqual([`probe-${uploadId}`]);

      const stats = await bus.queue(QUEUES.statistics).getJobs([...ALL_STATES]);
      expect(stats.map((j) => j.id)).toEqual([recomputeJobId]);
      const done = await waitFor('the recompute job to complete', async () => {
        const job = await bus.queue(QUEUES.statistics).getJob(recomputeJobId);
        return job?.finishedOn ? job : null;
      });
      expect(done.returnvalue).toEqual({ from: '2026-01-01', to: '2026-01-02', days: 2 });
      // Relays keep running: nothing is added or run a second time.
      await new Promise((r) => setTimeout(r, 1500));
      expect(runs.get(recomputeJobId)).toBe(1);
      expect((await bus.queue(QUEUES.statistics).getJobs([...ALL_STATES])).map((j) => j.id)).toEqual([recomputeJobId]);
      expect(await bus.queue(QUEUES.recommendations).getJobCounts('delayed')).toEqual({ delayed: 2 });

      // What is left: the two refresh intents hold their dedup ids until their jobs start; the
      // recompute's hold ended when it started, so a new request is a new job.
      const rows = await outboxRows();
      expect(rows.map((r) => [r.dedupId, r.relayedAt !== null])).toEqual([
        [`rec-refresh-${members[0].id}`, true],
        [`rec-refresh-${members[1].id}`, true],
      ]);
      const again = await ctx.rt.services.statistics.requestRecompute(admin, { from: '2026-01-01', to: '2026-01-02' });
      expect(again.jobId).not.toBe(recomputeJobId);
      // A rating now joins the member's waiting refresh.
      await request(ctx.app).post('/movie/rating/').set(auth(members[0].token)).send({ movie: movies[2], score: 2 }).expect(201);
      await ctx.rt.relay.flush();
      expect((await bus.queue(QUEUES.recommendations).getJobs([...ALL_STATES])).filter((j) => j.data.userId === members[0].id)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('ratings of one member sent at once: all stored, one intent, one job', async () => {
    const repo = ctx.rt.ds.getRepository(Movie);
    const more = (await repo.save([1, 2, 3, 4, 5, 6].map((i) => repo.create({ name: `동시 ${i}` })))).map((m) => m.id);
    const { token } = await signupAndLogin(ctx.app);
    const statuses = await Promise.all(more.map((movie) => request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie, score: 3 }).then((r) => r.status)));
    expect(statuses).toEqual(more.map(() => 201));
    await ctx.rt.relay.flush();
    const jobs = (await bus.queue(QUEUES.recommendations).getJobs([...ALL_STATES])).filter((j) => j.data.userId === userIdOf(token));
    expect(jobs).toHaveLength(1);
    expect(await ctx.rt.ds.getRepository(OutboxEntry).findBy({ dedupId: `rec-refresh-${userIdOf(token)}` })).toEqual([expect.objectContaining({ relayedAt: expect.any(Date) })]);
  });

  it('a change that rolls back leaves no intent and no job', async () => {
    // The audit entry fails (e-mail longer than its column) after the intent was written.
    await expect(ctx.rt.services.statistics.requestRecompute({ id: admin.id, email: `${'x'.repeat(300)}@example.com` }, { from: '2026-02-01', to: '2026-02-02' })).rejects.toThrow();
    await expect(
      ctx.rt.ds.transaction(async (m) => {
        await ctx.rt.services.outbox.add(m, 'search.reindex', {}, { jobId: 'rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await ctx.rt.relay.flush();
    const rows = await outboxRows();
    expect(rows.filter((r) => r.dedupId === 'stats-recompute-2026-02-01-2026-02-02' || r.jobId === 'rolled-back')).toEqual([]);
    expect((await bus.queue(QUEUES.statistics).getJobs([...ALL_STATES])).filter((j) => j.data.from === '2026-02-01')).toEqual([]);
    expect(await bus.queue(QUEUES.search).getJob('rolled-back')).toBeUndefined();
  });
});

describe('embedded mode (SQLite, no Redis): the same outbox, relayed to the in-process runner', () => {
  let ctx: TestContext & { app: Express };
  beforeAll(async () => {
    ctx = await createTestApp({ dialect: 'sqlite', redis: false });
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('a rating and a recompute request reach the runner through the outbox', async () => {
    const bus = ctx.rt.jobs as InProcessJobBus;
    expect(bus).toBeInstanceOf(InProcessJobBus);
    const movie = await ctx.rt.ds.getRepository(Movie).save({ name: '임베디드' });
    const { token } = await signupAndLogin(ctx.app);
    await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: movie.id, score: 5 }).expect(201);
    await ctx.rt.relay.flush();
    const [row] = await ctx.rt.ds.getRepository(OutboxEntry).find();
    expect(row).toEqual(expect.objectContaining({ jobName: 'recommendations.refresh-user', dedupId: `rec-refresh-${userIdOf(token)}`, relayedAt: expect.any(Date) }));
    expect(bus.list().map((j) => [j.id, j.name, j.data, j.state])).toEqual([[`outbox-${row.id}`, 'recommendations.refresh-user', { userId: userIdOf(token) }, 'waiting']]);

    const staff = await createStaff(ctx.rt, 'admin');
    const { jobId } = await ctx.rt.services.statistics.requestRecompute({ id: staff.user.id, email: staff.email }, { from: '2026-03-01', to: '2026-03-03' });
    await ctx.rt.relay.flush();
    const done = await waitFor('the in-process recompute', async () => (bus.get(jobId)?.state === 'completed' ? bus.get(jobId) : null), 10_000);
    expect(done!.result).toEqual({ from: '2026-03-01', to: '2026-03-03', days: 3 });
    // Started: its intent is gone (the member's refresh still holds its own).
    expect((await ctx.rt.ds.getRepository(OutboxEntry).find()).map((r) => r.jobName)).toEqual(['recommendations.refresh-user']);
  });

  it('a transaction that rolls back while the relay runs leaves no job (SQLite: one connection for all)', async () => {
    const bus = ctx.rt.jobs as InProcessJobBus;
    await expect(
      ctx.rt.ds.transaction(async (m) => {
        await ctx.rt.services.outbox.add(m, 'search.reindex', {}, { jobId: 'embedded-rolled-back' });
        ctx.rt.relay.kick();
        await new Promise((r) => setTimeout(r, 200)); // the relay runs meanwhile
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await ctx.rt.relay.flush();
    expect(bus.get('embedded-rolled-back')).toBeUndefined();
    expect(await ctx.rt.ds.getRepository(OutboxEntry).countBy({ jobId: 'embedded-rolled-back' })).toBe(0);
  });
});
