// One declaration per endpoint: the same zod schemas validate the request and document it in
// OpenAPI. Routes stay thin: parse → call a service → shape the response.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z, type ZodObject, type ZodType } from 'zod';
import type { Role } from '../modules/users/user.entity.js';
import type { AuthUser, Authenticator } from './auth.js';
import { langOf, type Lang } from './i18n.js';
import './openapi.js';
import { parseOrThrow } from './validation.js';
import { toHttpError } from './errors.js';
import { Serialised, serialisedText, type JoinedAnswer } from './conditional.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = ZodObject<z.core.$ZodLooseShape>;

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  user: AuthUser | undefined;
  lang: Lang;
  req: Request;
  res: Response;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** A body already serialised as JSON (its UTF-8 bytes, sent as they are), with its ETag: a hot read keeps both with its cached answer. */
  json?: Serialised | JoinedAnswer;
  /**
   * A body already serialised as JSON, answered as `res.json` answers its own serialisation (the
   * same headers and ETag, 304 on a match): a read that assembles its answer from kept JSON parts.
   */
  rawJson?: string;
  headers?: Record<string, string>;
}

export interface RouteSpec<B extends ZodType | undefined, Q extends AnyObject | undefined, P extends AnyObject | undefined> {
  method: Method;
  /** Express path without trailing slash (`/movie/:movie_id`); both `/x` and `/x/` are served. */
  path: string;
  summary: string;
  tags: string[];
  /** 'optional' sets req.user when a token is given; 'required' any user; a role list restricts. */
  auth?: 'optional' | 'required' | readonly Role[];
  body?: B;
  query?: Q;
  params?: P;
  /** Extra middleware before validation (e.g. a rate limiter or multipart parser). */
  before?: RequestHandler[];
  /** Documented responses: status → description (and schema). */
  responses: Record<number, { description: string; schema?: ZodType }>;
  /** Request content type for the docs (default application/json). */
  contentType?: string;
  /** Reshapes an error of this route (input validation included) before the error handler answers it. */
  mapError?: (err: unknown) => unknown;
  handler: (
    input: HandlerInput<B extends ZodType ? z.output<B> : undefined, Q extends AnyObject ? z.output<Q> : undefined, P extends AnyObject ? z.output<P> : undefined>,
  ) => Promise<Reply>;
}

export interface RouteContext {
  router: Router;
  registry: OpenAPIRegistry;
  auth: Authenticator;
  /** Every route defined through this context, for the route index (docs/routes.md). */
  index?: RouteIndexEntry[];
}

export interface RouteIndexEntry {
  method: string;
  /** The public path, OpenAPI style with the trailing slash (`/movie/{movie_id}/`). */
  path: string;
  /** Who may call it: `anyone`, `signed in`, or the roles. */
  access: string;
  /** The file that declares it (`src/modules/…/….routes.ts`). */
  file: string;
}

/**
 * The repository path of the routes file that declared the route, from the stack (no list to keep
 * in step): the first `*.routes.ts` frame.
 */
function declaringFile(): string {
  const files: string[] = [];
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const m = /((?:file:\/\/)?[^\s()]+\.ts):\d+:\d+\)?$/.exec(line.trim());
    if (!m || m[1].endsWith('/http/route.ts')) continue;
    const file = m[1].replace(/^file:\/\//, '');
    const at = file.lastIndexOf('/src/');
    files.push(at >= 0 ? file.slice(at + 1) : file);
  }
  return files.find((f) => f.endsWith('.routes.ts')) ?? files[0] ?? 'unknown';
}

function accessOf(auth: RouteSpec<undefined, undefined, undefined>['auth']): string {
  if (!auth) return 'anyone';
  if (auth === 'optional') return 'anyone (token optional)';
  if (auth === 'required') return 'signed in';
  return auth.join(', ');
}

/**
 * A kept JSON answer, as `res.send` would answer it but without encoding or hashing the body again:
 * 304 without a body when the client's If-None-Match names its ETag (req.fresh), else its bytes.
 */
function sendKept(req: Request, res: Response, json: Serialised | JoinedAnswer): void {
  res.setHeader('ETag', json.etag);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (req.fresh) {
    res.statusCode = 304;
    res.removeHeader('Content-Type');
    res.end();
    return;
  }
  if (json instanceof Serialised) {
    res.setHeader('Content-Length', json.length);
    if (req.method === 'HEAD') res.end();
    else res.end(json.body());
    return;
  }
  res.setHeader('Content-Length', json.length);
  if (req.method === 'HEAD') return void res.end();
  // Corked: the headers and every part leave in one write (writev), as one joined buffer would.
  res.cork();
  res.write(json.head, 'utf8');
  for (const part of json.kept) res.write(part);
  res.end();
}

