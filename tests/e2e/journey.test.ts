import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtlanticBridge } from '../../shared/ipc/bridge.ts';
import { describeEndReason } from '../../shared/session-end.ts';
import { advanceTestClock, buyAndPayInApp, openAppPage, screenshot, type AppPage } from '../support/app-actions.ts';
import { launchChromium, pageProblems } from '../support/chromium.ts';
import { curl } from '../support/curl.ts';
import { startHeadlessProcess, type HeadlessProcess } from '../support/headless-process.ts';
import { startHttpOrigin, type Origin } from '../support/origins.ts';
import { buildRenderer } from '../support/renderer-build.ts';

// What page.evaluate's callbacks see inside the page (these tests compile without the DOM library).
declare const window: { atlantic: AtlanticBridge };

// The user's whole first day, every part real: the renderer in Debian's Chromium,
// `npm run headless --test-clock` with the client core, embedded billing on PGlite
// in a temp folder with sandbox payments and its gateway, and the local proxy.
// The steps share one app and run in order, as the user lives them.

const SUITE = 'journey';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LOCKABLE = ['state', 'city', 'isp'] as const;

let rendererDir: string;
let host: HeadlessProcess;
let browser: Browser;
let origin: Origin;
let page: Page;
let problems: string[];

const text = (testId: string) => page.getByTestId(testId).textContent();
const lockedSelectors = () =>
  Promise.all(LOCKABLE.map((field) => page.getByTestId(`selector-${field}`).getAttribute('data-locked')));
const snap = (name: string) => screenshot(page, SUITE, name);

beforeAll(async () => {
  rendererDir = await buildRenderer();
  [host, browser, origin] = await Promise.all([
    startHeadlessProcess({ rendererDir, testClock: true }),
    launchChromium(),
    startHttpOrigin(),
  ]);
  // A context of its own, so the sandbox checkout can open as a second tab of the same browser.
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  page = await context.newPage();
  problems = pageProblems(page);
  await page.goto(host.url);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([host?.stop(), origin?.close()]);
  if (rendererDir) await rm(rendererDir, { recursive: true, force: true });
});

