// The documentation's invariants: README stays short and says the three ways to run Marquee; every
// page it links exists; every environment variable src/config.ts reads is in the configuration
// table of docs/operations.md.
import { existsSync, readFileSync } from 'node:fs';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('README.md', () => {
  const readme = read('README.md');

  it('stays at most 150 lines and gives the commands a newcomer runs', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    for (const command of ['npm install && npm start', 'npm test', 'docker compose up']) expect(readme).toContain(command);
  });

  it('links only pages that exist, and every page of docs/', () => {
    const links = [...readme.matchAll(/\]\(((?:docs|data)\/[^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect({ link, exists: existsSync(new URL(`../../${link}`, import.meta.url)) }).toEqual({ link, exists: true });
    for (const page of ['operations', 'api', 'payments', 'security', 'benchmarks', 'architecture', 'routes']) expect(links).toContain(`docs/${page}.md`);
  });
});

describe('docs/operations.md', () => {
  it('documents every environment variable src/config.ts reads', () => {
    const config = read('src/config.ts');
    const names = new Set([...config.matchAll(/(?<!process\.)env(?:, '|\.)([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!)); // (process.env.X: set for AdminJS, not read)
    expect(names.size).toBeGreaterThan(40);
    const doc = read('docs/operations.md') + read('docs/panel-auth.md');
    const missing = [...names].filter((n) => !doc.includes(`\`${n}\``) && !n.startsWith('TEST_'));
    expect(missing).toEqual([]);
  });
});
