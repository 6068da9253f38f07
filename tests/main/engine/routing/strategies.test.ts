import { describe, expect, it } from 'vitest';
import { strategyByName, strategyNames, type RoutingContext } from '../../../../src/main/engine/routing/strategies';
import { hullMix, nonDecreasingHull } from '../../../../src/main/engine/routing/strategies/ndch';
import { worstCaseValue } from '../../../../src/main/engine/routing/strategies/robust';
import { thresholdAssignment } from '../../../../src/main/engine/routing/strategies/threshold';
import { oracle } from '../../../../src/main/engine/routing/strategies/single';
import { spendOf } from '../../../../src/main/engine/routing/strategies/types';
import { syntheticInstance } from '../../../../src/main/engine/routing/synthetic';
import { solveFast } from '../../../../src/main/engine/routing/solve';
import { createRng } from '../../../../src/main/engine/predictor/rng';

function context(seed: number, n = 120, k = 6, f = 0.3): RoutingContext {
  const inst = syntheticInstance({ n, k, seed, budgetFraction: f, capacityShare: 0.3, capacityEvery: 2 });
  const rng = createRng(seed);
  const lower = inst.quality.map((v) => Math.max(0, v - 0.3 * rng.next()));
  const accuracy = new Float64Array(k);
  const meanCost = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) (accuracy[j] += inst.quality[i * k + j] / n), (meanCost[j] += inst.cost[i * k + j] / n);
  }
  return { n, k, p: inst.quality, lower, cost: inst.cost, capacity: inst.capacity, budget: inst.budget, valStats: { accuracy, meanCost }, rng };
}

describe('routing strategies', () => {
  it('the optimising strategies never exceed the batch budget and the capacity ones never exceed a capacity', () => {
    for (let seed = 1; seed <= 6; seed++) {
      for (const f of [0.15, 0.3, 1]) {
        const ctx = context(seed, 120, 6, f);
        for (const name of ['mip', 'batch-mip', 'robust-quantile', 'robust-gamma', 'max-min', 'threshold'] as const) {
          const a = strategyByName(name).route(ctx);
          expect(a.length).toBe(ctx.n);
          const capped = name !== 'mip' && name !== 'threshold';
          const feasible = solveFast({ n: ctx.n, k: ctx.k, quality: ctx.p, cost: ctx.cost, capacity: capped ? ctx.capacity : ctx.capacity.map(() => null), budget: ctx.budget }).status !== 'infeasible';
          if (feasible) expect(spendOf(ctx.cost, ctx.k, a), `${name} seed ${seed} f ${f}`).toBeLessThanOrEqual(ctx.budget * (1 + 1e-9));
          if (name === 'mip' || name === 'threshold') continue;
          const loads = new Array(ctx.k).fill(0);
          for (const j of a) loads[j]++;
          ctx.capacity.forEach((c, j) => c != null && expect(loads[j], `${name} model ${j}`).toBeLessThanOrEqual(c));
        }
      }
    }
  });

  it('the batch MIP is at least as good on p as every other budget-respecting strategy', () => {
    const ctx = context(9, 150, 6, 0.3);
    const value = (a: Int32Array) => a.reduce((s, j, i) => s + ctx.p[i * ctx.k + j], 0);
    const mip = value(strategyByName('batch-mip').route(ctx));
    for (const name of strategyNames) {
      const a = strategyByName(name).route(ctx);
      const loads = new Array(ctx.k).fill(0);
      for (const j of a) loads[j]++;
      const ok = spendOf(ctx.cost, ctx.k, a) <= ctx.budget && ctx.capacity.every((c, j) => c == null || loads[j] <= c);
      if (ok) expect(value(a), name).toBeLessThanOrEqual(mip * (1 + 1e-3));
    }
  });

  it('robust-gamma maximises the worst case better than the nominal MIP', () => {
    const ctx = context(4, 100, 5, 0.4);
    const g = Math.ceil(Math.sqrt(ctx.n));
    const robust = worstCaseValue(ctx.p, ctx.lower!, ctx.k, strategyByName('robust-gamma').route(ctx), g);
    const nominal = worstCaseValue(ctx.p, ctx.lower!, ctx.k, strategyByName('batch-mip').route(ctx), g);
    expect(robust).toBeGreaterThanOrEqual(nominal - 1e-9);
  });

  it('the NDCH hull is convex, non-decreasing, and mixes the bracketing vertices at the right share', () => {
    const stats = { accuracy: Float64Array.from([0.5, 0.6, 0.55, 0.8, 0.79, 0.7]), meanCost: Float64Array.from([1, 2, 3, 4, 10, 2.5]) };
    const hull = nonDecreasingHull(stats);
    expect(hull).toEqual([0, 5, 3]); // 1 lies under the chord 0–5; 4 is dearer and worse than 3
    const mix = hullMix(stats, 3);
    expect(mix.a).toBe(5);
    expect(mix.z).toBe(3);
    expect(mix.shareA).toBeCloseTo(1 / 1.5, 12);
    expect(hullMix(stats, 0.1)).toEqual({ a: 0, z: 0, shareA: 1 });
    expect(hullMix(stats, 99)).toEqual({ a: 3, z: 3, shareA: 1 });
  });

  it('threshold takes the cheapest model reaching τ, the oracle the cheapest correct one', () => {
    const p = Float64Array.from([0.9, 0.7, 0.2, 0.5, 0.6, 0.65]);
    const cost = Float64Array.from([3, 1, 2, 3, 1, 2]);
    const ctx: RoutingContext = { n: 2, k: 3, p, cost, capacity: [null, null, null], budget: Infinity, rng: createRng(1) };
    expect(Array.from(thresholdAssignment(ctx, 0.6))).toEqual([1, 1]);
    expect(Array.from(thresholdAssignment(ctx, 0.8))).toEqual([0, 2]);
    const truth = Float32Array.from([1, 0, 1, 0, 0, 0]);
    expect(Array.from(oracle.route({ ...ctx, truth }))).toEqual([2, 1]);
  });
});
