// docs/routes.md is the app's route table: every route the app registers is in it with its roles
// and declaring file, and nothing else (regenerate with `npm run routes`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { routeIndexMarkdown } from '../../src/http/route-index.js';
import type { RouteIndexEntry } from '../../src/http/route.js';
import { createTestApp, type TestContext } from '../support/context.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ dialect: 'sqlite', redis: false });
});
afterAll(async () => {
  await ctx?.close();
});

describe('route index', () => {
  it('docs/routes.md matches the routes the app registers (run `npm run routes` after changing a route)', () => {
    const entries = ctx.app.locals.routeIndex as RouteIndexEntry[];
    expect(entries.length).toBeGreaterThan(50);
    expect(readFileSync(path.resolve('docs/routes.md'), 'utf8')).toBe(routeIndexMarkdown(entries));
  });

  it('names for each route the file that declares it, and that file exists and holds the path', () => {
    for (const r of ctx.app.locals.routeIndex as RouteIndexEntry[]) {
      expect(r.file).toMatch(/^src\/modules\/[\w-]+\/[\w.-]+\.routes\.ts$/);
      expect(existsSync(path.resolve(r.file))).toBe(true);
      const first = r.path.split('/').filter(Boolean)[0];
      expect(readFileSync(path.resolve(r.file), 'utf8')).toContain(`/${first}`);
    }
  });

  it('gives the roles of a role-restricted route', () => {
    const entries = ctx.app.locals.routeIndex as RouteIndexEntry[];
    expect(entries.find((r) => r.method === 'POST' && r.path === '/user/login/')?.access).toBe('anyone');
    expect(entries.find((r) => r.method === 'GET' && r.path === '/user/')?.access).toBe('signed in');
    expect(entries.some((r) => /admin/.test(r.access))).toBe(true);
  });
});
