import type { ModelQuality, PredictorMetrics, ProbabilityQuality } from '../../../shared/contract/predictor';
import { probabilityMetrics, type ProbabilityMetrics } from '../calibration/metrics';
import type { FeatureMatrix } from '../features/types';
import type { RouterPredictor } from './router-predictor';

const quality = (m: ProbabilityMetrics): ProbabilityQuality => ({ auc: m.auc, ece: m.ece, brier: m.brier, pairs: m.pairs });

/** Before/after-calibration quality of a predictor on held-out rows (features x, labels y N*K). */
export function evaluateOnTest(predictor: RouterPredictor, x: FeatureMatrix, y: Float32Array): Pick<PredictorMetrics, 'before' | 'after' | 'perModel' | 'reliability'> {
  const k = predictor.models.length;
  const before = probabilityMetrics(predictor.uncalibrated(x), y, x.rows, k);
  const after = probabilityMetrics(predictor.predictFeatures(x).p, y, x.rows, k);
  const spec = predictor.spec();
  const temps = (spec.ensembleCalibration ?? spec.members[0]?.calibration)?.temperatures ?? [];
  const perModel: ModelQuality[] = predictor.models.map((model, c) => ({
    model,
    aucBefore: before.perModelAuc[c],
    aucAfter: after.perModelAuc[c],
    temperature: temps[c] ?? 1,
  }));
  return { before: quality(before), after: quality(after), perModel, reliability: { before: before.reliability, after: after.reliability } };
}
