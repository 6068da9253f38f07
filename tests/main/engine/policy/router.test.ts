import { beforeAll, describe, expect, it } from 'vitest';
import type { LabelMatrix } from '../../../../src/main/engine/data/matrix';
import { estimatedCosts, shrinkToTaskPrior, trainingStats, type TrainingStats } from '../../../../src/main/engine/evaluation/costs';
import { randomBatches, takeRows } from '../../../../src/main/engine/evaluation/batching';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import type { Policy } from '../../../../src/main/engine/policy/format';
import type { RouteQuery } from '../../../../src/main/engine/policy/queries';
import { routeJsonl } from '../../../../src/main/engine/policy/route-jsonl';
import { PolicyRouter } from '../../../../src/main/engine/policy/router';
import { policyScorer, predictorScorer } from '../../../../src/main/engine/policy/scorer';
import { policyText, readPolicy, sealPolicy } from '../../../../src/main/engine/policy/verify';
import { childSeed, createRng } from '../../../../src/main/engine/predictor/rng';
import { checkAssignment } from '../../../../src/main/engine/routing/instance';
import { batchMip } from '../../../../src/main/engine/routing/strategies/mip';
import { ndchP } from '../../../../src/main/engine/routing/strategies/ndch';
import { thresholdAssignment } from '../../../../src/main/engine/routing/strategies/threshold';
import type { EngineError } from '../../../../src/shared/errors';
import { routerbenchCapacity, routerbenchPrices, trainRouterbenchPlanner, type TrainedPlanner } from './trained';

const BATCH = 100;
const FRACTION = 0.3;
const WEIGHT = 0.5; // EvaluationSettings.predictorWeight's default
let planner: TrainedPlanner;
let policy: Policy;
let stats: TrainingStats;

const asQueries = (m: LabelMatrix, rows: ArrayLike<number>): RouteQuery[] => Array.from(rows, (i) => ({ id: m.queryIds[i], text: m.texts[i], task: m.tasks[i], inputTokens: null, allowed: null }));
/** The planner's decision probabilities on the test set: the evaluation protocol's own blend. */
const plannerP = async (): Promise<Float64Array> => shrinkToTaskPrior(stats, planner.test, Float64Array.from(await planner.predict(planner.test.texts)), WEIGHT);

beforeAll(async () => {
  planner = await trainRouterbenchPlanner(1);
  const { train } = planner;
  stats = trainingStats(train);
  const catalog = new Map(train.models.map((id) => [id, { priceInPerM: routerbenchPrices[id][0], priceOutPerM: routerbenchPrices[id][1], capacityPerBatch: routerbenchCapacity[id] ?? null }]));
  const exported = await policyFromTraining({ name: 'routerbench-test', dataset: 'routerbench-train', seed: 1, createdAt: '2026-11-24T00:00:00.000Z', train, predictor: planner.predictor, catalog, budgetFraction: FRACTION, batchSize: BATCH, strategy: 'online', tau: 0.8, predictorWeight: WEIGHT });
  policy = readPolicy(policyText(exported));
});

