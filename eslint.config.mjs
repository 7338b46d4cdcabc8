// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { coreBoundary } from './scripts/lib/coreBoundaryRule.mjs';

export default tseslint.config(
  // Only the project's own folders are linted (see the `lint` script); these are never linted even there.
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      '.sandbox/**',
      'test/fixtures/**',
      'bench/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // A promise nobody awaits loses its rejection: say `void` where dropping it is meant.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises that the runner itself tracks.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    // The boundary that keeps core testable in plain Node: src/core imports nothing outside src/core
    // (checked on the resolved path, so `../../log`, which reaches the editor, fails too) and never `vscode`.
    files: ['src/core/**/*.ts'],
    plugins: { switchboard: { rules: { 'core-boundary': coreBoundary } } },
    rules: { 'switchboard/core-boundary': 'error' },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'webview code runs in the browser; talk to the host through messages.' }],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs', 'esbuild.mjs'],
    languageOptions: { globals: globals.node },
  },
);
