import { beforeAll, describe, expect, it } from 'vitest';
import { buildPolicy, perTaskCostModel } from '../../../../src/main/engine/policy/export';
import type { Policy } from '../../../../src/main/engine/policy/format';
import { routeJsonl } from '../../../../src/main/engine/policy/route-jsonl';
import { PolicyRouter } from '../../../../src/main/engine/policy/router';
import { policyScorer } from '../../../../src/main/engine/policy/scorer';
import { policyText, readPolicy } from '../../../../src/main/engine/policy/verify';
import { batchMip } from '../../../../src/main/engine/routing/strategies/mip';
import { thresholdAssignment } from '../../../../src/main/engine/routing/strategies/threshold';
import { createRng, permutation } from '../../../../src/main/engine/predictor/rng';
import { checkAssignment } from '../../../../src/main/engine/routing/instance';
import { EngineError } from '../../../../src/shared/errors';
import { routerbenchCapacity, routerbenchPrices, trainRouterbenchPlanner, type TrainedPlanner } from './trained';

const BATCH = 100;
const FRACTION = 0.3;
const REF = 'gpt-4-1106-preview';
let planner: TrainedPlanner;
let policy: Policy;

function plannerCosts(texts: number[], pol: Policy, tasks: (string | null)[]): Float64Array {
  const cm = pol.costModel;
  if (cm.kind !== 'per-task') throw new Error('expected per-task costs');
  const k = pol.models.length;
  const out = new Float64Array(texts.length * k);
  texts.forEach((i, r) => out.set((tasks[i] != null && cm.byTask[tasks[i]!]) || cm.default, r * k));
  return out;
}

beforeAll(() => {
  planner = trainRouterbenchPlanner(1);
  const { train } = planner;
  const k = train.models.length;
  const repP = planner.predict(train.texts);
  const costModel = perTaskCostModel(train);
  const all = Array.from({ length: train.texts.length }, (_, i) => i);
  const draft = { costModel } as Policy;
  policy = readPolicy(
    policyText(
      buildPolicy({
        name: 'routerbench-test',
        models: train.models.map((id) => ({ id, priceInPerM: routerbenchPrices[id][0], priceOutPerM: routerbenchPrices[id][1], capacityPerBatch: routerbenchCapacity[id] ?? null })),
        sections: planner.sections,
        costModel,
        representative: { n: train.texts.length, p: repP, cost: plannerCosts(all, { ...draft, models: train.models } as never, train.tasks), tasks: train.tasks },
        strategy: { default: 'online', budgetFraction: FRACTION, referenceModel: REF, batchSize: BATCH, tau: 0.8 },
        provenance: { dataset: 'routerbench-train', seed: 1, createdAt: '2026-11-24T00:00:00.000Z', metrics: {} },
      }),
    ),
  );
  expect(policy.models).toHaveLength(k);
});

