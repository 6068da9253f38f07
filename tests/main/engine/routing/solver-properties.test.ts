import { describe, expect, it } from 'vitest';
import { solveFast, solveBatch } from '../../../../src/main/engine/routing/solve';
import { runHighs } from '../../../../src/main/engine/routing/solve';
import { checkAssignment, type BatchInstance } from '../../../../src/main/engine/routing/instance';
import { syntheticInstance } from '../../../../src/main/engine/routing/synthetic';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import { testWorkerEntry } from '../../../helpers/engine';

/** Small random instances of every kind: budgets loose, tight or absent, capacities tight or none, ties, free models, K = 1. */
function randomInstance(seed: number): BatchInstance {
  const r = createRng(seed);
  const n = 1 + r.int(40);
  const k = 1 + r.int(6);
  const quality = new Float64Array(n * k);
  const cost = new Float64Array(n * k);
  for (let t = 0; t < n * k; t++) {
    quality[t] = r.next() < 0.2 ? 0.5 : Math.round(r.next() * 100) / 100;
    cost[t] = r.next() < 0.2 ? 0 : Math.round(r.next() * 1000) / 1000;
  }
  let cheapest = 0;
  let dearest = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(cost.subarray(i * k, i * k + k));
    cheapest += Math.min(...row);
    dearest += Math.max(...row);
  }
  const capacity = Array.from({ length: k }, () => (r.next() < 0.5 ? r.int(Math.ceil((1.5 * n) / k) + 2) : null));
  const budget = r.next() < 0.1 ? Infinity : Math.max(0, cheapest + (r.next() * 1.2 - 0.1) * (dearest - cheapest));
  return { n, k, quality, cost, capacity, budget };
}

describe('fast solver', () => {
  it('is feasible on random small instances and its claimed gap holds against an exact HiGHS solve', async () => {
    let checked = 0;
    for (let seed = 100; seed < 180; seed++) {
      const inst = randomInstance(seed);
      const fast = solveFast(inst, { tolerance: 1e-3 });
      const exact = await runHighs(inst, { timeLimitMs: 20_000, relGap: 0 });
      if (exact.status === 'infeasible') {
        expect(fast.status, `seed ${seed}`).toBe('infeasible');
        continue;
      }
      expect(exact.status, `seed ${seed}`).toBe('optimal');
      if (fast.status === 'infeasible') {
        // Only allowed when a capacity-feasible assignment within budget does not exist: HiGHS says otherwise.
        throw new Error(`seed ${seed}: fast says infeasible (${fast.reason}) but HiGHS found ${exact.objective}`);
      }
      const c = checkAssignment(inst, fast.assignment);
      expect(c.complete && c.withinBudget && c.withinCapacity, `seed ${seed}`).toBe(true);
      expect(c.objective).toBeCloseTo(fast.objective, 9);
      // The bound is a true upper bound and the claimed gap covers the distance to the optimum.
      expect(fast.lpBound, `seed ${seed}`).toBeGreaterThanOrEqual(exact.objective - 1e-7);
      expect(fast.objective, `seed ${seed}`).toBeLessThanOrEqual(exact.objective + 1e-7);
      expect(exact.objective - fast.objective, `seed ${seed}`).toBeLessThanOrEqual(fast.gap * Math.abs(fast.lpBound) + 1e-7);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('reports infeasible with a reason when the budget is below the cheapest assignment or capacity is short', () => {
    const base = syntheticInstance({ n: 200, k: 4, seed: 3 });
    const poor = solveFast({ ...base, budget: 1e-9 });
    expect(poor.status).toBe('infeasible');
    expect(poor.reason).toMatch(/budget/);
    const short = solveFast({ ...base, capacity: [10, 10, 10, 10] });
    expect(short.status).toBe('infeasible');
    expect(short.reason).toMatch(/capacity/);
  });

  it('meets the 0.1% gap on budget + capacity instances (K = 16, N = 1,000 and 10,000)', () => {
    for (const n of [1000, 10_000]) {
      for (const f of [0.1, 0.3, 0.7]) {
        const inst = syntheticInstance({ n, k: 16, seed: n + Math.round(f * 10), budgetFraction: f });
        const s = solveFast(inst);
        const c = checkAssignment(inst, s.assignment);
        expect(c.withinBudget && c.withinCapacity && c.complete).toBe(true);
        expect(s.gap, `n=${n} f=${f}`).toBeLessThanOrEqual(1e-3);
        expect(s.duals!.mu.length).toBe(16);
      }
    }
  });

  it('auto keeps the fast answer when within tolerance and HiGHS in a worker returns a feasible incumbent', async () => {
    const inst = syntheticInstance({ n: 300, k: 6, seed: 11 });
    const auto = await solveBatch(inst, { solver: 'auto', worker: testWorkerEntry });
    expect(auto.solver).toBe('fast');
    const viaWorker = await solveBatch(inst, { solver: 'highs', worker: testWorkerEntry, timeLimitMs: 30_000 });
    expect(viaWorker.solver).toBe('highs');
    const c = checkAssignment(inst, viaWorker.assignment);
    expect(c.withinBudget && c.withinCapacity).toBe(true);
    expect(viaWorker.objective).toBeLessThanOrEqual(auto.lpBound + 1e-9);
  });

  it('exports dual prices whose online rule argmax p - λc - μ_k nearly reproduces the batch optimum on a held-out batch', () => {
    for (const f of [0.1, 0.3, 0.6]) {
      const shape = { n: 5000, k: 8, budgetFraction: f, capacityShare: 0.1, capacityEvery: 3 };
      const seen = syntheticInstance({ ...shape, seed: 1 });
      const held = syntheticInstance({ ...shape, seed: 2 });
      const { lambda, mu } = solveFast(seen).duals!;
      const online = new Int32Array(held.n);
      for (let i = 0; i < held.n; i++) {
        let bv = -Infinity;
        for (let j = 0; j < held.k; j++) {
          const v = held.quality[i * held.k + j] - lambda * held.cost[i * held.k + j] - mu[j];
          if (v > bv) (bv = v), (online[i] = j);
        }
      }
      const c = checkAssignment(held, online);
      const opt = solveFast(held);
      expect(c.objective / opt.objective, `f=${f}`).toBeGreaterThan(0.99);
      expect(c.cost / held.budget, `f=${f}`).toBeLessThan(1.05);
      held.capacity.forEach((cap, j) => cap != null && expect(c.loads[j], `f=${f} model ${j}`).toBeLessThanOrEqual(cap * 1.15));
    }
  });

  it('stops HiGHS at its time limit (worker terminated if need be) and reports a timeout, not a crash', async () => {
    const inst = syntheticInstance({ n: 4000, k: 16, seed: 21, budgetFraction: 0.3 });
    const h = await runHighs(inst, { timeLimitMs: 1000, relGap: 0, worker: testWorkerEntry });
    expect(h.status).toBe('timeout');
    expect(h.reason).toMatch(/time limit|hard limit/);
    // Through solveBatch, an incumbent always comes back: HiGHS's, or the fast solver's in its place.
    const viaBatch = await solveBatch(inst, { solver: 'highs', timeLimitMs: 1000, worker: testWorkerEntry });
    expect(viaBatch.status).toBe('timeout');
    const c = checkAssignment(inst, viaBatch.assignment);
    expect(c.complete && c.withinBudget && c.withinCapacity).toBe(true);
    expect(viaBatch.lpBound).toBeGreaterThanOrEqual(viaBatch.objective);
  });
});

