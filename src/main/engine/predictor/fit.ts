import type { LabelMatrix } from '../data/matrix';
import type { Featurizer } from '../features/types';
import { BuiltinFeaturizer } from '../features/builtin';
import { quietContext, type JobContext } from '../jobs/context';
import type { BucketSettings } from '../calibration/buckets';
import { fitMember, type MemberPayload, type MemberResult } from './member';
import type { EstimatorChoice } from './estimators';
import { RouterPredictor, type PredictorSpec } from './router-predictor';
import { createRng, permutation, childSeed } from './rng';
import { bootstrapRows, selectLabelRows } from './splits';
import { selectFeatureRows } from '../features/types';
import { Calibrator } from '../calibration/calibrator';

export interface FitPredictorOptions {
  seed: number;
  /** Bootstrap members; 1 (default) = one head on all training rows, no lower quantile. */
  ensemble?: number;
  /** Share of the given rows held out for early stopping and calibration (default 0.1). */
  calFraction?: number;
  /** Explicit calibration rows (indices into the given matrix); overrides calFraction. */
  calRows?: number[];
  estimator?: EstimatorChoice;
  buckets?: Partial<BucketSettings>;
  lowerQuantile?: number;
  /** A fitted featuriser; default: the built-in one fitted on the given texts. */
  featurizer?: Featurizer;
  /** Runs one member (e.g. in a worker thread); default: in this thread. */
  runMember?: (payload: MemberPayload) => Promise<MemberResult>;
  /**
   * Feature views: each member (when B > 1) sees each feature column with this probability
   * (random-subspace ensembles; default 1, every member sees every column).
   */
  featureFraction?: number;
  /** Members trained at once when runMember is given (default 2). */
  concurrency?: number;
}

export interface FitOutcome {
  predictor: RouterPredictor;
  calRows: number[];
  trainRows: number[];
  history: MemberResult['history'][];
  timings: Record<string, number>;
}

export const defaultEstimator: EstimatorChoice = { kind: 'mlp' };

/** Prior sd of log T when calibrating an ensemble's mean (see fitPredictor). */
export const ENSEMBLE_TEMPERATURE_PRIOR_SD = 0.1;

/** Featurise, hold out the calibration rows, fit B members (bootstrap when B > 1), calibrate each. */
export async function fitPredictor(data: LabelMatrix, opts: FitPredictorOptions, ctx: JobContext = quietContext()): Promise<FitOutcome> {
  const n = data.texts.length;
  const k = data.models.length;
  const B = Math.max(1, opts.ensemble ?? 1);
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  ctx.progress({ stage: 'featurise', fraction: 0 });
  const featurizer = opts.featurizer ?? BuiltinFeaturizer.fit(data.texts);
  const x = await featurizer.transform(data.texts);
  timings.featuriseMs = performance.now() - t0;
  ctx.check();

  const { calRows, trainRows } = holdOut(n, opts);
  const payloads: MemberPayload[] = Array.from({ length: B }, (_, b) => ({
    index: b,
    seed: childSeed(opts.seed, b),
    estimator: opts.estimator ?? defaultEstimator,
    buckets: opts.buckets,
    x,
    y: data.scores,
    k,
    rows: B === 1 ? trainRows : bootstrapRows(trainRows, childSeed(opts.seed, 1000 + b)),
    calRows,
    featureFraction: B > 1 ? opts.featureFraction : undefined,
  }));

  t0 = performance.now();
  const results: MemberResult[] = new Array(B);
  let done = 0;
  const report = (r: { epoch: number; maxEpochs: number; loss: number; valLoss: number; valAuc: number }, member: number) =>
    ctx.progress({ stage: 'train', fraction: (done + r.epoch / r.maxEpochs) / B, metrics: { member, epoch: r.epoch, loss: r.loss, valLoss: r.valLoss, valAuc: r.valAuc } });
  if (opts.runMember) {
    let next = 0;
    const lane = async () => {
      while (next < B) {
        const p = payloads[next++];
        results[p.index] = await opts.runMember!(p);
        done++;
        const last = results[p.index].history.at(-1);
        if (last) report(last, p.index);
        ctx.check();
      }
    };
    await Promise.all(Array.from({ length: Math.min(B, opts.concurrency ?? 2) }, lane));
  } else {
    for (const p of payloads) {
      results[p.index] = fitMember(p, { check: ctx.check, onEpoch: (r) => report(r, p.index) });
      done++;
      await new Promise((r) => setImmediate(r)); // lets a cancel arrive between members
      ctx.check();
    }
  }
  timings.trainMs = performance.now() - t0;

  const spec: PredictorSpec = {
    format: 'routeplan-predictor',
    version: 2,
    models: data.models,
    featurizer: featurizer.spec(),
    members: results.map((r) => ({ head: r.head, calibration: r.calibration })),
    aggregate: 'mean',
    lowerQuantile: opts.lowerQuantile ?? 0.1,
  };
  // An ensemble is calibrated once, on its mean (calibration/ensemble.ts), by temperature only, with
  // a prior log T ~ N(0, 0.1²): the bootstrap mean is already nearly calibrated, so buckets or free
  // per-model temperatures fitted on the ~220 calibration queries mostly fit noise. RouterBench test
  // ECE, 5 members, seeds 1-6 (default featuriser, 128 tokens): raw mean 0.0131, free temperatures
  // 0.0160, one pooled temperature 0.0145, prior sd 0.1 0.0137 (buckets were worse still: see
  // docs/predictor.md). A single head keeps its own calibration (temperature + buckets).
  if (B > 1 && calRows.length) {
    const calX = selectFeatureRows(x, calRows);
    const z = new RouterPredictor(spec, featurizer).ensembleLogits(calX);
    spec.ensembleCalibration = Calibrator.fit(z, selectLabelRows(data.scores, k, calRows), calX.rows, k, { ...opts.buckets, buckets: 0 }, ENSEMBLE_TEMPERATURE_PRIOR_SD).toJSON();
  }
  ctx.progress({ stage: 'done', fraction: 1 });
  return { predictor: new RouterPredictor(spec, featurizer), calRows: Array.from(calRows), trainRows: Array.from(trainRows), history: results.map((r) => r.history), timings };
}

function holdOut(n: number, opts: FitPredictorOptions): { calRows: Int32Array; trainRows: Int32Array } {
  let cal: Int32Array;
  if (opts.calRows) cal = Int32Array.from(opts.calRows);
  else {
    const perm = permutation(n, createRng(opts.seed));
    cal = perm.slice(0, Math.round(n * (opts.calFraction ?? 0.1)));
  }
  const isCal = new Uint8Array(n);
  for (const r of cal) isCal[r] = 1;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (!isCal[i]) train.push(i);
  return { calRows: cal.sort(), trainRows: Int32Array.from(train) };
}
