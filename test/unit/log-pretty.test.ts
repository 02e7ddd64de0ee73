// The terminal log format (LOG_FORMAT=pretty, or auto on a TTY): pino's JSON objects as readable lines.
import { Writable } from 'node:stream';
import pino from 'pino';
import { formatLogLine, prettyStream } from '../../src/log-pretty.js';
import { loadConfig } from '../../src/config.js';

const at = Date.UTC(2026, 5, 20, 9, 30, 5);

describe('pretty log lines', () => {
  it('shows time, level, message and the other fields; a multi-line message keeps its lines, fields after the first', () => {
    const line = formatLogLine({ level: 30, time: at, pid: 1, hostname: 'h', msg: 'Marquee is up\n  admin  http://x/admin', ms: 812, url: 'http://x' }, false);
    expect(line).toBe(`${new Date(at).toTimeString().slice(0, 8)} INFO  Marquee is up ms=812 url=http://x\n  admin  http://x/admin\n`);
  });

  it('shows a request as method, path, status and time, and an error with its stack', () => {
    const req = formatLogLine({ level: 40, time: at, req: { method: 'GET', url: '/movie/1/' }, res: { statusCode: 404 }, responseTime: 3, msg: 'request completed' }, false);
    expect(req).toContain('WARN  GET /movie/1/ 404 3ms request completed');
    const err = formatLogLine({ level: 50, time: at, msg: 'boom', err: { message: 'bad', stack: 'Error: bad\n    at x' } }, false);
    expect(err).toContain('ERROR boom\nError: bad\n    at x');
  });

  it('colours only for a terminal, and passes through what is not JSON', async () => {
    const out: string[] = [];
    const sink = Object.assign(new Writable({ write: (c: Buffer, _e, done) => (out.push(c.toString()), done()) }), { isTTY: true });
    const logger = pino({ level: 'info' }, prettyStream(sink));
    logger.warn({ n: 1 }, 'careful');
    await new Promise((r) => setImmediate(r));
    expect(out.join('')).toMatch(/\x1b\[33mWARN \x1b\[0m careful \x1b\[90mn=1/);
    const plain: string[] = [];
    const stream = prettyStream(new Writable({ write: (c: Buffer, _e, done) => (plain.push(c.toString()), done()) }) as never);
    stream.write('not json\n');
    await new Promise((r) => setImmediate(r));
    expect(plain.join('')).toBe('not json\n');
  });

  it('LOG_FORMAT is auto by default, and only auto, json or pretty', () => {
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(20), SESSION_SECRET: 'y'.repeat(20) }).logFormat).toBe('auto');
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(20), SESSION_SECRET: 'y'.repeat(20), LOG_FORMAT: 'fancy' })).toThrow(/LOG_FORMAT must be auto, json, pretty/);
  });
});
