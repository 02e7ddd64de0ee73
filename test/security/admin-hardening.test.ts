// Admin hardening (issue 7): security headers with a CSP that carries a per-request nonce for the
// panel's inline scripts, the session cookie's flags (HttpOnly, SameSite, Secure behind a
// trusted TLS proxy) and the CSRF origin check on every state-changing request under /admin.
import request from 'supertest';
import type { Express } from 'express';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { addScriptNonce } from '../../admin/security.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, uniqueName } from '../support/users.js';

const HOST = 'panel.marquee.test';
const ORIGIN = `http://${HOST}`;

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
});
afterAll(async () => {
  await ctx.close();
});

/**
 * A second app in this file (TRUST_PROXY on) initialises its own DataSource, and TypeORM points
 * every BaseEntity class (which the AdminJS adapter reads through) at the newest one: point them
 * back at this file's database once it is closed.
 */
async function withSecondApp(env: Record<string, string>, fn: (app: TestContext & { app: Express }) => Promise<void>) {
  const other = await createTestApp({ admin: true, env });
  try {
    await fn(other);
  } finally {
    await other.close();
    for (const m of ctx.rt.ds.entityMetadatas) {
      const target = m.target as unknown as { useDataSource?: (ds: unknown) => void };
      if (typeof target.useDataSource === 'function') target.useDataSource(ctx.rt.ds);
    }
  }
}

/** An agent that calls the panel as a browser on ORIGIN would (Host + Origin). */
function sameOriginAgent(app: Express = ctx.app) {
  return request.agent(app).set('Host', HOST).set('Origin', ORIGIN);
}

async function loggedIn(role: 'admin' | 'catalog' = 'admin') {
  const staff = await createStaff(ctx.rt, role);
  const agent = sameOriginAgent();
  const res = await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
  expect(res.status).toBe(302);
  return { agent, staff };
}

function csp(res: request.Response): Record<string, string> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return Object.fromEntries(
    header
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...rest] = d.split(/\s+/);
        return [name, rest.join(' ')];
      }),
  );
}

/** The inline <script> elements (no src) of a page, with their nonce attribute (or undefined). */
function inlineScripts(html: string): { nonce: string | undefined; body: string }[] {
  return [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)]
    .filter((m) => !/\bsrc=/.test(m[1] ?? '') && !/type="application\/json"/.test(m[1] ?? ''))
    .map((m) => ({ nonce: /\bnonce="([^"]+)"/.exec(m[1] ?? '')?.[1], body: m[2] }));
}

