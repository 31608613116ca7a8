import { describe, expect, it } from 'vitest';
import { trayModel, type TrayState } from '../../../../electron/core/tray/tray-model.ts';
import type { SessionView } from '../../../../shared/api/proxy.ts';
import type { ConnectionView } from '../../../../shared/ipc/views.ts';
import { EMPTY_WALLET } from '../../../../electron/core/wallet/wallet-sync.ts';
import { walletOf } from '../../../support/wallet-fixtures.ts';

const NEW_YORK = { country: 'us', city: 'New York' };
const session = { id: '6f1c1d7e-4a59-4f7e-9d8c-2f0d6f3b9a11', targeting: NEW_YORK } as unknown as SessionView;

function model(connection: ConnectionView, overrides: Partial<TrayState> = {}) {
  const result = trayModel({ connection, wallet: walletOf(27_000_000), lastLocation: NEW_YORK, ...overrides });
  const byId = (id: string) => result.menu.find((entry) => entry.id === id);
  return { ...result, byId, ids: result.menu.map((entry) => entry.id) };
}

describe('tray model', () => {
  it('disconnected: grey icon, Connect to the last location with its rate, balance and time at that rate', () => {
    const tray = model({ status: 'disconnected' });
    expect(tray.icon).toBe('disconnected');
    expect(tray.tooltip).toBe('Atlantic Proxy — Disconnected');
    expect(tray.ids).toEqual(['status', 'connect', 'separator', 'balance', 'buy', 'separator', 'open', 'quit']);
    expect(tray.byId('status')).toEqual({ id: 'status', label: 'Disconnected', enabled: false });
    expect(tray.byId('connect')).toEqual({ id: 'connect', label: 'Connect to New York, US · 0.75/h', enabled: true });
    expect(tray.byId('balance')!.label).toBe('Balance: 27.00 credits · 36 h 00 min at 0.75/h');
    expect(tray.byId('buy')).toMatchObject({ label: 'Buy credits…', enabled: true });
    expect(tray.byId('open')).toMatchObject({ label: 'Open Atlantic', enabled: true });
    expect(tray.byId('quit')).toMatchObject({ label: 'Quit', enabled: true });
  });

  it('the rate is the highest tier the location uses (ISP: 1.00/h)', () => {
    const tray = model({ status: 'disconnected' }, { lastLocation: { country: 'us', city: 'Austin', isp: 'Comcast' } });
    expect(tray.byId('connect')!.label).toBe('Connect to Austin, US · Comcast · 1.00/h');
  });

  it('Connect is disabled when the balance cannot unlock the last location', () => {
    const tray = model({ status: 'disconnected' }, { wallet: walletOf(500_000) });
    expect(tray.byId('connect')).toMatchObject({ label: 'Connect to New York, US · 0.75/h', enabled: false });
  });

  it('with no location chosen yet, Connect… opens the window', () => {
    const tray = model({ status: 'disconnected' }, { lastLocation: null, wallet: EMPTY_WALLET });
    expect(tray.byId('connect')).toEqual({ id: 'connect', label: 'Connect…', enabled: true });
    expect(tray.byId('balance')!.label).toBe('Balance: …');
  });

  it('connecting: amber icon, Disconnect offered', () => {
    const tray = model({ status: 'connecting', targeting: NEW_YORK, reconnecting: false });
    expect(tray.icon).toBe('connecting');
    expect(tray.byId('status')!.label).toBe('Connecting to New York, US…');
    expect(tray.byId('disconnect')).toEqual({ id: 'disconnect', label: 'Disconnect', enabled: true });
    expect(tray.byId('connect')).toBeUndefined();
  });

  it('reconnecting after network loss: still connecting, still Disconnect', () => {
    const tray = model({ status: 'connecting', targeting: NEW_YORK, reconnecting: true, session });
    expect(tray.icon).toBe('connecting');
    expect(tray.byId('status')!.label).toBe('Reconnecting…');
    expect(tray.byId('disconnect')!.enabled).toBe(true);
  });

  it('connected: green icon, location in the status, balance with the time left at the current rate', () => {
    const tray = model(
      { status: 'connected', targeting: NEW_YORK, session },
      { wallet: walletOf(26_987_500, 129_540) },
    );
    expect(tray.icon).toBe('connected');
    expect(tray.tooltip).toBe('Atlantic Proxy — Connected — New York, US');
    expect(tray.byId('disconnect')).toMatchObject({ label: 'Disconnect', enabled: true });
    expect(tray.byId('balance')!.label).toBe('Balance: 26.9875 credits · 35 h 59 min left');
  });

  it('connected: the status says sticky (with its lifetime) or rotating', () => {
    const sticky = model({
      status: 'connected',
      targeting: NEW_YORK,
      session: { ...session, session_mode: 'sticky', sticky_minutes: 30 },
    });
    expect(sticky.byId('status')!.label).toBe('Connected — New York, US · Sticky IP · 30 min');
    const rotating = model({
      status: 'connected',
      targeting: NEW_YORK,
      session: { ...session, session_mode: 'rotating', sticky_minutes: null },
    });
    expect(rotating.tooltip).toBe('Atlantic Proxy — Connected — New York, US · Rotating IP');
  });

  it('disconnecting: Disconnect greyed out while the service ends the session', () => {
    const tray = model({ status: 'disconnecting', session });
    expect(tray.icon).toBe('connecting');
    expect(tray.byId('disconnect')).toMatchObject({ enabled: false });
  });

  it('ended: grey icon, the reason in the status, Connect again', () => {
    const tray = model(
      {
        status: 'ended',
        reason: 'insufficient_credits',
        message: 'Your credits ran out. Add credits and connect again.',
        session,
      },
      { wallet: walletOf(0) },
    );
    expect(tray.icon).toBe('disconnected');
    expect(tray.byId('status')!.label).toBe('Session ended — Your credits ran out. Add credits and connect again.');
    expect(tray.byId('connect')).toMatchObject({ enabled: false });
    expect(tray.byId('balance')!.label).toBe('Balance: 0.00 credits · under a minute at 0.75/h');
  });

  it('offline: the last balance, marked offline', () => {
    const tray = model({ status: 'disconnected' }, { wallet: { ...walletOf(27_000_000), offline: true } });
    expect(tray.byId('balance')!.label).toMatch(/^Balance: 27.00 credits .* \(offline\)$/);
    const never = model({ status: 'disconnected' }, { wallet: { ...EMPTY_WALLET, offline: true } });
    expect(never.byId('balance')!.label).toBe('Balance unavailable (offline)');
  });

  it('a downloaded update offers Restart to update, greyed out while a session is live', () => {
    const update = { state: 'ready', version: '1.1.0', percent: 100, message: null } as const;
    const idle = model({ status: 'disconnected' }, { update });
    expect(idle.ids).toEqual([
      'status',
      'connect',
      'separator',
      'balance',
      'restart_update',
      'buy',
      'separator',
      'open',
      'quit',
    ]);
    expect(idle.byId('restart_update')).toEqual({
      id: 'restart_update',
      label: 'Restart to update to 1.1.0',
      enabled: true,
    });
    const live = model({ status: 'connected', targeting: NEW_YORK, session }, { update });
    expect(live.byId('restart_update')).toEqual({
      id: 'restart_update',
      label: 'Restart to update to 1.1.0 (disconnect first)',
      enabled: false,
    });
    const downloading = model({ status: 'disconnected' }, { update: { ...update, state: 'downloading', percent: 40 } });
    expect(downloading.byId('restart_update')).toBeUndefined();
  });
});
