import { useEffect } from 'react';
import { describeEndReason } from '../../shared/session-end.ts';
import * as format from '../format.ts';
import { useAppStore } from '../store/app-store.ts';
import { Money } from './Money.tsx';
import { Empty, ErrorState, Loading } from './StatusMessages.tsx';

export function SessionsSection() {
  const sessions = useAppStore((s) => s.sessions);
  const loadSessions = useAppStore((s) => s.loadSessions);

  useEffect(() => {
    void loadSessions();
  }, [loadSessions]);

  const items = sessions.data;
  return (
    <section className="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      {sessions.status === 'error' && <ErrorState message={sessions.error ?? ''} onRetry={() => void loadSessions()} />}
      {!items && sessions.status !== 'error' && <Loading what="sessions" />}
      {items?.length === 0 && <Empty>No sessions yet. Connect from Locations to start one.</Empty>}
      {items && items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Location</th>
              <th scope="col">Duration</th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col">Ended because</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid="session-row" data-status={s.status}>
                <td>{format.dateTime(s.started_at)}</td>
                <td>{format.place(s.targeting)}</td>
                <td>{format.duration(s.duration_seconds)}</td>
                <td className="num">
                  <Money micro={s.cost_micro} testId="session-row-cost" />
                </td>
                <td>{s.status === 'active' ? 'Live now' : describeEndReason(s.end_reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
