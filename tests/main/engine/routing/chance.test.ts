import { describe, expect, it } from 'vitest';
import { calibratedZ, fitCostDistribution, predictCostDistribution } from '../../../../src/main/engine/evaluation/cost-distribution';
import { runEvaluation, type Predictions } from '../../../../src/main/engine/evaluation/protocol';
import { fitDefaultPredictor } from '../../../../src/main/engine/predictor/api';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import { solveWithChance } from '../../../../src/main/engine/routing/chance-solve';
import { minimumSpend, solveFast } from '../../../../src/main/engine/routing/lagrangian';
import { capacityArray } from '../../../../src/main/engine/routing/instance';
import { batchMip } from '../../../../src/main/engine/routing/strategies/mip';
import { normalQuantile, routeWithChance, spendMoments } from '../../../../src/main/engine/routing/strategies/chance';
import { perQueryShare } from '../../../../src/main/engine/routing/strategies/per-query';
import { syntheticInstance } from '../../../../src/main/engine/routing/synthetic';
import { EvaluationSettings } from '../../../../src/shared/contract/routing';
import { memoryEngine } from '../../../helpers/engine';
import { readRouterbench, testFiles, trainFiles } from '../../../helpers/routerbench';

/** A synthetic batch with per-pair cost variances proportional to the cost (CV 0.5). */
function chanceInstance(n: number, seed: number, f: number) {
  const inst = syntheticInstance({ n, k: 8, seed, budgetFraction: f });
  const variance = inst.cost.map((c) => (0.5 * c) ** 2);
  return { inst, variance };
}

