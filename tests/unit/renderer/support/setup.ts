import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { resetStore } from '../../../../renderer/store/app-store.ts';

// No vitest globals here, so testing-library can't register its own cleanup.
beforeEach(() => {
  resetStore();
  window.location.hash = '';
});
afterEach(() => cleanup());
