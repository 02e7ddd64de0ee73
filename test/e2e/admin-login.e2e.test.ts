// In a real headless Chromium: a staff member logs into /admin and sees the dashboard chart
// with the snapshot data; a member account is refused.
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { User } from '../../src/modules/users/user.entity.js';
import { ARTIFACTS, launchBrowser, listen, localPage } from '../support/browser.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, uniqueName } from '../support/users.js';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  const t = await createTestApp({ admin: true });
  ctx = t;
  ({ server, baseUrl } = await listen(t.app));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await ctx?.close();
});

describe('admin panel in Chromium', () => {
  it('logs in as staff and shows the dashboard with yesterday’s sign-ups', async () => {
    // Yesterday in the service zone (KST); 03:00 UTC is noon there.
    const day = ctx.rt.services.statistics.yesterday();
    for (let i = 0; i < 3; i++) {
      const u = await ctx.rt.services.users.signup({ username: uniqueName('e2e'), email: 'e2e@example.com', password: 'pa55word!', getAgreement: false });
      await ctx.rt.ds.getRepository(User).update({ id: u.id }, { createdAt: new Date(`${day}T03:00:00Z`) });
    }
    await ctx.rt.services.statistics.computeDay(day);
    const staff = await createStaff(ctx.rt, 'admin');

    const page = await localPage(browser);
    await page.goto(`${baseUrl}/admin`);
    await page.waitForURL(/\/admin\/login$/);
    await page.fill('input[name="email"]', staff.email);
    await page.fill('input[name="password"]', staff.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${baseUrl}/admin`);

    await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
    await page.getByTestId('signups-chart').waitFor();
    expect(await page.getByTestId('signups-total').textContent()).toBe('3');
    const points = JSON.parse((await page.getByTestId('signups-chart').getAttribute('data-points'))!);
    // 30 days on the axis ending today (live: no member signed up today), yesterday before it;
    // days without a snapshot are gaps (null). Staff accounts are not sign-ups.
    expect(points).toHaveLength(30);
    expect(points.slice(28)).toEqual([3, 0]);
    expect(points.slice(0, 28).every((p: number | null) => p === null)).toBe(true);
    // chart.js drew on the canvas (it is not blank).
    const drawn = await page.getByTestId('signups-chart').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
      return false;
    });
    expect(drawn).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-dashboard.png'), fullPage: true });

    // The Users resource is in the navigation for an admin.
    await page.goto(`${baseUrl}/admin/resources/users`);
    await page.getByText(staff.email).first().waitFor();
    await page.close();
  });

  it('refuses a wrong password and stays on the login page', async () => {
    const staff = await createStaff(ctx.rt, 'finance');
    const page = await localPage(browser);
    await page.goto(`${baseUrl}/admin/login`);
    await page.fill('input[name="email"]', staff.email);
    await page.fill('input[name="password"]', 'not-the-password');
    await page.getByTestId('login-submit').click();
    await page.waitForLoadState('networkidle');
    expect(page.url()).toBe(`${baseUrl}/admin/login`);
    expect(await page.locator('input[name="password"]').count()).toBe(1);
    await page.close();
  });
});
