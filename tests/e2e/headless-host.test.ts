import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtlanticBridge } from '../../shared/ipc/bridge.ts';
import { launchChromium, pageProblems } from '../support/chromium.ts';
import { startHeadlessProcess, type HeadlessProcess } from '../support/headless-process.ts';
import { buildRenderer } from '../support/renderer-build.ts';

// What page.evaluate's callbacks see inside the page (these tests compile without the DOM library).
declare const window: { atlantic: AtlanticBridge };

let rendererDir: string;
let host: HeadlessProcess;
let clockHost: HeadlessProcess;
let browser: Browser;

beforeAll(async () => {
  rendererDir = await buildRenderer();
  [host, clockHost, browser] = await Promise.all([
    startHeadlessProcess({ rendererDir }),
    startHeadlessProcess({ rendererDir, testClock: true }),
    launchChromium(),
  ]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([host?.stop(), clockHost?.stop()]);
  await rm(rendererDir, { recursive: true, force: true });
});

describe('headless host in Chromium [pglite]', () => {
  it('serves the renderer, and a call across the bridge reaches the real core', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await page.goto(host.url);

    // The real core on embedded PGlite: a fresh local account with nothing bought yet.
    const snapshot = await page.evaluate(() => window.atlantic.wallet.refresh());
    expect(snapshot.offline).toBe(false);
    expect(snapshot.balance?.balance_micro).toBe(0);
    expect(snapshot.features?.can_use_city).toBe(false);
    const info = (await page.evaluate(() => window.atlantic.app.state())).info;
    expect(info.mode).toBe('embedded');
    expect(info.signed_in).toBe(true);

    // The page itself got there too: the wallet shows the balance from the core.
    await expect.poll(() => page.getByTestId('balance').textContent(), { timeout: 15_000 }).toMatch(/0\.00/);
    // The token moved into the cookie and out of the address bar.
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    const cookies = await page.context().cookies(host.origin);
    expect(cookies).toContainEqual(
      expect.objectContaining({ name: `atlantic_token_${host.port}`, httpOnly: true, sameSite: 'Strict' }),
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps working after a reload on the cookie alone, and rethrows the core’s refusals', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.reload();
    expect(await page.evaluate(() => window.atlantic.wallet.refresh().then((s) => s.balance?.balance_micro))).toBe(0);
    // ISP targeting needs a balance for an hour of it; the core refuses before the service is asked.
    const refusal = await page.evaluate(async () => {
      await window.atlantic.wallet.refresh();
      return window.atlantic.connection.connect({ country: 'US', isp: 'Comcast' }).then(
        () => null,
        (error: { name: string; code: string }) => ({ name: error.name, code: error.code }),
      );
    });
    expect(refusal).toEqual({ name: 'IpcError', code: 'insufficient_credits' });
    await page.close();
  });

  it('answers a request without the token with 401, in the browser and outside it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(host.origin + '/');
    expect(response?.status()).toBe(401);
    expect(JSON.parse(await page.locator('body').innerText())).toEqual({
      error: { code: 'unauthorized', message: expect.any(String) },
    });
    await context.close();

    const outside = await fetch(`${host.origin}/index.html`);
    expect(outside.status).toBe(401);
    expect(((await outside.json()) as any).error.code).toBe('unauthorized');
    // Time can't be moved on a host started without --test-clock.
    const clock = await fetch(`${host.origin}/test/clock/advance?token=${host.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 60_000 }),
    });
    expect(clock.status).toBe(404);
  });

  it('stops on SIGTERM: the core quits, billing stops and the port closes', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    const billingUrl = (await page.evaluate(() => window.atlantic.app.state())).info.server_url;
    expect((await fetch(`${billingUrl}/api/health`)).status).toBe(200);
    await page.close();

    expect(await host.stop()).toBe(0);
    await expect(fetch(host.origin)).rejects.toThrow();
    await expect(fetch(`${billingUrl}/api/health`)).rejects.toThrow();
  });
});

describe('headless host with --test-clock [pglite]', () => {
  const serviceTime = async (billingUrl: string) =>
    Date.parse(((await (await fetch(`${billingUrl}/api/health`)).json()) as any).time);

  it('moves embedded billing’s frozen clock by exactly what it is told, and answers the wallet after it', async () => {
    const page = await browser.newPage();
    await page.goto(clockHost.url);
    const billingUrl = (await page.evaluate(() => window.atlantic.app.state())).info.server_url;
    const before = await serviceTime(billingUrl);
    // Frozen: real time passing moves nothing.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await serviceTime(billingUrl)).toBe(before);

    const advance = (token?: string) =>
      fetch(`${clockHost.origin}/test/clock/advance${token ? `?token=${token}` : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms: 90_000 }),
      });
    expect((await advance()).status).toBe(401);
    const response = await advance(clockHost.token);
    expect(response.status).toBe(200);
    const snapshot = (await response.json()) as any;
    expect(snapshot.offline).toBe(false);
    expect(snapshot.balance.balance_micro).toBe(0);
    expect((await serviceTime(billingUrl)) - before).toBe(90_000);
    await page.close();
  });
});
