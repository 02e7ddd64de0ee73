// In headless Chromium (STAFF_MFA_ROLES=admin,finance): the panel login asks for the code after
// the password; the code is computed here from the secret, as an authenticator app would; the
// staff member lands in the panel. An admin without a second factor enrols at the login (QR code,
// key, recovery codes), and an admin ends another staff member's sessions from the users page.
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { base32Decode, base32Encode, totp } from '../../src/modules/users/totp.js';
import { ARTIFACTS, launchBrowser, listen, localPage } from '../support/browser.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff } from '../support/users.js';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  const t = await createTestApp({ admin: true, env: { STAFF_MFA_ROLES: 'admin,finance' } });
  ctx = t;
  ({ server, baseUrl } = await listen(t.app));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await ctx?.close();
});

const codeAt = (secret: string, steps = 0) => totp(base32Decode(secret)!, Date.now() + steps * 30_000);

/** Watches the page for Content-Security-Policy violations (the TOTP pages have no scripts to block). */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

async function passwordStep(page: Page, staff: { email: string; password: string }) {
  await page.goto(`${baseUrl}/admin`);
  await page.waitForURL(/\/admin\/login$/);
  await page.fill('input[name="email"]', staff.email);
  await page.fill('input[name="password"]', staff.password);
  await page.getByTestId('login-submit').click();
}

describe('staff second factor in Chromium', () => {
  it('an enrolled admin: password, then the code from the secret, then the dashboard', async () => {
    const staff = await createStaff(ctx.rt, 'admin');
    const secret = base32Encode(Buffer.from('e2e-known-secret-for-admin'));
    await ctx.rt.services.staffMfa.provision(staff.user.id, secret);

    const page = await localPage(browser);
    const csp = cspViolations(page);
    await passwordStep(page, staff);
    await page.waitForURL(`${baseUrl}/admin/login/totp`);
    await page.getByRole('heading', { name: '2단계 인증', exact: true }).waitFor();
    // Not in the panel yet.
    expect(await page.context().cookies()).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'marquee.admin', httpOnly: true })]));

    await page.fill('input[name="code"]', '000000');
    await page.getByRole('button', { name: '확인' }).click();
    await page.getByRole('alert').waitFor();
    expect(page.url()).toBe(`${baseUrl}/admin/login/totp`);

    await page.fill('input[name="code"]', codeAt(secret));
    await page.getByRole('button', { name: '확인' }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'staff-totp-dashboard.png') });

    // The panel's own page shows the second factor.
    await page.goto(`${baseUrl}/admin/pages/twoFactor`);
    await page.getByTestId('two-factor-state').waitFor();
    expect(await page.getByTestId('two-factor-state').textContent()).toMatch(/부터 사용 중입니다\. 복구 코드 10개 중 10개가 남았습니다/);
    expect(csp).toEqual([]);
    await page.close();
  }, 60_000);

  it('an admin without a second factor enrols at the login: QR code and key, recovery codes, then the panel', async () => {
    const staff = await createStaff(ctx.rt, 'admin');
    const page = await localPage(browser);
    const csp = cspViolations(page);
    await passwordStep(page, staff);
    await page.waitForURL(`${baseUrl}/admin/login/totp`);
    await page.getByRole('heading', { name: '2단계 인증 설정' }).waitFor();
    const qr = page.getByTestId('totp-qr').locator('svg');
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThan(150);
    await page.screenshot({ path: path.join(ARTIFACTS, 'staff-totp-enrol.png') });
    await qr.screenshot({ path: path.join(ARTIFACTS, 'staff-totp-qr.png') });

    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    await page.fill('input[name="code"]', codeAt(secret));
    await page.getByRole('button', { name: '사용하기' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await page.getByTestId('continue').click();
    await page.waitForURL(`${baseUrl}/admin`);
    await page.getByTestId('marquee-dashboard').waitFor({ timeout: 20_000 });
    expect(csp).toEqual([]);
    await page.close();
  }, 60_000);

  it('an admin ends a catalog staff member’s sessions from the users page; their next click is the login page', async () => {
    const admin = await createStaff(ctx.rt, 'admin');
    const secret = base32Encode(Buffer.from('e2e-known-secret-for-admin-2'));
    await ctx.rt.services.staffMfa.provision(admin.user.id, secret);
    const catalog = await createStaff(ctx.rt, 'catalog');

    const staffPage = await localPage(browser);
    await passwordStep(staffPage, catalog);
    await staffPage.waitForURL(`${baseUrl}/admin`);

    const adminPage = await localPage(browser);
    await passwordStep(adminPage, admin);
    await adminPage.waitForURL(`${baseUrl}/admin/login/totp`);
    await adminPage.fill('input[name="code"]', codeAt(secret, 1));
    await adminPage.getByRole('button', { name: '확인' }).click();
    await adminPage.waitForURL(`${baseUrl}/admin`);
    await adminPage.goto(`${baseUrl}/admin/resources/users/records/${catalog.user.id}/endSessions`);
    await adminPage.getByTestId('staff-access-endSessions').getByRole('button', { name: '세션 종료' }).click();
    await adminPage.getByTestId('staff-access-done').waitFor();
    expect(await adminPage.getByTestId('staff-access-done').textContent()).toMatch(/^패널 세션 1개를 종료했습니다/);

    await staffPage.goto(`${baseUrl}/admin/resources/genres`);
    await staffPage.waitForURL(/\/admin\/login$/);
    await staffPage.close();
    await adminPage.close();
  }, 60_000);
});
