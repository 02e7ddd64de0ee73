// One set-up for the admin browser tests: a test app with the panel on a real HTTP port, Debian
// Chromium, and staff logins. Call adminBrowserSuite() at the top of a test file; its fields are
// filled in beforeAll.
import type { Server } from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '../../src/modules/users/user.entity.js';
import { ARTIFACTS, launchBrowser, listen, localPage } from './browser.js';
import { createTestApp, type TestContext } from './context.js';
import { createStaff } from './users.js';

export interface AdminBrowser {
  ctx: TestContext & { app: Express };
  baseUrl: string;
  browser: Browser;
  /** A full-page screenshot into test/artifacts. */
  shot(page: Page, name: string): Promise<void>;
  /** A new staff account of `role`, logged in through the login form; the page is on the dashboard. */
  login(role: Exclude<Role, 'user'>, viewport?: { width: number; height: number }): Promise<Page>;
}

export function adminBrowserSuite(): AdminBrowser {
  let server: Server | undefined;
  const suite = {} as AdminBrowser;
  beforeAll(async () => {
    suite.ctx = await createTestApp({ admin: true });
    ({ server, baseUrl: suite.baseUrl } = await listen(suite.ctx.app));
    suite.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await suite.browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await suite.ctx?.close();
  });
  suite.shot = async (page, name) => {
    await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
  };
  suite.login = async (role, viewport) => {
    const staff = await createStaff(suite.ctx.rt, role);
    const page = await localPage(suite.browser, viewport);
    await page.goto(`${suite.baseUrl}/admin/login`);
    await page.fill('input[name="email"]', staff.email);
    await page.fill('input[name="password"]', staff.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${suite.baseUrl}/admin`);
    return page;
  };
  return suite;
}
