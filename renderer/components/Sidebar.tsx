import { PAGE_TITLES, type Page } from '../hooks/use-hash-route.ts';
import { statusOf } from '../store/status-words.ts';
import { useAppStore } from '../store/app-store.ts';

/** Plain links in a nav landmark: Tab reaches each, Enter follows it, the current one is announced. */
export function Sidebar({ current }: { current: Page }) {
  const connection = useAppStore((s) => s.connection);
  const endAcknowledged = useAppStore((s) => s.endAcknowledged);
  const status = statusOf(connection, endAcknowledged);
  return (
    <nav className="sidebar" aria-label="Main">
      <p className="brand">Atlantic Proxy</p>
      <p className="sidebar-status" data-status={status.tone} data-testid="sidebar-status">
        <span className="status-dot" aria-hidden="true" />
        {status.word}
      </p>
      <ul>
        {(Object.keys(PAGE_TITLES) as Page[]).map((page) => (
          <li key={page}>
            <a href={`#/${page}`} aria-current={page === current ? 'page' : undefined} data-testid={`nav-${page}`}>
              {PAGE_TITLES[page]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
