import { describe, expect, it } from 'vitest';
import { StepIntegral } from '../../../../src/main/engine/replay/fleet';
import { LatencyHistogram, TimeHeap } from '../../../../src/main/engine/replay/structures';
import { createRng } from '../../../../src/main/engine/predictor/rng';

describe('replay bookkeeping', () => {
  it('a step integral splits time exactly across intervals, even at boundaries that floating point cannot represent', () => {
    const I = 75.12345678901234;
    const s = new StepIntegral(I, 4, 1);
    s.change(0, 2);
    s.change(I, -1); // exactly on a boundary (change takes a delta)
    s.change(2.5 * I, 2);
    s.accrue(5 * I); // past the last interval: counted in it
    expect(s.perInterval[0]).toBeCloseTo(2 * I, 6);
    expect(s.perInterval[1]).toBeCloseTo(I, 6);
    expect(s.perInterval[2]).toBeCloseTo(0.5 * I + 0.5 * 3 * I, 6);
    expect(s.perInterval[3]).toBeCloseTo(3 * 2 * I, 6);
    expect(s.total).toBeCloseTo(2 * I + 1.5 * I + 7.5 * I, 6);
    expect(s.aboveFloor).toBeCloseTo(1 * I + 0 + 2 * 2.5 * I, 6);
  });

  it('the indexed time heap pops in time order while keys move both ways', () => {
    const rng = createRng(3);
    const h = new TimeHeap();
    const key = new Float64Array(50).fill(Infinity);
    for (let step = 0; step < 2000; step++) {
      const id = rng.int(50);
      const t = rng.next() < 0.2 ? Infinity : rng.next() * 100;
      h.set(id, t);
      key[id] = t;
      let best = Infinity;
      for (const k of key) best = Math.min(best, k);
      expect(h.topTime()).toBe(best);
      if (best < Infinity) expect(key[h.topId()]).toBe(best);
    }
  });

  it('the latency histogram quantile is within its 1% bin of the exact quantile', () => {
    const rng = createRng(8);
    const h = new LatencyHistogram();
    const xs = Array.from({ length: 20000 }, () => Math.exp(rng.normal() * 2 + 4));
    xs.forEach((x) => h.add(x));
    const exact = [...xs].sort((a, b) => a - b)[Math.ceil(0.9 * xs.length) - 1];
    const q = h.quantile(0.9)!;
    expect(q).toBeGreaterThanOrEqual(exact * 0.999);
    expect(q).toBeLessThanOrEqual(exact * 1.011);
  });
});
