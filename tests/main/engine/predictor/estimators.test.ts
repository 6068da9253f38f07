import { describe, expect, it } from 'vitest';
import type { SparseFeatures } from '../../../../src/main/engine/features/types';
import { MlpHead, macroAuc } from '../../../../src/main/engine/predictor/mlp';
import { KnnEstimator } from '../../../../src/main/engine/predictor/knn';
import { LogisticRegressions } from '../../../../src/main/engine/predictor/logreg';
import { loadEstimator } from '../../../../src/main/engine/predictor/estimators';
import { createRng } from '../../../../src/main/engine/predictor/rng';

/**
 * A sparse multi-label problem: each query has a "topic" feature and noise features; model c is
 * right on topic t with probability high when (t + c) is even. Model 2's labels are all missing.
 */
function problem(n: number, seed: number) {
  const rng = createRng(seed);
  const dim = 64;
  const k = 3;
  const rowPtr = new Int32Array(n + 1);
  const index: number[] = [];
  const value: number[] = [];
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const topic = rng.int(4);
    const feats = new Set([topic, 4 + rng.int(60), 4 + rng.int(60)]);
    for (const j of feats) (index.push(j), value.push(1 / Math.sqrt(feats.size)));
    rowPtr[i + 1] = index.length;
    for (let c = 0; c < k; c++) y[i * k + c] = c === 2 ? NaN : rng.next() < ((topic + c) % 2 === 0 ? 0.85 : 0.15) ? 1 : 0;
  }
  const x: SparseFeatures = { kind: 'sparse', rows: n, dim, rowPtr, index: Int32Array.from(index), value: Float32Array.from(value) };
  return { x, y, k };
}

describe.each([
  ['mlp', () => new MlpHead({ seed: 5, hidden: 8, maxEpochs: 30 })],
  ['logreg', () => new LogisticRegressions({ seed: 5 })],
  ['knn', () => new KnnEstimator({ k: 15 })],
])('%s estimator', (_name, make) => {
  const train = problem(800, 1);
  const val = problem(200, 2);
  const test = problem(400, 3);

  it('learns the labelled models (AUC > 0.8) while ignoring missing labels', () => {
    const est = make().fit(train, val);
    const p = est.predictProba(test.x);
    expect(macroAuc(p, test.y, test.x.rows, test.k)).toBeGreaterThan(0.8);
    for (const v of p) expect(Number.isFinite(v)).toBe(true);
  });

  it('round-trips through toJSON/load with identical predictions and refuses a version mismatch', () => {
    const est = make().fit(train, val);
    const json = JSON.parse(JSON.stringify(est.toJSON()));
    const again = loadEstimator(json);
    expect(Array.from(again.logits(test.x))).toEqual(Array.from(est.logits(test.x)));
    expect(() => loadEstimator({ ...json, version: 99 })).toThrow(/cannot load/);
  });
});

describe('MLP head', () => {
  it('is deterministic for a seed, differs across seeds, and reports epochs with early stopping', () => {
    const train = problem(600, 7);
    const val = problem(150, 8);
    const epochs: number[] = [];
    const a = new MlpHead({ seed: 1, hidden: 8, maxEpochs: 50, patience: 3 }).fit(train, val, { onEpoch: (r) => epochs.push(r.epoch) });
    const b = new MlpHead({ seed: 1, hidden: 8, maxEpochs: 50, patience: 3 }).fit(train, val);
    const c = new MlpHead({ seed: 2, hidden: 8, maxEpochs: 50, patience: 3 }).fit(train, val);
    expect(Array.from(a.logits(val.x))).toEqual(Array.from(b.logits(val.x)));
    expect(Array.from(a.logits(val.x))).not.toEqual(Array.from(c.logits(val.x)));
    expect(epochs.length).toBeGreaterThan(1);
    expect(epochs.length).toBeLessThan(50);
  });

  it('stops when the hook throws (cancellation between batches)', () => {
    const train = problem(600, 9);
    let calls = 0;
    expect(() =>
      new MlpHead({ seed: 1 }).fit(train, null, {
        check: () => {
          if (++calls > 3) throw new Error('cancelled');
        },
      }),
    ).toThrow('cancelled');
  });
});
