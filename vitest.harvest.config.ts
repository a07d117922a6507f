import { defineConfig } from 'vitest/config';

// `npm run harvest:passing`: records a passing fact set per check from the check tests (see test/catalog/harvest-setup.ts).
export default defineConfig({
  test: {
    include: ['src/checks/**/*.test.ts'],
    setupFiles: ['test/setup/loopback-only.ts', 'test/catalog/harvest-setup.ts'],
    pool: 'forks',
  },
});
