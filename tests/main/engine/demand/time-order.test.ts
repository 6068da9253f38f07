import { describe, expect, it } from 'vitest';
import { timeOrder } from '../../../../src/main/engine/demand/time-order';
import { createRng } from '../../../../src/main/engine/predictor/rng';

describe('timeOrder', () => {
  it.each([
    ['uniform', (r: () => number) => 60 * r()],
    ['a burst inside a microsecond among spread arrivals', (r: () => number) => (r() < 0.5 ? 30 + 1e-7 * r() : 60 * r())],
    ['many equal times', (r: () => number) => Math.floor(r() * 5)],
  ])('sorts %s stably, like a comparator sort', (_name, draw) => {
    const rng = createRng(4);
    for (const n of [0, 1, 2, 31, 1000, 20_000]) {
      const t = Float64Array.from({ length: n }, () => draw(() => rng.next()));
      const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a] - t[b] || a - b);
      expect(Array.from(timeOrder(t, n))).toEqual(want);
    }
  });
});
