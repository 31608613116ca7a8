import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const repo = fileURLToPath(new URL('.', import.meta.url));
const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // `vite build` builds the renderer; relative asset URLs so Electron can load it from file:// too.
  root: at('renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: at('out/renderer'), emptyOutDir: true },
  test: {
    projects: [
      {
        extends: true,
        root: repo,
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/renderer/**', '**/node_modules/**'],
          globalSetup: ['tests/support/global-postgres.ts'],
          // Each file gets its own PGlite instance or PostgreSQL database; two cores, two workers.
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Component tests: no database, a browser-like DOM.
        extends: true,
        root: repo,
        test: {
          name: 'renderer',
          include: ['tests/unit/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['tests/unit/renderer/support/setup.ts'],
          maxWorkers: 2,
          testTimeout: 15_000,
        },
      },
    ],
  },
});
