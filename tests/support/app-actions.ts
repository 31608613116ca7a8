import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { WalletSnapshot } from '../../shared/ipc/views.ts';
import type { HeadlessProcess } from './headless-process.ts';

// What the end-to-end tests and the renderer bench do to the app the way a user
// would: go to a page, buy credits and pay on the sandbox checkout, keep a picture.

/** Screenshots land here (git-ignored), one folder per suite. */
export const E2E_OUTPUT = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));

export type AppPage = 'wallet' | 'buy' | 'locations' | 'activity' | 'settings';

/** Follows the sidebar link and waits for the page's heading. */
export async function openAppPage(page: Page, name: AppPage): Promise<void> {
  await page.getByTestId(`nav-${name}`).click();
  await page.locator(`[data-testid="nav-${name}"][aria-current="page"]`).waitFor();
  await page.locator('main h1').first().waitFor();
}

/** A full-page screenshot under test-results/e2e/<suite>/<name>.png. */
export async function screenshot(page: Page, suite: string, name: string): Promise<string> {
  const dir = join(E2E_OUTPUT, suite);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Buy credits, then pay as a user does: Buy on the package, open the checkout
 * address the page shows in a second tab of the same browser, press Pay there,
 * close it. Resolves once the app says the credits arrived.
 */
export async function buyAndPayInApp(
  page: Page,
  packageId: string,
  /** Runs while the app waits for the payment, before the checkout opens. */
  whileWaiting?: () => Promise<void>,
): Promise<{ checkoutUrl: string }> {
  await openAppPage(page, 'buy');
  await page.getByTestId(`buy-${packageId}`).click();
  const link = page.getByTestId('checkout-link');
  await link.waitFor();
  await whileWaiting?.();
  const checkoutUrl = (await link.getAttribute('href')) ?? '';
  const checkout = await page.context().newPage();
  try {
    await checkout.goto(checkoutUrl);
    await checkout.locator('#pay').click();
    await checkout.locator('#status').waitFor();
    const said = await checkout.locator('#status').textContent();
    if (!said?.startsWith('Payment received')) throw new Error(`the sandbox checkout said: ${said}`);
  } finally {
    await checkout.close();
  }
  // The app notices the payment by itself (its watcher polls), no click needed.
  await page.getByTestId('checkout-success').waitFor({ timeout: 20_000 });
  return { checkoutUrl };
}

/**
 * POST /test/clock/advance on a host started with --test-clock: billing time moves
 * by `ms` (the host steps it a minute at a time) and the answer is the wallet after it.
 */
export async function advanceTestClock(host: HeadlessProcess, ms: number): Promise<WalletSnapshot> {
  const response = await fetch(`${host.origin}/test/clock/advance?token=${host.token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ms }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`advancing the test clock answered ${response.status}: ${body}`);
  return JSON.parse(body) as WalletSnapshot;
}
