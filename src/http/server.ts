// The HTTP server of the app (`app.listen`, src/app.ts): requests and responses made with the app's
// own request and response prototypes from the start.
//
// Express 4 moves every request and response onto its app's prototypes as its first step
// (Object.setPrototypeOf in its init middleware). V8 gives an object whose prototype changes a new
// hidden class, and it does not reuse one for the next request: measured with --log-maps, every
// request made five new maps (in the old generation) and the property reads of Node's HTTP code,
// Express and the routes saw a different shape on every request. Made with the app's prototypes,
// Express's move finds them set and changes nothing: the shapes settle after the first requests.
// Measured (docs/benchmarks-reads.md, run 17): the anonymous detail's server CPU per request 0.42
// of what it was; a bare hello-world's old generation grew 37 MB/s under load, now 1.5 MB/s (the
// major collections that made the p99 misses).
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/** Whether `f` can be called as a plain function (Node's IncomingMessage and ServerResponse are; a class is not). */
function callable(f: unknown): boolean {
  return typeof f === 'function' && !/^class\b/.test(Function.prototype.toString.call(f));
}

type Init<A extends unknown[]> = (this: unknown, ...args: A) => void;

/**
 * An HTTP server for `app` whose requests are made as `app.request` objects and responses as
 * `app.response` objects (Node's own constructors run on them, as for its default classes). Where
 * Node's constructors cannot be called so (a class), the default server.
 */
export function createAppServer(app: Express): http.Server {
  if (!callable(IncomingMessage) || !callable(ServerResponse)) return http.createServer(app);
  const initRequest = IncomingMessage as unknown as Init<[Socket]>;
  const initResponse = ServerResponse as unknown as Init<[IncomingMessage, unknown]>;
  // Plain constructor functions: `new` makes each object from one initial shape (prototype set),
  // and Node's constructors then add their fields as they do to their own instances.
  function AppRequest(this: unknown, socket: Socket): void {
    initRequest.call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: unknown, req: IncomingMessage, options: unknown): void {
    initResponse.call(this, req, options);
  }
  AppResponse.prototype = app.response;
  return http.createServer({ IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse }, app);
}

/** `app.listen` (all its argument forms) on createAppServer instead of Express's default server. */
export function listenWithAppServer(app: Express): void {
  app.listen = function listen(...args: unknown[]) {
    const server = createAppServer(app);
    return server.listen(...(args as Parameters<http.Server['listen']>));
  } as Express['listen'];
}
