import { rm } from 'node:fs/promises';
import net from 'node:net';
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
  it('starts fresh: balance $0.00 and city, state and ISP locked', async () => {
    await expect.poll(() => text('balance'), { timeout: 20_000 }).toBe('$0.00');
    expect(await page.title()).toBe('Wallet · Atlantic Proxy');
    expect(await page.getByTestId('connection-status').getAttribute('data-status')).toBe('disconnected');
    await snap('01-fresh-wallet');
    await openAppPage(page, 'locations');
    await page.getByTestId('select-country').waitFor();
    expect(await lockedSelectors()).toEqual(['true', 'true', 'true']);
    expect(await text('lock-city')).toContain('🔒 City selection requires $0.75/hour ($0.00 available)');
    expect(await page.title()).toBe('Locations · Atlantic Proxy');
    expect(await page.getByTestId('select-city').isDisabled()).toBe(true);
    await snap('02-fresh-locations-locked');
  });

  it('a cancelled checkout says "cancelled", names its package, and is listed on Activity', async () => {
    await openAppPage(page, 'buy');
    await page.getByTestId('buy-usd_5').click();
    const link = page.getByTestId('checkout-link');
    await link.waitFor();
    expect(await text('checkout-package')).toBe('$5 package · 5 credits');
    const checkout = await page.context().newPage();
    await checkout.goto((await link.getAttribute('href'))!);
    expect(await checkout.locator('h1').textContent()).toContain('$5 package');
    await checkout.locator('#cancel').click();
    await checkout.close();
    await page.getByTestId('checkout-cancelled').waitFor({ timeout: 20_000 });
    expect(await text('checkout-cancelled')).toBe('You cancelled the checkout. Nothing was charged.');
    await snap('03a-buy-cancelled');
    await page.getByRole('button', { name: 'Choose another package' }).click();
    await openAppPage(page, 'activity');
    const row = page.getByTestId('payment-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-outcome')).toBe('cancelled');
    expect(await row.textContent()).toContain('$5 package');
  });

  it('buys the $25 package on the sandbox checkout: $27.00 and everything unlocks', async () => {
    await openAppPage(page, 'buy');
    await page.getByTestId('package-usd_25').waitFor();
    expect(await text('test-mode')).toContain('Test mode');
    await snap('03-buy');
    const { checkoutUrl } = await buyAndPayInApp(page, 'usd_25');
    expect(new URL(checkoutUrl).pathname).toMatch(/^\/sandbox\/checkout\//);
    // The core sends the new wallet before the payment's news: "paid" never shows beside the old balance.
    expect(await text('checkout-success')).toContain('Your balance is now $27.00.');
    await snap('04-buy-paid');

    await openAppPage(page, 'wallet');
    await expect.poll(() => text('balance')).toBe('$27.00');
    await snap('05-wallet-27');
    await openAppPage(page, 'locations');
    await expect.poll(lockedSelectors).toEqual(['false', 'false', 'false']);
    expect(await page.getByTestId('lock-city').count()).toBe(0);
  });

  it('chooses a city by search and Enter, its state fills in, and connects; curl through the local proxy works', async () => {
    await page.getByTestId('select-country').selectOption('us');
    await page.getByRole('searchbox', { name: 'Search city' }).fill('atlantis');
    expect(await text('no-match-city')).toBe('No city matches “atlantis”.');
    await page.getByRole('searchbox', { name: 'Search city' }).fill('new y');
    await page.getByRole('searchbox', { name: 'Search city' }).press('Enter');
    expect(await page.getByTestId('select-city').inputValue()).toBe('New York');
    expect(await page.getByTestId('select-state').inputValue()).toBe('New York');
    // One exit, one price: New York state + New York city is the city's rate.
    expect(await text('connect')).toBe('Connect · $0.75/hour');
    // This machine is a direct exit: one address, so no rotation; sticky for 30 minutes, same price.
    expect(await page.locator('[data-testid="session-mode"] option[value="rotating"]').isDisabled()).toBe(true);
    expect(await text('session-mode-note')).toContain('This exit cannot rotate');
    await page.getByTestId('session-mode').selectOption('sticky-30');
    expect(await text('connect')).toBe('Connect · $0.75/hour');
    await page.getByTestId('connect').click();
    await expect
      .poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('connected');
    expect(await text('connection-status')).toBe('Connected');
    expect(await text('status-mode')).toBe('Sticky IP · 30 min');
    expect(await text('status-location')).toBe('New York, New York, United States');
    expect(await page.getByTestId('sidebar-status').getAttribute('data-status')).toBe('connected');

    const proxy = await page.getByTestId('proxy-http').inputValue();
    expect(proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const fetched = await curl(['--proxy', proxy, '--fail', `${origin.url}/hello`]);
    expect(fetched.stderr).toBe('');
    expect(fetched.stdout).toBe('hello from the origin (plain)\n');
    const socks = await page.getByTestId('proxy-socks').inputValue();
    expect((await curl(['--proxy', socks, '--fail', `${origin.url}/bytes/1000`])).stdout).toHaveLength(1000);
    await snap('06-locations-connected');
  });

  it('charges exactly one minute at 0.75/h when the clock moves a minute: 26.9875, shown as $26.98', async () => {
    const after = await advanceTestClock(host, MINUTE);
    expect(after.balance?.balance_micro).toBe(26_987_500);
    expect(after.active_session?.cost_micro).toBe(12_500);
    // The same figure through the bridge the page uses.
    const seen = await page.evaluate(() => window.atlantic.wallet.refresh());
    expect(seen.balance?.balance_micro).toBe(26_987_500);

    await openAppPage(page, 'wallet');
    await expect.poll(() => text('balance')).toBe('$26.98');
    expect(await page.getByTestId('balance').getAttribute('title')).toBe('$26.9875');
    expect(await text('session-cost')).toBe('$0.01');
    expect(await text('session-location')).toBe('New York, New York, United States');
    // The chart follows the spending mid-session.
    await page.getByTestId('usage-chart').waitFor({ timeout: 20_000 });
    expect(await text('status-time-left')).toMatch(/^35 h 5[89] min at \$0\.75\/hour$/);
    expect(await text('status-speed')).toMatch(/↑ .*\/s · ↓ .*\/s|measuring…/);
    await snap('07-wallet-live-session');
  });

  it('a new place while connected offers Reconnect: one click ends the session and starts the new one', async () => {
    await openAppPage(page, 'locations');
    await page.getByTestId('select-state').selectOption('Texas');
    expect(await text('reconnect-offer')).toContain(
      'You are connected to New York, New York, United States. Reconnect to use Texas, United States at $0.85/hour.',
    );
    await snap('07a-locations-reconnect');
    await page.getByTestId('reconnect').click();
    await expect.poll(() => text('status-location'), { timeout: 20_000 }).toBe('Texas, United States');
    await expect
      .poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('connected');
    expect(await page.getByTestId('reconnect-offer').count()).toBe(0);
    // Back to New York for the rest of the day.
    await page.getByTestId('select-state').selectOption('New York');
    await page.getByTestId('select-city').selectOption('New York');
    await page.getByTestId('reconnect').click();
    await expect.poll(() => text('status-location'), { timeout: 20_000 }).toBe('New York, New York, United States');
    await expect
      .poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('connected');
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
    await expect.poll(() => row.count()).toBe(3);
    const first = row.last();
    expect(await first.getAttribute('data-status')).toBe('ended');
    expect(await first.getByTestId('session-row-cost').textContent()).toBe('$0.01');
    expect(await first.getByTestId('session-row-cost').getAttribute('title')).toBe('$0.0125');
    expect(await first.textContent()).toContain('New York, New York, United States');
    expect(await first.textContent()).toContain(describeEndReason('disconnected'));
    const transactions = page.getByTestId('transaction-row');
    await expect.poll(() => transactions.count()).toBeGreaterThanOrEqual(3);
    const kinds = await transactions.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['purchase', 'bonus', 'usage']));
    // Names, not ids: "Purchase: $25 package", kinds capitalised.
    const purchase = page.locator('[data-testid="transaction-row"][data-kind="purchase"]');
    expect(await purchase.textContent()).toContain('PurchasePurchase: $25 package');
    const payments = page.getByTestId('payment-row');
    // The embedded test clock stands still, so both orders share a time: compare as a set.
    const outcomes = await payments.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome')));
    expect(outcomes.sort()).toEqual(['cancelled', 'paid']);
    await snap('08-activity');
  });

  it('runs the balance down: the session ends insufficient_credits, the UI says so and locks again', async () => {
    // ISP targeting this time: the dearest rate (1.00/h) runs the wallet down in the fewest simulated minutes.
    await openAppPage(page, 'locations');
    await page.getByTestId('select-isp').selectOption('Comcast');
    await expect.poll(() => text('connect')).toBe('Connect · $1.00/hour');
    await page.getByTestId('connect').click();
    await expect
      .poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('connected');

    // 26.9875 credits at 1.00/h last 26 h 59 min; the host steps each jump a minute at a time.
    const first = await advanceTestClock(host, 26 * HOUR);
    expect(first.balance?.balance_micro).toBe(987_500);
    expect(first.active_session?.status).toBe('active');
    await openAppPage(page, 'wallet');
    await expect.poll(() => text('balance')).toBe('$0.98');
    // The headline follows the session's own rate, not the city tier.
    expect(await text('status-time-left')).toMatch(/^5[89] min( \d+ s)? at \$1\.00\/hour$/);
    await snap('09-wallet-running-low');

    const last = await advanceTestClock(host, 90 * MINUTE);
    expect(last.balance?.balance_micro).toBe(0);
    expect(last.active_session).toBeNull();

    const message = page.getByTestId('session-end-message');
    await message.waitFor({ timeout: 20_000 });
    expect(await message.textContent()).toContain(describeEndReason('insufficient_credits'));
    await expect.poll(() => text('balance')).toBe('$0.00');
    // One banner says it (the header), not two.
    expect(await page.getByTestId('low-balance').count()).toBe(0);
    await snap('10-wallet-out-of-credits');

    await openAppPage(page, 'locations');
    expect(await page.getByTestId('connection-status').getAttribute('data-status')).toBe('ended');
    await expect.poll(lockedSelectors).toEqual(['true', 'true', 'true']);
    expect(await text('lock-isp')).toContain('🔒 ISP selection requires $1.00/hour ($0.00 available)');
    // Nothing locked stays chosen: the ISP fell back to Any ISP, the city to Any city.
    expect(await page.getByTestId('select-isp').inputValue()).toBe('');
    expect(await text('connect')).toBe('Connect · $0.50/hour');
    await snap('11-locations-locked-again');

    await openAppPage(page, 'activity');
    const ended = page.locator('[data-testid="session-row"]', { hasText: describeEndReason('insufficient_credits') });
    await expect.poll(() => ended.count()).toBe(1);
    // It spent everything that was left, to the micro-credit (exact on hover).
    expect(await ended.getByTestId('session-row-cost').getAttribute('title')).toBe('$26.9875');
  }, 180_000);

  it('a pending checkout survives a reload; buying clears "your credits ran out"', async () => {
    await openAppPage(page, 'buy');
    await page.getByTestId('buy-usd_10').click();
    const link = page.getByTestId('checkout-link');
    await link.waitFor();
    const checkoutUrl = (await link.getAttribute('href'))!;
    await page.reload();
    await page.getByTestId('balance').or(page.getByTestId('status-balance')).first().waitFor({ timeout: 20_000 });
    await openAppPage(page, 'buy');
    await page.getByTestId('checkout-waiting').waitFor({ timeout: 20_000 });
    expect(await text('checkout-package')).toBe('$10 package · 10 credits');
    const checkout = await page.context().newPage();
    await checkout.goto(checkoutUrl);
    await checkout.locator('#pay').click();
    await checkout.locator('#status').waitFor();
    await checkout.close();
    await page.getByTestId('checkout-success').waitFor({ timeout: 20_000 });
    expect(await text('checkout-success')).toContain('$10.00');
    expect(await page.getByTestId('session-end-message').count()).toBe(0);
    expect(await page.getByTestId('sidebar-status').getAttribute('data-status')).toBe('disconnected');
  });

  it('a port another program holds is refused when saved, with the reason', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      await openAppPage(page, 'settings');
      const port = page.getByLabel('Local proxy port');
      const before = await port.inputValue();
      await port.fill(String(taken));
      await page.getByRole('button', { name: 'Save port' }).click();
      await page.getByTestId('settings-error').waitFor();
      expect(await text('settings-error')).toBe(
        `Port ${taken} is already in use by another program. Choose another local proxy port.`,
      );
      const settings = await page.evaluate(() => window.atlantic.app.state());
      expect(String(settings.settings.local_proxy_port)).toBe(before);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('Settings shows auto top-up, and says this embedded service (sandbox only) has no card payments for it', async () => {
    await openAppPage(page, 'settings');
    await page.getByTestId('auto-topup').waitFor();
    expect(await text('auto-topup')).toContain('Auto top-up needs card payments, which this service does not offer.');
  });

  it('leaves a screenshot of every page at 1280×800 and 800×600, each with its own title; no errors on the way', async () => {
    const pages: AppPage[] = ['wallet', 'buy', 'locations', 'activity', 'settings'];
    const titles = new Set<string>();
    for (const [width, height] of [
      [1280, 800],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const name of pages) {
        await openAppPage(page, name);
        titles.add(await page.title());
        const path = await snap(`page-${name}-${width}x${height}`);
        expect(path).toMatch(new RegExp(`${SUITE}/page-${name}-${width}x${height}\\.png$`));
      }
    }
    expect(titles.size).toBe(pages.length);
    expect(problems).toEqual([]);
  });

  it('the core goes away: an offline banner on every page, only Connect and Purchase disabled', async () => {
    await openAppPage(page, 'buy');
    await host.stop();
    await page.getByTestId('offline-banner').waitFor({ timeout: 20_000 });
    expect(await text('offline-banner')).toContain('lost its connection to Atlantic Proxy');
    expect(await page.getByTestId('buy-usd_25').isDisabled()).toBe(true);
    expect(await page.getByTestId('connect').isDisabled()).toBe(true);
    // Still readable, still navigable.
    await openAppPage(page, 'wallet');
    expect(await page.getByTestId('offline-banner').count()).toBe(1);
    expect(await text('balance')).toBe('$10.00');
    await snap('12-core-gone');
  });
});
