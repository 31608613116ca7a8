import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { reportCoreLink } from '../../../../renderer/bridge/link-status.ts';
import { resetStore } from '../../../../renderer/store/app-store.ts';

// No vitest globals here, so testing-library can't register its own cleanup.
beforeEach(() => {
  resetStore();
  window.location.hash = '';
  // What outlives a reload (a pending checkout) and the link to the core start fresh for each test.
  window.localStorage.clear();
  reportCoreLink(true);
});
afterEach(() => cleanup());
