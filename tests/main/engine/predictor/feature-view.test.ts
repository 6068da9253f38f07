import { describe, expect, it } from 'vitest';
import { readRouterbench, trainFiles } from '../../../helpers/routerbench';
import { BuiltinFeaturizer } from '../../../../src/main/engine/features/builtin';
import { densify, maskColumns, selectFeatureRows, type FeatureMatrix } from '../../../../src/main/engine/features/types';
import { featureView, fitMember } from '../../../../src/main/engine/predictor/member';
import { loadEstimator, type EstimatorChoice } from '../../../../src/main/engine/predictor/estimators';
import { fitPredictor } from '../../../../src/main/engine/predictor/fit';

/**
 * Feature-view members store no mask: each estimator must ignore its dropped columns at
 * prediction time by construction (predictor/member.ts). If it did not, a member would score
 * unseen queries through weights it never trained.
 */
describe('feature-view ensemble members', () => {
  const data = readRouterbench([trainFiles[0]]);
  const k = data.models.length;
  const featurizer = BuiltinFeaturizer.fit(data.texts);
  const x = featurizer.transform(data.texts) as FeatureMatrix;
  const rows = Int32Array.from({ length: 400 }, (_, i) => i);
  const calRows = Int32Array.from({ length: 100 }, (_, i) => 400 + i);
  const probe = Int32Array.from({ length: 60 }, (_, i) => 500 + i);

  it.each<EstimatorChoice>([{ kind: 'mlp', maxEpochs: 5 }, { kind: 'logreg' }, { kind: 'knn', k: 10 }])('%o scores a query the same with or without its dropped columns', (estimator) => {
    const seed = 11;
    const r = fitMember({ index: 0, seed, estimator, x, y: data.scores, k, rows, calRows, featureFraction: 0.5 });
    const head = loadEstimator(r.head);
    const keep = featureView(x.dim, 0.5, seed);
    const kept = keep.reduce((s, v) => s + v, 0) / x.dim;
    expect(kept).toBeGreaterThan(0.45);
    expect(kept).toBeLessThan(0.55);
    const q = selectFeatureRows(x, probe);
    const full = head.logits(q);
    const masked = head.logits(maskColumns(q, keep));
    for (let i = 0; i < full.length; i++) expect(full[i]).toBeCloseTo(masked[i], 4);
    // The view is real: the probes do carry dropped columns.
    const dense = densify(q);
    let dropped = 0;
    for (let i = 0; i < dense.length; i++) if (dense[i] !== 0 && !keep[i % x.dim]) dropped++;
    expect(dropped).toBeGreaterThan(0);
  });

  it('gives each member of an ensemble its own view, and none to a single head', async () => {
    const { predictor } = await fitPredictor(data, { seed: 2, ensemble: 3, featureFraction: 0.5, estimator: { kind: 'logreg' } });
    const w = predictor.spec().members.map((m) => m.head);
    // Weights of a column outside a member's view stay exactly zero, so the zero patterns differ.
    const zeroRows = w.map((h) => zeroColumns(loadEstimator(h), x.dim, k));
    expect(zeroRows[0]).not.toEqual(zeroRows[1]);
    expect(zeroRows[1]).not.toEqual(zeroRows[2]);
    const single = await fitPredictor(data, { seed: 2, ensemble: 1, featureFraction: 0.5, estimator: { kind: 'logreg' } });
    // Columns no training row touches are zero in every head; a member's view adds about half the rest.
    const singleZero = zeroColumns(loadEstimator(single.predictor.spec().members[0].head), x.dim, k).length;
    const touched = x.dim - singleZero;
    for (const z of zeroRows) expect(z.length - singleZero).toBeGreaterThan(0.35 * touched);
  });
});

/** Columns whose input weights are all zero (the logistic regressions' w is dim x models). */
function zeroColumns(est: unknown, dim: number, k: number): number[] {
  const w = (est as { w: Float32Array }).w;
  const out: number[] = [];
  for (let c = 0; c < dim; c++) {
    let zero = true;
    for (let j = 0; j < k && zero; j++) if (w[c * k + j] !== 0) zero = false;
    if (zero) out.push(c);
  }
  return out;
}
