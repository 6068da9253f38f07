// Slow: exact HiGHS MIPs of the paper's allocation form on seeded instances, the baseline the fast solver is held to.
import { describe, expect, it } from 'vitest';
import { fromPaperForm, type AllocProblem } from '../../../../src/main/engine/allocation/problem';
import { solveWithHighs } from '../../../../src/main/engine/allocation/highs-model';
import { solveDecomposition } from '../../../../src/main/engine/allocation/decompose';
import { uniformInstances } from '../../../../src/main/engine/allocation/solve';
import { prepareGroups, solveInner } from '../../../../src/main/engine/allocation/inner';
import { lagrangianBound } from '../../../../src/main/engine/allocation/bound';
import { descendDual } from '../../../../src/main/engine/allocation/dual-descent';
import { syntheticPaper } from './fixtures';

/** Every row of the paper's form, checked from scratch on an (instances, assignment) pair. */
function violations(p: AllocProblem, I: ArrayLike<number>, x: Int32Array): string[] {
  const out: string[] = [];
  let gpus = 0;
  for (let d = 0; d < I.length; d++) {
    if (I[d] < 0 || !Number.isInteger(I[d])) out.push(`I[${d}] = ${I[d]}`);
    gpus += I[d] * p.dep.gpus[d];
  }
  if (gpus > p.gpuTypes[0].count) out.push(`GPUs ${gpus} > ${p.gpuTypes[0].count}`);
  let spend = 0;
  const load = new Map<string, number>();
  for (let i = 0; i < p.n; i++) {
    spend += p.knapsack!.coef[i * p.k + x[i]];
    const key = `${p.groupOf[i]}:${x[i]}`;
    load.set(key, (load.get(key) ?? 0) + 1);
  }
  if (spend > p.knapsack!.rhs * (1 + 1e-9)) out.push(`spend ${spend} > ${p.knapsack!.rhs}`);
  for (const [key, l] of load) {
    const j = Number(key.split(':')[1]);
    if (!p.hosted[j]) continue;
    let cap = 0;
    for (let d = 0; d < I.length; d++) if (p.dep.model[d] === j) cap += p.dep.capUnit[d] * I[d];
    if (l > cap) out.push(`batch ${key} load ${l} > cap ${cap}`);
  }
  return out;
}

const meanQuality = (p: AllocProblem, x: Int32Array) => {
  let s = 0;
  for (let i = 0; i < p.n; i++) s += p.quality[i * p.k + x[i]];
  return s / p.n;
};

describe('paper form: decomposition against an exact HiGHS solve', () => {
  const cases = [
    { n: 150, k: 5, seed: 1, gpuBudget: 6 },
    { n: 120, k: 6, seed: 2, gpuBudget: 10 },
    { n: 200, k: 6, seed: 3, gpuBudget: 3, budgetPerQuery: 2e-6 },
    { n: 100, k: 7, seed: 4, gpuBudget: 16, budgetPerQuery: 5e-6 },
  ];
  for (const c of cases) {
    it(`n=${c.n} k=${c.k} G=${c.gpuBudget} seed ${c.seed}: agrees within the stated gap, and beats the uniform split`, async () => {
      const p = fromPaperForm(syntheticPaper(c.n, c.k, c.seed, c));
      // Exact within 0.01%: the comparisons below allow for that tolerance through exact.bound.
      const exact = await solveWithHighs(p, { integer: true, mipRelGap: 1e-4, timeLimitS: 60 });
      expect(['optimal', 'feasible']).toContain(exact.status);
      expect(violations(p, exact.instances, exact.assignment!)).toEqual([]);
      const lp = await solveWithHighs(p, { integer: false });
      const dec = solveDecomposition(p, { lp: { instances: lp.instances, bound: lp.objective }, timeLimitMs: 20_000 });
      expect(dec.status).not.toBe('infeasible');
      expect(violations(p, dec.instances, dec.assignment!)).toEqual([]);
      // The reported objective is the assignment's, the bound is valid, the gap is honest.
      expect(meanQuality(p, dec.assignment!)).toBeCloseTo(dec.objective, 10);
      expect(exact.objective).toBeLessThanOrEqual(dec.bound + 1e-9);
      expect(dec.objective).toBeLessThanOrEqual(exact.bound + 1e-9);
      expect((exact.objective - dec.objective) / exact.objective).toBeLessThanOrEqual(dec.gap + 1e-9);
      // Our own Lagrangian bound alone (no LP) is valid as well.
      const own = solveDecomposition(p, { timeLimitMs: 4_000 });
      expect(exact.objective).toBeLessThanOrEqual(own.bound + 1e-9);
      // Dual descent from the router's prices at the optimum's counts: never looser, still valid.
      const at = solveInner(p, prepareGroups(p), exact.instances);
      const start = lagrangianBound(p, at.lambda, at.capPrice);
      const desc = descendDual(p, at, at.objective, { maxSteps: 500, budgetMs: 2_000 });
      expect(desc.bound).toBeLessThanOrEqual(start + 1e-12);
      expect(lagrangianBound(p, desc.lambda, desc.capPrice)).toBeCloseTo(desc.bound, 9);
      expect(exact.objective).toBeLessThanOrEqual(desc.bound + 1e-9);
      // The optimum is at least the uniform split of the same GPUs, routed exactly.
      const uni = await solveWithHighs(p, { integer: true, mipRelGap: 1e-6, timeLimitS: 60, fixInstances: uniformInstances(p) });
      if (uni.status === 'optimal') expect(exact.bound).toBeGreaterThanOrEqual(uni.objective - 1e-9);
    });
  }
});

describe("paper form at the seed paper's size (N = 1,000, M = 20, G = 40, batches of 100)", () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: our decomposition alone certifies its allocation within 0.1% of its own bound, every row holding`, () => {
      const p = fromPaperForm(syntheticPaper(1000, 20, seed, { api: 10, gpuBudget: 40, batchSize: 100, budgetPerQuery: 3e-5 }));
      const dec = solveDecomposition(p, { timeLimitMs: 20_000 });
      expect(dec.status).toBe('optimal');
      expect(violations(p, dec.instances, dec.assignment!)).toEqual([]);
      expect(meanQuality(p, dec.assignment!)).toBeCloseTo(dec.objective, 10);
      expect(dec.gap).toBeLessThanOrEqual(1e-3);
      expect((dec.bound - dec.objective) / dec.bound).toBeCloseTo(dec.gap, 12);
    });
  }
});
