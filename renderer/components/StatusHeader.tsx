import { sessionModeSuffix } from '../../shared/session-mode.ts';
import * as format from '../format.ts';
import { goTo } from '../hooks/use-hash-route.ts';
import { useNow } from '../hooks/use-now.ts';
import { connectOffer } from '../store/choice.ts';
import { selectConnection, selectFeatures, selectLiveSession, selectRates, selectWallet } from '../store/selectors.ts';
import { statusOf } from '../store/status-words.ts';
import { useAppStore } from '../store/app-store.ts';
import { Money } from './Money.tsx';

function placeOf(connection: ReturnType<typeof selectConnection>): string | null {
  if (connection.status === 'connected' || connection.status === 'connecting')
    return format.place(connection.targeting);
  if (connection.status === 'disconnecting') return format.place(connection.session.targeting);
  return null;
}

/** Seconds the balance lasts at `perHourMicro`, or at the live sessions' burn, counted down since the snapshot. */
function useTimeLeft(perHourMicro: number | null): number | null {
  const wallet = useAppStore(selectWallet);
  const live = (wallet?.balance?.seconds_remaining_at_current_rate ?? null) !== null;
  const now = useNow(live);
  const balance = wallet?.balance;
  if (!balance) return null;
  if (live) {
    const age = wallet?.fetched_at ? Math.max(0, (now - Date.parse(wallet.fetched_at)) / 1000) : 0;
    return Math.max(0, balance.seconds_remaining_at_current_rate! - age);
  }
  return perHourMicro ? (balance.balance_micro / perHourMicro) * 3600 : null;
}

/**
 * Mullvad's shape, on every page: the state in colour, where, one
 * Connect/Disconnect, the balance and how long it lasts, live speed.
 */
export function StatusHeader() {
  const connection = useAppStore(selectConnection);
  const endAcknowledged = useAppStore((s) => s.endAcknowledged);
  const busy = useAppStore((s) => s.connectionBusy);
  const error = useAppStore((s) => s.connectionError);
  const online = useAppStore((s) => s.coreOnline);
  const choice = useAppStore((s) => s.choice);
  const rates = useAppStore(selectRates);
  const features = useAppStore(selectFeatures);
  const balance = useAppStore(selectWallet)?.balance ?? null;
  const session = useAppStore(selectLiveSession);
  const speed = useAppStore((s) => s.speed);
  const { connect, disconnect } = useAppStore.getState();

  const offer = connectOffer(choice, rates, features);
  const status = statusOf(connection, endAcknowledged);
  const live = connection.status === 'connected' || connection.status === 'connecting';
  const rateMicro = session?.rate_per_hour_micro ?? offer?.rate?.per_hour_micro ?? null;
  const timeLeft = useTimeLeft(rateMicro);
  const where = placeOf(connection) ?? (offer ? format.place(offer.targeting) : null);
  const problem =
    error ??
    ((connection.status === 'disconnected' || connection.status === 'connecting') && connection.problem) ??
    null;

  return (
    <header className="status-header" data-status={status.tone} aria-label="Connection status">
      <div className="status-main">
        <p className="status-word" role="status" data-testid="connection-status" data-status={connection.status}>
          <span className="status-dot" aria-hidden="true" />
          {status.word}
        </p>
        {where && (
          <p className="status-place" data-testid="status-location">
            {live || connection.status === 'disconnecting' ? where : `Next: ${where}`}
          </p>
        )}
        {connection.status === 'connected' && connection.session.session_mode && (
          <p className="status-place" data-testid="status-mode">
            {sessionModeSuffix(connection.session).slice(' · '.length)}
          </p>
        )}
        {status.tone === 'ended' && connection.status === 'ended' && (
          <p className="status-why" role="alert" data-testid="session-end-message">
            {connection.message}
            {connection.reason === 'insufficient_credits' && (
              <button type="button" className="link-button" onClick={() => goTo('buy')}>
                Add Credits
              </button>
            )}
          </p>
        )}
        {problem && (
          <p role="alert" className="problem" data-testid="connection-problem">
            {problem.message}
          </p>
        )}
      </div>
      <dl className="status-facts">
        <div>
          <dt>Balance</dt>
          <dd data-testid="status-balance">{balance ? <Money micro={balance.balance_micro} /> : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="status-time-left">
            {timeLeft === null || rateMicro === null
              ? '—'
              : `${format.duration(timeLeft)} at ${format.perHour(session ? balance?.burn_rate_per_hour_micro || rateMicro : rateMicro)}`}
          </dd>
        </div>
        {connection.status === 'connected' && (
          <div>
            <dt>Speed</dt>
            <dd data-testid="status-speed">
              {speed ? `↑ ${format.speed(speed.up)} · ↓ ${format.speed(speed.down)}` : 'measuring…'}
            </dd>
          </div>
        )}
      </dl>
      <div className="status-action">
        {live || connection.status === 'disconnecting' ? (
          <button
            type="button"
            className="danger big"
            disabled={!online || busy || connection.status === 'disconnecting'}
            onClick={() => void disconnect()}
            data-testid="disconnect"
          >
            Disconnect
          </button>
        ) : offer ? (
          <button
            type="button"
            className="primary big"
            disabled={!online || busy || !offer.unlocked}
            onClick={() => void connect(offer.targeting)}
            data-testid="connect"
          >
            {offer.rate ? `Connect · ${format.perHour(offer.rate.per_hour_micro)}` : 'Connect'}
          </button>
        ) : (
          <button type="button" className="primary big" onClick={() => goTo('locations')} data-testid="choose-location">
            Choose a location
          </button>
        )}
      </div>
    </header>
  );
}