describe('reference router on RouterBench', () => {
  it("reproduces the planner's calibrated probabilities from the policy file alone", async () => {
    const texts = planner.test.texts;
    const a = await planner.predict(texts);
    // The fused hot path and the general path both reproduce the planner bit for bit.
    expect(Array.from(policyScorer(policy).score(texts))).toEqual(Array.from(a));
    expect(Array.from(predictorScorer(policy).score(texts))).toEqual(Array.from(a));
  });

  it("replays >= 99.9% of the planner's batch-MIP decisions on the test files at the same budget", async () => {
    const { test } = planner;
    const k = policy.models.length;
    const n = test.texts.length;
    const router = new PolicyRouter(policy);
    expect(policy.decisionPrior?.weight).toBe(WEIGHT);
    const p = await plannerP();
    const est = estimatedCosts(stats, test);
    const capacity = policy.models.map((x) => x.capacityPerBatch);
    let same = 0;
    // The evaluation protocol's batches, budgets and strategy (evaluation/protocol.ts, seed 1).
    for (const rows of randomBatches(n, BATCH, createRng(childSeed(1, 17)))) {
      const f64 = (len: number) => new Float64Array(len);
      const ctx = { n: rows.length, k, p: takeRows(p, k, rows, f64), cost: takeRows(est, k, rows, f64), capacity, budget: 0, rng: createRng(0) };
      for (const i of rows) ctx.budget += FRACTION * est[i * k + stats.best];
      const planned = batchMip.route(ctx);
      const routed = router.route(asQueries(test, rows), { strategy: 'batch', batchSize: BATCH });
      // The router decides on the planner's blended probabilities, bit for bit.
      expect(Array.from(routed.p)).toEqual(Array.from(ctx.p));
      for (let r = 0; r < rows.length; r++) if (planned[r] === routed.assignment[r]) same++;
      const check = checkAssignment({ ...ctx, quality: ctx.p }, routed.assignment);
      expect(check.withinBudget && check.withinCapacity).toBe(true);
    }
    console.info(`replayed ${same}/${n} planner decisions (${((100 * same) / n).toFixed(2)}%)`);
    expect(same / n).toBeGreaterThanOrEqual(0.999);
  });

  it('threshold, NDCH(P) and online decisions equal the planner rules on the same probabilities', async () => {
    const { test } = planner;
    const k = policy.models.length;
    const n = test.texts.length;
    const p = await plannerP();
    const cost = estimatedCosts(stats, test);
    const queries = asQueries(test, Array.from({ length: n }, (_, i) => i));
    const router = new PolicyRouter(policy);
    const ctx = { n, k, p, cost, capacity: [], budget: Infinity, rng: createRng(0) };
    expect(Array.from(router.route(queries, { strategy: 'threshold' }).assignment)).toEqual(Array.from(thresholdAssignment(ctx, 0.8)));
    // NDCH(P) on one batch at the policy's budget fraction: same vertices, same split.
    const rows = Int32Array.from({ length: BATCH }, (_, i) => i);
    let budget = 0;
    for (const i of rows) budget += FRACTION * cost[i * k + stats.best];
    const planned = ndchP.route({ ...ctx, n: BATCH, p: p.subarray(0, BATCH * k), cost: cost.subarray(0, BATCH * k), budget, valStats: stats });
    const routed = router.route(queries.slice(0, BATCH), { strategy: 'ndch', batchSize: BATCH }).assignment;
    expect(Array.from(routed)).toEqual(Array.from(planned));
    const online = router.route(queries, { strategy: 'online' });
    const { lambda, mu } = policy.strategy.online;
    for (let i = 0; i < n; i++) {
      expect(online.decisions[i].probability).toBe(p[i * k + online.assignment[i]]);
      const j = online.assignment[i];
      for (let t = 0; t < k; t++) expect(p[i * k + j] - lambda * cost[i * k + j] - mu[j]).toBeGreaterThanOrEqual(p[i * k + t] - lambda * cost[i * k + t] - mu[t] - 1e-12);
    }
  });
});

