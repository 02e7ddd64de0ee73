// The ranking model (EASE) and the packed model bundle, on small data whose answer is known.
import { inlineTrainer, threadTrainer } from '../../../src/modules/recommendations/trainer.js';
import {
  ColumnsBuilder,
  InteractionsBuilder,
  packBundle,
  trainBundle,
  trainRanking,
  unpackBundle,
  type TrainingInput,
} from '../../../src/modules/recommendations/engine/index.js';

/** Plain Gauss–Jordan inverse (the reference the closed form is checked against). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const d = m[c]![c]!;
    for (let k = 0; k < 2 * n; k++) m[c]![k]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let k = 0; k < 2 * n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** Two taste groups: members 1–20 watch items 1–10, members 21–40 items 11–20; each skips two. */
function groups(): InteractionsBuilder {
  const b = new InteractionsBuilder();
  for (let u = 1; u <= 40; u++) {
    const base = u <= 20 ? 0 : 10;
    for (let k = 1; k <= 10; k++) if ((k + u) % 5 !== 0) b.add(u, base + k, 1);
  }
  return b;
}

describe('EASE ranking model', () => {
  it('equals the closed form B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹', () => {
    const b = new InteractionsBuilder();
    const rows = [
      [1, 2, 3],
      [1, 2],
      [2, 3, 4],
      [1, 4],
      [3, 4, 5],
      [1, 2, 5],
    ];
    rows.forEach((items, u) => items.forEach((i) => b.add(u + 1, i, 1 + (i % 2) * 0.5)));
    const data = b.build();
    const lambda = 2;
    const model = trainRanking(data, { lambda, maxItems: 10, minSupport: 0 });
    const { easeItems, weights, itemIds } = model.internals;
    const n = easeItems.length;
    expect(n).toBe(5);
    // Reference: dense X in the model's item order.
    const col = new Map(Array.from(easeItems, (i, p) => [itemIds[i]!, p]));
    const X = rows.map((items) => {
      const r = new Array(n).fill(0);
      for (const i of items) r[col.get(i)!] = 1 + (i % 2) * 0.5;
      return r;
    });
    const G = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => X.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? lambda : 0)));
    const P = inverse(G);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(weights[i * n + j]).toBeCloseTo(i === j ? 0 : -P[i]![j]! / P[j]![j]!, 5);
  });

  it('merges repeated events of a pair keeping the largest weight', () => {
    const b = new InteractionsBuilder();
    b.add(7, 100, 0.3);
    b.add(7, 100, 0.9);
    b.add(7, 100, 0.5);
    b.add(7, 50, 1);
    b.add(8, 100, 0);
    const d = b.build();
    expect(d.nEvents).toBe(2);
    expect(Array.from(d.userWeights).sort()).toEqual([0.8999999761581421, 1]);
  });

  it('recommends the member’s group, never their history or what is excluded; popularity without history', () => {
    const model = trainRanking(groups().build(), { lambda: 5, minSupport: 0 });
    const history = [1, 2, 3, 4, 5, 6].map((itemId) => ({ itemId, weight: 1 }));
    const top = model.recommend(history, 4, { exclude: new Set([7]) }).map((s) => s.itemId);
    expect(top).toEqual(expect.arrayContaining([8, 9, 10]));
    expect(top).not.toContain(7);
    for (const h of history) expect(top).not.toContain(h.itemId);
    expect(top.filter((i) => i > 10)).toHaveLength(1);
    // no history: the most popular items first (ties by id)
    const cold = model.recommend([], 3).map((s) => s.itemId);
    const pop = model.internals.popularity;
    const ids = model.internals.itemIds;
    const order = Array.from(ids, (id, i) => ({ id, p: pop[i]! })).sort((a, b) => b.p - a.p || a.id - b.id).map((x) => x.id);
    expect(cold).toEqual(order.slice(0, 3));
  });

  it('ranks items outside the modelled set after it, by popularity', () => {
    const model = trainRanking(groups().build(), { lambda: 5, maxItems: 5, minSupport: 0 });
    expect(model.info.modelled).toBe(5);
    const top = model.recommend([{ itemId: 11, weight: 1 }], 20);
    expect(top).toHaveLength(19);
    const modelled = new Set(Array.from(model.internals.easeItems, (i) => model.internals.itemIds[i]!));
    const firstOutside = top.findIndex((s) => !modelled.has(s.itemId));
    expect(top.slice(firstOutside).every((s) => !modelled.has(s.itemId))).toBe(true);
  });
});

function groupInput(): TrainingInput {
  const r = new ColumnsBuilder();
  for (let u = 1; u <= 40; u++) {
    for (let i = 1; i <= 20; i++) {
      if ((u * 7 + i) % 3 === 0) continue;
      const mine = (u <= 20) === (i <= 10);
      r.push(u, i, mine ? 4.5 + ((u + i) % 2) * 0.5 : 1 + ((u + i) % 2) * 0.5);
    }
  }
  const e = new ColumnsBuilder();
  e.push(1, 3, 0.8);
  return { ratings: r.ratings(), events: e.events() };
}

describe('model bundle', () => {
  it('packs and unpacks to a model with the same predictions and lists', () => {
    const bundle = trainBundle(groupInput(), { rating: { epochs: 5 }, ranking: { lambda: 5 } });
    const bytes = packBundle(bundle);
    const again = unpackBundle(bytes);
    for (let u = 1; u <= 40; u += 3) for (let i = 1; i <= 20; i += 2) expect(again.rating.predict(u, i)).toBe(bundle.rating.predict(u, i));
    const h = [{ itemId: 1, weight: 1 }, { itemId: 2, weight: 0.5 }];
    expect(again.ranking.recommend(h, 5)).toEqual(bundle.ranking.recommend(h, 5));
    expect(() => unpackBundle(bytes.subarray(0, 100))).toThrow();
    expect(() => unpackBundle(Buffer.from('not a model at all'))).toThrow(/not a packed/);
  });

  it('trains the same bundle in a worker thread as on the calling thread, without blocking the event loop', async () => {
    const inline = unpackBundle(await inlineTrainer.train(groupInput(), { rating: { epochs: 5 }, ranking: { lambda: 5 } }));
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const threaded = unpackBundle(await threadTrainer().train(groupInput(), { rating: { epochs: 5 }, ranking: { lambda: 5 } }));
    clearInterval(timer);
    for (let u = 1; u <= 40; u += 3) for (let i = 1; i <= 20; i += 2) expect(threaded.rating.predict(u, i)).toBe(inline.rating.predict(u, i));
    expect(threaded.ranking.recommend([{ itemId: 1, weight: 1 }], 5)).toEqual(inline.ranking.recommend([{ itemId: 1, weight: 1 }], 5));
    // the thread's start-up and training never hold this thread's timers up for long
    expect(maxGap).toBeLessThan(250);
  });
});
