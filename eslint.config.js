// One lint setup for the repo. The import rules keep the layers honest:
// shared imports nothing of ours; server, electron and renderer build on shared only
// (and server and the client core on relay/, Node socket plumbing).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, packages = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: packages.map((name) => ({ name, message: `this layer may not import the ${name} package` })),
        patterns: forbidden.map((dir) => ({
          group: [`**/${dir}/**`, `**/${dir}`],
          message: `this layer may not import ${dir}/`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'coverage', '.data'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Tests read JSON answers loosely; the schemas they check are asserted explicitly.
  { files: ['tests/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  layer(['shared/**'], ['server', 'electron', 'renderer']),
  layer(['server/**'], ['electron', 'renderer']),
  layer(['renderer/**'], ['server', 'electron', 'relay']),
  // Socket plumbing shared by the gateway and the local proxy: Node only, nothing of ours.
  layer(['relay/**'], ['shared', 'server', 'electron', 'renderer']),
  // The Electron shell: shared/ and the client core, and server/ only through its embedding entry.
  {
    files: ['electron/**'],
    ignores: ['electron/core/**', 'electron/headless/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**', '**/renderer'], message: 'this layer may not import renderer/' },
            {
              // gitignore rules: a negation re-includes a file only when its folder itself isn't excluded.
              group: ['**/server/**', '!**/server/embedded.ts'],
              message: 'the shell embeds server/ only through server/embedded.ts',
            },
            { regex: '^(\\.{1,2}/)+server/?$', message: 'the shell embeds server/ only through server/embedded.ts' },
          ],
        },
      ],
    },
  },
  // The client core and the headless host run in plain Node: no Electron, no server.
  layer(['electron/core/**', 'electron/headless/**'], ['server', 'renderer'], ['electron']),
);