describe('decision prior', () => {
  const unsigned = () => {
    const { contentHash: _h, ...rest } = policy;
    return rest;
  };

  it('a policy without the section routes on the calibrated p alone, as before (weight 1 decides the same)', async () => {
    const { test } = planner;
    const k = policy.models.length;
    const n = test.texts.length;
    const { decisionPrior: _prior, ...rest } = unsigned();
    const plain = readPolicy(policyText(sealPolicy(rest)));
    expect(plain.decisionPrior).toBeUndefined();
    const raw = await planner.predict(test.texts);
    const queries = asQueries(test, Array.from({ length: n }, (_, i) => i));
    const routed = new PolicyRouter(plain).route(queries, { strategy: 'online' });
    expect(Array.from(routed.p)).toEqual(Array.from(raw));
    const { lambda, mu } = plain.strategy.online;
    for (let i = 0; i < n; i++) {
      const j = routed.assignment[i];
      expect(routed.decisions[i].probability).toBe(raw[i * k + j]);
      for (let t = 0; t < k; t++) expect(raw[i * k + j] - lambda * routed.cost[i * k + j] - mu[j]).toBeGreaterThanOrEqual(raw[i * k + t] - lambda * routed.cost[i * k + t] - mu[t] - 1e-12);
    }
    const one = readPolicy(policyText(sealPolicy({ ...rest, decisionPrior: { ...policy.decisionPrior!, weight: 1 } })));
    const batch = (pol: Policy) => new PolicyRouter(pol).route(queries.slice(0, 3 * BATCH), { strategy: 'batch', batchSize: BATCH });
    expect(Array.from(batch(one).assignment)).toEqual(Array.from(batch(plain).assignment));
    expect(Array.from(batch(one).p)).toEqual(Array.from(batch(plain).p));
    // ... while the exported blend does change some decisions.
    expect(Array.from(new PolicyRouter(policy).route(queries, { strategy: 'online' }).assignment)).not.toEqual(Array.from(routed.assignment));
  });

  it('a query without a task or with an unknown task takes the planner\'s prior: the "" row, else the overall accuracy', () => {
    const k = policy.models.length;
    const router = new PolicyRouter(policy);
    const q = (task: string | null): RouteQuery => ({ id: 'x', text: 'What is 2 + 2?', task, inputTokens: null, allowed: null });
    const routed = router.route([q(null), q('no-such-task'), q('__proto__'), q(planner.test.tasks[0])]);
    const probe = { texts: Array(4).fill('What is 2 + 2?'), tasks: [null, 'no-such-task', '__proto__', planner.test.tasks[0]], models: policy.models.map((m) => m.id) } as unknown as LabelMatrix;
    expect(Array.from(routed.p)).toEqual(Array.from(shrinkToTaskPrior(stats, probe, Float64Array.from(routed.calibrated), WEIGHT)));
    for (let j = 0; j < k; j++) expect(routed.p[k + j]).toBe(WEIGHT * routed.calibrated[k + j] + (1 - WEIGHT) * stats.accuracy[j]);
  });

  it('never routes on a tampered prior (hash mismatch)', () => {
    const text = policyText(policy);
    const task = Object.keys(policy.decisionPrior!.byTask)[0];
    const obj = JSON.parse(text);
    obj.decisionPrior.byTask[task][0] = 1;
    expect(() => routeJsonl(JSON.stringify(obj), '{"text":"hi"}', () => {})).toThrow(/content hash mismatch/);
    const weight = JSON.parse(text);
    weight.decisionPrior.weight = 0.9;
    expect(() => readPolicy(JSON.stringify(weight))).toThrow(/content hash mismatch/);
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

  it('refuses an intact (correctly hashed) policy whose recorded probe predictions this code does not reproduce', () => {
    expect(policy.predictor.fingerprint?.probes).toBeGreaterThan(0);
    expect(() => new PolicyRouter(policy)).not.toThrow();
    const bytes = Buffer.from(policy.predictor.fingerprint!.p, 'base64');
    bytes[5] ^= 1; // a different float in the last bits: what a changed featuriser would produce
    const drifted = sealPolicy({ ...policy, predictor: { ...policy.predictor, fingerprint: { ...policy.predictor.fingerprint!, p: bytes.toString('base64') } } });
    expect(() => new PolicyRouter(readPolicy(policyText(drifted)))).toThrow(/does not reproduce the predictions/);
  });

  it('never routes on a tampered policy', () => {
    const tampered = text().replace(`"lambda": ${policy.strategy.online.lambda}`, '"lambda": 0');
    expect(tampered).not.toBe(text());
    expect(() => routeJsonl(tampered, '{"text":"hi"}', () => {})).toThrow(/content hash mismatch/);
  });
});
