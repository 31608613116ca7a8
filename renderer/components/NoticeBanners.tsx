import { selectConnection, selectNotices } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** The core's in-app notices (low credit, session ended), each dismissable. */
export function NoticeBanners() {
  const all = useAppStore(selectNotices);
  const ended = useAppStore((s) => selectConnection(s).status === 'ended');
  // While the session-ended banner shows, the matching notice would only say it twice.
  const notices = ended ? all.filter((notice) => notice.kind !== 'session_ended') : all;
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