describe('security headers and CSP', () => {
  it('sets a nonce-based CSP on the login page (which has no script) and on panel pages, whose every inline script carries the nonce', async () => {
    const res = await request(ctx.app).get('/admin/login');
    expect(res.status).toBe(200);
    const d = csp(res);
    const nonce = /'nonce-([^']+)'/.exec(d['script-src'] ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(d['script-src']).toBe(`'self' 'nonce-${nonce}'`);
    expect(d['default-src']).toBe("'self'");
    expect(d['object-src']).toBe("'none'");
    expect(d['frame-ancestors']).toBe("'none'");
    expect(d['base-uri']).toBe("'self'");
    expect(d['form-action']).toBe("'self'");
    expect(d['img-src']).toBe("'self' data: blob: https:");
    expect(d['style-src']).toBe("'self' 'unsafe-inline'");
    expect(d['font-src']).toBe("'self' data:");
    expect(d['script-src']).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // Marquee's login page has no script at all (admin/login-page.ts).
    expect(inlineScripts(res.text)).toEqual([]);
    expect(res.text).not.toMatch(/<script/);
    // A panel page's inline scripts (AdminJS's bootstrap) all carry the nonce of their own response.
    const { agent } = await loggedIn('admin');
    const page = await agent.get('/admin');
    expect(page.status).toBe(200);
    const pageNonce = /'nonce-([^']+)'/.exec(csp(page)['script-src'] ?? '')?.[1];
    const scripts = inlineScripts(page.text);
    expect(scripts.length).toBeGreaterThanOrEqual(2); // REDUX_STATE bootstrap + render
    for (const s of scripts) expect(s.nonce).toBe(pageNonce);
    // the other helmet headers
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('uses a new nonce for every response', async () => {
    const a = csp(await request(ctx.app).get('/admin/login'))['script-src'];
    const b = csp(await request(ctx.app).get('/admin/login'))['script-src'];
    expect(a).not.toBe(b);
  });

  it('covers the panel pages, its API, its assets and the queue monitor', async () => {
    const { agent } = await loggedIn('admin');
    for (const path of ['/admin', '/admin/resources/genres', '/admin/api/resources/genres/actions/list', '/admin/frontend/assets/app.bundle.js', '/admin/queues']) {
      const res = await agent.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect([path, csp(res)['script-src']]).toEqual([path, expect.stringMatching(/^'self' 'nonce-[A-Za-z0-9+/=]+'$/)]);
      expect(res.headers['x-frame-options']).toBe('DENY');
      if (/text\/html/.test(String(res.headers['content-type']))) {
        const nonce = /'nonce-([^']+)'/.exec(csp(res)['script-src'])![1];
        for (const s of inlineScripts(res.text)) expect([path, s.nonce]).toEqual([path, nonce]);
      }
    }
  });

  it('gives the nonce only to the templates’ own script tags, never to one smuggled into JSON data', () => {
    const page = '<!DOCTYPE html>\n<html><head>\n  <script>\n    window.REDUX_STATE = {"email":"a</script><script>alert(1)</script>"};\n  </script>\n  <script src="/a.js"></script>\n</head></html>';
    const out = addScriptNonce(page, 'N0NCE');
    expect(out.match(/nonce="N0NCE"/g)).toHaveLength(2); // the inline bootstrap and the bundle tag
    expect(out).toContain('"a</script><script>alert(1)</script>"');
    expect(out).not.toContain('<script nonce="N0NCE">alert(1)');
  });
});

describe('input checks before AdminJS', () => {
  it('answers an unknown resource or action with 404 and list parameters AdminJS would pass to the database with 400', async () => {
    const { agent } = await loggedIn('admin');
    expect((await agent.get('/admin/api/resources/no_such/actions/list')).status).toBe(404);
    expect((await agent.get('/admin/api/resources/genres/actions/no_such')).status).toBe(404);
    expect((await agent.get('/admin/api/resources/genres/records/1/no_such')).status).toBe(404);
    expect((await agent.get('/admin/api/resources/genres/actions/list?__proto__=1')).status).toBe(200);
    for (const q of ['perPage=abc', 'page=-1', 'page=0', 'perPage=1e3', 'direction=up', 'sortBy=nope', "sortBy=name'--", 'filters.createdAt=x%201']) {
      const res = await agent.get(`/admin/api/resources/users/actions/list?${q}`);
      expect([q, res.status, String(res.headers['content-type'])]).toEqual([q, 400, expect.stringMatching(/application\/json/)]);
    }
    for (const q of ['perPage=20&page=2', 'sortBy=username&direction=desc', 'filters.createdAt~~from=2024-01-01T00:00:00.000Z&filters.createdAt~~to=2030-01-01', 'filters.username=admin']) {
      expect([q, (await agent.get(`/admin/api/resources/users/actions/list?${q}`)).status]).toEqual([q, 200]);
    }
  });
});

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Lax, scoped to /admin, and not Secure over plain http', async () => {
    const staff = await createStaff(ctx.rt, 'catalog');
    const res = await request(ctx.app).post('/admin/login').set('Host', HOST).set('Origin', ORIGIN).type('form').send({ email: staff.email, password: staff.password });
    expect(res.status).toBe(302);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('marquee.admin='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\/admin/);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('is Secure when the request came through TLS to a trusted proxy (TRUST_PROXY, X-Forwarded-Proto: https)', async () => {
    await withSecondApp({ TRUST_PROXY: 'true' }, async (proxied) => {
      const staff = await createStaff(proxied.rt, 'catalog');
      const res = await request(proxied.app)
        .post('/admin/login')
        .set('Host', 'internal:3000')
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', HOST)
        .set('Origin', `https://${HOST}`)
        .type('form')
        .send({ email: staff.email, password: staff.password });
      expect(res.status).toBe(302);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('marquee.admin='));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);

      // Without TRUST_PROXY the same headers are not believed: no Secure, and X-Forwarded-Host
      // does not make another host's Origin acceptable.
      const plain = await request(ctx.app)
        .post('/admin/login')
        .set('Host', 'internal:3000')
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', HOST)
        .set('Origin', `https://${HOST}`)
        .type('form')
        .send({ email: staff.email, password: staff.password });
      expect(plain.status).toBe(403);
    });
  });
});

