import { defineConfig } from 'vitest/config';

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
    pool: 'forks',
    maxWorkers: 2,
  },
});
