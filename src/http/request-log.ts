// The request logger: an X-Request-Id on every answer and one line per request at the level its
// status calls for (5xx error, 4xx info, the rest debug) — with the same fields pino-http writes
// (req, res, responseTime, "request completed"), through the process logger and so its redaction.
//
// Built for the hot read paths: nothing is serialised for a request whose line is not written (at
// the default level, a 2xx), and `req.log` (a child logger bound to the request, what the error
// handler and webhooks log through) is made only when something asks for it. pino-http made that
// child, serialising and redacting the request, on every request: a fifth of a cached read's CPU.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import pino, { type Level, type Logger } from 'pino';

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** The level of a finished request's line. */
export const levelOf = (status: number): Level => (status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug');

const serializeReq = (req: IncomingMessage & { id?: string }) => pino.stdSerializers.req(req as never);
const serializeRes = (res: ServerResponse) => pino.stdSerializers.res(res as never);

/** A request's (and its response's) logger, made on first use: set by requestLogger, read through `log`. */
const LOG = Symbol('request log');

interface LogSlot {
  [LOG]?: () => Logger;
}

// `req.log` and `res.log` are one accessor on Express's request and response prototypes (every
// app's requests inherit them), reading what requestLogger put on the request. Defining the
// property on each request and response instead turned both objects into slow dictionaries for
// the rest of the request: 188 → 145 µs of CPU per request of GET /movie/genre/ (docs/benchmarks-reads.md, run 13).
// Without the logger (an app that does not use it) `req.log` is undefined; assigning it replaces it.
for (const proto of [express.request, express.response])
  if (!Object.prototype.hasOwnProperty.call(proto, 'log'))
    Object.defineProperty(proto, 'log', {
      configurable: true,
      enumerable: false,
      get(this: LogSlot) {
        return this[LOG]?.();
      },
      set(this: LogSlot, value: Logger) {
        this[LOG] = () => value;
      },
    });

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    (req as { id?: string }).id = id;
    const started = performance.now();
    let child: Logger | undefined;
    const log = () => (child ??= logger.child({ req: serializeReq(req) }));
    (req as LogSlot)[LOG] = log;
    (res as LogSlot)[LOG] = log;
    // 'close' ends every response (after 'finish' when it was sent whole): one listener per request.
    res.once('close', () => {
      const aborted = !res.writableFinished;
      const level = aborted ? 'info' : levelOf(res.statusCode);
      if (!logger.isLevelEnabled(level)) return;
      log()[level]({ res: serializeRes(res), responseTime: Math.round(performance.now() - started) }, aborted ? 'request aborted' : 'request completed');
    });
    next();
  };
}

declare module 'http' {
  interface IncomingMessage {
    /** The request's logger (bound to it on first use): src/http/request-log.ts. */
    log: Logger;
  }
  interface ServerResponse {
    log: Logger;
  }
}