describe('the user journey in Chromium through the headless host [pglite]', () => {
  it('starts fresh: balance 0.00 and city, state and ISP locked', async () => {
    await expect.poll(() => text('balance'), { timeout: 20_000 }).toBe('0.00');
    await snap('01-fresh-wallet');
    await openAppPage(page, 'locations');
    await page.getByTestId('select-country').waitFor();
    expect(await lockedSelectors()).toEqual(['true', 'true', 'true']);
    expect(await text('lock-city')).toContain('0.75/h needs a balance of 0.75; yours is 0.00');
    expect(await page.getByTestId('select-city').isDisabled()).toBe(true);
    await snap('02-fresh-locations-locked');
  });

  it('buys the $25 package on the sandbox checkout: 27.00 and everything unlocks', async () => {
    await openAppPage(page, 'buy');
    await page.getByTestId('package-usd_25').waitFor();
    expect(await text('test-mode')).toContain('Test mode');
    await snap('03-buy');
    const { checkoutUrl } = await buyAndPayInApp(page, 'usd_25');
    expect(new URL(checkoutUrl).pathname).toMatch(/^\/sandbox\/checkout\//);
    // The core sends the new wallet before the payment's news: "paid" never shows beside the old balance.
    expect(await text('checkout-success')).toContain('Your balance is now 27.00 credits.');
    await snap('04-buy-paid');

    await openAppPage(page, 'wallet');
    await expect.poll(() => text('balance')).toBe('27.00');
    await snap('05-wallet-27');
    await openAppPage(page, 'locations');
    await expect.poll(lockedSelectors).toEqual(['false', 'false', 'false']);
    expect(await page.getByTestId('lock-city').count()).toBe(0);
  });

  it('chooses a city and connects; curl through the shown local proxy fetches a local page', async () => {
    await page.getByTestId('select-country').selectOption('us');
    await page.getByTestId('select-city').selectOption('New York');
    expect(await text('connect')).toBe('Connect · 0.75/h');
    // This machine is a direct exit: one address, so no rotation; sticky for 30 minutes, same price.
    expect(await page.locator('[data-testid="session-mode"] option[value="rotating"]').isDisabled()).toBe(true);
    expect(await text('session-mode-note')).toContain('This exit cannot rotate');
    await page.getByTestId('session-mode').selectOption('sticky-30');
    expect(await text('connect')).toBe('Connect · 0.75/h');
    await page.getByTestId('connect').click();
    await expect
      .poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('connected');
    expect(await text('connection-status')).toBe('Connected · US · New York · Sticky IP · 30 min');

    const proxy = await page.getByTestId('proxy-http').inputValue();
    expect(proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const fetched = await curl(['--proxy', proxy, '--fail', `${origin.url}/hello`]);
    expect(fetched.stderr).toBe('');
    expect(fetched.stdout).toBe('hello from the origin (plain)\n');
    const socks = await page.getByTestId('proxy-socks').inputValue();
    expect((await curl(['--proxy', socks, '--fail', `${origin.url}/bytes/1000`])).stdout).toHaveLength(1000);
    await snap('06-locations-connected');
  });

  it('charges exactly one minute at 0.75/h when the clock moves a minute: 26.9875', async () => {
    const after = await advanceTestClock(host, MINUTE);
    expect(after.balance?.balance_micro).toBe(26_987_500);
    expect(after.active_session?.cost_micro).toBe(12_500);
    // The same figure through the bridge the page uses.
    const seen = await page.evaluate(() => window.atlantic.wallet.refresh());
    expect(seen.balance?.balance_micro).toBe(26_987_500);

    await openAppPage(page, 'wallet');
    await expect.poll(() => text('balance')).toBe('26.9875');
    expect(await text('session-cost')).toBe('0.0125 credits');
    expect(await text('session-location')).toBe('US · New York');
    await snap('07-wallet-live-session');
  });

  it('disconnects; the session is in Activity with its cost', async () => {
    await openAppPage(page, 'locations');
    await page.getByTestId('disconnect').click();
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-status')).toBe('disconnected');
    // The frozen clock did not move: disconnect charged no partial minute.
    const wallet = await page.evaluate(() => window.atlantic.wallet.refresh());
    expect(wallet.balance?.balance_micro).toBe(26_987_500);
    expect(wallet.active_session).toBeNull();

    await openAppPage(page, 'activity');
    const row = page.getByTestId('session-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('ended');
    expect(await page.getByTestId('session-row-cost').textContent()).toBe('0.0125');
    expect(await row.textContent()).toContain('US · New York');
    expect(await row.textContent()).toContain(describeEndReason('disconnected'));
    const transactions = page.getByTestId('transaction-row');
    await expect.poll(() => transactions.count()).toBeGreaterThanOrEqual(3);
    const kinds = await transactions.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['purchase', 'bonus', 'usage']));
    await snap('08-activity');
  });

  it('runs the balance down: the session ends insufficient_credits, the UI says so and locks again', async () => {
    // ISP targeting this time: the dearest rate (1.00/h) runs the wallet down in the fewest simulated minutes.
    await openAppPage(page, 'locations');
    await page.getByTestId('select-isp').selectOption('Comcast');
    await expect.poll(() => text('connect')).toBe('Connect · 1.00/h');
    await page.getByTestId('connect').click();
    await expect
      .poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('connected');

    // 26.9875 credits at 1.00/h last 26 h 59 min; the host steps each jump a minute at a time.
    const first = await advanceTestClock(host, 26 * HOUR);
    expect(first.balance?.balance_micro).toBe(987_500);
    expect(first.active_session?.status).toBe('active');
    await openAppPage(page, 'wallet');
    await expect.poll(() => text('balance')).toBe('0.9875');
    await snap('09-wallet-running-low');

    const last = await advanceTestClock(host, 90 * MINUTE);
    expect(last.balance?.balance_micro).toBe(0);
    expect(last.active_session).toBeNull();

    const message = page.getByTestId('session-end-message');
    await message.waitFor({ timeout: 20_000 });
    expect(await message.textContent()).toContain(describeEndReason('insufficient_credits'));
    await expect.poll(() => text('balance')).toBe('0.00');
    await snap('10-wallet-out-of-credits');

    await openAppPage(page, 'locations');
    expect(await page.getByTestId('connection-status').getAttribute('data-status')).toBe('ended');
    await expect.poll(lockedSelectors).toEqual(['true', 'true', 'true']);
    expect(await text('lock-isp')).toContain('yours is 0.00');
    await snap('11-locations-locked-again');

    await openAppPage(page, 'activity');
    const ended = page.locator('[data-testid="session-row"]', { hasText: describeEndReason('insufficient_credits') });
    await expect.poll(() => ended.count()).toBe(1);
    // It spent everything that was left, to the micro-credit.
    expect(await ended.getByTestId('session-row-cost').textContent()).toBe('26.9875');
  }, 180_000);

  it('Settings shows auto top-up, and says this embedded service (sandbox only) has no card payments for it', async () => {
    await openAppPage(page, 'settings');
    await page.getByTestId('auto-topup').waitFor();
    expect(await text('auto-topup')).toContain('Auto top-up needs card payments, which this service does not offer.');
  });

  it('leaves a screenshot of every page, and the page reported no errors on the way', async () => {
    const pages: AppPage[] = ['wallet', 'buy', 'locations', 'activity', 'settings'];
    for (const name of pages) {
      await openAppPage(page, name);
      const path = await snap(`page-${name}`);
      expect(path).toMatch(new RegExp(`${SUITE}/page-${name}\\.png$`));
    }
    expect(problems).toEqual([]);
  });
});
