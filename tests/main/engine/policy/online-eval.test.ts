import { beforeAll, describe, expect, it } from 'vitest';
import { randomBatches } from '../../../../src/main/engine/evaluation/batching';
import { estimatedCosts, shrinkToTaskPrior, trainingStats } from '../../../../src/main/engine/evaluation/costs';
import type { Policy } from '../../../../src/main/engine/policy/format';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import { evaluateOnlineRule } from '../../../../src/main/engine/policy/online-eval';
import { childSeed, createRng } from '../../../../src/main/engine/predictor/rng';
import { routerbenchCapacity, routerbenchPrices, trainRouterbenchPlanner, type TrainedPlanner } from './trained';

let planner: TrainedPlanner;
const policies = new Map<number, Policy>();

beforeAll(async () => {
  planner = await trainRouterbenchPlanner(2);
  const catalog = new Map(planner.train.models.map((id) => [id, { priceInPerM: routerbenchPrices[id][0], priceOutPerM: routerbenchPrices[id][1], capacityPerBatch: routerbenchCapacity[id] ?? null }]));
  for (const f of [0.1, 0.3, 0.5]) {
    policies.set(f, await policyFromTraining({ name: `f${f}`, dataset: 'routerbench-train', seed: 2, createdAt: '2026-11-24T00:00:00.000Z', train: planner.train, predictor: planner.predictor, catalog, budgetFraction: f, batchSize: 100, strategy: 'online' }));
  }
});

describe('online dual-price rule on held-out batches', () => {
  it('never beats a batch optimum it does not overspend (bounded by the proven LP bound), and reports its budget breaches', async () => {
    const { test, train } = planner;
    const k = test.models.length;
    const n = test.texts.length;
    const order = Array.from(randomBatches(n, n, createRng(childSeed(2, 17)))[0]);
    // The router's decision probabilities: the planner's blend with the task prior (weight 0.5).
    const stats = trainingStats(train);
    const pAll = shrinkToTaskPrior(stats, test, Float64Array.from(await planner.predict(test.texts)), 0.5);
    const est = estimatedCosts(stats, test);
    const p = new Float64Array(n * k);
    const cost = new Float64Array(n * k);
    order.forEach((i, r) => (p.set(pAll.subarray(i * k, (i + 1) * k), r * k), cost.set(est.subarray(i * k, (i + 1) * k), r * k)));
    for (const [f, policy] of policies) {
      expect(policy.decisionPrior?.weight).toBe(0.5);
      const e = evaluateOnlineRule(policy, { n, p, cost, batchSize: 100 });
      expect(e.batches).toBe(Math.ceil(n / 100));
      for (const b of e.perBatch) {
        if (b.spend <= b.budget * (1 + 1e-9) && b.withinCapacity) expect(b.online).toBeLessThanOrEqual(b.lpBound + 1e-9);
        expect(b.batch).toBeLessThanOrEqual(b.lpBound + 1e-9);
      }
      const over = e.perBatch.filter((b) => b.spend > b.budget * (1 + 1e-9)).length;
      expect(e.overBudgetShare).toBeCloseTo(over / e.batches, 12);
      console.info(`f=${f}: online/batch objective ${e.objectiveRatio.toFixed(4)}, over budget in ${(100 * e.overBudgetShare).toFixed(0)}% of batches (mean overspend ${(100 * e.meanOverspend).toFixed(1)}%), spend ratio ${e.spendRatio.toFixed(3)}, agreement ${e.agreement.toFixed(3)}`);
    }
  });
});