describe('chance-constrained budgets', () => {
  it('normal quantiles to 1e-8', () => {
    for (const [p, z] of [[0.5, 0], [0.95, 1.6448536270], [0.975, 1.9599639845], [0.99, 2.3263478740], [0.01, -2.3263478740], [0.001, -3.0902323062]] as const) expect(normalQuantile(p)).toBeCloseTo(z, 8);
    expect(() => normalQuantile(1)).toThrow(/in \(0, 1\)/);
  });

  it('every answer holds Σμ + z√Σσ² ≤ B, gives up no more than it must, and holds the budget in simulation at the chosen probability', () => {
    for (const [seed, f] of [[1, 0.2], [2, 0.5], [3, 0.35]] as const) {
      const { inst, variance } = chanceInstance(400, seed, f);
      const ctx = { n: inst.n, k: inst.k, p: inst.quality, cost: inst.cost, capacity: inst.capacity, budget: inst.budget, rng: createRng(seed) };
      const plain = solveFast(inst);
      for (const confidence of [0.9, 0.95, 0.99]) {
        const z = normalQuantile(confidence);
        const r = routeWithChance(batchMip, ctx, variance, z);
        expect(r.feasible).toBe(true);
        const m = spendMoments(inst.cost, variance, inst.k, r.assign);
        expect(m.mean + z * Math.sqrt(m.variance)).toBeLessThanOrEqual(inst.budget * (1 + 1e-9));
        const q = r.assign.reduce((s, j, i) => s + inst.quality[i * inst.k + j], 0);
        expect(q).toBeLessThanOrEqual(plain.lpBound + 1e-9);
        // The reserve it keeps is about z·√V, not more: spend on means ≥ B − 1.5·z·√V.
        expect(m.mean).toBeGreaterThan(inst.budget - 1.5 * z * Math.sqrt(m.variance));
        // Realised cost = mean + normal noise with the stated variance: the budget holds that often.
        const rng = createRng(seed * 7 + 1);
        let held = 0;
        const draws = 4000;
        for (let d = 0; d < draws; d++) {
          let s = 0;
          for (let i = 0; i < inst.n; i++) s += inst.cost[i * inst.k + r.assign[i]] + Math.sqrt(variance[i * inst.k + r.assign[i]]) * rng.normal();
          if (s <= inst.budget) held++;
        }
        expect(held / draws).toBeGreaterThanOrEqual(confidence - 0.015);
      }
    }
  });

  it('routing.solve: the budget at a confidence, a certified gap on what it solves, and clear refusals', async () => {
    const engine = memoryEngine();
    try {
      const { inst, variance } = chanceInstance(300, 5, 0.4);
      const rows = (a: Float64Array) => Array.from({ length: inst.n }, (_, i) => Array.from(a.subarray(i * inst.k, (i + 1) * inst.k)));
      const instance = { quality: rows(inst.quality), cost: rows(inst.cost), capacity: inst.capacity, budget: inst.budget, costStd: rows(variance.map(Math.sqrt)) };
      const r = await engine.call('routing.solve', { instance, solver: 'fast', budgetConfidence: 0.95 });
      expect(r.status).not.toBe('infeasible');
      expect(r.riskAdjustedCost!).toBeLessThanOrEqual(inst.budget * (1 + 1e-9));
      expect(r.cost).toBeLessThan(inst.budget);
      expect(r.gap!).toBeLessThanOrEqual(1e-3);
      const direct = await solveWithChance(inst, variance, 0.95, { solver: 'fast' });
      expect(Array.from(direct.assignment)).toEqual(r.assignment);
      // A budget the cheapest plan meets on means but nothing meets at 99.9%: infeasible, named;
      // below the cheapest plan: infeasible, and the capacities named.
      const cheapest = minimumSpend(inst, capacityArray(inst)).spend;
      const tight = await engine.call('routing.solve', { instance: { ...instance, budget: cheapest * 1.0001 }, solver: 'fast', budgetConfidence: 0.999 });
      expect(tight.status).toBe('infeasible');
      expect(tight.reason, tight.reason).toMatch(/cannot hold with probability 99.9%/);
      const below = await engine.call('routing.solve', { instance: { ...instance, budget: cheapest * 0.9 }, solver: 'fast', budgetConfidence: 0.95 });
      expect(below.status).toBe('infeasible');
      expect(below.reason).toMatch(/cannot be met even on mean costs: .*capacities/);
      await expect(engine.call('routing.solve', { instance, budgetConfidence: 1.2 } as never)).rejects.toThrow(/budget confidence must be in \(0, 1\)/);
      await expect(engine.call('routing.solve', { instance: { ...instance, costStd: undefined }, budgetConfidence: 0.9 })).rejects.toThrow(/instance.costStd/);
      await expect(engine.call('routing.solve', { instance: { ...instance, costStd: [1, 2] }, budgetConfidence: 0.9 })).rejects.toThrow(/costStd/);
    } finally {
      engine.close();
    }
  });

  it('per-query-share: each query within its share of the batch budget on estimates, the most probable model that fits', () => {
    const { inst } = chanceInstance(200, 9, 0.3);
    const a = perQueryShare.route({ n: inst.n, k: inst.k, p: inst.quality, cost: inst.cost, capacity: inst.capacity, budget: inst.budget, rng: createRng(1) });
    const share = inst.budget / inst.n;
    for (let i = 0; i < inst.n; i++) {
      const row = i * inst.k;
      const fits = Array.from({ length: inst.k }, (_, j) => j).filter((j) => inst.cost[row + j] <= share);
      if (!fits.length) continue;
      expect(inst.cost[row + a[i]]).toBeLessThanOrEqual(share);
      expect(inst.quality[row + a[i]]).toBe(Math.max(...fits.map((j) => inst.quality[row + j])));
    }
  });

  it('RouterBench: the cost distribution is calibrated, and the chance-constrained MIP holds ≥ 95% of batch budgets on realised cost where the plain MIP does not', async () => {
    const train = readRouterbench(trainFiles);
    const test = readRouterbench(testFiles);
    // On test queries, realised cost within mean ± 1.645 sd: about 90% of pairs, per model.
    const { mean, variance } = predictCostDistribution(fitCostDistribution(train), test);
    let inside = 0;
    let total = 0;
    for (let t = 0; t < mean.length; t++) {
      if (!Number.isFinite(test.costs[t])) continue;
      total++;
      if (Math.abs(test.costs[t] - mean[t]) <= 1.645 * Math.sqrt(variance[t])) inside++;
    }
    expect(inside / total).toBeGreaterThan(0.85);
    // Batches of similar queries spread wider than independent costs: the calibrated z is above the
    // normal quantile, and grows with the confidence.
    const zs = [0.9, 0.95, 0.99].map((c) => calibratedZ(train, c, 100, normalQuantile(c)));
    expect(zs[0]).toBeGreaterThan(normalQuantile(0.9));
    expect(zs[1]).toBeGreaterThan(zs[0]);
    expect(zs[2]).toBeGreaterThan(zs[1]);
    expect(zs[2]).toBeLessThan(6);
    const cache = new Map<number, Predictions>();
    const predict = async (seed: number) => {
      if (!cache.has(seed)) {
        const m = await (await fitDefaultPredictor(train, { seed, ensemble: 1 })).predict(test.texts);
        cache.set(seed, { p: Float64Array.from(m.p) });
      }
      return cache.get(seed)!;
    };
    const settings = EvaluationSettings.parse({ strategies: ['mip'], budgetFractions: [0.5], seeds: [1, 2], includeSingles: false, budgetConfidence: 0.95 });
    const r = await runEvaluation({ train, test, predict }, settings);
    const row = (name: string) => r.rows.find((x) => x.strategy === name)!;
    expect(row('mip-cc').withinBudgetShare!).toBeGreaterThanOrEqual(0.95);
    expect(row('mip').withinBudgetShare!).toBeLessThan(0.8);
    // The guarantee costs little accuracy at f = 0.5.
    expect(row('mip-cc').accuracyVsBest).toBeGreaterThan(row('mip').accuracyVsBest - 0.01);
  });
});
