import { describe, expect, it } from 'vitest';
import { erlangC, instanceQps, mmcQueue, serviceSeconds } from '../../../../src/main/engine/allocation/throughput';

describe('throughput model', () => {
  it("Little's law: an instance of 16 slots at 4 s per query sustains 4 q/s", () => {
    const s = serviceSeconds(200, 1000, 50, 2000); // 4 s decode + 0.5 s prefill
    expect(s).toBeCloseTo(4.5, 12);
    expect(instanceQps(16, 4)).toBe(4);
    expect(serviceSeconds(200, 1000, 50, null)).toBe(4); // unknown prefill speed is neglected
  });

  it('Erlang C reduces to ρ for one server and matches the M/M/1 wait', () => {
    for (const rho of [0.1, 0.5, 0.9]) expect(erlangC(1, rho)).toBeCloseTo(rho, 12);
    const q = mmcQueue(0.5, 1, 1); // λ=0.5, μ=1: Wq = ρ/(μ-λ) = 1
    expect(q.meanWaitS).toBeCloseTo(1, 12);
    expect(q.utilisation).toBeCloseTo(0.5, 12);
  });

  it('Erlang C matches a textbook value (c=2, a=1: 1/3) and is monotone in load', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    let prev = 0;
    for (let a = 1; a < 100; a += 7) {
      const c = erlangC(100, a);
      expect(c).toBeGreaterThanOrEqual(prev);
      prev = c;
    }
  });

  it('an overloaded pool reports an infinite wait, not a negative one', () => {
    const q = mmcQueue(10, 4, 1);
    expect(q.utilisation).toBeCloseTo(2.5, 12);
    expect(q.meanWaitS).toBe(Infinity);
    expect(erlangC(2000, 1900)).toBeLessThanOrEqual(1); // stable for thousands of slots
  });
});
