import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EmbeddedBilling, type EmbeddedEndpoint } from '../../../electron/core/embedded/embedded-billing.ts';
import {
  nodeProcessLauncher,
  type ChildLike,
  type ProcessLauncher,
} from '../../../electron/core/embedded/process-launcher.ts';
import { serviceProcessEntry } from '../../../electron/core/embedded/service-entry.ts';
import type { TestClockMode } from '../../../electron/core/embedded/service-protocol.ts';
import { MINUTE } from '../../support/fake-clock.ts';

// Each start forks a process that loads the service through tsx and opens PGlite: seconds on a
// quiet machine, far more on a busy two-core one. Generous limits, so only a real hang fails.
const START_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 300_000;

const folders: string[] = [];
const running: EmbeddedBilling[] = [];

async function dataFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atlantic-embedded-'));
  folders.push(dir);
  return dir;
}

function billingOn(dataDir: string, testClock?: TestClockMode, launcher = nodeProcessLauncher): EmbeddedBilling {
  const billing = new EmbeddedBilling({
    launcher,
    entryPath: serviceProcessEntry(),
    dataDir,
    env: { LOG_LEVEL: 'warn' },
    startTimeoutMs: START_TIMEOUT_MS,
    ...(testClock ? { testClock } : {}),
  });
  running.push(billing);
  return billing;
}

async function call(endpoint: EmbeddedEndpoint, method: string, path: string, body?: unknown) {
  const response = await fetch(endpoint.url + path, {
    method,
    headers: {
      authorization: `Bearer ${endpoint.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const balanceOf = async (endpoint: EmbeddedEndpoint) =>
  (await call(endpoint, 'GET', '/api/credits/balance')).body.balance_micro as number;

/** Buys a package through the sandbox checkout, paying on the page its checkout URL names (as the browser would). */
async function buy(endpoint: EmbeddedEndpoint, dollars: number): Promise<void> {
  const purchase = await call(endpoint, 'POST', '/api/credits/purchase', { amount: dollars });
  expect(purchase.status).toBe(201);
  expect(purchase.body.checkout_url.startsWith(`${endpoint.url}/`)).toBe(true);
  expect((await fetch(`${purchase.body.checkout_url}/pay`, { method: 'POST' })).status).toBe(200);
}

/** Whether something accepts TCP connections on the loopback port. */
function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

afterEach(async () => {
  await Promise.all(running.splice(0).map((billing) => billing.stop()));
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('embedded billing in its own process (PGlite in a folder)', { timeout: TEST_TIMEOUT_MS }, () => {
  it('starts billing and gateway, stops cleanly, restarts on the same folder with the same balance; no clock control', async () => {
    const dataDir = await dataFolder();
    const first = billingOn(dataDir);
    const endpoint = await first.start();
    expect(first.running).toBe(true);
    expect(new URL(endpoint.url).hostname).toBe('127.0.0.1');
    expect((await fetch(`${endpoint.url}/api/health`)).status).toBe(200);
    expect(await balanceOf(endpoint)).toBe(0);
    expect(endpoint.gateway.host).toBe('127.0.0.1');
    expect(await portOpen(endpoint.gateway.port)).toBe(true);

    await buy(endpoint, 25);
    expect(await balanceOf(endpoint)).toBe(27_000_000);

    await first.stop();
    expect(first.running).toBe(false);
    expect(await portOpen(portOf(endpoint.url))).toBe(false);
    expect(await portOpen(endpoint.gateway.port)).toBe(false);

    const second = billingOn(dataDir);
    const again = await second.start();
    expect(await balanceOf(again)).toBe(27_000_000);
    // The same local account, signed in with a fresh token.
    const me = async (e: EmbeddedEndpoint) => (await call(e, 'GET', '/api/auth/me')).body.id as string;
    expect(again.token).not.toBe(endpoint.token);
    expect(await me(again)).toBeTypeOf('string');
    const transactions = await call(again, 'GET', '/api/credits/transactions');
    expect(transactions.body.transactions.map((t: { kind: string }) => t.kind).sort()).toEqual(['bonus', 'purchase']);

    // Without the test clock flag nobody can move the clock or tick the metering.
    await expect(second.advanceClock(MINUTE)).rejects.toMatchObject({ code: 'test_clock_disabled' });
    await expect(second.tick()).rejects.toMatchObject({ code: 'test_clock_disabled' });
  });

  it('with the frozen test clock, a minute advanced is exactly a minute charged', async () => {
    const billing = billingOn(await dataFolder(), 'frozen');
    const endpoint = await billing.start();
    await buy(endpoint, 25);
    const session = await call(endpoint, 'POST', '/api/proxy/connect', { country: 'us', city: 'new york' });
    expect(session.status).toBe(201);
    const sessionId = session.body.session.id as string;

    const before = await billing.advanceClock(0);
    expect(await billing.advanceClock(MINUTE)).toBe(before + MINUTE);
    expect((await call(endpoint, 'POST', '/api/proxy/heartbeat', { session_id: sessionId })).status).toBe(200);
    await billing.tick();
    // 0.75 credits an hour for one minute.
    expect(await balanceOf(endpoint)).toBe(27_000_000 - 12_500);
  });

  it('with the running test clock, time runs on from where it was advanced to; SIGTERM stops it cleanly', async () => {
    // Holds on to the process, to signal it as an OS or a supervisor would.
    let child: ChildLike | undefined;
    const exitCodes: (number | null)[] = [];
    const holding: ProcessLauncher = {
      launch(entry, options) {
        child = nodeProcessLauncher.launch(entry, options);
        child.on('exit', (code) => exitCodes.push(code));
        return child;
      },
    };
    const billing = billingOn(await dataFolder(), 'running', holding);
    const endpoint = await billing.start();
    const advanced = await billing.advanceClock(10 * MINUTE);
    expect(advanced).toBeGreaterThanOrEqual(Date.now() + 10 * MINUTE - 1_000);
    expect(advanced).toBeLessThanOrEqual(Date.now() + 10 * MINUTE);
    await billing.tick();
    expect(await billing.advanceClock(0)).toBeGreaterThanOrEqual(advanced);

    process.kill(child!.pid!, 'SIGTERM');
    await expect.poll(() => exitCodes, { timeout: START_TIMEOUT_MS, interval: 100 }).toEqual([0]);
    expect(billing.running).toBe(false);
    expect(await portOpen(portOf(endpoint.url))).toBe(false);
    expect(await portOpen(endpoint.gateway.port)).toBe(false);
  });

  it('says why when the process cannot start', async () => {
    const billing = new EmbeddedBilling({
      launcher: nodeProcessLauncher,
      entryPath: serviceProcessEntry(),
      dataDir: await dataFolder(),
      env: { LOG_LEVEL: 'silent', METERING_TICK_MS: 'not a number' },
      startTimeoutMs: START_TIMEOUT_MS,
    });
    running.push(billing);
    await expect(billing.start()).rejects.toThrow(/embedded billing failed to start/);
    expect(billing.running).toBe(false);
  });
});
