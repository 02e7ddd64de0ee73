// The search result cache on its own: LRU bound, TTL on an injected clock, generations.
import { ResultCache } from '../../../src/modules/search/result-cache.js';

describe('ResultCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000;
  });

  it('serves an entry until its TTL is over (injected clock, no sleeps)', () => {
    const c = new ResultCache<string>({ maxEntries: 10, ttlMs: 30_000, now });
    c.set('k', 'v', c.generation);
    clock += 29_999;
    expect(c.get('k')).toBe('v');
    clock += 1;
    expect(c.get('k')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const c = new ResultCache<number>({ maxEntries: 3, ttlMs: 1_000, now });
    for (const k of ['a', 'b', 'c']) c.set(k, k.charCodeAt(0), c.generation);
    expect(c.get('a')).toBe(97); // a is now the most recently used
    c.set('d', 100, c.generation);
    expect(c.size).toBe(3);
    expect(c.get('b')).toBeUndefined();
    expect([c.get('a'), c.get('c'), c.get('d')]).toEqual([97, 99, 100]);
  });

  it('clear() forgets everything, and an answer begun before it is not stored', () => {
    const c = new ResultCache<string>({ maxEntries: 10, ttlMs: 1_000, now });
    c.set('k', 'old', c.generation);
    const began = c.generation;
    c.clear();
    expect(c.get('k')).toBeUndefined();
    c.set('k', 'computed from the old rows', began);
    expect(c.get('k')).toBeUndefined();
    c.set('k', 'new', c.generation);
    expect(c.get('k')).toBe('new');
  });

  it('ttl 0 or size 0 disables it', () => {
    for (const opts of [{ maxEntries: 10, ttlMs: 0 }, { maxEntries: 0, ttlMs: 1_000 }]) {
      const c = new ResultCache<string>({ ...opts, now });
      expect(c.enabled).toBe(false);
      c.set('k', 'v', c.generation);
      expect(c.get('k')).toBeUndefined();
    }
  });
});
