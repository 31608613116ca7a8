import { type Page } from '../hooks/use-hash-route.ts';

const LABELS: Record<Page, string> = {
  wallet: 'Wallet',
  buy: 'Buy credits',
  locations: 'Locations',
  activity: 'Activity',
  settings: 'Settings',
};

/** Plain links in a nav landmark: Tab reaches each, Enter follows it, the current one is announced. */
export function Sidebar({ current }: { current: Page }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <p className="brand">Atlantic Proxy</p>
      <ul>
        {(Object.keys(LABELS) as Page[]).map((page) => (
          <li key={page}>
            <a href={`#/${page}`} aria-current={page === current ? 'page' : undefined} data-testid={`nav-${page}`}>
              {LABELS[page]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
