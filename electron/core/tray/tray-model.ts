import {
  isLiveConnection,
  type ConnectionView,
  type UpdateStatus,
  type WalletSnapshot,
} from '../../../shared/ipc/views.ts';
import { formatCredits } from '../../../shared/money.ts';
import { sessionModeSuffix } from '../../../shared/session-mode.ts';
import type { Targeting } from '../../../shared/targeting.ts';
import type { TrayMenuItem, TrayModel } from '../client-core-types.ts';
import { durationLabel, isChoiceUnlocked, locationLabel, rateLabel, rateOfChoice } from './location-label.ts';

/** The part of the core's state the tray shows. */
export interface TrayState {
  connection: ConnectionView;
  wallet: WalletSnapshot;
  lastLocation: Targeting | null;
  /** Absent: no updates in this shell. */
  update?: UpdateStatus;
}

const item = (id: TrayMenuItem['id'], label: string, enabled = true): TrayMenuItem => ({ id, label, enabled });
const SEPARATOR = item('separator', '', false);

/** The tray icon, tooltip and menu for a state: a pure function, so every state is testable without a tray. */
export function trayModel(state: TrayState): TrayModel {
  const status = statusLine(state.connection);
  const menu = [
    item('status', status, false),
    connectItem(state),
    SEPARATOR,
    item('balance', balanceLine(state), false),
    ...restartItem(state),
    item('buy', 'Buy credits…'),
    SEPARATOR,
    item('open', 'Open Atlantic'),
    item('quit', 'Quit'),
  ];
  return { icon: iconOf(state.connection), tooltip: `Atlantic Proxy — ${status}`, menu };
}

function iconOf(connection: ConnectionView): TrayModel['icon'] {
  if (connection.status === 'connected') return 'connected';
  if (connection.status === 'connecting' || connection.status === 'disconnecting') return 'connecting';
  return 'disconnected';
}

function statusLine(connection: ConnectionView): string {
  switch (connection.status) {
    case 'disconnected':
      return 'Disconnected';
    case 'connecting':
      return connection.reconnecting ? 'Reconnecting…' : `Connecting to ${locationLabel(connection.targeting)}…`;
    case 'connected':
      return `Connected — ${locationLabel(connection.targeting)}${sessionModeSuffix(connection.session)}`;
    case 'disconnecting':
      return 'Disconnecting…';
    case 'ended':
      return `Session ended — ${connection.message}`;
  }
}

function connectItem({ connection, wallet, lastLocation }: TrayState): TrayMenuItem {
  if (connection.status === 'connecting' || connection.status === 'connected') return item('disconnect', 'Disconnect');
  if (connection.status === 'disconnecting') return item('disconnect', 'Disconnect', false);
  // Nowhere to connect to yet: the item opens the window's location picker.
  if (!lastLocation) return item('connect', 'Connect…');
  const rate = rateOfChoice(lastLocation, wallet);
  const label = `Connect to ${locationLabel(lastLocation)}${rate === null ? '' : ` · ${rateLabel(rate)}`}`;
  return item('connect', label, isChoiceUnlocked(lastLocation, wallet));
}

/** "Restart to update" once a new version is downloaded; greyed out while a session is live, which it would cut. */
function restartItem({ update, connection }: TrayState): TrayMenuItem[] {
  if (update?.state !== 'ready') return [];
  const live = isLiveConnection(connection);
  const version = update.version ? ` to ${update.version}` : '';
  return [
    item(
      'restart_update',
      live ? `Restart to update${version} (disconnect first)` : `Restart to update${version}`,
      !live,
    ),
  ];
}

function balanceLine({ wallet, connection, lastLocation }: TrayState): string {
  const balance = wallet.balance;
  if (!balance) return wallet.offline ? 'Balance unavailable (offline)' : 'Balance: …';
  const offline = wallet.offline ? ' (offline)' : '';
  const credits = `Balance: ${formatCredits(BigInt(balance.balance_micro))} credits`;
  if (balance.seconds_remaining_at_current_rate !== null && connection.status !== 'disconnected') {
    return `${credits} · ${durationLabel(balance.seconds_remaining_at_current_rate)} left${offline}`;
  }
  const rate = lastLocation ? rateOfChoice(lastLocation, wallet) : null;
  if (rate) {
    const seconds = Math.floor((balance.balance_micro * 3600) / rate);
    return `${credits} · ${durationLabel(seconds)} at ${rateLabel(rate)}${offline}`;
  }
  return `${credits}${offline}`;
}
