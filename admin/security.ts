// Hardening of everything under /admin (the AdminJS panel, its API and the queue monitor):
//
// - security headers (helmet) with a Content-Security-Policy that AdminJS 7 works with: scripts
//   only from the panel itself plus its inline bootstrap scripts, which carry a per-request nonce;
//   styles also inline (styled-components, emotion and tiptap insert <style> elements at run
//   time, without a nonce we could give them); images also from https: (movie posters live on
//   CDNs); fonts only from the panel (the templates' Google Fonts link is removed, admin/assets.ts:
//   the panel uses the system's fonts); no plugins, no framing, no <base>, forms only to the panel;
// - CSRF: a state-changing request (POST, PUT, PATCH, DELETE) must come from the panel's own
//   origin, told by the `Origin` header (or `Referer` when a browser sends no Origin). Anything
//   else — another site, `Origin: null`, or neither header — is refused with 403 before AdminJS,
//   the login throttle or the queue monitor see it. This is OWASP's "verifying origin with
//   standard headers" on top of the SameSite=Lax session cookie. Browsers send Origin on every
//   POST/PUT/PATCH/DELETE (the panel sets `Referrer-Policy: same-origin`, which keeps it on
//   same-origin requests); a script or other non-browser client has to send an `Origin` naming
//   the panel's host too;
// - input checks AdminJS does not make itself: an API call naming an unknown resource or action
//   is a 404, a list with a page, perPage, sort or date filter that is not one is a 400 — AdminJS
//   would hand them to the database and answer 500.
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../src/config.js';
import type { CurrentAdmin } from 'adminjs';
import { panelLanguageOf, panelText, type PanelTextKey } from './locale/index.js';

/** The part of AdminJS the input checks read (resources, their actions and properties). */
interface AdminLike {
  resources: Array<{
    decorate(): {
      id(): string;
      actions: Record<string, unknown>;
      getPropertyByKey(path: string): { type(): string } | null | undefined;
    };
  }>;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The nonce of this response's inline scripts (set by adminSecurity). */
export function cspNonce(res: Response): string | undefined {
  return (res.locals as { cspNonce?: string }).cspNonce;
}

/** The admin's Content-Security-Policy directives (helmet form; the nonce is per response). */
export function adminCspDirectives() {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", (_req: unknown, res: unknown) => `'nonce-${cspNonce(res as Response)}'`],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    fontSrc: ["'self'", 'data:'],
    imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
    connectSrc: ["'self'"],
    mediaSrc: ["'self'", 'blob:'],
    workerSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    frameSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    // Not set: on a plain-http development server it would send the browser to https (behind
    // TLS, HSTS already keeps the browser on https).
    upgradeInsecureRequests: null,
  };
}

/**
 * Adds the nonce to the inline <script> elements of an HTML page. Only tags that start a line
 * are the templates' own (AdminJS and bull-board write each tag on a line of its own): text a
 * record or a session puts into the page sits inside a JSON string, where a line break is
 * always escaped, so a `<script>` smuggled in there never gets the nonce and does not run.
 */
export function addScriptNonce(html: string, nonce: string): string {
  return html.replace(/(^|\n)([ \t]*)<script(?=[\s>])(?![^>]*\bnonce=)/g, `$1$2<script nonce="${nonce}"`);
}

function isHtml(res: Response, body: string): boolean {
  const type = res.get('Content-Type');
  if (type) return /^text\/html\b/i.test(type);
  return /^\s*</.test(body); // Express's res.send types an untyped string as HTML
}

/** host[:port], lower case, without the scheme's default port. */
function normalHost(host: string, scheme: string): string {
  const h = host.trim().toLowerCase();
  if (scheme === 'https' && h.endsWith(':443')) return h.slice(0, -4);
  if (scheme === 'http' && h.endsWith(':80')) return h.slice(0, -3);
  return h;
}

/** The hosts a state-changing admin request may come from: this request's own host (and PUBLIC_URL's). */
function ownHosts(req: Request, config: Pick<Config, 'trustProxy' | 'publicUrl'>): Set<string> {
  const scheme = req.protocol; // X-Forwarded-Proto only when trust proxy is on (Express)
  const forwarded = config.trustProxy ? req.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const hosts = new Set<string>();
  const host = forwarded || req.get('host');
  if (host) hosts.add(normalHost(host, scheme));
  if (config.publicUrl) {
    const u = new URL(config.publicUrl);
    hosts.add(normalHost(u.host, u.protocol.replace(/:$/, '')));
  }
  return hosts;
}

/** The host of the Origin (or Referer) of a request, or why there is none. */
function sourceHost(req: Request): { host: string } | { missing: true } | { invalid: string } {
  const origin = req.get('origin');
  const referer = req.get('referer');
  const value = origin ?? referer;
  if (!value) return { missing: true };
  if (origin === 'null') return { invalid: 'null' };
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { invalid: value };
    return { host: normalHost(u.host, u.protocol.replace(/:$/, '')) };
  } catch {
    return { invalid: value };
  }
}

