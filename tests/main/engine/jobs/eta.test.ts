import { describe, expect, it } from 'vitest';
import { createEta } from '../../../../src/main/engine/jobs/eta';

// A job of 100 s whose progress comes unevenly: a slow first fifth, then bursts with pauses.
function unevenRun(): { t: number; f: number }[] {
  const pts: { t: number; f: number }[] = [];
  for (let t = 0; t <= 100_000; t += 200) {
    const f = t < 40_000 ? (t / 40_000) * 0.2 : 0.2 + 0.8 * ((t - 40_000) / 60_000);
    // Bursts: progress is reported in steps of 5 % only, with the clock moving on between them.
    pts.push({ t, f: Math.floor(f * 20) / 20 });
  }
  return pts;
}

describe('createEta', () => {
  it('says nothing before any real progress', () => {
    const eta = createEta(0);
    expect(eta(0, 100)).toBeUndefined();
    expect(eta(0, 5000)).toBeUndefined();
  });

  it('finds a steady rate: at 50 % of a 100 s job it predicts about 50 s', () => {
    const eta = createEta(0);
    let last: number | undefined;
    for (let t = 0; t <= 50_000; t += 250) last = eta(t / 100_000, t);
    expect(last).toBeGreaterThan(45_000);
    expect(last).toBeLessThan(55_000);
  });

  it('never grows past half-way, even with bursts and pauses', () => {
    const eta = createEta(0);
    let prev: { eta: number; t: number } | null = null;
    for (const { t, f } of unevenRun()) {
      const e = eta(f, t);
      if (e == null || f < 0.5) continue;
      // Counted in wall time: the promise made earlier, minus the time since, is never exceeded.
      if (prev) expect(e).toBeLessThanOrEqual(Math.max(0, prev.eta - (t - prev.t)) + 1);
      prev = { eta: e, t };
    }
    expect(prev).not.toBeNull();
  });

  it('does not swing wildly on uneven stages: after a quarter, every estimate is within 3x of the truth', () => {
    const eta = createEta(0);
    for (const { t, f } of unevenRun()) {
      const e = eta(f, t);
      if (e == null || f < 0.25 || f >= 0.95) continue;
      const truth = 100_000 - t;
      expect(e).toBeLessThan(truth * 3);
      expect(e).toBeGreaterThan(truth / 3);
    }
  });
});
