import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrayModel } from '../../../../electron/core/client-core-types.ts';
import { LOCAL_ACCOUNT_EMAIL } from '../../../../server/accounts/local-account.ts';
import { adjustBalance } from '../../../../server/ledger/admin-adjustment.ts';
import { MINUTE } from '../../../support/fake-clock.ts';
import { embeddedTestService, freePort, startTestCore, type TestCore } from '../../../support/test-core.ts';
import { startTestService, type TestService } from '../../../support/test-service.ts';

const CITY = { country: 'us', city: 'New York' };

/** Pays a sandbox checkout the way the user's browser does. */
async function payOnCheckout(service: TestService, url: string): Promise<void> {
  const paid = await service.call('POST', `${new URL(url).pathname}/pay`, {
    raw: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(paid.status).toBe(200);
}

describe('client core, embedded mode, over the real billing service [pglite]', () => {
  let service: TestService;
  let embedded: Awaited<ReturnType<typeof embeddedTestService>>['port'];
  let t: TestCore;
  const trays: TrayModel[] = [];

  beforeAll(async () => {
    ({ service, port: embedded } = await embeddedTestService());
    t = await startTestCore({ embedded, testClock: true, version: '1.2.3' });
    t.core.onTrayModel((model) => trays.push(model));
  });
  afterAll(async () => {
    await t?.core.quit();
    await service?.stop();
  });

  it('starts the embedded service and signs in as the local account: balance 0, city, state and ISP locked', async () => {
    const state = await t.call('app.state');
    expect(state.info).toMatchObject({
      mode: 'embedded',
      server_url: service.url,
      signed_in: true,
      account: { email: LOCAL_ACCOUNT_EMAIL },
      version: '1.2.3',
      local_proxy: { host: '127.0.0.1', port: state.settings.local_proxy_port, problem: null },
    });
    expect(state.info.local_proxy.socks_url).toBe(`socks5://127.0.0.1:${state.settings.local_proxy_port}`);
    const wallet = await t.call('wallet.refresh');
    expect(wallet).toMatchObject({ balance: { balance_micro: 0 }, offline: false });
    expect(wallet.features).toMatchObject({ can_use_country: false, can_use_city: false, can_use_isp: false });
    expect(state.connection).toEqual({ status: 'disconnected' });
  });

  it('refuses targeting the balance cannot unlock, with the service code', async () => {
    await expect(t.call('connection.connect', CITY)).rejects.toMatchObject({ code: 'insufficient_credits' });
  });

  it('purchase → checkout opened in the browser → paid → payment event and wallet refreshed to 27.00', async () => {
    const packages = await t.call('credits.packages');
    expect(packages.test_mode).toBe(true);
    const payment = await t.call('credits.purchase', { package_id: 'usd_25' });
    expect(payment).toMatchObject({ status: 'pending', test_mode: true });
    expect(t.opened).toEqual([`${service.url}/sandbox/checkout/${payment.payment_id}`]);

    await payOnCheckout(service, t.opened[0]!);
    const paid = await t.nextEvent('credits.paymentChanged', (p) => p.payment_id === payment.payment_id);
    expect(paid.status).toBe('paid');
    const wallet = await t.nextEvent('wallet.changed', (w) => w.balance?.balance_micro === 27_000_000);
    expect(wallet.features).toMatchObject({ can_use_city: true, can_use_state: true, can_use_isp: true });
    expect(wallet.recent_transactions.map((tx) => tx.kind).sort()).toEqual(['bonus', 'purchase']);
  });

  it('exports every transaction as CSV', async () => {
    const { filename, csv } = await t.call('credits.exportCsv', {});
    expect(filename).toMatch(/^atlantic-transactions-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'date,kind,description,amount,balance_after,session_id,payment_id,id,duration_seconds,location,bytes_up,bytes_down',
    );
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[1])
        .sort(),
    ).toEqual(['bonus', 'purchase']);
    expect(csv).toContain(',25.00,');
  });

  it('connects: connected view without gateway credentials, last location remembered, tray follows, wallet shows the session', async () => {
    const view = await t.call('connection.connect', CITY);
    expect(view).toMatchObject({
      status: 'connected',
      targeting: CITY,
      session: { tier: 'city', rate_per_hour_micro: 750_000 },
    });
    expect(JSON.stringify(view)).not.toMatch(/password|gateway/);
    const statuses = t.events
      .filter((e) => e.channel === 'connection.changed')
      .map((e) => (e.event as { status: string }).status);
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(JSON.parse(readFileSync(t.settingsFile, 'utf8')).last_location).toEqual(CITY);
    await t.nextEvent('settings.changed', (s) => s.last_location?.city === 'New York');
    expect(t.core.trayModel()).toMatchObject({
      icon: 'connected',
      tooltip: 'Atlantic Proxy — Connected — New York, US',
    });
    expect(trays.map((tray) => tray.icon)).toEqual(expect.arrayContaining(['connecting', 'connected']));
    const wallet = await t.nextEvent(
      'wallet.changed',
      (w) => w.active_session?.id === (view as { session: { id: string } }).session.id,
    );
    expect(wallet.balance?.active_sessions).toBe(1);
  });

  it('the test clock moves time in heartbeated steps: one minute later the wallet holds exactly 26.9875', async () => {
    await t.core.testClock!.advance(MINUTE);
    const { wallet, connection } = await t.call('app.state');
    expect(wallet.balance?.balance_micro).toBe(26_987_500);
    expect(connection.status).toBe('connected');
  });

  it('will not move the local proxy port under a live session', async () => {
    const { local_proxy_port } = (await t.call('app.state')).settings;
    await expect(t.call('settings.update', { local_proxy_port: local_proxy_port + 1 })).rejects.toMatchObject({
      code: 'disconnect_first',
    });
    await expect(t.call('settings.update', { local_proxy_port: 80 })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect((await t.call('app.state')).settings.local_proxy_port).toBe(local_proxy_port);
  });

  it('a long jump stays alive: heartbeats at least every minute of service time, so no client_lost', async () => {
    await t.core.testClock!.advance(5 * MINUTE);
    const { wallet, connection } = await t.call('app.state');
    expect(connection.status).toBe('connected');
    expect(wallet.balance?.balance_micro).toBe(27_000_000 - 6 * 12_500);
  });

  it('disconnects: the session ends, charged, and the tray offers Connect again with the rate', async () => {
    const view = await t.call('connection.disconnect');
    expect(view).toMatchObject({ status: 'disconnected', disconnected: { tier: 'city' } });
    const tray = t.core.trayModel();
    expect(tray.icon).toBe('disconnected');
    expect(tray.menu.find((item) => item.id === 'connect')).toMatchObject({
      label: 'Connect — New York, US · 0.75/h',
      enabled: true,
    });
    const sessions = await t.call('proxy.sessions', { status: 'ended' });
    expect(sessions.sessions[0]).toMatchObject({ end_reason: 'disconnected', cost_micro: 75_000 });
  });

  it('running out of credits ends the session insufficient_credits and says so in a notice', async () => {
    // Connected first (starting needs an hour of credit), then left with 20 minutes: 250,000 µcr at 0.75/h.
    await t.core.connectLast();
    expect((await t.call('app.state')).connection.status).toBe('connected');
    const { balance } = await t.call('wallet.refresh');
    await adjustBalance(service.db, {
      userId: (await t.call('app.state')).info.account!.id,
      amount: BigInt(250_000 - balance!.balance_micro),
      reason: 'leave twenty minutes',
      by: { adminId: null, name: 'test' },
    });
    await t.core.testClock!.advance(6 * MINUTE); // 14 minutes left
    await t.core.testClock!.advance(10 * MINUTE); // 4 minutes left
    await t.core.testClock!.advance(5 * MINUTE); // out
    const { connection, wallet } = await t.call('app.state');
    expect(connection).toMatchObject({ status: 'ended', reason: 'insufficient_credits' });
    expect(wallet.balance?.balance_micro).toBe(0);
    const kinds = t.events.filter((e) => e.channel === 'app.notice').map((e) => (e.event as { kind: string }).kind);
    expect(kinds).toEqual(expect.arrayContaining(['low_credit_15', 'low_credit_5', 'session_ended']));
    expect(t.notified.at(-1)).toEqual({
      title: 'Disconnected: out of credits',
      body: 'Your proxy session ended. Your credits ran out. Add credits and connect again.',
    });
  });
});

describe('client core quit [pglite]', () => {
  it('quit disconnects and the service charges the last partial minute pro rata, then stops the embedded service', async () => {
    const { service, port: embedded } = await embeddedTestService();
    try {
      const t = await startTestCore({ embedded, testClock: true });
      const payment = await t.call('credits.purchase', { package_id: 'usd_5' });
      await payOnCheckout(service, payment.checkout_url!);
      await t.nextEvent('wallet.changed', (w) => w.balance?.balance_micro === 5_000_000);
      await t.call('connection.connect', CITY);
      await t.core.testClock!.advance(MINUTE);
      // 30 s more of service time with no tick: only the disconnect can charge it.
      service.clock.advance(30_000);
      const token = (await embedded.start()).token;
      await t.core.quit();
      expect(embedded.stops).toBe(1);
      const balance = await service.call('GET', '/api/credits/balance', { token });
      // 90 s at 0.75/h = 18,750 µcr: the minute the tick charged plus 30 s pro rata.
      expect(balance.body.balance_micro).toBe(5_000_000 - 18_750);
      expect(balance.body.active_sessions).toBe(0);
      await expect(t.call('app.state')).resolves.toBeDefined();
    } finally {
      await service.stop();
    }
  });
});

describe('client core, remote mode [pglite]', () => {
  let service: TestService;
  let t: TestCore;

  beforeAll(async () => {
    // PORT 0: the sandbox checkout links to http://127.0.0.1:0, an origin that is not the service's.
    service = await startTestService('pglite');
    t = await startTestCore({ initialSettings: { server_url: service.url } });
  });
  afterAll(async () => {
    await t?.core.quit();
    await service?.stop();
  });

  it('starts signed out, and calls that need an account refuse with not_signed_in', async () => {
    expect((await t.call('app.state')).info).toMatchObject({
      mode: 'remote',
      server_url: service.url,
      signed_in: false,
    });
    await expect(t.call('credits.packages')).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(t.call('account.signOut')).resolves.toMatchObject({ signed_in: false });
  });

  it('a bad password leaves it signed out, with the service code', async () => {
    const credentials = { email: 'nobody@remote.test', password: 'wrong password', server_url: service.url };
    await expect(t.call('account.signIn', credentials)).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('signs in (registering), keeps the token in the store, and refreshes the wallet', async () => {
    const info = await t.call('account.signIn', {
      email: 'remote@remote.test',
      password: 'correct horse battery',
      server_url: service.url,
      register: true,
    });
    expect(info).toMatchObject({ mode: 'remote', signed_in: true, account: { email: 'remote@remote.test' } });
    expect(Object.keys(JSON.parse(readFileSync(t.tokensFile, 'utf8')))).toEqual([service.url]);
    await t.nextEvent('app.infoChanged', (i) => i.signed_in);
    expect((await t.call('wallet.refresh')).balance?.balance_micro).toBe(0);
  });

  it('never opens a checkout on a host that is not allow-listed', async () => {
    await expect(t.call('credits.purchase', { package_id: 'usd_5' })).rejects.toMatchObject({
      code: 'checkout_not_allowed',
    });
    expect(t.opened).toEqual([]);
  });

  it('the usage chart and locations come through', async () => {
    expect((await t.call('credits.usage', { days: 7 })).days).toHaveLength(7);
    expect((await t.call('locations.list')).countries.length).toBeGreaterThan(0);
  });

  it('moves the local proxy to a new port when the setting changes', async () => {
    const before = (await t.call('app.state')).info.local_proxy.port;
    // A port known to be free: a taken one would (rightly) fall back to another.
    const port = await freePort();
    expect(port).not.toBe(before);
    const settings = await t.call('settings.update', { local_proxy_port: port, notifications: false });
    expect(settings).toMatchObject({ local_proxy_port: port, notifications: false });
    const info = await t.nextEvent('app.infoChanged', (i) => i.local_proxy.port === port);
    expect(info.local_proxy.http_url).toBe(`http://127.0.0.1:${port}`);
  });

  it('signs out: the token is revoked and forgotten, the wallet emptied', async () => {
    const info = await t.call('account.signOut');
    expect(info).toMatchObject({ signed_in: false, account: null });
    expect(JSON.parse(readFileSync(t.tokensFile, 'utf8'))).toEqual({});
    expect((await t.call('app.state')).wallet.balance).toBeNull();
  });
});
