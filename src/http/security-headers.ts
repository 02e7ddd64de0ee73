// The API's security headers: helmet's defaults, worked out once. helmet() is a chain of 13
// middlewares, each setting one header on every response; none of the API's headers depends on the
// request (the panel's CSP has a per-response nonce and keeps its own helmet: admin/security.ts),
// so the headers helmet sets are recorded once at start-up, by running it against a recording
// response, and every request gets them in one step. The same helmet, the same options: the same
// headers (test/unit/security-headers.test.ts compares them with helmet's own answer).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type HeaderValue = string | number | readonly string[];

/** What helmet does to a response: the headers it sets (in order) and the ones it removes. */
export function helmetHeaders(options?: Readonly<HelmetOptions>): { set: Array<[string, HeaderValue]>; removed: string[] } {
  const set = new Map<string, HeaderValue>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: HeaderValue) {
      set.set(name, value);
      return recorder;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
    getHeader(name: string) {
      return set.get(name);
    },
  };
  let finished = false;
  let failed: unknown = null;
  helmet(options)({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    finished = true;
    failed = err ?? null;
  });
  if (failed) throw failed;
  // Every one of helmet's middlewares is synchronous; one that is not would need the request.
  if (!finished) throw new Error('helmet did not finish synchronously');
  return { set: [...set], removed };
}

/** helmet(options)'s headers, set in one step per response. */
export function securityHeaders(options?: Readonly<HelmetOptions>): RequestHandler {
  const { set, removed } = helmetHeaders(options);
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
