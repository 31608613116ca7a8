import { isLiveConnection } from '../../shared/ipc/views.ts';
import { selectConnection, selectUpdate } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** A new version downloading in the background (with its progress), then "Restart to update" — never under a live session. */
export function UpdateBanner() {
  const update = useAppStore(selectUpdate);
  const connection = useAppStore(selectConnection);
  const error = useAppStore((s) => s.updateError);
  const restartToUpdate = useAppStore((s) => s.restartToUpdate);
  if (update?.state !== 'downloading' && update?.state !== 'ready') return null;
  const version = update.version ? `Atlantic Proxy ${update.version}` : 'A new version';

  if (update.state === 'downloading') {
    return (
      <section className="banner" data-testid="update-banner" data-state="downloading" aria-live="polite">
        <p>
          Downloading {version}… {update.percent ?? 0}%
        </p>
        <progress max={100} value={update.percent ?? 0} aria-label="Update download" />
      </section>
    );
  }
  const live = isLiveConnection(connection);
  return (
    <section className="banner" data-testid="update-banner" data-state="ready" aria-live="polite">
      <p>{version} is ready.</p>
      <button type="button" className="primary" disabled={live} onClick={() => void restartToUpdate()}>
        Restart to update
      </button>
      {live && <p className="muted">Disconnect first: restarting would end your proxy session.</p>}
      {error && (
        <p role="alert" className="problem">
          {error}
        </p>
      )}
    </section>
  );
}
