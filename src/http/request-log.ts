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

/** What requestLogger keeps for a request: its one own property (see below). */
interface RequestState {
  readonly id: string;
  readonly started: number;
  readonly logger: Logger;
  /** The request's child logger, made on first use (or assigned). */
  child?: Logger;
}

const STATE = Symbol('request log');

interface Slot {
  [STATE]?: RequestState;
}

/** The request's logger: a child bound to the request, made on first use. */
function logOf(req: IncomingMessage & Slot): Logger | undefined {
  const state = req[STATE];
  if (!state) return undefined;
  return (state.child ??= state.logger.child({ req: serializeReq(req) }));
}

// `req.log`, `res.log` and `req.id` are accessors on Express's request and response prototypes
// (every app's requests inherit them), reading the one property requestLogger puts on the request
// (`res.log` through `res.req`, which Express sets). Defining them on each request and response
// turned both objects into slow dictionaries for the rest of the request (188 → 145 µs of CPU per
// request of GET /movie/genre/: docs/benchmarks-reads.md, run 13), and adding three properties and
// three closures per request cost about a fifth of a kept read's CPU (run 16): one property, one
// shared listener. Without the logger (an app that does not use it) they are undefined; assigning replaces them.
const OWN_LOG = Symbol('assigned log');
const OWN_ID = Symbol('assigned id');
type Assigned = Slot & { [OWN_LOG]?: Logger; [OWN_ID]?: string; req?: IncomingMessage & Slot };
/** An accessor on a prototype: what `get` reads, unless a value was assigned (kept under `slot`). */
function accessor(proto: object, name: string, slot: typeof OWN_LOG | typeof OWN_ID, get: (self: IncomingMessage & Assigned) => unknown): void {
  Object.defineProperty(proto, name, {
    configurable: true,
    enumerable: false,
    get(this: IncomingMessage & Assigned) {
      return this[slot] ?? get(this);
    },
    set(this: Assigned, value: never) {
      this[slot] = value;
    },
  });
}
if (!Object.prototype.hasOwnProperty.call(express.request, 'log')) {
  accessor(express.request, 'log', OWN_LOG, (req) => logOf(req));
  accessor(express.response, 'log', OWN_LOG, (res) => res.req?.log);
  // The request id pino's request serialiser reads (req.id).
  accessor(express.request, 'id', OWN_ID, (req) => req[STATE]?.id);
}

/** The request's line once its response is done ('close' ends every response, after 'finish' when it was sent whole). */
function onClose(this: ServerResponse & { req?: IncomingMessage & Slot }): void {
  const state = this.req?.[STATE];
  if (!state) return;
  const aborted = !this.writableFinished;
  const level = aborted ? 'info' : levelOf(this.statusCode);
  if (!state.logger.isLevelEnabled(level)) return;
  logOf(this.req!)![level]({ res: serializeRes(this), responseTime: Math.round(performance.now() - state.started) }, aborted ? 'request aborted' : 'request completed');
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    (req as Slot)[STATE] = { id, started: performance.now(), logger, child: undefined };
    res.on('close', onClose);
    next();
  };
}

declare module 'http' {
  interface IncomingMessage {
    /** The request's logger (bound to it on first use): src/http/request-log.ts. */
    log: Logger;
    /** The request's id (X-Request-Id), while the request logger is in use. */
    id?: string;
  }
  interface ServerResponse {
    log: Logger;
  }
}