/**
 * The language of the guards' answers: the staff member's panel language when the request has a
 * session; the guards run before the session is read (admin/index.ts), so today the panel's default, Korean.
 */
const guardLanguage = (req: Request) => panelLanguageOf((req.session as unknown as { adminUser?: CurrentAdmin } | undefined)?.adminUser);

/** CSRF protection for the admin: state-changing requests only from the panel's own origin. */
export function adminOriginCheck(config: Pick<Config, 'trustProxy' | 'publicUrl'>): RequestHandler {
  return (req, res, next) => {
    if (!STATE_CHANGING.has(req.method)) return next();
    const source = sourceHost(req);
    if ('host' in source && ownHosts(req, config).has(source.host)) return next();
    (req as { log?: { warn(o: object, m: string): void } }).log?.warn({ origin: req.get('origin'), referer: req.get('referer'), path: req.originalUrl }, 'admin: cross-origin request refused');
    res.status(403).json({ message: panelText(guardLanguage(req), 'missing' in source ? 'guardOriginMissing' : 'guardOriginOther', { method: req.method }) });
  };
}

/** Security headers for the admin (helmet + CSP with a per-request nonce for inline scripts). */
export function adminHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: adminCspDirectives() },
    // AdminJS loads nothing cross-origin that would need COEP.
    crossOriginEmbedderPolicy: false,
    // Keeps the Origin header on the panel's own POSTs (no-referrer would turn it into "null").
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  return (req, res, next) => {
    const nonce = randomBytes(16).toString('base64');
    (res.locals as { cspNonce?: string }).cspNonce = nonce;
    const send = res.send.bind(res);
    res.send = ((body?: unknown) => send(typeof body === 'string' && isHtml(res, body) ? addScriptNonce(body, nonce) : body)) as Response['send'];
    headers(req, res, next);
  };
}

const API_PATH = /^\/api\/resources\/([^/]+)(?:\/(actions|records|bulk|search)(?:\/([^/]+))?(?:\/([^/]+))?)?\/?$/;
const DATE_TYPES = new Set(['date', 'datetime']);
/** A date as the panel's date pickers send it (ISO 8601); Date.parse alone takes almost anything ("x 1"). */
const isIsoDate = (v: string) => /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v));

function queryValues(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(queryValues);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(queryValues);
  return v === undefined ? [] : [String(v)];
}

/** The list query's filters as `property path → values` (flat `filters.a.b=` or nested `filters[a]=`). */
function filterEntries(query: Request['query']): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('filters.')) out.push([key.slice('filters.'.length), queryValues(value)]);
    else if (key === 'filters' && value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([k, queryValues(v)]);
  }
  return out.map(([k, v]) => [k.replace(/~~(from|to)$/, ''), v]);
}

/** 404 for an unknown resource or action, 400 for list parameters AdminJS would pass to the database. */
export function adminInputGuard(admin: AdminLike): RequestHandler {
  return (req, res, next) => {
    const refuse = (res: Response, status: number, key: PanelTextKey, vars: Record<string, unknown> = {}) => void res.status(status).json({ message: panelText(guardLanguage(req), key, vars) });
    const m = API_PATH.exec(req.path);
    if (!m) return next();
    let resourceId: string;
    let action: string | undefined;
    try {
      resourceId = decodeURIComponent(m[1]);
      const kind = m[2];
      action = kind === 'actions' || kind === 'bulk' ? m[3] && decodeURIComponent(m[3]) : kind === 'records' ? m[4] && decodeURIComponent(m[4]) : undefined;
    } catch {
      return refuse(res, 400, 'guardMalformedPath');
    }
    const resource = admin.resources.map((r) => r.decorate()).find((d) => d.id() === resourceId);
    if (!resource) return refuse(res, 404, 'guardNoResource');
    if (action !== undefined && !Object.hasOwn(resource.actions, action)) return refuse(res, 404, 'guardNoAction');
    const q = req.query;
    for (const name of ['page', 'perPage'] as const) {
      const v = queryValues(q[name]);
      if (v.length && !v.every((x) => /^[1-9]\d{0,8}$/.test(x))) return refuse(res, 400, 'guardWholeNumber', { name });
    }
    const direction = queryValues(q.direction);
    if (direction.length && !direction.every((d) => d === 'asc' || d === 'desc')) return refuse(res, 400, 'guardDirection');
    for (const sortBy of queryValues(q.sortBy)) if (!resource.getPropertyByKey(sortBy)) return refuse(res, 400, 'guardSortBy');
    for (const [path, values] of filterEntries(q)) {
      const property = resource.getPropertyByKey(path);
      if (property && DATE_TYPES.has(property.type()) && values.some((v) => v !== '' && !isIsoDate(v))) return refuse(res, 400, 'guardFilterDate', { path });
    }
    next();
  };
}

/** Everything the admin router mounts first: headers, the origin check, the input checks. */
export function adminSecurity(config: Pick<Config, 'trustProxy' | 'publicUrl'>, admin: AdminLike): RequestHandler[] {
  return [adminHeaders(), adminOriginCheck(config), adminInputGuard(admin)];
}