describe('CSRF: state-changing requests must come from the panel’s own origin', () => {
  const genreCount = () => ctx.rt.ds.getRepository(Genre).count();

  it('refuses a cross-origin record create through the AdminJS API and writes nothing; the same request from the panel works', async () => {
    const { agent } = await loggedIn('admin');
    const name = uniqueName('csrf');
    const before = await genreCount();
    const evil = await agent.post('/admin/api/resources/genres/actions/new').set('Origin', 'https://evil.example').send({ name });
    expect(evil.status).toBe(403);
    expect(evil.body).toEqual({ message: expect.stringMatching(/다른 출처에서 온 관리자 패널 POST 요청/) });
    // a look-alike host, another port, a Referer of another site, Origin "null", a non-http scheme
    for (const origin of [`http://${HOST}.evil.example`, `http://${HOST}:8080`, 'null', `file://${HOST}`, 'not a url']) {
      expect([origin, (await agent.post('/admin/api/resources/genres/actions/new').set('Origin', origin).send({ name })).status]).toEqual([origin, 403]);
    }
    expect(await genreCount()).toBe(before);
    expect(await ctx.rt.ds.getRepository(Genre).findOneBy({ name })).toBeNull();

    const ok = await agent.post('/admin/api/resources/genres/actions/new').send({ name });
    expect(ok.status).toBe(200);
    expect(ok.body.record?.params?.name).toBe(name);
    expect(await genreCount()).toBe(before + 1);
  });

  it('refuses a cross-origin edit and delete of a record (nothing changed)', async () => {
    const { agent } = await loggedIn('admin');
    const g = await ctx.rt.ds.getRepository(Genre).save({ name: uniqueName('keep') });
    const edit = await agent.post(`/admin/api/resources/genres/records/${g.id}/edit`).set('Origin', 'https://evil.example').send({ name: 'pwned' });
    expect(edit.status).toBe(403);
    const del = await agent.post(`/admin/api/resources/genres/records/${g.id}/delete`).set('Origin', 'https://evil.example');
    expect(del.status).toBe(403);
    const bulk = await agent.post(`/admin/api/resources/genres/bulk/bulkDelete?recordIds=${g.id}`).set('Origin', 'https://evil.example');
    expect(bulk.status).toBe(403);
    for (const method of ['put', 'patch', 'delete'] as const) {
      expect((await agent[method](`/admin/api/resources/genres/records/${g.id}/delete`).set('Origin', 'https://evil.example')).status).toBe(403);
    }
    expect(await ctx.rt.ds.getRepository(Genre).findOneByOrFail({ id: g.id })).toEqual(expect.objectContaining({ name: g.name }));
  });

  it('refuses a cross-origin login (no session is created) and accepts the same-origin one', async () => {
    const staff = await createStaff(ctx.rt, 'admin');
    const evil = await request(ctx.app).post('/admin/login').set('Host', HOST).set('Origin', 'https://evil.example').type('form').send({ email: staff.email, password: staff.password });
    expect(evil.status).toBe(403);
    expect(evil.headers['set-cookie']).toBeUndefined();
    // a Referer is used when there is no Origin (older browsers on same-origin form posts)
    const byReferer = await request(ctx.app).post('/admin/login').set('Host', HOST).set('Referer', `${ORIGIN}/admin/login`).type('form').send({ email: staff.email, password: staff.password });
    expect(byReferer.status).toBe(302);
    const crossReferer = await request(ctx.app).post('/admin/login').set('Host', HOST).set('Referer', 'https://evil.example/admin/login').type('form').send({ email: staff.email, password: staff.password });
    expect(crossReferer.status).toBe(403);
    // Origin wins over a Referer: a same-host Referer does not rescue a foreign Origin
    const mixed = await request(ctx.app).post('/admin/login').set('Host', HOST).set('Origin', 'https://evil.example').set('Referer', `${ORIGIN}/admin/login`).type('form').send({ email: staff.email, password: staff.password });
    expect(mixed.status).toBe(403);
  });

  it('refuses a state-changing request with neither Origin nor Referer (non-browser clients must send Origin), but not a GET', async () => {
    const staff = await createStaff(ctx.rt, 'admin');
    const bare = await request(ctx.app).post('/admin/login').set('Host', HOST).type('form').send({ email: staff.email, password: staff.password });
    expect(bare.status).toBe(403);
    expect(bare.body.message).toMatch(/Origin·Referer 헤더가 없어/);
    const { agent } = await loggedIn('admin');
    const before = await genreCount();
    // superagent drops a header set to undefined: this request has a session cookie and no Origin
    const cookieOnly = request.agent(ctx.app).set('Host', HOST);
    const jar = await cookieOnly.post('/admin/login').set('Origin', ORIGIN).type('form').send({ email: staff.email, password: staff.password });
    expect(jar.status).toBe(302);
    expect((await cookieOnly.post('/admin/api/resources/genres/actions/new').send({ name: uniqueName('bare') })).status).toBe(403);
    expect(await genreCount()).toBe(before);
    expect((await cookieOnly.get('/admin/api/resources/genres/actions/list')).status).toBe(200);
    expect((await agent.get('/admin/api/resources/genres/actions/list')).status).toBe(200);
  });

  it('covers the queue monitor (its retry/clean POSTs and PUTs)', async () => {
    const { agent } = await loggedIn('admin');
    const evil = await agent.put('/admin/queues/api/queues/any/retry/failed').set('Origin', 'https://evil.example');
    expect(evil.status).toBe(403);
    const evilPost = await agent.post('/admin/queues/api/queues/any/pause').set('Origin', 'https://evil.example');
    expect(evilPost.status).toBe(403);
    // from the panel the request reaches bull-board (which answers for itself, not 403)
    const own = await agent.put('/admin/queues/api/queues/any/retry/failed');
    expect(own.status).not.toBe(403);
  });

  it('believes X-Forwarded-Host only with TRUST_PROXY, and accepts PUBLIC_URL’s host', async () => {
    await withSecondApp({ TRUST_PROXY: 'true', PUBLIC_URL: 'https://admin.marquee.example' }, async (proxied) => {
      const staff = await createStaff(proxied.rt, 'admin');
      const login = (headers: Record<string, string>) => request(proxied.app).post('/admin/login').set(headers).type('form').send({ email: staff.email, password: staff.password });
      expect((await login({ Host: '10.0.0.5:3000', 'X-Forwarded-Host': HOST, 'X-Forwarded-Proto': 'https', Origin: `https://${HOST}` })).status).toBe(302);
      expect((await login({ Host: '10.0.0.5:3000', Origin: 'https://admin.marquee.example' })).status).toBe(302);
      expect((await login({ Host: '10.0.0.5:3000', 'X-Forwarded-Host': HOST, Origin: 'https://evil.example' })).status).toBe(403);
    });
  });
});
