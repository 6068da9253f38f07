// Slow: the quick-look evaluate runs the real CLI on RouterBench with the default hybrid features (3,178 texts encoded, cached across files) and a feature-view ensemble.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult, SolveResult } from '../../src/shared/contract/routing';
import { scratchDir } from '../helpers/engine';
import { testFiles, trainFiles } from '../helpers/routerbench';
import { syntheticInstance } from '../../src/main/engine/routing/synthetic';
import { ensureBuilt, runCli, writeInput } from '../helpers/cli';

const routeplan = (...args: string[]) => runCli(args, { env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });

const scratch = scratchDir('routeplan-cli-routing-');
const file = (name: string, value: unknown) => writeInput(scratch.dir, name, value);
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

describe('routeplan solve-batch --budget-confidence', () => {
  const inst = syntheticInstance({ n: 300, k: 5, seed: 8, budgetFraction: 0.4 });
  const rows = (a: Float64Array) => Array.from({ length: inst.n }, (_, i) => Array.from(a.subarray(i * inst.k, i * inst.k + inst.k)));
  const base = { quality: rows(inst.quality), cost: rows(inst.cost), capacity: inst.capacity, budget: inst.budget, costStd: rows(inst.cost.map((c) => 0.5 * c)) };

  it('holds mean + z sd within the budget, says it in the table, and exits 3 naming the budget when nothing can', () => {
    const r = routeplan('solve-batch', '--input', file('cc.json', base), '--budget-confidence', '0.95', '--json');
    expect(r.code, r.err).toBe(0);
    const s = r.json() as SolveResult;
    expect(s.budgetConfidence).toBe(0.95);
    expect(s.riskAdjustedCost!).toBeLessThanOrEqual(inst.budget * (1 + 1e-9));
    expect(routeplan('solve-batch', '--input', file('cc.json', base), '--budget-confidence', '0.95').out).toMatch(/cost \+ z sd/);
    const tight = routeplan('solve-batch', '--input', file('tight.json', { ...base, budget: inst.budget / 40 }), '--budget-confidence', '0.95');
    expect(tight.code).toBe(3);
    expect(tight.out + tight.err).toMatch(/reason: budget .* (cannot hold with probability 95.0%|cannot be met even on mean costs)/);
    const bad = routeplan('solve-batch', '--input', file('cc.json', base), '--budget-confidence', '1.5');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/budget confidence must be in \(0, 1\)/);
    const noSd = routeplan('solve-batch', '--input', file('nosd.json', { ...base, costStd: undefined }), '--budget-confidence', '0.9');
    expect(noSd.code).toBe(1);
    expect(noSd.err).toMatch(/instance.costStd/);
  });
});

