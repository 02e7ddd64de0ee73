// The catalog read cache's LRU (src/modules/catalog/read-cache.ts): least recently used out first,
// a hit moving its entry to the recent end at most once a second, entries expiring after the TTL.
import { CatalogReadCache } from '../../../src/modules/catalog/read-cache.js';
import type { MovieView } from '../../../src/modules/catalog/catalog.service.js';

const view = (id: number) => ({ movie: { id }, genres: [], directors: [], actors: [], manufacturer: null }) as unknown as MovieView;

function cache(maxEntries: number) {
  let t = 1_000_000;
  const c = new CatalogReadCache({ ttlMs: 60_000, maxEntries, now: () => t });
  return { c, tick: (ms: number) => (t += ms), has: (id: number) => c.view(id) !== undefined };
}

describe('catalog read cache LRU', () => {
  it('drops the least recently used first; a hit a second or more after the last move makes its entry recent', () => {
    const { c, tick } = cache(3);
    c.setViews([view(1), view(2), view(3)], c.generation);
    tick(1_000);
    expect(c.view(1)).toBeDefined(); // 1 moves to the recent end
    c.setViews([view(4)], c.generation); // 2 is now the least recent
    expect([2, 1, 3, 4].map((id) => c.view(id) !== undefined)).toEqual([false, true, true, true]);
  });

  it('does not reorder on hits within a second of the last move (order to within a second)', () => {
    const { c, tick } = cache(3);
    c.setViews([view(1), view(2), view(3)], c.generation);
    tick(10);
    expect(c.view(1)).toBeDefined(); // too soon: 1 stays the least recent
    c.setViews([view(4)], c.generation);
    expect(c.view(1)).toBeUndefined();
    expect([2, 3, 4].every((id) => c.view(id) !== undefined)).toBe(true);
  });

  it('expires entries after the TTL and drops what a change names', () => {
    const { c, tick } = cache(10);
    c.setViews([view(1), view(2)], c.generation);
    c.apply({ ids: [2] });
    expect(c.view(2)).toBeUndefined();
    tick(60_000);
    expect(c.view(1)).toBeUndefined();
  });
});
