import highsLoader from 'highs';
import { describe, expect, it } from 'vitest';
import { fromExtendedForm, fromPaperForm, withinInventory } from '../../../../src/main/engine/allocation/problem';
import { reducedDual } from '../../../../src/main/engine/allocation/reduced-dual';
import { solveWithHighs } from '../../../../src/main/engine/allocation/highs-model';
import { solveDecomposition } from '../../../../src/main/engine/allocation/decompose';
import { syntheticExtended, syntheticPaper } from './fixtures';

describe('reduced dual of the one-group LP relaxation', () => {
  const cases = [
    { n: 400, k: 8, types: 3, gpus: 60, seed: 6, trafficQps: 150, spendCap: 600 },
    { n: 1500, k: 12, types: 4, gpus: 200, seed: 9, trafficQps: 600, spendCap: 2500 },
    { n: 800, k: 10, types: 2, gpus: 80, seed: 12, trafficQps: 300, spendCap: null },
  ];
  for (const c of cases) {
    it(`n=${c.n} k=${c.k} types=${c.types}: its bound is valid and within 0.2% of HiGHS's LP bound; its counts start a certified plan`, async () => {
      const p = fromExtendedForm(syntheticExtended(c.n, c.k, c.types, c.gpus, c.seed, { trafficQps: c.trafficQps, spendCap: c.spendCap }));
      const lp = await solveWithHighs(p, { integer: false });
      expect(lp.status).toBe('optimal');
      const r = reducedDual(p, await highsLoader(), { budgetMs: 5_000 })!;
      // Weak duality: never below the LP optimum (HiGHS's LP also bounds each count by
      // floor(G_t / gpus_d), so it may be a little tighter); converged: close to it.
      expect(r.bound).toBeGreaterThanOrEqual(lp.objective - 1e-9);
      expect((r.bound - lp.objective) / lp.objective).toBeLessThanOrEqual(2e-3);
      // The weighted counts are a fractional allocation within every GPU type's inventory.
      const use = new Float64Array(p.gpuTypes.length);
      r.instances.forEach((x, d) => (use[p.dep.gpuType[d]] += x * p.dep.gpus[d]));
      p.gpuTypes.forEach((g, t) => expect(use[t]).toBeLessThanOrEqual(g.count * (1 + 1e-3) + 1e-6));
      const dec = solveDecomposition(p, { lp: { instances: r.instances, bound: r.bound, lambda: r.lambda }, timeLimitMs: 20_000 });
      expect(dec.status).not.toBe('infeasible');
      expect(withinInventory(p, dec.instances)).toBe(true);
      expect(dec.objective).toBeLessThanOrEqual(lp.objective + 1e-9);
      expect(dec.gap).toBeLessThanOrEqual(0.01);
    });
  }

  it('declines problems with several groups (the paper form prices each batch)', async () => {
    expect(reducedDual(fromPaperForm(syntheticPaper(200, 6, 1, { batchSize: 50 })), await highsLoader())).toBeNull();
  });
});
