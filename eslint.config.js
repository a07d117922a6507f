// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layer rules from DESIGN.md "Pipeline and layout", enforced here:
 * checks read facts and never run anything; probes never judge or report; reporters never
 * run anything; only the CLI touches `process`.
 */
const layer = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'examples/**/_codex_predeploy/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/checks/**/*.ts'],
    rules: layer(
      ['**/targets/**', '**/safety/**', '**/reporters/**', '**/cli/**', '**/probes/**/probe.js', 'node:*', 'fs', 'child_process', 'http', 'https'],
      'checks are pure: they read facts (engine types, facts/, pure helpers) and never run anything',
    ),
  },
  {
    files: ['src/probes/**/*.ts'],
    rules: layer(['**/checks/**', '**/reporters/**', '**/cli/**'], 'probes collect facts; they never judge or report'),
  },
  {
    files: ['src/reporters/**/*.ts'],
    rules: layer(
      ['**/targets/**', '**/safety/runner.js', '**/safety/http.js', '**/probes/**', '**/cli/**', 'node:child_process', 'node:http', 'node:https', 'node:fs', 'node:fs/promises'],
      'reporters are pure functions from results to text; they never run or write anything',
    ),
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/targets/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'only src/cli touches process (argv, env, exit codes, stdout)' }],
      'no-restricted-properties': ['error', { object: 'console', message: 'no console outside src/cli' }],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.mjs', '**/*.test.ts'],
    rules: { 'no-restricted-globals': 'off', 'no-console': 'off', 'no-restricted-properties': 'off', 'no-restricted-imports': 'off' },
  },
);
