import { selectFeatureRows, type FeatureMatrix } from '../features/types';
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
}

export interface MemberResult {
  index: number;
  head: EstimatorJson;
  calibration: CalibrationState;
  history: EpochReport[];
}

export function fitMember(p: MemberPayload, hooks: FitHooks = {}): MemberResult {
  const train = { x: selectFeatureRows(p.x, p.rows), y: selectLabelRows(p.y, p.k, p.rows) };
  const cal = { x: selectFeatureRows(p.x, p.calRows), y: selectLabelRows(p.y, p.k, p.calRows) };
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

/** The worker task 'predictor.fitMember'. */
export function fitMemberTask(p: MemberPayload, ctx: TaskContext): MemberResult {
  return fitMember(p, {
    onEpoch: (r) => ctx.progress('train', r.epoch / r.maxEpochs, { member: p.index, epoch: r.epoch, loss: r.loss, valLoss: r.valLoss, valAuc: r.valAuc }),
  });
}
