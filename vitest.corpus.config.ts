// `npm run corpus:update`: rebuilds the replay regression corpus (test/replay/update-corpus.ts).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/replay/update-corpus.ts'], testTimeout: 300_000 },
});
