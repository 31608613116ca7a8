import { useSyncExternalStore } from 'react';

export const PAGES = ['wallet', 'buy', 'locations', 'activity', 'settings'] as const;
export type Page = (typeof PAGES)[number];

/** Each page's name: its heading, its link and its window title. */
export const PAGE_TITLES: Record<Page, string> = {
  wallet: 'Wallet',
  buy: 'Buy credits',
  locations: 'Locations',
  activity: 'Activity',
  settings: 'Settings',
};

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

function currentPage(): Page {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'wallet';
}

/** The page in the URL hash (#/buy): no router needed for five pages, and Back works. */
export function useHashRoute(): Page {
  return useSyncExternalStore(subscribe, currentPage);
}

export function goTo(page: Page): void {
  window.location.hash = `#/${page}`;
}
