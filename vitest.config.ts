import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './tests/sequencer.ts';

// Tests bound work, not wall time: a loaded machine makes the suite slower, never red. One generous
// deadline per test and hook catches a hang; no test sets a shorter one (e2e steps wait for states
// with tests/e2e/harness.ts's `patience`, the same bound).
const generous = 1_800_000;
const all = ['tests/**/*.test.ts', 'tests/**/*.test.tsx'];
// Files that replace modules (vi.mock of electron): a module cached by an earlier file would keep
// that file's mock, so these get a fresh module registry each.
const mocking = ['tests/host/**/*.test.ts'];

export default defineConfig({
  test: {
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
    projects: [
      // Every other file shares its lane's module registry: a fresh one per file cost about 0.75 s
      // of start-up each (107 s over 144 files). Tests clean up what they start (engines, servers,
      // env); src/ keeps no state a test relies on being fresh.
      { extends: true, test: { name: 'shared', include: all, exclude: mocking, isolate: false } },
      { extends: true, test: { name: 'isolated', include: mocking, isolate: true } },
    ],
  },
});