describe('reference router on RouterBench', () => {
  it("reproduces the planner's calibrated probabilities from the policy file alone", () => {
    const texts = planner.test.texts;
    const a = planner.predict(texts);
    const b = policyScorer(policy).score(texts);
    let worst = 0;
    for (let t = 0; t < a.length; t++) worst = Math.max(worst, Math.abs(a[t] - b[t]));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it("replays >= 99.9% of the planner's batch decisions on the test files at the same budget", () => {
    const { test } = planner;
    const k = policy.models.length;
    const n = test.texts.length;
    const order = Array.from(permutation(n, createRng(5)));
    const router = new PolicyRouter(policy);
    const pAll = planner.predict(test.texts);
    let same = 0;
    let ref = policy.models.findIndex((m) => m.id === REF);
    for (let start = 0; start < n; start += BATCH) {
      const rows = order.slice(start, start + BATCH);
      const m = rows.length;
      const p = new Float64Array(m * k);
      rows.forEach((i, r) => p.set(pAll.subarray(i * k, (i + 1) * k), r * k));
      const cost = plannerCosts(rows, policy, test.tasks);
      let refSpend = 0;
      for (let r = 0; r < m; r++) refSpend += cost[r * k + ref];
      const capacity = policy.models.map((x) => x.capacityPerBatch);
      const planned = batchMip.route({ n: m, k, p, cost, capacity, budget: FRACTION * refSpend, rng: createRng(0) });
      const routed = router.route(rows.map((i) => ({ id: test.queryIds[i], text: test.texts[i], task: test.tasks[i], inputTokens: null, allowed: null })), { strategy: 'batch', batchSize: BATCH });
      for (let r = 0; r < m; r++) if (planned[r] === routed.assignment[r]) same++;
      // The router's own batches respect the planner's constraints.
      const check = checkAssignment({ n: m, k, quality: p, cost, capacity, budget: FRACTION * refSpend }, routed.assignment);
      expect(check.withinBudget && check.withinCapacity).toBe(true);
    }
    console.info(`replayed ${same}/${n} planner decisions (${((100 * same) / n).toFixed(2)}%)`);
    expect(same / n).toBeGreaterThanOrEqual(0.999);
  });

  it('threshold and online decisions equal the planner rules on the same probabilities', () => {
    const { test } = planner;
    const k = policy.models.length;
    const n = test.texts.length;
    const rows = Array.from({ length: n }, (_, i) => i);
    const p = Float64Array.from(planner.predict(test.texts));
    const cost = plannerCosts(rows, policy, test.tasks);
    const queries = rows.map((i) => ({ id: String(i), text: test.texts[i], task: test.tasks[i], inputTokens: null, allowed: null }));
    const router = new PolicyRouter(policy);
    const thr = router.route(queries, { strategy: 'threshold' }).assignment;
    expect(Array.from(thr)).toEqual(Array.from(thresholdAssignment({ n, k, p, cost, capacity: [], budget: Infinity, rng: createRng(0) }, 0.8)));
    const online = router.route(queries, { strategy: 'online' });
    const { lambda, mu } = policy.strategy.online;
    for (let i = 0; i < n; i++) {
      const j = online.assignment[i];
      for (let t = 0; t < k; t++) expect(p[i * k + j] - lambda * cost[i * k + j] - mu[j]).toBeGreaterThanOrEqual(p[i * k + t] - lambda * cost[i * k + t] - mu[t] - 1e-12);
    }
  });
});

describe('routeplan route input', () => {
  const text = () => policyText(policy);
  const run = (input: string, opts = {}) => {
    const out: string[] = [];
    const summary = routeJsonl(text(), input, (s) => out.push(s), opts);
    return { lines: out.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)), summary };
  };

  it('writes one decision per query with model, probability and estimated cost; honours models restrictions', () => {
    const { lines, summary } = run(['{"id":"a","text":"What is the capital of France?"}', '', '{"id":"b","prompt":"def f(x):","task":"mbpp","models":["claude-instant-v1","mistralai/mistral-7b-chat"]}'].join('\n'));
    expect(lines.map((d) => d.id)).toEqual(['a', 'b']);
    expect(['claude-instant-v1', 'mistralai/mistral-7b-chat']).toContain(lines[1].model);
    for (const d of lines) {
      expect(policy.models.map((m) => m.id)).toContain(d.model);
      expect(d.probability).toBeGreaterThan(0);
      expect(d.estimated_cost).toBeGreaterThan(0);
    }
    expect(summary.queries).toBe(2);
  });

  it('refuses a malformed line and a model the policy lacks, naming the row, and writes nothing', () => {
    const fail = (input: string) => {
      const out: string[] = [];
      try {
        routeJsonl(text(), input, (s) => out.push(s));
      } catch (err) {
        expect(out).toEqual([]);
        return err as EngineError;
      }
      throw new Error('input accepted');
    };
    const bad = fail('{"text":"ok"}\n{"text": "unterminated\n');
    expect(bad.code).toBe('FILE_FORMAT');
    expect(bad.details?.row).toBe(2);
    const unknown = fail('{"text":"ok"}\n{"text":"x"}\n{"text":"y","models":["gpt-5"]}');
    expect(unknown.details?.row).toBe(3);
    expect(unknown.message).toContain('no model "gpt-5"');
    expect(fail('{"id":"no text"}').details?.column).toBe('text');
  });

  it('never routes on a tampered policy', () => {
    const tampered = text().replace(`"lambda": ${policy.strategy.online.lambda}`, '"lambda": 0');
    expect(tampered).not.toBe(text());
    expect(() => routeJsonl(tampered, '{"text":"hi"}', () => {})).toThrow(/content hash mismatch/);
  });
});
