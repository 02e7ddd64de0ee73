// The panel's static files, fast (issue 14 §8): AdminJS serves its four script bundles (3.5 MB)
// uncompressed with `max-age=0` and its templates link Google Fonts. Here every page's scripts
// are served from content-hashed URLs (`/admin/assets/<hash>/<name>`), compressed (brotli when the
// browser takes it, else gzip) and cached for a year (`immutable`); Marquee's own files (logo,
// favicon, the panel's stylesheet) likewise. The HTML of every panel page is rewritten to use them,
// loses the external font link (the theme uses the system's fonts) and is itself compressed.
//
// Compressed copies live in `.adminjs/assets/` keyed by content hash: `npm run admin:bundle` makes
// them ahead of time (brotli at its best quality takes seconds); a missing one is made on first use
// (gzip at once, brotli in the background).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';
import { REPO_ROOT } from '../src/paths.js';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export const ASSETS_PATH = '/assets';
const CACHE_DIR = path.resolve('.adminjs', 'assets');
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Marquee's own files (logo, favicon, stylesheet): in the sources, also when this runs from .build/. */
export const BRAND_DIR = path.join(REPO_ROOT, 'admin', 'brand');

interface Asset {
  /** The name AdminJS's templates use (`app.bundle.js`) or the brand file's name. */
  name: string;
  src: string;
  type: string;
  hash: string;
  /** `/admin/assets/<hash>/<name>` */
  url: string;
  raw: Buffer;
  encoded: { br?: Buffer; gzip?: Buffer };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.js', '.css', '.svg']);

function brotliOptions(size: number, quality: number): zlib.BrotliOptions {
  return { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };
}

function writeAtomic(file: string, data: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** The AdminJS script bundles (as its router serves them) plus Marquee's brand files. */
async function sources(): Promise<Array<{ name: string; src: string }>> {
  const { Router } = await import('adminjs');
  const out: Array<{ name: string; src: string }> = [];
  for (const a of Router.assets) {
    const name = path.posix.basename(a.path);
    if (name.endsWith('.bundle.js')) out.push({ name, src: path.resolve(a.src) });
  }
  if (!out.some((a) => a.name === 'components.bundle.js')) out.push({ name: 'components.bundle.js', src: path.resolve('.adminjs', 'bundle.js') });
  for (const name of ['logo.svg', 'favicon.svg', 'panel.css']) out.push({ name, src: path.join(BRAND_DIR, name) });
  return out;
}

/**
 * The design system's bundle finds the global object the old webpack way, `new Function("return
 * this")()`, which the panel's CSP (no 'unsafe-eval') refuses and reports on every page. The
 * served copy asks for `globalThis` instead; nothing else in the file changes.
 */
function servable(name: string, raw: Buffer): Buffer {
  if (!name.endsWith('.js')) return raw;
  const text = raw.toString('utf8');
  const safe = text.replaceAll('new Function("return this")()', 'globalThis');
  return safe === text ? raw : Buffer.from(safe, 'utf8');
}

export class PanelAssets {
  private readonly byUrl = new Map<string, Asset>();
  private readonly byName = new Map<string, Asset>();
  private readonly pending = new Map<string, Promise<void>>();

  private constructor(private readonly rootPath: string) {}

  /** Reads and hashes the files (no compression here: that is ahead of time or on first use). */
  static async load(rootPath: string): Promise<PanelAssets> {
    const assets = new PanelAssets(rootPath);
    for (const { name, src } of await sources()) {
      if (!existsSync(src)) continue;
      const raw = servable(name, readFileSync(src));
      const hash = createHash('sha256').update(raw).digest('hex').slice(0, 16);
      const ext = path.extname(name);
      const asset: Asset = { name, src, type: TYPES[ext] ?? 'application/octet-stream', hash, url: `${rootPath}${ASSETS_PATH}/${hash}/${name}`, raw, encoded: {} };
      for (const enc of ['br', 'gzip'] as const) {
        const file = path.join(CACHE_DIR, `${hash}-${name}.${enc === 'br' ? 'br' : 'gz'}`);
        if (existsSync(file)) asset.encoded[enc] = readFileSync(file);
      }
      assets.byUrl.set(asset.url, asset);
      assets.byName.set(name, asset);
    }
    return assets;
  }

  /** `npm run admin:bundle`: brotli (best quality) and gzip copies of every compressible file. */
  static async precompress(rootPath = '/admin'): Promise<string[]> {
    const assets = await PanelAssets.load(rootPath);
    const made: string[] = [];
    for (const a of assets.byName.values()) {
      if (!COMPRESSIBLE.has(path.extname(a.name))) continue;
      if (!a.encoded.br) {
        a.encoded.br = await brotli(a.raw, brotliOptions(a.raw.length, 11));
        writeAtomic(path.join(CACHE_DIR, `${a.hash}-${a.name}.br`), a.encoded.br);
        made.push(`${a.name}.br`);
      }
      if (!a.encoded.gzip) {
        a.encoded.gzip = await gzip(a.raw, { level: 9 });
        writeAtomic(path.join(CACHE_DIR, `${a.hash}-${a.name}.gz`), a.encoded.gzip);
        made.push(`${a.name}.gz`);
      }
    }
    return made;
  }

  /** The hashed URL of an asset by name (`app.bundle.js`, `logo.svg`), or undefined. */
  url(name: string): string | undefined {
    return this.byName.get(name)?.url;
  }

  /** Makes the missing compressed copies of one asset: gzip now, brotli in the background. */
  private async ensureEncoded(a: Asset): Promise<void> {
    if (!a.encoded.gzip) {
      a.encoded.gzip = await gzip(a.raw, { level: 6 });
      try {
        writeAtomic(path.join(CACHE_DIR, `${a.hash}-${a.name}.gz`), a.encoded.gzip);
      } catch {
        /* a read-only tree: keep it in memory */
      }
    }
    if (!a.encoded.br && !this.pending.has(a.url)) {
      const job = brotli(a.raw, brotliOptions(a.raw.length, 9))
        .then((buf) => {
          a.encoded.br = buf;
          try {
            writeAtomic(path.join(CACHE_DIR, `${a.hash}-${a.name}.br`), buf);
          } catch {
            /* in memory only */
          }
        })
        .catch(() => undefined)
        .finally(() => this.pending.delete(a.url));
      this.pending.set(a.url, job);
    }
  }

  /** GET /admin/assets/<hash>/<name>: the file, compressed as the browser accepts, cached for a year. */
  handler(): RequestHandler {
    return async (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const a = this.byUrl.get(`${this.rootPath}${ASSETS_PATH}${req.path}`);
      if (!a) return next();
      try {
        res.set('Cache-Control', IMMUTABLE);
        res.set('Content-Type', a.type);
        res.set('ETag', `"${a.hash}"`);
        res.vary('Accept-Encoding');
        if (req.get('if-none-match') === `"${a.hash}"`) return void res.status(304).end();
        let body = a.raw;
        if (COMPRESSIBLE.has(path.extname(a.name))) {
          const enc = acceptedEncoding(req);
          if (enc) {
            await this.ensureEncoded(a);
            const encoded = enc === 'br' ? (a.encoded.br ?? a.encoded.gzip) : a.encoded.gzip;
            if (encoded) {
              body = encoded;
              res.set('Content-Encoding', encoded === a.encoded.br ? 'br' : 'gzip');
            }
          }
        }
        res.set('Content-Length', String(body.length));
        if (req.method === 'HEAD') return void res.end();
        res.end(body);
      } catch (err) {
        next(err);
      }
    };
  }

  /** The panel's HTML with hashed, compressed assets and no external font link. */
  rewriteHtml(html: string, lang?: string): string {
    let out = html.replace(/[ \t]*<link[^>]*(?:fonts\.googleapis\.com|fonts\.gstatic\.com)[^>]*>\s*\n?/g, '');
    out = out.replace(/(["'])[^"']*\/frontend\/assets\/([\w.-]+\.bundle\.js)\1/g, (m, q: string, name: string) => {
      const url = this.url(name);
      return url ? `${q}${url}${q}` : m;
    });
    const css = this.url('panel.css');
    // AdminJS's pages get the panel's stylesheet (the queue monitor keeps its own look).
    if (css && out.includes('window.REDUX_STATE') && !out.includes(css)) out = out.replace(/<\/head>/, `<link rel="stylesheet" href="${css}">\n</head>`);
    // An SVG favicon is an SVG (AdminJS types every non-PNG one as x-icon).
    out = out.replace(/<link rel="shortcut icon" type="image\/x-icon" href="([^"]+\.svg)" \/>/, '<link rel="icon" type="image/svg+xml" href="$1">');
    if (lang) out = out.replace(/<html lang=["']?[\w-]*["']?>/, `<html lang="${lang}">`);
    return out;
  }
}

/** br or gzip, as the request's Accept-Encoding allows (q=0 refuses), else null. */
export function acceptedEncoding(req: Request): 'br' | 'gzip' | null {
  const header = req.get('accept-encoding') ?? '';
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(token, q ? Number(q.slice(2)) || 0 : 1);
  }
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return null;
}

/**
 * For every response under /admin: an HTML page gets rewritten (see rewriteHtml) and, like any
 * JSON answer, compressed when larger than 1 kB. Mounted before the security headers, whose
 * nonce wrapper then runs first.
 */
export function panelResponses(assets: PanelAssets): RequestHandler {
  return (req, res, next) => {
    const send = res.send.bind(res);
    res.send = ((body?: unknown) => {
      if (typeof body !== 'string' && !(typeof body === 'object' && body !== null && !Buffer.isBuffer(body))) return send(body);
      if (typeof body === 'object') {
        // res.json → res.send(string) with its Content-Type already set: let it come back as a string.
        return send(body);
      }
      const type = res.get('Content-Type') ?? '';
      let text = body;
      const html = /^text\/html\b/i.test(type) || (!type && /^\s*</.test(text));
      if (html) text = assets.rewriteHtml(text);
      const compressible = html || /^application\/json\b/i.test(type);
      const enc = compressible && text.length > 1024 && !res.get('Content-Encoding') ? acceptedEncoding(req) : null;
      if (!enc) return send(text);
      const raw = Buffer.from(text, 'utf8');
      const encoded = enc === 'br' ? zlib.brotliCompressSync(raw, brotliOptions(raw.length, 5)) : zlib.gzipSync(raw, { level: 6 });
      if (!type) res.type(html ? 'html' : 'json');
      res.vary('Accept-Encoding');
      res.set('Content-Encoding', enc);
      return send(encoded);
    }) as Response['send'];
    next();
  };
}
