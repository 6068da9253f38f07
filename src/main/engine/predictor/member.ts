import { maskColumns, selectFeatureRows, type FeatureMatrix } from '../features/types';
import { createRng } from './rng';
import { Calibrator, type CalibrationState } from '../calibration/calibrator';
import type { BucketSettings } from '../calibration/buckets';
import type { EpochReport, EstimatorJson, FitHooks } from './estimator';
import { createEstimator, type EstimatorChoice } from './estimators';
import { selectLabelRows } from './splits';
import type { TaskContext } from '../jobs/tasks';

/** One ensemble member's work: fit on its rows, early-stop and calibrate on the calibration rows. */
export interface MemberPayload {
  index: number;
  seed: number;
  estimator: EstimatorChoice;
  buckets?: Partial<BucketSettings>;
  x: FeatureMatrix;
  y: Float32Array; // N*K over all rows of x
  k: number;
  rows: Int32Array; // training rows (a bootstrap resample for ensembles)
  calRows: Int32Array;
  /** This member's feature view: each column kept with this probability (default 1: all). */
  featureFraction?: number;
}

export interface MemberResult {
  index: number;
  head: EstimatorJson;
  calibration: CalibrationState;
  history: EpochReport[];
}

export function fitMember(p: MemberPayload, hooks: FitHooks = {}): MemberResult {
  const keep = p.featureFraction != null && p.featureFraction < 1 ? featureView(p.x.dim, p.featureFraction, p.seed) : null;
  const view = (x: FeatureMatrix) => (keep ? maskColumns(x, keep) : x);
  const train = { x: view(selectFeatureRows(p.x, p.rows)), y: selectLabelRows(p.y, p.k, p.rows) };
  const cal = { x: view(selectFeatureRows(p.x, p.calRows)), y: selectLabelRows(p.y, p.k, p.calRows) };
  const history: EpochReport[] = [];
  const est = createEstimator(p.estimator, p.seed).fit(train, cal.x.rows ? cal : null, {
    check: hooks.check,
    onEpoch(r) {
      history.push(r);
      hooks.onEpoch?.(r);
    },
  });
  const calibration = Calibrator.fit(est.logits(cal.x), cal.y, cal.x.rows, p.k, p.buckets).toJSON();
  return { index: p.index, head: est.toJSON(), calibration, history };
}

/**
 * A member's columns: each kept with probability `fraction`, from the member's seed. Every
 * estimator then ignores the rest at prediction time without storing the view: the MLP's and the
 * logistic regressions' input weights start at zero and a column that is always zero gets no
 * gradient, so its weights stay zero; kNN's cosine ranking is the same whether or not the query's
 * dropped columns are zeroed (they add a constant to |q| only). predictor/feature-view.test.ts
 * checks all three.
 */
export function featureView(dim: number, fraction: number, seed: number): Uint8Array {
  const rng = createRng(seed ^ 0x5f3759df);
  const keep = new Uint8Array(dim);
  for (let c = 0; c < dim; c++) keep[c] = rng.next() < fraction ? 1 : 0;
  return keep;
}

/** The worker task 'predictor.fitMember'. */
export function fitMemberTask(p: MemberPayload, ctx: TaskContext): MemberResult {
  return fitMember(p, {
    onEpoch: (r) => ctx.progress('train', r.epoch / r.maxEpochs, { member: p.index, epoch: r.epoch, loss: r.loss, valLoss: r.valLoss, valAuc: r.valAuc }),
  });
}
