import { render, screen } from '@testing-library/react';
import { App } from '../../../../renderer/App.tsx';
import type { Page } from '../../../../renderer/hooks/use-hash-route.ts';
import { bindBridge } from '../../../../renderer/store/bind-bridge.ts';
import { fakeBridge, type FakeBridge } from './fake-bridge.ts';

const HEADINGS: Record<Page, string> = {
  wallet: 'Wallet',
  buy: 'Buy credits',
  locations: 'Locations',
  activity: 'Activity',
  settings: 'Settings',
};

/** The whole window on one page, bound to a fake core, once app.state has answered. */
export async function renderApp(page: Page, fake: FakeBridge = fakeBridge()) {
  window.location.hash = `#/${page}`;
  const unbind = bindBridge(fake.bridge);
  const view = render(<App />);
  await screen.findByRole('heading', { level: 1, name: HEADINGS[page] });
  return { fake, unbind, ...view };
}

/** The window before app.state has answered: for the loading and first-call error states. */
export function renderBooting(page: Page, fake: FakeBridge) {
  window.location.hash = `#/${page}`;
  bindBridge(fake.bridge);
  return render(<App />);
}
