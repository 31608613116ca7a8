import { STICKY_MINUTES, type StickyMinutes } from '../../shared/session-mode.ts';
import { useAppStore } from '../store/app-store.ts';

/**
 * Sticky (the same exit IP for 10, 30 or 60 minutes, renewed while connected) or
 * rotating (a new IP for every connection). The direct exit has one address: it
 * says so instead of offering rotation. The price is the same either way.
 */
export function SessionModeSelect({ canRotate }: { canRotate: boolean }) {
  const mode = useAppStore((s) => s.sessionMode);
  const minutes = useAppStore((s) => s.stickyMinutes);
  const choose = useAppStore((s) => s.chooseSessionMode);
  const value = mode === 'rotating' && canRotate ? 'rotating' : `sticky-${minutes}`;

  return (
    <div className="session-mode">
      <label>
        Exit IP
        <select
          data-testid="session-mode"
          value={value}
          onChange={(e) => {
            const picked = e.target.value;
            if (picked === 'rotating') choose('rotating');
            else choose('sticky', Number(picked.slice('sticky-'.length)) as StickyMinutes);
          }}
        >
          {STICKY_MINUTES.map((m) => (
            <option key={m} value={`sticky-${m}`}>
              Sticky · same IP for {m} min
            </option>
          ))}
          <option value="rotating" disabled={!canRotate}>
            Rotating · new IP for every connection
          </option>
        </select>
      </label>
      <p className="muted" data-testid="session-mode-note">
        {canRotate
          ? 'Same price either way.'
          : 'This exit cannot rotate: traffic always leaves from one address. Same price either way.'}
      </p>
    </div>
  );
}
