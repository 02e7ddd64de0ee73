// Errors by code, language at the edges (docs/architecture.md rule 10): no module file other than
// the HTTP adapters (routes) imports src/http or takes a language; every code a module throws has a
// catalogue entry in Korean and English; codes are unique across the modules' catalogues; and the
// edge answers a domain error in the seed's shapes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HttpError, toHttpError, ValidationError } from '../../src/http/errors.js';
import { CATALOGUES, hasMessage, translate } from '../../src/modules/shared/catalogue.js';
import { conflict, invalidFields, msg, notFound, tooMany, unauthorized } from '../../src/modules/shared/errors.js';
import { LANGS } from '../../src/modules/shared/messages.js';

const ROOT = join(process.cwd(), 'src/modules');
function sources(dir = ROOT): Array<{ path: string; text: string }> {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [{ path: relative(process.cwd(), p), text: readFileSync(p, 'utf8') }] : [];
  });
}
const SRC = sources();

/**
 * The HTTP adapters inside the modules: the route declarations. They are the edge, so they may
 * read the request's language and use src/http.
 */
const EDGE = (path: string) => path.endsWith('.routes.ts');
/** The language layer itself: the message catalogues and their lookup, used by the edges. */
const LANGUAGE_LAYER = new Set(['src/modules/shared/messages.ts', 'src/modules/shared/catalogue.ts']);
const DOMAIN = SRC.filter((f) => !EDGE(f.path));

const code = (text: string) => text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');

describe('services speak the domain, not HTTP', () => {
  it('no module file outside the routes imports src/http', () => {
    const offenders = DOMAIN.filter((f) => /from\s+'(\.\.\/)+http\/|import\s+'(\.\.\/)+http\//.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('no service method (or any module function outside the routes) takes a language', () => {
    const offenders = DOMAIN.filter((f) => !LANGUAGE_LAYER.has(f.path))
      .flatMap((f) => [...code(f.text).matchAll(/[(,]\s*lang\s*\??\s*:|\bLang\b/g)].map((m) => `${f.path}: ${m[0]}`));
    expect(offenders).toEqual([]);
  });

  it('the check above catches an offender', () => {
    expect(/[(,]\s*lang\s*\??\s*:|\bLang\b/.test('async get(id: number, lang: Lang)')).toBe(true);
    expect(/from\s+'(\.\.\/)+http\//.test("import { t } from '../../http/i18n.js';")).toBe(true);
  });
});

describe('message catalogues', () => {
  it('every entry has a Korean and an English text', () => {
    const missing: string[] = [];
    for (const [module, catalogue] of Object.entries(CATALOGUES)) {
      for (const [key, entry] of Object.entries(catalogue)) {
        for (const lang of LANGS) {
          const text = (entry as Record<string, unknown>)[lang];
          if (key === 'text') continue; // the pass-through entry renders its vars
          if (!(typeof text === 'function' || (typeof text === 'string' && text.trim() !== ''))) missing.push(`${module}.${key}.${lang}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('no code is in two catalogues', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [module, catalogue] of Object.entries(CATALOGUES)) {
      for (const key of Object.keys(catalogue)) {
        if (seen.has(key)) twice.push(`${key}: ${seen.get(key)} and ${module}`);
        else seen.set(key, module);
      }
    }
    expect(twice).toEqual([]);
  });

  it('every code thrown or named in the modules has an entry', () => {
    const HELPERS = ['notFound', 'forbidden', 'conflict', 'invalid', 'gone', 'tooLarge', 'unsupported', 'unauthorized', 'msg'];
    const schemaCodes = /'i18n:(\w+)'/g;
    const unknown: string[] = [];
    let found = 0;
    const check = (path: string, c: string) => {
      found++;
      if (!hasMessage(c)) unknown.push(`${path}: ${c}`);
    };
    for (const f of SRC) {
      const text = code(f.text);
      for (const m of text.matchAll(schemaCodes)) check(f.path, m[1]);
      if (EDGE(f.path)) continue;
      // The helpers this file takes from shared/errors.ts (a local function of the same name is not one).
      const imported = /import \{([^}]*)\} from '(?:\.\.?\/)+(?:shared\/)?errors\.js'/.exec(text)?.[1].split(',').map((n) => n.trim()) ?? [];
      const helpers = HELPERS.filter((h) => imported.includes(h));
      if (helpers.length) for (const m of text.matchAll(new RegExp(`\\b(?:${helpers.join('|')})\\(\\s*'([A-Za-z_]\\w*)'`, 'g'))) check(f.path, m[1]);
      if (imported.includes('tooMany')) for (const m of text.matchAll(/\btooMany\([^,]+,\s*'([A-Za-z_]\w*)'/g)) check(f.path, m[1]);
      for (const m of text.matchAll(/new DomainError\(\s*'[a-z_]+',\s*'([A-Za-z_]\w*)'/g)) check(f.path, m[1]);
      // A module's own wrapper of a helper (e.g. cinemas' fileError) names codes too.
      for (const m of text.matchAll(/\bfileError\(\s*'([A-Za-z_]\w*)'/g)) check(f.path, m[1]);
    }
    expect(found).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });

  it('keeps the seed texts', () => {
    expect(translate('ko', 'required')).toBe('이 필드는 필수 항목입니다.');
    expect(translate('en', 'maxLength', { n: 5 })).toBe('Ensure this field has no more than 5 characters.');
    expect(translate('ko', 'genreHasMovies', { n: 3 })).toBe('이 장르에 속한 영화가 3편 있어 삭제할 수 없습니다.');
  });
});

describe('the edge answers a domain error in the seed shapes', () => {
  it('not found → 404 {"detail"} in the language asked for', () => {
    const ko = toHttpError(notFound('movieNotFound'), 'ko') as HttpError;
    expect(ko).toBeInstanceOf(HttpError);
    expect([ko.status, ko.body]).toEqual([404, { detail: '영화를 찾을 수 없습니다.' }]);
    expect((toHttpError(notFound('movieNotFound'), 'en') as HttpError).body).toEqual({ detail: 'Movie not found.' });
  });

  it('field errors → 400 {"field": ["message"]}', () => {
    const err = toHttpError(invalidFields({ name: [msg('uniqueGenre')], genres: [msg('unknownIds', { v: '7, 8' })] }), 'ko');
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).body).toEqual({ name: ['genre의 name은/는 이미 존재합니다.'], genres: ['존재하지 않는 항목입니다: 7, 8'] });
  });

  it('other refusals → {"message", …extra} with their status and headers', () => {
    const c = toHttpError(conflict('genreHasMovies', { n: 2 }, { movie_count: 2 }), 'en') as HttpError;
    expect([c.status, c.body]).toEqual([409, { message: 'The genre still has 2 movies and cannot be deleted.', movie_count: 2 }]);
    const t = toHttpError(tooMany(2.2, 'tooManyLogins', { n: 3 }), 'ko') as HttpError;
    expect([t.status, t.headers['Retry-After'], t.body]).toEqual([429, '3', { message: '로그인 시도가 너무 많습니다. 3초 후에 다시 시도하세요.' }]);
    const u = toHttpError(unauthorized(), 'ko') as HttpError;
    expect([u.status, u.headers['WWW-Authenticate']]).toEqual([401, 'JWT realm="api"']);
  });

  it('anything else passes through untouched', () => {
    const plain = new Error('boom');
    expect(toHttpError(plain, 'ko')).toBe(plain);
  });
});
