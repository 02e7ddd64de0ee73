// The admin panel under its Content-Security-Policy and CSRF check, in headless Chromium: the
// panel's pages (dashboard chart, lists with poster thumbnails, record forms, the queue monitor)
// run without a single CSP violation; a genre named with an XSS payload is shown as text and its
// script never runs; a form posted to the panel from another origin is refused with 403.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { adminBrowserSuite } from '../support/admin-browser.js';

const s = adminBrowserSuite();
const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>${randomBytes(3).toString('hex')}`;

/** Collects the CSP violations (and script errors) a page reports. */
async function watch(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __csp?: string[] };
      (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  return seen;
}

/**
 * The violations, less one that is expected: the design-system bundle finds the global object
 * with webpack's `new Function("return this")` inside a try/catch (falling back to window). CSP
 * blocks that eval — which is the point of not allowing 'unsafe-eval' — and the panel works.
 */
async function violations(page: Page): Promise<string[]> {
  const all = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  return all.filter((v) => !/^script-src eval \S*\/admin\/frontend\/assets\/design-system\.bundle\.js:/.test(v));
}

describe('admin panel under its CSP', () => {
  it('runs the dashboard, lists, forms and the queue monitor without a CSP violation, and shows an XSS payload as text', async () => {
    await s.ctx.rt.ds.getRepository(Genre).save({ name: PAYLOAD.slice(0, 50) });
    await s.ctx.rt.ds.getRepository(Movie).save(s.ctx.rt.ds.getRepository(Movie).create({ name: `보안 ${randomBytes(2).toString('hex')}`, poster: 'https://img.example.com/p.svg' }));
    const page = await s.login('admin');
    const console = await watch(page);
    await page.route('https://img.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="30"><rect width="20" height="30" fill="#123"/></svg>' }));

    await page.goto(`${s.baseUrl}/admin`);
    await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
    expect(await violations(page)).toEqual([]);

    await page.goto(`${s.baseUrl}/admin/resources/genres`);
    await page.locator('tbody tr').first().waitFor();
    await page.getByText(PAYLOAD.slice(0, 50), { exact: false }).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await violations(page)).toEqual([]);

    await page.goto(`${s.baseUrl}/admin/resources/movies`);
    await page.locator('tbody tr').first().waitFor();
    expect(await violations(page)).toEqual([]);

    await page.goto(`${s.baseUrl}/admin/resources/genres/actions/new`);
    await page.locator('input[name="name"]').waitFor();
    const name = `csp-${randomBytes(3).toString('hex')}`;
    await page.fill('input[name="name"]', name);
    await page.getByTestId('button-save').click();
    await page.waitForURL((u) => u.pathname.startsWith('/admin/resources/genres') && !u.pathname.endsWith('/new'), { timeout: 15_000 });
    expect(await s.ctx.rt.ds.getRepository(Genre).findOneBy({ name })).not.toBeNull();
    expect(await violations(page)).toEqual([]);

    await page.goto(`${s.baseUrl}/admin/queues`);
    await page.waitForLoadState('networkidle');
    expect(await page.title()).toMatch(/Marquee jobs/);
    expect(await violations(page)).toEqual([]);
    expect(console).toEqual([]);
    await s.shot(page, 'admin-security-queues.png');
  }, 90_000);

  it('refuses a form posted to the panel from another origin', async () => {
    const page = await s.login('admin');
    const before = await s.ctx.rt.ds.getRepository(Genre).count();
    // a page on another origin (localhost vs 127.0.0.1) with an auto-submitting form to the panel
    const evil = s.baseUrl.replace('127.0.0.1', 'localhost');
    await page.route(`${evil}/evil`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: `<form id="f" method="post" action="${s.baseUrl}/admin/api/resources/genres/actions/new"><input name="name" value="csrf-attempt"></form><script>document.getElementById('f').submit()</script>` }),
    );
    const responses: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/admin/api/resources/genres/actions/new')) responses.push(r.status());
    });
    await page.goto(`${evil}/evil`);
    await page.waitForURL(/actions\/new/);
    await page.waitForLoadState('load');
    expect(responses).toEqual([403]);
    expect(await s.ctx.rt.ds.getRepository(Genre).count()).toBe(before);
  }, 60_000);
});
