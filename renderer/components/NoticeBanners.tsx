import { selectConnection, selectNotices } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** The core's in-app notices (low credit, session ended), each dismissable. */
export function NoticeBanners() {
  const all = useAppStore(selectNotices);
  const status = useAppStore((s) => selectConnection(s).status);
  const live = status === 'connected' || status === 'connecting';
  // The header already says a session ended, and "minutes of credit left" is old news once nothing is live.
  const notices = all.filter(
    (notice) =>
      !(status === 'ended' && notice.kind === 'session_ended') &&
      (live || notice.kind === 'session_ended' || notice.kind === 'auto_topup_off'),
  );
  const dismiss = useAppStore((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.id} className="banner banner-info" role="status" data-testid={`notice-${notice.kind}`}>
          <strong>{notice.title}</strong> {notice.body}
          <button
            type="button"
            className="link-button"
            onClick={() => dismiss(notice.id)}
            aria-label={`Dismiss: ${notice.title}`}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
