import * as format from '../format.ts';
import { useNow } from '../hooks/use-now.ts';
import { TIER_LABELS } from '../rates.ts';
import { selectLiveSession, selectWallet } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';
import { Money } from './Money.tsx';

/** The live session, with time left counting down between snapshots (seconds_remaining minus the snapshot's age). */
export function LiveSessionCard() {
  const session = useAppStore(selectLiveSession);
  const fetchedAt = useAppStore(selectWallet)?.fetched_at ?? null;
  const now = useNow(session !== null);
  if (!session) {
    return (
      <section className="card" aria-labelledby="session-heading">
        <h2 id="session-heading" className="card-label">
          Live session
        </h2>
        <p className="muted">
          Not connected. <a href="#/locations">Choose a location</a> to connect.
        </p>
      </section>
    );
  }
  const sinceSnapshot = fetchedAt ? Math.max(0, (now - Date.parse(fetchedAt)) / 1000) : 0;
  const left = session.seconds_remaining === null ? null : session.seconds_remaining - sinceSnapshot;
  return (
    <section className="card" aria-labelledby="session-heading" data-testid="live-session">
      <h2 id="session-heading" className="card-label">
        Live session
      </h2>
      <dl className="facts">
        <dt>Location</dt>
        <dd data-testid="session-location">{format.place(session.targeting)}</dd>
        <dt>Tier and rate</dt>
        <dd>
          {TIER_LABELS[session.tier]} · {format.perHour(session.rate_per_hour_micro)}
        </dd>
        <dt>Cost so far</dt>
        <dd>
          <Money micro={session.cost_micro} testId="session-cost" />
        </dd>
        <dt>Time left at this rate</dt>
        <dd data-testid="session-time-left">{left === null ? '—' : format.duration(left)}</dd>
        <dt>Traffic</dt>
        <dd>
          ↑ {format.bytes(session.bytes_up)} · ↓ {format.bytes(session.bytes_down)}
        </dd>
      </dl>
    </section>
  );
}
