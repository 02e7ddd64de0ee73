// Summarises a .cpuprofile (from `bench:reads -- --profile DIR`): the functions with the most self
// time, and the most inclusive time, as percentages of the samples.
//   node bench/lib/profile-top.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, n = '40'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/lib/profile-top.mjs FILE [N]');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const hits = new Map();
for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
const total = prof.samples.length;
const name = (x) => {
  const f = x.callFrame;
  const url = f.url.replace(/^.*\/(node_modules|src|bench|admin)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
};
const self = new Map();
const incl = new Map();
for (const [id, count] of hits) {
  const x = byId.get(id);
  self.set(name(x), (self.get(name(x)) ?? 0) + count);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const k = name(byId.get(at));
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + count);
  }
}
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n)).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`).join('\n');
console.log(`${total} samples\n\nself:\n${top(self)}\n\ninclusive:\n${top(incl)}`);

// `--callers NAME`: the call paths (5 frames up) under which NAME's self time falls.
const at = process.argv.indexOf('--callers');
if (at > 0) {
  const want = process.argv[at + 1];
  const paths = new Map();
  for (const [id, count] of hits) {
    const x = byId.get(id);
    if (!name(x).startsWith(want)) continue;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < (Number(process.env.DEPTH) || 6); p = parent.get(p)) chain.push(name(byId.get(p)));
    const k = chain.join(' < ');
    paths.set(k, (paths.get(k) ?? 0) + count);
  }
  console.log(`\ncallers of ${want}:\n${[...paths].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`).join('\n')}`);
}
