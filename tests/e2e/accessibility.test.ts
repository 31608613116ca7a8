import { rm } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceTestClock, buyAndPayInApp, openAppPage, screenshot, type AppPage } from '../support/app-actions.ts';
import { launchChromium } from '../support/chromium.ts';
import { startHeadlessProcess, type HeadlessProcess } from '../support/headless-process.ts';
import { buildRenderer } from '../support/renderer-build.ts';

// axe-core on every page of the real app (headless host, embedded billing on
// PGlite), in the light and the dark scheme, in the states a user meets: a fresh
// wallet with everything locked, credits with a live session, and the credits gone.
// A serious or critical violation fails; lesser ones are printed.

// What page.evaluate's callbacks see inside the page (these tests compile without the DOM library).
interface ProbeElement {
  id: string;
  textContent: string | null;
  style: Record<string, string>;
  append(...nodes: ProbeElement[]): void;
  remove(): void;
}
declare const document: {
  createElement(tag: string): ProbeElement;
  querySelector(selector: string): ProbeElement | null;
  getElementById(id: string): ProbeElement | null;
};

const SUITE = 'accessibility';
const PAGES: AppPage[] = ['wallet', 'buy', 'locations', 'activity', 'settings'];
const SCHEMES = ['light', 'dark'] as const;
const BLOCKING = new Set(['serious', 'critical']);

let rendererDir: string;
let host: HeadlessProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  rendererDir = await buildRenderer();
  [host, browser] = await Promise.all([startHeadlessProcess({ rendererDir, testClock: true }), launchChromium()]);
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('balance').waitFor({ timeout: 20_000 });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (rendererDir) await rm(rendererDir, { recursive: true, force: true });
});

/** Serious and critical violations on what the page shows now, as "rule (impact): targets" lines. */
async function blockingViolations(): Promise<string[]> {
  const { violations, passes } = await new AxeBuilder({ page }).analyze();
  // An audit that checked nothing (axe not injected, an empty page) must not pass as clean.
  if (!passes.some((rule) => rule.id === 'color-contrast') || !passes.some((rule) => rule.id === 'landmark-one-main')) {
    throw new Error(`axe did not check contrast and landmarks on ${page.url()}`);
  }
  const minor = violations.filter((v) => !BLOCKING.has(v.impact ?? ''));
  if (minor.length > 0) console.warn(minor.map((v) => `${v.id} (${v.impact}): ${v.help}`).join('\n'));
  return violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Every page in both schemes; answers each page/scheme that has blocking violations, with them. */
async function auditEveryPage(state: string): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const name of PAGES) {
      await openAppPage(page, name);
      // Let loaded lists and the lazily drawn chart settle before judging.
      await page.waitForLoadState('networkidle');
      await page.locator('[role="status"]:has-text("Loading")').first().waitFor({ state: 'detached' });
      await screenshot(page, SUITE, `${state}-${name}-${scheme}`);
      const violations = await blockingViolations();
      if (violations.length > 0) found[`${name} (${scheme})`] = violations;
    }
  }
  return found;
}

const status = () => page.getByTestId('connection-status').getAttribute('data-status');

describe('accessibility of every page with axe-core [pglite]', () => {
  it('would catch a violation: an unlabelled field and unreadable text fail the audit', async () => {
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'axe-probe';
      const faint = document.createElement('p');
      faint.textContent = 'faint';
      // Set through the CSSOM: the page's CSP refuses inline style attributes.
      Object.assign(faint.style, { color: '#eee', background: '#fff' });
      probe.append(document.createElement('input'), faint);
      document.querySelector('main')!.append(probe);
    });
    const found = await blockingViolations();
    await page.evaluate(() => document.getElementById('axe-probe')!.remove());
    expect(found).toEqual(
      expect.arrayContaining([expect.stringMatching(/^label \(critical\)/), expect.stringMatching(/^color-contrast/)]),
    );
  });

  it('a fresh wallet: nothing bought, narrower locations locked', async () => {
    expect(await auditEveryPage('fresh')).toEqual({});
  });

  it('buying: the checkout waiting and paid', async () => {
    let waiting: string[] = [];
    await buyAndPayInApp(page, 'usd_5', async () => {
      waiting = await blockingViolations();
    });
    expect({ waiting, paid: await blockingViolations() }).toEqual({ waiting: [], paid: [] });
  });

  it('with credits and a live session', async () => {
    await openAppPage(page, 'locations');
    await page.getByTestId('select-country').selectOption('us');
    await page.getByTestId('select-city').selectOption('Chicago');
    await page.getByTestId('connect').click();
    await expect.poll(status, { timeout: 20_000 }).toBe('connected');
    await advanceTestClock(host, 60_000);
    expect(await auditEveryPage('connected')).toEqual({});
  });

  it('after the credits ran out: the ended session, notices and locks', async () => {
    // 5 credits at 0.75/h last 6 h 40 min.
    const after = await advanceTestClock(host, 7 * 3_600_000);
    expect(after.balance?.balance_micro).toBe(0);
    await page.getByTestId('session-end-message').waitFor({ timeout: 20_000 });
    expect(await auditEveryPage('out-of-credits')).toEqual({});
  }, 120_000);
});
