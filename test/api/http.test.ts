import http from 'node:http';
import { once } from 'node:events';
import request from 'supertest';
import express, { type Express } from 'express';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { createTestApp, type TestContext } from '../support/context.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('HTTP plumbing', () => {
  it('answers unknown paths with 404 {"detail"}', async () => {
    const res = await request(ctx.app).get('/no/such/thing/');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: '찾을 수 없습니다.' });
  });

  it('answers malformed JSON with 400 {"message"} and no stack trace', async () => {
    const res = await request(ctx.app).post('/user/login/').set('Content-Type', 'application/json').send('{"username": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: '잘못된 JSON 형식입니다.' });
    expect(res.text).not.toMatch(/at .*\.ts|SyntaxError|node_modules/);
  });

  it('reads no body of a GET: a malformed or oversized one is ignored, and no GET route may declare one', async () => {
    const plain = await request(ctx.app).get('/movie/genre/').expect(200);
    const bad = await request(ctx.app).get('/movie/genre/').set('Content-Type', 'application/json').send('{"username": ');
    expect(bad.status).toBe(200);
    expect(bad.text).toBe(plain.text);
    const big = await request(ctx.app).get('/movie/genre/').set('Content-Type', 'application/x-www-form-urlencoded').send(`a=${'x'.repeat(2 * 1024 * 1024)}`);
    expect(big.status).toBe(200);
    // the same body on a POST is still parsed (and refused)
    expect((await request(ctx.app).post('/user/login/').set('Content-Type', 'application/json').send('{"username": ')).status).toBe(400);
    const { defineRoute } = await import('../../src/http/route.js');
    const { z } = await import('zod');
    expect(() => defineRoute({ router: express.Router(), registry: new OpenAPIRegistry(), auth: {} as never }, { method: 'get', path: '/x', summary: 'x', tags: [], body: z.object({}), responses: {}, handler: async () => ({ body: {} }) } as never)).toThrow(/GET \/x declares a body/);
  });

  it('answers cross-origin callers only from the configured origins (CORS_ORIGINS; none by default)', async () => {
    const none = await request(ctx.app).get('/movie/genre/').set('Origin', 'https://app.example');
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
    const withOrigins = await createTestApp({ dialect: 'sqlite', redis: false, env: { CORS_ORIGINS: 'https://app.example, https://tv.example' } });
    try {
      const allowed = await request(withOrigins.app).get('/movie/genre/').set('Origin', 'https://tv.example').expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://tv.example');
      const other = await request(withOrigins.app).get('/movie/genre/').set('Origin', 'https://evil.example').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(withOrigins.app).options('/user/login/').set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'POST');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(preflight.headers['access-control-max-age']).toBe('600');
    } finally {
      await withOrigins.close();
    }
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(ctx.app).post('/user/login/').set('Content-Type', 'application/json').send(JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.message).toBeDefined();
  });

  it('sets helmet headers and a request id (echoing a valid incoming one)', async () => {
    const res = await request(ctx.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const api = await request(ctx.app).post('/user/login/').send({});
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['content-security-policy']).toContain("default-src 'self'");
    expect(api.headers['x-powered-by']).toBeUndefined();
    const generated = await request(ctx.app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document generated from the schemas, and Swagger UI', async () => {
    const doc = await request(ctx.app).get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.0.3');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/user/signup/', '/user/login/', '/user/password/']));
    const signup = doc.body.paths['/user/signup/'].post;
    const schemaRef = signup.requestBody.content['application/json'].schema.$ref as string;
    const schema = doc.body.components.schemas[schemaRef.split('/').pop()!];
    expect(schema.required).toEqual(expect.arrayContaining(['username', 'password', 'email']));
    expect(schema.properties.username.maxLength).toBe(150);
    const ui = await request(ctx.app).get('/swagger/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it("listens with requests and responses made as the app's own (Express's per-request move onto them is then a no-op), answering exactly as Node's default server", async () => {
    const arrived: Array<[object, object]> = [];
    const start = async (server: import('node:http').Server) => {
      // Before the app runs (its init moves them): what the server made.
      server.prependListener('request', (req, res) => arrived.push([Object.getPrototypeOf(req), Object.getPrototypeOf(res)]));
      if (!server.listening) await once(server, 'listening');
      return `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    };
    const ours = ctx.app.listen(0, '127.0.0.1');
    const plain = http.createServer(ctx.app).listen(0, '127.0.0.1');
    try {
      const [oursUrl, plainUrl] = [await start(ours), await start(plain)];
      const asks: Array<[string, RequestInit?]> = [
        ['/movie/genre/'],
        ['/movie/genre/', { method: 'HEAD' }],
        ['/no/such/thing/'],
        ['/user/login/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username": ' }],
        ['/user/login/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'wrong-password-1' }) }],
      ];
      const answer = async (url: string, init?: RequestInit) => {
        const res = await fetch(url, init);
        return { status: res.status, body: await res.text(), type: res.headers.get('content-type'), length: res.headers.get('content-length'), etag: res.headers.get('etag'), csp: res.headers.get('content-security-policy') };
      };
      for (const [path, init] of asks) expect(await answer(oursUrl + path, init)).toEqual(await answer(plainUrl + path, init));
      // A conditional GET gets its 304 from both (supertest: fetch adds Cache-Control: no-cache to a conditional request).
      const etag = (await answer(oursUrl + '/movie/genre/')).etag!;
      for (const url of [oursUrl, plainUrl]) await request(url).get('/movie/genre/').set('If-None-Match', etag).expect(304);
      const byOurs = arrived.filter(([req]) => req === ctx.app.request);
      const byPlain = arrived.filter(([req]) => req === http.IncomingMessage.prototype);
      expect(byOurs.length).toBe(asks.length + 2);
      expect(byOurs.every(([, res]) => res === ctx.app.response)).toBe(true);
      expect(byPlain.length).toBe(asks.length + 1);
      expect(byPlain.every(([, res]) => res === http.ServerResponse.prototype)).toBe(true);
    } finally {
      await Promise.all([ours, plain].map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('healthz is up and readyz sees the database and Redis', async () => {
    expect((await request(ctx.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(ctx.app).get('/readyz/');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });
});

describe('readiness when Redis is unreachable', () => {
  it('answers 503 naming Redis', async () => {
    const other = await createTestApp();
    try {
      other.rt.redis!.disconnect();
      const res = await request(other.app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: 'down' } });
      expect((await request(other.app).get('/healthz')).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
