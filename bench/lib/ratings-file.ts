// Reads a MovieLens ratings file into typed arrays (no object per rating), in either format:
// `ratings.csv` (header `userId,movieId,rating,timestamp`) or tab-separated `u.data`
// (`user item rating timestamp`, no header). The file is streamed line by line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface RatingsArrays {
  users: Int32Array;
  items: Int32Array;
  scores: Float32Array;
  length: number;
  format: 'csv' | 'tsv';
}

export async function readRatingsFile(path: string): Promise<RatingsArrays> {
  let cap = 1 << 17;
  let users = new Int32Array(cap);
  let items = new Int32Array(cap);
  let scores = new Float32Array(cap);
  let n = 0;
  let format: 'csv' | 'tsv' | null = null;
  let lineNo = 0;
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) {
    lineNo++;
    if (line.length === 0) continue;
    if (format === null) {
      format = line.includes('\t') ? 'tsv' : 'csv';
      if (format === 'csv' && /[A-Za-z]/.test(line)) continue; // header
    }
    const sep = format === 'tsv' ? '\t' : ',';
    const a = line.indexOf(sep);
    const b = line.indexOf(sep, a + 1);
    const c = line.indexOf(sep, b + 1);
    const u = Number(line.slice(0, a));
    const i = Number(line.slice(a + 1, b));
    const r = Number(line.slice(b + 1, c < 0 ? undefined : c));
    if (a < 0 || b < 0 || !Number.isInteger(u) || !Number.isInteger(i) || !Number.isFinite(r)) throw new Error(`${path} line ${lineNo}: cannot parse "${line.slice(0, 80)}"`);
    if (n === cap) {
      cap *= 2;
      const nu = new Int32Array(cap);
      nu.set(users);
      users = nu;
      const ni = new Int32Array(cap);
      ni.set(items);
      items = ni;
      const ns = new Float32Array(cap);
      ns.set(scores);
      scores = ns;
    }
    users[n] = u;
    items[n] = i;
    scores[n] = r;
    n++;
  }
  if (n === 0) throw new Error(`${path}: no ratings`);
  return { users: users.slice(0, n), items: items.slice(0, n), scores: scores.slice(0, n), length: n, format: format ?? 'csv' };
}
