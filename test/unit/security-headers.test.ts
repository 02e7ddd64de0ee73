// The API's security headers worked out once (src/http/security-headers.ts): the same headers as
// helmet itself sets on each response, with and without options, and the kept JSON path
// (src/http/route.ts sendKept) answers as res.send would: 200 with the bytes, 304 when fresh, HEAD
// without a body.
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { securityHeaders } from '../../src/http/security-headers.js';
import { serialise } from '../../src/http/conditional.js';

const IGNORED = new Set(['date', 'connection', 'keep-alive', 'content-length', 'etag']);

function headersOf(mw: express.RequestHandler) {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('X-Powered-By', 'something');
    next();
  });
  app.use(mw);
  app.get('/x', (_req, res) => res.json({ ok: true }));
  return request(app)
    .get('/x')
    .expect(200)
    .then((r) => Object.fromEntries(Object.entries(r.headers).filter(([k]) => !IGNORED.has(k))));
}

describe('security headers', () => {
  it('are helmet’s defaults, the same as helmet() sets per request (X-Powered-By removed)', async () => {
    const ours = await headersOf(securityHeaders());
    const theirs = await headersOf(helmet());
    expect(ours).toEqual(theirs);
    expect(ours['content-security-policy']).toContain("default-src 'self'");
    expect(ours['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(ours['x-content-type-options']).toBe('nosniff');
    expect(ours['x-powered-by']).toBeUndefined();
  });

  it('follow helmet’s options too', async () => {
    const options = { contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } }, referrerPolicy: { policy: 'no-referrer' as const }, hsts: false };
    const ours = await headersOf(securityHeaders(options));
    expect(ours).toEqual(await headersOf(helmet(options)));
    expect(ours['strict-transport-security']).toBeUndefined();
    expect(ours['referrer-policy']).toBe('no-referrer');
  });
});

describe('a kept JSON answer', () => {
  // Through defineRoute, as the hot reads send it.
  async function app() {
    const { defineRoute } = await import('../../src/http/route.js');
    const { createRegistry } = await import('../../src/http/openapi.js');
    const router = express.Router();
    const kept = serialise({ name: '기생충', n: 1 });
    defineRoute({ router, registry: createRegistry(), auth: {} as never }, { method: 'get', path: '/kept', summary: 'kept', tags: [], responses: { 200: { description: 'ok' } }, handler: async () => ({ json: kept }) } as never);
    const a = express();
    a.use(router);
    return { a, kept };
  }

  it('is its bytes with its ETag and a JSON content type; 304 without a body when the ETag matches; HEAD has no body', async () => {
    const { a, kept } = await app();
    const res = await request(a).get('/kept').expect(200);
    expect(res.body).toEqual({ name: '기생충', n: 1 });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers.etag).toBe(kept.etag);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify({ name: '기생충', n: 1 })));

    const again = await request(a).get('/kept').set('If-None-Match', kept.etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers['content-type']).toBeUndefined();
    await request(a).get('/kept').set('If-None-Match', 'W/"other"').expect(200);

    const head = await request(a).head('/kept').expect(200);
    expect(head.text ?? '').toBe('');
    expect(head.headers.etag).toBe(kept.etag);
  });
});
