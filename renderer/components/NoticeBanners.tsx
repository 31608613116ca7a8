import { selectNotices } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** The core's in-app notices (low credit, session ended), each dismissable. */
export function NoticeBanners() {
  const notices = useAppStore(selectNotices);
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
