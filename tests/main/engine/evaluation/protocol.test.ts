import { describe, expect, it } from 'vitest';
import { runEvaluation, type Predictions } from '../../../../src/main/engine/evaluation/protocol';
import { trainingStats, estimatedCosts } from '../../../../src/main/engine/evaluation/costs';
import { adversarialBatches, predictedDifficulty, randomBatches } from '../../../../src/main/engine/evaluation/batching';
import { EvaluationSettings } from '../../../../src/shared/contract/routing';
import type { LabelMatrix } from '../../../../src/main/engine/data/matrix';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import { readRouterbench, testFiles, trainFiles } from '../../../helpers/routerbench';

const train = readRouterbench(trainFiles);
const test = readRouterbench(testFiles);
const k = train.models.length;

/** A real but simple predictor: each model's training accuracy on the query's task, and a lower band. */
function taskPrior(seed: number): Predictions {
  const stats = new Map<string, { s: number[]; c: number[] }>();
  train.tasks.forEach((t, i) => {
    const e = stats.get(t!) ?? { s: new Array(k).fill(0), c: new Array(k).fill(0) };
    for (let j = 0; j < k; j++) if (!Number.isNaN(train.scores[i * k + j])) (e.s[j] += train.scores[i * k + j]), e.c[j]++;
    stats.set(t!, e);
  });
  const rng = createRng(seed);
  const p = new Float64Array(test.texts.length * k);
  test.tasks.forEach((t, i) => {
    for (let j = 0; j < k; j++) p[i * k + j] = Math.min(1, Math.max(0, stats.get(t!)!.s[j] / stats.get(t!)!.c[j] + 0.05 * (rng.next() - 0.5)));
  });
  return { p, lower: p.map((v) => Math.max(0, v - 0.1 * rng.next())) };
}

/** The test set with its realised costs replaced by the estimates, so a budget met on estimates is met. */
function withEstimatedCosts(m: LabelMatrix): LabelMatrix {
  return { ...m, costs: estimatedCosts(trainingStats(train), m) };
}

describe('evaluation protocol', () => {
  it('budgeted strategies keep every batch within budget when realised = estimated cost; per-query matches total spend', async () => {
    const exact = withEstimatedCosts(test);
    const settings = EvaluationSettings.parse({ strategies: ['mip', 'batch-mip', 'robust-quantile', 'max-min', 'per-query', 'ndch-p'], budgetFractions: [0.1, 0.3], seeds: [1, 2], batchSize: 100, batching: 'adversarial' });
    const r = await runEvaluation({ train, test: exact, predict: taskPrior }, settings);
    expect(r.bestModel).toBe('gpt-4-1106-preview');
    for (const f of [0.1, 0.3]) {
      for (const s of ['mip', 'batch-mip', 'robust-quantile', 'max-min']) {
        const row = r.rows.find((x) => x.strategy === s && x.budgetFraction === f)!;
        expect(row.withinBudgetShare, `${s} f=${f}`).toBe(1);
        expect(row.costFraction).toBeLessThanOrEqual(f * (1 + 1e-9));
        expect(row.seeds).toBe(2);
      }
      const pq = r.rows.find((x) => x.strategy === 'per-query' && x.budgetFraction === f)!;
      expect(pq.costFraction).toBeLessThanOrEqual(f * (1 + 1e-9));
      // Per-query routing only matches the total: on homogeneous (adversarial) batches it overspends some.
      expect(pq.withinBudgetShare!).toBeLessThan(1);
    }
    const single = r.rows.filter((x) => x.kind === 'single');
    expect(single).toHaveLength(k);
    expect(single.find((x) => x.strategy === 'single:gpt-4-1106-preview')!.accuracyVsBest).toBe(1);
    expect(r.rows.find((x) => x.kind === 'oracle')!.accuracyVsBest).toBeGreaterThan(1.05);
  });

  it('cuts random batches as a permutation and adversarial batches in order of difficulty', () => {
    const n = 257;
    const batches = randomBatches(n, 50, createRng(3));
    expect(batches.map((b) => b.length)).toEqual([50, 50, 50, 50, 50, 7]);
    const seen = new Set(batches.flatMap((b) => Array.from(b)));
    expect(seen.size).toBe(n);
    const { p } = taskPrior(1);
    const d = predictedDifficulty(p, test.texts.length, k);
    const adv = adversarialBatches(d, 100);
    for (let b = 1; b < adv.length; b++) {
      const prevMax = Math.max(...Array.from(adv[b - 1], (i) => d[i]));
      const min = Math.min(...Array.from(adv[b], (i) => d[i]));
      expect(min).toBeGreaterThanOrEqual(prevMax);
    }
  });
});
