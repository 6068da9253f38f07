import { beforeAll, describe, expect, it } from 'vitest';
import { randomBatches } from '../../../../src/main/engine/evaluation/batching';
import type { Policy } from '../../../../src/main/engine/policy/format';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import { batchBudget, PolicyRouter } from '../../../../src/main/engine/policy/router';
import { routeJsonl } from '../../../../src/main/engine/policy/route-jsonl';
import { policyText, sealPolicy } from '../../../../src/main/engine/policy/verify';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import { trainRouterbenchPlanner, type TrainedPlanner } from './trained';

let planner: TrainedPlanner;
let policy: Policy;

beforeAll(async () => {
  planner = await trainRouterbenchPlanner(4);
  policy = await policyFromTraining({ name: 'cc', dataset: 'routerbench-train', seed: 4, createdAt: '2026-12-07T00:00:00.000Z', train: planner.train, predictor: planner.predictor, catalog: new Map(), budgetFraction: 0.5, batchSize: 100, strategy: 'batch', budgetConfidence: 0.95 });
});

/** Share of random test batches of 100 whose realised cost stays within the policy's batch budget. */
function withinShare(p: Policy, confidence: number | undefined): number {
  const { test } = planner;
  const k = test.models.length;
  const router = new PolicyRouter(p);
  const index = new Map(p.models.map((m, j) => [m.id, j]));
  let ok = 0;
  const batches = [1, 2, 3].flatMap((s) => randomBatches(test.texts.length, 100, createRng(s)).filter((b) => b.length === 100));
  for (const rows of batches) {
    const queries = Array.from(rows, (i) => ({ id: String(i), text: test.texts[i], task: test.tasks[i], inputTokens: null, allowed: null }));
    const r = router.route(queries, { strategy: 'batch', batchSize: 100, budgetConfidence: confidence ?? undefined });
    const budget = batchBudget(p, r.cost, rows.length, index);
    let spend = 0;
    rows.forEach((i, q) => (spend += Number.isFinite(test.costs[i * k + r.assignment[q]]) ? test.costs[i * k + r.assignment[q]] : r.cost[q * k + r.assignment[q]]));
    if (spend <= budget) ok++;
  }
  return ok / batches.length;
}

describe('the policy router holds batch budgets at a confidence', () => {
  it('exports per-task cost variances and the default confidence; at 95% the realised spend stays within ≥ 95% of batch budgets, far more than without', () => {
    expect(policy.strategy.batch.budgetConfidence).toBe(0.95);
    expect(policy.costModel.kind === 'per-task' && policy.costModel.variance?.byTask.mbpp).toHaveLength(policy.models.length);
    const plain = withinShare(policy, 0.5); // z = 0: the budget on mean costs
    const held = withinShare(policy, undefined); // the policy's 0.95
    console.log(`policy router, RouterBench test, 3 x 9 random batches of 100, f = 0.5: within the realised budget ${(100 * plain).toFixed(0)}% on mean costs, ${(100 * held).toFixed(0)}% at 95%`);
    expect(held).toBeGreaterThanOrEqual(0.95);
    expect(held).toBeGreaterThan(plain + 0.2);
  });

  it('refuses a confidence outside (0, 1), one for a non-batch strategy, and one without variances; a hopeless budget falls back, saying why', () => {
    const lines = planner.test.texts.slice(0, 40).map((t, i) => JSON.stringify({ id: String(i), text: t, task: planner.test.tasks[i] })).join('\n');
    const out: string[] = [];
    expect(() => routeJsonl(policyText(policy), lines, (s) => out.push(s), { strategy: 'online', budgetConfidence: 0.9 })).toThrow(/applies to the batch strategy, not online/);
    const { contentHash: _h, ...u } = JSON.parse(policyText(policy));
    delete u.costModel.variance;
    expect(() => sealPolicy(u)).toThrow(/budgetConfidence: needs costModel.variance/);
    delete u.strategy.batch.budgetConfidence;
    const bare = sealPolicy(u);
    expect(() => new PolicyRouter(bare).route([{ id: 'a', text: 'x', task: null, inputTokens: null, allowed: null }], { strategy: 'batch', budgetConfidence: 0.9 })).toThrow(/needs the cost variances/);
    // A budget of almost nothing: no plan holds it at 99.9%, and every decision of the batch says so.
    const tight = sealPolicy({ ...JSON.parse(policyText(policy)), contentHash: undefined, strategy: { ...policy.strategy, batch: { ...policy.strategy.batch, budget: { kind: 'per-query', usd: 1e-6 } } } } as never);
    const r = new PolicyRouter(tight).route(planner.test.texts.slice(0, 50).map((t, i) => ({ id: String(i), text: t, task: planner.test.tasks[i], inputTokens: null, allowed: null })), { strategy: 'batch', budgetConfidence: 0.999 });
    expect(r.decisions.every((d) => d.fallback && /cannot|below/.test(d.fallback))).toBe(true);
  });
});