/**
 * A router's defined routes, grouped by their path's first segment: one router per segment, all
 * reached through one layer that picks the request's. Express tries a router's layers one after
 * the other, a regular expression each: a request now tries its own segment's few routes (19 at
 * most) instead of the ~75 defined before it. Paths are not shortened (full paths in each group),
 * so params, req.path and req.baseUrl are as before; a request matching no group goes on to the
 * router's next layer.
 */
const segmentRouters = new WeakMap<Router, Map<string, Router>>();

/** The first segment of a path, lower-cased (routes match case-insensitively), or null when it is not literal (a parameter, a pattern). */
function firstSegment(path: string): string | null {
  const end = path.indexOf('/', 1);
  const segment = path.slice(1, end < 0 ? undefined : end);
  return !segment || /[^\w.~-]/.test(segment) ? null : segment.toLowerCase();
}

function routerFor(router: Router, path: string): Router {
  const segment = firstSegment(path);
  if (segment === null) return router;
  let groups = segmentRouters.get(router);
  if (!groups) {
    const byName = (groups = new Map<string, Router>());
    segmentRouters.set(router, byName);
    router.use((req, res, next) => {
      const group = byName.get(firstSegment(req.path) ?? '');
      if (group) group(req, res, next);
      else next();
    });
  }
  let group = groups.get(segment);
  if (!group) groups.set(segment, (group = Router()));
  return group;
}

export function defineRoute<B extends ZodType | undefined = undefined, Q extends AnyObject | undefined = undefined, P extends AnyObject | undefined = undefined>(
  ctx: RouteContext,
  spec: RouteSpec<B, Q, P>,
): void {
  // The API parses no body of a GET (src/app.ts): a GET route cannot declare one.
  if (spec.body && spec.method === 'get') throw new Error(`GET ${spec.path} declares a body: GET requests' bodies are not read`);
  const middlewares: RequestHandler[] = [];
  if (spec.auth === 'optional') middlewares.push(ctx.auth.optional);
  else if (spec.auth === 'required') middlewares.push(ctx.auth.required);
  else if (Array.isArray(spec.auth)) middlewares.push(ctx.auth.roles(...spec.auth));
  middlewares.push(...(spec.before ?? []));

  const handler: RequestHandler = async (req, res, next) => {
    const lang = langOf(req);
    try {
      const params = spec.params ? parseOrThrow(spec.params, req.params, lang) : undefined;
      const query = spec.query ? parseOrThrow(spec.query, req.query, lang) : undefined;
      const body = spec.body ? parseOrThrow(spec.body, req.body ?? {}, lang) : undefined;
      const reply = await spec.handler({ body, query, params, user: req.user as AuthUser | undefined, lang, req, res } as never);
      if (res.headersSent) return;
      if (reply.headers) res.set(reply.headers);
      res.status(reply.status ?? 200);
      if (reply.json) sendKept(req, res, reply.json);
      // What res.json does after JSON.stringify (the same headers, ETag and 304), in one step.
      else if (reply.rawJson !== undefined) sendKept(req, res, serialisedText(reply.rawJson));
      else if (reply.body === undefined) res.end();
      else res.json(reply.body);
    } catch (err) {
      // A service's domain error is translated here, in the request's language (then reshaped by the route).
      const translated = toHttpError(err, lang);
      next(spec.mapError ? spec.mapError(translated) : translated);
    }
  };
  routerFor(ctx.router, spec.path)[spec.method](spec.path, ...middlewares, handler);
  const publicPath = `${spec.path.replace(/:(\w+)(\([^)]*\))?/g, '{$1}')}/`;
  ctx.index?.push({ method: spec.method.toUpperCase(), path: publicPath, access: accessOf(spec.auth), file: declaringFile() });

  const security = spec.auth && spec.auth !== 'optional' ? [{ jwt: [] }] : undefined;
  const contentType = spec.contentType ?? 'application/json';
  ctx.registry.registerPath({
    method: spec.method,
    path: publicPath,
    summary: spec.summary,
    tags: spec.tags,
    security,
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body ? { body: { content: { [contentType]: { schema: spec.body } } } } : {}),
    },
    responses: Object.fromEntries(
      Object.entries(spec.responses).map(([status, r]) => [
        status,
        r.schema ? { description: r.description, content: { 'application/json': { schema: r.schema } } } : { description: r.description },
      ]),
    ),
  });
}

/** Common response schemas in the seed's error shapes. */
export const errorSchemas = {
  validation: z.record(z.string(), z.array(z.string())).openapi('ValidationError', { example: { email: ['이 필드는 필수 항목입니다.'] } }),
  message: z.object({ message: z.string() }).openapi('MessageError'),
  detail: z.object({ detail: z.string() }).openapi('NotFound'),
};
