// The database WebhookEventStore (gateway_events): claim = insert, a duplicate → false, release =
// delete, and a claim inside a transaction that rolls back is not recorded (the effects and the
// claim commit together). On live MariaDB (20 parallel claims → exactly one) and on SQLite.
import type { DataSource } from 'typeorm';
import { GatewayEvent } from '../../../src/modules/commerce/commerce.entities.js';
import { DbWebhookEventStore } from '../../../src/modules/commerce/gateway-events.js';
import { createTestContext, type TestContext } from '../../support/context.js';

describe.each(['mysql', 'sqlite'] as const)('DbWebhookEventStore on %s', (dialect) => {
  let ctx: TestContext;
  let ds: DataSource;
  let store: DbWebhookEventStore;
  let n = 0;
  const id = () => `evt_${dialect}_${Date.now()}_${++n}`;

  beforeAll(async () => {
    ctx = await createTestContext({ dialect, redis: false });
    ds = ctx.rt.ds;
    store = new DbWebhookEventStore(ds);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('claims an event once; a second claim answers false; release lets it be claimed again', async () => {
    const e = id();
    expect(await store.seen('toss', e)).toBe(false);
    expect(await store.claim('toss', e)).toBe(true);
    expect(await store.seen('toss', e)).toBe(true);
    expect(await store.claim('toss', e)).toBe(false);
    const row = await ds.getRepository(GatewayEvent).findOneByOrFail({ eventId: e });
    expect(row.gateway).toBe('toss');
    expect(row.receivedAt).toBeInstanceOf(Date);
    await store.release('toss', e);
    expect(await store.seen('toss', e)).toBe(false);
    expect(await store.claim('toss', e)).toBe(true);
  });

  it('prunes event ids received before the cut-off, keeps the newer ones', async () => {
    const old = id();
    const fresh = id();
    await store.claim('toss', old);
    await store.claim('toss', fresh);
    await ds.getRepository(GatewayEvent).update({ eventId: old }, { receivedAt: new Date(Date.now() - 40 * 86_400_000) });
    expect(await store.prune(new Date(Date.now() - 30 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(await store.seen('toss', old)).toBe(false);
    expect(await store.seen('toss', fresh)).toBe(true);
  });

  it('a claim inside a transaction that fails afterwards is rolled back with it', async () => {
    const e = id();
    await expect(
      ds.transaction(async (m) => {
        expect(await store.claim('toss', e, m)).toBe(true);
        expect(await store.seen('toss', e, m)).toBe(true);
        throw new Error('the effect failed');
      }),
    ).rejects.toThrow('the effect failed');
    expect(await store.seen('toss', e)).toBe(false);
    // a duplicate inside a transaction leaves the transaction usable (its other writes commit)
    await ds.transaction(async (m) => {
      expect(await store.claim('toss', e, m)).toBe(true);
      expect(await store.claim('toss', e, m)).toBe(false);
    });
    expect(await store.seen('toss', e)).toBe(true);
  });

  if (dialect === 'mysql') {
    it('20 parallel claims of one event in their own transactions → exactly one wins', async () => {
      const e = id();
      const wins = await Promise.all(Array.from({ length: 20 }, () => ds.transaction((m) => store.claim('toss', e, m))));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await ds.getRepository(GatewayEvent).countBy({ eventId: e })).toBe(1);
    });
  }
});
