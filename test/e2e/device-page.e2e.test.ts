// In a real headless Chromium: a TV asks for a code; the member opens verification_uri_complete,
// logs in on Marquee's /device page, approves, and the TV's next poll gets its token. A second code
// is denied from the same page.
import path from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchBrowser, listen, localPage } from '../support/browser.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';

let ctx: TestContext & { app: import('express').Express };
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ctx = await createTestApp();
  ({ server, baseUrl } = await listen(ctx.app));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await ctx?.close();
});

const poll = (deviceCode: string) => request(baseUrl).post('/devices/token/').send({ device_code: deviceCode, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' });

describe('TV pairing page in Chromium', () => {
  it('logs in, approves the code from the link, and the TV gets its token; denies another', async () => {
    const member = await signupAndLogin(ctx.app);
    const code = (await request(baseUrl).post('/devices/code/').send({ name: '거실 TV' }).expect(200)).body;
    expect(code.verification_uri).toBe(`${baseUrl}/device`);

    const page = await localPage(browser, { width: 420, height: 800 });
    await page.goto(code.verification_uri_complete);
    await page.fill('#username', member.username);
    await page.fill('#password', member.password);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#confirm:not(.hidden)');
    expect(await page.inputValue('#code')).toBe(code.user_code);
    expect(await page.textContent('#who')).toBe(member.username);
    await page.click('#approve');
    await page.waitForSelector('#result.ok');
    expect(await page.textContent('#result')).toContain('연결되었습니다: 거실 TV');
    await page.screenshot({ path: path.join(ARTIFACTS, 'device-page-approved.png') });

    // The TV's poll after the interval: its token.
    ctx.rt.services.devices.clock = () => new Date(Date.now() + 10_000);
    const tok = await poll(code.device_code);
    expect(tok.status).toBe(200);
    expect(tok.body.device.name).toBe('거실 TV');

    // A second code typed by hand, denied: the TV is told access_denied.
    const second = (await request(baseUrl).post('/devices/code/').send({ name: '안방 TV' }).expect(200)).body;
    await page.fill('#code', second.user_code.toLowerCase());
    await page.click('#deny');
    await page.waitForSelector('#result.info');
    expect(await page.textContent('#result')).toContain('연결을 거부했습니다');
    ctx.rt.services.devices.clock = () => new Date(Date.now() + 20_000);
    expect((await poll(second.device_code)).body.error).toBe('access_denied');

    // A wrong code shows the API's message.
    await page.fill('#code', 'ZZZZ-ZZZZ');
    await page.click('#approve');
    await page.waitForSelector('#result.err');
    expect((await page.textContent('#result'))!.length).toBeGreaterThan(3);
    await page.close();
  }, 60_000);
});
