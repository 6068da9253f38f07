import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './tests/sequencer.ts';

// Tests bound work, not wall time: a loaded machine makes the suite slower, never red. One generous
// deadline per test and hook catches a hang; no test sets a shorter one (e2e steps wait for states
// with tests/e2e/harness.ts's `patience`, the same bound).
const generous = 1_800_000;

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: generous,
    hookTimeout: generous,
    teardownTimeout: 60_000,
    // Sentence-encoder embeddings shared by every test file and every CLI or server a test starts
    // (src/main/engine/features/encoder-disk-cache.ts): RouterBench's texts are encoded once per
    // clone, not once per file. Keyed by the encoder weights and the text, so never stale.
    env: { ROUTEPLAN_ENCODER_CACHE: fileURLToPath(new URL('./.tmp/encoder-cache', import.meta.url)) },
    // Longest files first, the encoder's first user before the others (tests/sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
    pool: 'forks',
    maxWorkers: 2,
  },
});
