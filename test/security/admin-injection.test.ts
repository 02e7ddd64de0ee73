// SQL injection and XSS payloads into the admin panel (issue 7): the list filters, search, sort
// and paging of every resource the admin sees (read from the panel's own REDUX_STATE, so a new
// resource is covered without touching this file), record ids, record create through the AdminJS
// API, the login form and query, and the HTML pages. Every answer is < 500 and carries no database
// error text; no HTML page contains a payload unescaped; a payload stored as data (through the
// panel or the public API) comes back only as JSON (application/json, nosniff) and never as
// markup in a page.
import request from 'supertest';
import type { Express } from 'express';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, uniqueName } from '../support/users.js';
import { ALL_PAYLOADS, LEAK_PATTERNS, SQLI, XSS, sampleFor, type Payload } from './payloads.js';

const HOST = 'panel.marquee.test';
const ORIGIN = `http://${HOST}`;
const CONCURRENCY = 4;

let ctx: TestContext & { app: Express };
let agent: ReturnType<typeof request.agent>;
let adminToken = '';
interface ResourceJson {
  id: string;
  filterProperties: { propertyPath: string; type: string }[];
  listProperties: { propertyPath: string }[];
  properties: Record<string, { type: string; isSortable?: boolean }>;
}
let resources: ResourceJson[] = [];
const problems: string[] = [];
let sent = 0;

function reduxState(html: string): { resources: ResourceJson[] } {
  const m = /window\.REDUX_STATE = (\{.*?\});\n/s.exec(html);
  if (!m) throw new Error('no REDUX_STATE in the page');
  return JSON.parse(m[1]);
}

/** Payloads that would be markup or script in a page (a lone quote is in every page anyway). */
const htmlActive = (p: string) => /<|javascript:|\bon\w+\s*=/i.test(p);

/** The checks of every admin answer (the same rules as the API suite). */
function check(what: string, payload: string | undefined, res: request.Response): void {
  sent++;
  const type = String(res.headers['content-type'] ?? '');
  if (res.status >= 500) problems.push(`${what} → ${res.status}`);
  let text = res.text ?? '';
  if (payload) for (const f of [payload, JSON.stringify(payload).slice(1, -1)]) text = text.split(f).join('');
  for (const re of LEAK_PATTERNS) if (re.test(text) && !(re.source.includes('node_modules') && /\.bundle\.js/.test(what))) problems.push(`${what} leaks ${re}: ${text.match(re)?.[0]}`);
  if (payload && htmlActive(payload) && (res.text ?? '').includes(payload)) {
    if (/text\/html/i.test(type)) problems.push(`${what}: payload unescaped in HTML`);
    else if (!/application\/json/i.test(type)) problems.push(`${what}: payload echoed as ${type}`);
  }
}

async function get(url: string, payload?: string) {
  const res = await agent.get(url);
  check(`GET ${url}`, payload, res);
  return res;
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]); }));
}

const enc = encodeURIComponent;

