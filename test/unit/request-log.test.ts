// The request logger (src/http/request-log.ts): the line pino-http wrote, only when its level is on.
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { requestLogger } from '../../src/http/request-log.js';
import { createLogger } from '../../src/logging.js';

function app(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const logger = createLogger({ logLevel: level }, stream);
  const a = express();
  a.use(requestLogger(logger));
  a.get('/ok', (_req, res) => res.json({ ok: true }));
  a.get('/missing', (_req, res) => res.status(404).json({}));
  a.get('/boom', (req, res) => {
    req.log.error({ err: Object.assign(new Error('failed'), { parameters: ['secret-param'] }) }, 'unhandled error');
    res.status(500).json({});
  });
  return { a, lines };
}

describe('request logger', () => {
  it('answers X-Request-Id: the caller’s when well-formed, else a new one', async () => {
    const { a } = app('info');
    expect((await request(a).get('/ok').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    const made = (await request(a).get('/ok').set('X-Request-Id', 'bad id')).headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes no line for a 2xx at info, one info line for a 4xx with req, res and responseTime, redacted', async () => {
    const { a, lines } = app('info');
    await request(a).get('/ok').set('Authorization', 'Bearer top-secret-token');
    expect(lines).toEqual([]);
    await request(a).get('/missing?x=1').set('Authorization', 'Bearer top-secret-token').set('X-Request-Id', 'r-1');
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toEqual(expect.objectContaining({ level: 30, msg: 'request completed', responseTime: expect.any(Number) }));
    expect(line!.req).toEqual(expect.objectContaining({ id: 'r-1', method: 'GET', url: '/missing?x=1' }));
    expect(line!.res).toEqual(expect.objectContaining({ statusCode: 404 }));
    expect(JSON.stringify(line)).not.toContain('top-secret-token');
  });

  it('writes 2xx at debug, and the 500 path through req.log (bound to the request, error scrubbed) plus an error line', async () => {
    const debug = app('debug');
    await request(debug.a).get('/ok');
    expect(debug.lines.map((l) => [l.level, l.msg, (l.res as { statusCode: number }).statusCode])).toEqual([[20, 'request completed', 200]]);
    const { a, lines } = app('info');
    await request(a).get('/boom').set('X-Request-Id', 'r-500');
    expect(lines.map((l) => [l.level, l.msg, (l.req as { id: string }).id])).toEqual([
      [50, 'unhandled error', 'r-500'],
      [50, 'request completed', 'r-500'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-param');
  });

  it('req.log and res.log come from the prototype (no property defined per request), the same logger for both, made once', async () => {
    const { a, lines } = app('info');
    const seen: unknown[] = [];
    a.get('/own', (req, res) => {
      seen.push(Object.getOwnPropertyDescriptor(req, 'log'), Object.getOwnPropertyDescriptor(res, 'log'), req.log === res.log, req.log === req.log);
      req.log.warn('from the handler');
      res.json({});
    });
    await request(a).get('/own').set('X-Request-Id', 'r-own');
    expect(seen).toEqual([undefined, undefined, true, true]);
    expect(lines.map((l) => [l.msg, (l.req as { id: string }).id])).toEqual([['from the handler', 'r-own']]);
    // An app without the logger: req.log is undefined, and may be assigned.
    const bare = express();
    bare.get('/', (req, res) => {
      const before = req.log;
      req.log = createLogger({ logLevel: 'silent' });
      res.json({ before: before === undefined, after: typeof req.log.info });
    });
    expect((await request(bare).get('/')).body).toEqual({ before: true, after: 'function' });
  });

  it('adds one property to the request and none to the response (each added property cost every request CPU)', async () => {
    const keys = async (withLogger: boolean) => {
      const a = withLogger ? app('info').a : express();
      let got: number[] = [];
      a.get('/keys', (req, res) => {
        got = [Reflect.ownKeys(req).length, Reflect.ownKeys(res).length, typeof req.id === 'string' ? 1 : 0];
        res.json({});
      });
      await request(a).get('/keys');
      return got;
    };
    const [bare, logged] = [await keys(false), await keys(true)];
    expect(logged[0]! - bare[0]!).toBe(1);
    expect(logged[1]! - bare[1]!).toBe(0);
    // req.id is still the request's id (pino's request serialiser reads it)
    expect(logged[2]).toBe(1);
  });

  it('writes "request aborted" at info when the client goes away before the answer is whole', async () => {
    const { a, lines } = app('info');
    a.get('/slow', (_req, res) => {
      res.write('part');
      setTimeout(() => res.end('rest'), 300);
    });
    const http = await import('node:http');
    const server = a.listen(0);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => {
      const r = http.get({ port, path: '/slow' }, (res) => res.once('data', () => r.destroy()));
      r.on('close', () => resolve());
      r.on('error', () => resolve());
    });
    for (let i = 0; i < 50 && !lines.length; i++) await new Promise((r) => setTimeout(r, 10));
    server.close();
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'request aborted' })]);
  });
});
