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
    // Start-up time: zod and yaml load only when a run reads a config file or a YAML config.
    files: ['src/checks/**/*.ts', 'src/probes/**/*.ts', 'src/reporters/**/*.ts', 'src/engine/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/probes/host/monitoring-agents/{fluent-bit,vector,promtail}.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/config/schema.js', '**/config/loader.js', '**/config/attestations.js', 'zod', 'yaml'], allowTypeImports: true, message: 'loads zod/yaml at start-up: import TBD/isTbd from config/tbd.js, or import() on use' },
          ],
        },
      ],
    },
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
