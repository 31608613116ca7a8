import { useEffect, useRef } from 'react';
import { NoticeBanners } from './components/NoticeBanners.tsx';
import { OfflineBanner } from './components/OfflineBanner.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { StatusHeader } from './components/StatusHeader.tsx';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { ErrorState, Loading } from './components/StatusMessages.tsx';
import { PAGE_TITLES, useHashRoute, type Page } from './hooks/use-hash-route.ts';
import { ActivityPage } from './pages/ActivityPage.tsx';
import { BuyPage } from './pages/BuyPage.tsx';
import { LocationsPage } from './pages/LocationsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { WalletPage } from './pages/WalletPage.tsx';
import { selectBoot } from './store/selectors.ts';
import { useAppStore } from './store/app-store.ts';

const PAGE_VIEWS: Record<Page, () => React.JSX.Element> = {
  wallet: WalletPage,
  buy: BuyPage,
  locations: LocationsPage,
  activity: ActivityPage,
  settings: SettingsPage,
};

export function App() {
  const boot = useAppStore(selectBoot);
  const loadAppState = useAppStore((s) => s.loadAppState);
  const page = useHashRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Each page its own title: the window list, history and screen readers tell them apart.
  useEffect(() => {
    document.title = `${PAGE_TITLES[page]} · Atlantic Proxy`;
  }, [page]);

  // After a page change, focus moves to the new page so keyboard and screen-reader users start there.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [page]);

  const View = PAGE_VIEWS[page];
  return (
    <div className="app">
      <Sidebar current={page} />
      <main ref={main} tabIndex={-1}>
        <OfflineBanner />
        {boot.status === 'ready' && <StatusHeader />}
        <NoticeBanners />
        <UpdateBanner />
        {boot.status === 'error' ? (
          <ErrorState message={`Can’t reach Atlantic Proxy: ${boot.error}`} onRetry={() => void loadAppState()} />
        ) : boot.status === 'ready' ? (
          <View />
        ) : (
          <Loading what="your wallet" />
        )}
      </main>
    </div>
  );
}