describe('routeplan solve-batch', () => {
  const inst = syntheticInstance({ n: 400, k: 5, seed: 5, budgetFraction: 0.4, capacityShare: 0.2, capacityEvery: 2 });
  const rows = (a: Float64Array) => Array.from({ length: inst.n }, (_, i) => Array.from(a.subarray(i * inst.k, i * inst.k + inst.k)));
  const input = file('batch.json', { quality: rows(inst.quality), cost: rows(inst.cost), capacity: inst.capacity, budget: inst.budget });

  it('solves with every solver, never exceeds the budget or a capacity, and the gap holds', () => {
    const results: Record<string, SolveResult> = {};
    for (const solver of ['fast', 'highs', 'auto']) {
      const r = routeplan('solve-batch', '--input', input, '--solver', solver, '--time-limit', '60', '--json');
      expect(r.code, r.err).toBe(0);
      const s = r.json() as SolveResult;
      results[solver] = s;
      expect(s.assignment).toHaveLength(inst.n);
      let spend = 0;
      let quality = 0;
      const loads = new Array(inst.k).fill(0);
      s.assignment.forEach((j, i) => ((spend += inst.cost[i * inst.k + j]), (quality += inst.quality[i * inst.k + j]), loads[j]++));
      expect(spend).toBeLessThanOrEqual(inst.budget * (1 + 1e-9));
      inst.capacity.forEach((c, j) => c != null && expect(loads[j]).toBeLessThanOrEqual(c));
      expect(s.objective!).toBeCloseTo(quality, 9);
      expect(s.lpBound!).toBeGreaterThanOrEqual(s.objective! - 1e-9);
    }
    // Each bound is a true upper bound on the other solver's incumbent.
    expect(results.fast.lpBound!).toBeGreaterThanOrEqual(results.highs.objective! - 1e-7);
    expect(results.highs.lpBound!).toBeGreaterThanOrEqual(results.fast.objective! - 1e-7);
  });

  it('reports an infeasible budget with status, reason and exit code 3', () => {
    const poor = file('poor.json', { quality: [[0.9, 0.5], [0.8, 0.4]], cost: [2, 1], budget: 1.5 });
    const r = routeplan('solve-batch', '--input', poor, '--solver', 'fast', '--json');
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({ status: 'infeasible' });
    expect((r.json() as SolveResult).reason).toMatch(/below the cheapest/);
  });

  it('rejects a malformed instance naming the field', () => {
    const bad = file('bad.json', { quality: [[0.9, 0.5], [0.8]], cost: [2, 1], capacity: [1], budget: 3 });
    const r = routeplan('solve-batch', '--input', bad, '--json');
    expect(r.code).toBe(1);
    const err = r.json().error;
    expect(err.code).toBe('FILE_FORMAT');
    expect(err.message).toMatch(/quality\.1/);
    expect(err.message).toMatch(/capacity/);
    const notJson = file('broken.json', '{"quality": [[1,');
    expect(routeplan('solve-batch', '--input', notJson, '--json').json().error.code).toBe('FILE_FORMAT');
  });
});

describe('routeplan evaluate (quick look)', () => {
  it('sweeps budgets on RouterBench and reports rows whose spend tracks the budget', () => {
    const r = routeplan('evaluate', '--train', ...trainFiles, '--test', ...testFiles, '--strategies', 'mip,per-query,ndch', '--budgets', '0.2,0.5', '--seeds', '1', '--ensemble', '1', '--batch-size', '100', '--batching', 'adversarial', '--json');
    expect(r.code, r.err).toBe(0);
    const res = r.json() as EvaluationResult;
    expect(res.bestModel).toBe('gpt-4-1106-preview');
    for (const f of [0.2, 0.5]) {
      const mip = res.rows.find((x) => x.strategy === 'mip' && x.budgetFraction === f)!;
      const perQuery = res.rows.find((x) => x.strategy === 'per-query' && x.budgetFraction === f)!;
      // Decisions use estimated costs, so realised spend may drift a little, not far.
      expect(mip.costFraction).toBeLessThan(f * 1.15);
      // Matched spend: the per-query baseline never spends more (estimated) than the batch budgets in total.
      expect(perQuery.costFraction).toBeLessThan(f * 1.15);
      expect(mip.accuracyVsBest).toBeGreaterThan(0.85);
    }
    expect(res.rows.find((x) => x.strategy === 'oracle')!.accuracyVsBest).toBeGreaterThan(1.05);
  }); // the default hybrid predictor encodes 3,178 texts first (~40 s alone, more under CI's parallel load)

  it('fits feature-view members with --feature-fraction, and rejects a fraction outside (0, 1] naming it', () => {
    const r = routeplan('evaluate', '--train', ...trainFiles, '--test', ...testFiles, '--featurizer', 'builtin', '--ensemble', '3', '--feature-fraction', '0.5', '--strategies', 'mip,robust-quantile', '--budgets', '0.2', '--seeds', '1', '--batching', 'adversarial', '--no-singles', '--json');
    expect(r.code, r.err).toBe(0);
    const res = r.json() as EvaluationResult;
    for (const s of ['mip', 'robust-quantile']) expect(res.rows.find((x) => x.strategy === s)!.accuracyVsBest).toBeGreaterThan(0.85);
    for (const bad of ['0', '1.5']) {
      const b = routeplan('evaluate', '--train', trainFiles[0], '--test', testFiles[0], '--featurizer', 'builtin', '--feature-fraction', bad);
      expect(b.code).toBe(1);
      expect(b.err).toMatch(/featureFraction/);
    }
  });
});