beforeAll(async () => {
  ctx = await createTestApp({ admin: true, env: { LOGIN_RATE_POINTS: '1000000' } });
  const staff = await createStaff(ctx.rt, 'admin');
  agent = request.agent(ctx.app).set('Host', HOST).set('Origin', ORIGIN);
  expect((await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
  adminToken = (await request(ctx.app).post('/user/login/').send({ username: staff.user.username, password: staff.password }).expect(200)).body.token;
  resources = reduxState((await agent.get('/admin').expect(200)).text).resources;
}, 60_000);
afterAll(async () => {
  await ctx.close();
});
beforeEach(() => {
  problems.length = 0;
});

describe('payloads into the admin panel', () => {
  it('finds the resources of the panel', () => {
    expect(resources.length).toBeGreaterThanOrEqual(15);
    expect(resources.map((r) => r.id)).toEqual(expect.arrayContaining(['users', 'genres', 'movies', 'payments']));
  });

  it('answers payloads in every list filter, search, sort, page and record id of every resource', async () => {
    const jobs: (() => Promise<unknown>)[] = [];
    let field = 0;
    for (const r of resources) {
      const base = `/admin/api/resources/${r.id}`;
      for (const prop of r.filterProperties) {
        for (const p of sampleFor(field++, 3)) jobs.push(() => get(`${base}/actions/list?filters.${enc(prop.propertyPath)}=${enc(p.value)}`, p.value));
        if (/date|datetime/.test(prop.type)) {
          const p = sampleFor(field++, 1)[0];
          jobs.push(() => get(`${base}/actions/list?filters.${enc(prop.propertyPath)}~~from=${enc(p.value)}&filters.${enc(prop.propertyPath)}~~to=${enc(p.value)}`, p.value));
        }
      }
      for (const p of sampleFor(field++, 3)) {
        jobs.push(() => get(`${base}/actions/search/${enc(p.value)}`, p.value));
        jobs.push(() => get(`${base}/actions/list?sortBy=${enc(p.value)}&direction=${enc(p.value)}`, p.value));
        jobs.push(() => get(`${base}/actions/list?page=${enc(p.value)}&perPage=${enc(p.value)}`, p.value));
        jobs.push(() => get(`${base}/records/${enc(p.value)}/show`, p.value));
      }
      const p = sampleFor(field++, 1)[1];
      jobs.push(() => get(`/admin/resources/${r.id}?filters.${enc(r.filterProperties[0]?.propertyPath ?? 'id')}=${enc(p.value)}&sortBy=${enc(p.value)}`, p.value));
    }
    // an unknown resource and action named by a payload
    for (const p of sampleFor(field++, 3)) {
      jobs.push(() => get(`/admin/api/resources/${enc(p.value)}/actions/list`, p.value));
      jobs.push(() => get(`/admin/api/resources/genres/actions/${enc(p.value)}`, p.value));
      jobs.push(() => get(`/admin/resources/${enc(p.value)}`, p.value));
    }
    await pool(jobs, CONCURRENCY, (j) => j());
    expect(sent).toBeGreaterThan(300);
    expect(problems.slice(0, 40)).toEqual([]);
  }, 120_000);

  it('sends the whole list through the genre name filter and search', async () => {
    const start = sent;
    await pool([...ALL_PAYLOADS], CONCURRENCY, async (p) => {
      await get(`/admin/api/resources/genres/actions/list?filters.name=${enc(p.value)}`, p.value);
      await get(`/admin/api/resources/movies/actions/search/${enc(p.value)}`, p.value);
    });
    expect(sent - start).toBe(ALL_PAYLOADS.length * 2);
    expect(problems.slice(0, 40)).toEqual([]);
  }, 60_000);

  it('answers payloads in the login form and the login page query without reflecting them', async () => {
    const anon = () => request(ctx.app).post('/admin/login').set('Host', HOST).set('Origin', ORIGIN).type('form');
    await pool([...ALL_PAYLOADS.filter((_, i) => i % 2 === 0)], CONCURRENCY, async (p) => {
      const a = await anon().send({ email: p.value, password: p.value });
      check(`POST /admin/login email=${p.value}`, p.value, a);
      expect([p.value, a.status]).toEqual([p.value, 200]); // the login page again, no session
      const q = await request(ctx.app).get(`/admin/login?redirect=${enc(p.value)}&error=${enc(p.value)}`);
      check(`GET /admin/login?…=${p.value}`, p.value, q);
    });
    expect(problems.slice(0, 40)).toEqual([]);
  }, 60_000);

  it('stores payloads as data through the AdminJS API: JSON back, never markup in a page', async () => {
    const stored: { id: string; name: string }[] = [];
    for (const p of ALL_PAYLOADS.filter((x) => x.value.length <= 50).slice(0, 60)) {
      const res = await agent.post('/admin/api/resources/genres/actions/new').send({ name: p.value });
      check(`POST genres/new ${p.value}`, p.value, res);
      if (res.body?.record?.id && !res.body.record.errors?.name) stored.push({ id: String(res.body.record.id), name: p.value.trim() }); // the panel trims names
    }
    expect(stored.length).toBeGreaterThan(30);
    for (const s of stored) {
      const row = await ctx.rt.ds.getRepository(Genre).findOneByOrFail({ id: Number(s.id) });
      expect(row.name).toBe(s.name); // stored verbatim, as text
    }
    // the API answers them as JSON …
    const list = await agent.get('/admin/api/resources/genres/actions/list?perPage=500');
    expect(String(list.headers['content-type'])).toMatch(/application\/json/);
    const names = new Set((list.body.records as { params: { name: string } }[]).map((r) => r.params.name));
    for (const s of stored.slice(0, 20)) expect(names.has(s.name)).toBe(true);
    // … and the HTML pages of the resource, the records and the dashboard never carry them as markup
    const pages = ['/admin', '/admin/resources/genres', ...stored.slice(0, 15).flatMap((s) => [`/admin/resources/genres/records/${s.id}/show`, `/admin/resources/genres/records/${s.id}/edit`])];
    for (const url of pages) {
      const res = await agent.get(url);
      check(`GET ${url}`, undefined, res);
      for (const s of stored) if (htmlActive(s.name) && res.text.includes(s.name)) problems.push(`GET ${url}: stored ${s.name} unescaped in the page`);
    }
    expect(problems.slice(0, 40)).toEqual([]);
  }, 90_000);

  it('shows a payload stored through the public API only as JSON, in the panel and in the API', async () => {
    const payloads: Payload[] = [
      { kind: 'xss', value: '<script>alert(1)</script>' },
      { kind: 'xss', value: '"><svg/onload=alert(1)>' },
      { kind: 'xss', value: '</script><img src=x onerror=alert(1)>' },
    ];
    for (const p of payloads) {
      const name = `${p.value}${uniqueName('')}`.slice(0, 50);
      const created = await request(ctx.app).post('/movie/genre/').set({ Authorization: `JWT ${adminToken}` }).send({ name }).expect(201);
      // public API: JSON, nosniff
      const pub = await request(ctx.app).get('/movie/genre/').query({ page: 1 });
      expect(String(pub.headers['content-type'])).toMatch(/application\/json/);
      expect(pub.headers['x-content-type-options']).toBe('nosniff');
      // admin API: JSON; admin pages: not there as markup
      const show = await agent.get(`/admin/api/resources/genres/records/${created.body.id}/show`);
      expect(String(show.headers['content-type'])).toMatch(/application\/json/);
      expect(show.body.record.params.name).toBe(name);
      for (const url of ['/admin/resources/genres', `/admin/resources/genres/records/${created.body.id}/show`, `/admin/api/resources/genres/actions/search/${enc(name)}`]) {
        check(`GET ${url}`, name, await agent.get(url));
      }
    }
    expect(problems).toEqual([]);
  });

  it('never shows a payload kind list shorter than the issue asks', () => {
    expect(SQLI.length).toBeGreaterThanOrEqual(50);
    expect(XSS.length).toBeGreaterThanOrEqual(50);
  });
});
