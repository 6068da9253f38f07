// Evaluation runs as the engine sees them: on a stored predictor and test dataset, or the quick
// look that imports train/test files, fits the default predictor per seed, and sweeps. Results go
// to the evaluations table.
import type { EvaluationResult, EvaluationSettings } from '../../../shared/contract/routing';
import { EngineError } from '../../../shared/errors';
import type { Db } from '../store/database';
import type { JobContext } from '../jobs/context';
import type { LabelMatrix } from '../data/matrix';
import { loadLabelMatrix } from '../store/datasets';
import { getPredictorRow } from '../store/predictors';
import { insertEvaluation } from '../store/evaluations';
import { importFiles } from '../data/import';
import { fitDefaultPredictor, openPredictor, type ProbabilityMatrix } from '../predictor/api';
import { runEvaluation, type Predictions } from './protocol';

const f64 = (m: ProbabilityMatrix): Predictions => ({ p: Float64Array.from(m.p), lower: m.lower ? Float64Array.from(m.lower) : undefined });

/** Same models in the same order, or a clear refusal. */
export function alignModels(train: LabelMatrix, test: LabelMatrix, predictorModels: string[]): void {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((m, j) => m === b[j]);
  if (!same(train.models, test.models) || !same(predictorModels, test.models)) {
    throw new EngineError('INVALID_INPUT', 'the predictor, training and test data must cover the same models in the same order', {
      predictor: predictorModels,
      train: train.models,
      test: test.models,
    });
  }
}

export async function evaluateStored(db: Db, input: { predictorId: number; testDatasetId: number; trainDatasetId?: number; settings: EvaluationSettings }, ctx: JobContext, now: Date): Promise<EvaluationResult> {
  const t0 = performance.now();
  const row = getPredictorRow(db, input.predictorId);
  if (!row) throw new EngineError('NOT_FOUND', `no predictor ${input.predictorId}`, { predictorId: input.predictorId });
  const predictor = openPredictor(db, input.predictorId);
  const train = loadLabelMatrix(db, input.trainDatasetId ?? row.datasetId);
  const test = loadLabelMatrix(db, input.testDatasetId);
  alignModels(train, test, predictor.models);
  ctx.progress({ stage: 'predict', fraction: 0 });
  const pred = f64(await predictor.predict(test.texts));
  const core = await runEvaluation({ train, test, predict: () => pred }, input.settings, {
    progress: (fraction, message) => ctx.progress({ stage: 'sweep', fraction, message }),
    check: ctx.check,
  });
  const result = { ...core, settings: input.settings, ms: Math.round(performance.now() - t0) };
  const id = insertEvaluation(db, { predictorId: input.predictorId, datasetId: input.testDatasetId, settings: input.settings, result, createdAt: now });
  return { ...result, id };
}

export async function evaluateFiles(db: Db, input: { trainFiles: string[]; testFiles: string[]; ensemble: number; settings: EvaluationSettings }, ctx: JobContext, now: Date): Promise<EvaluationResult> {
  const t0 = performance.now();
  const quiet = { ...ctx, progress: () => {} };
  const [trainImport] = await importFiles(db, input.trainFiles, { now }, quiet);
  const [testImport] = await importFiles(db, input.testFiles, { now }, quiet);
  if (trainImport.datasetId == null || testImport.datasetId == null) throw new EngineError('INVALID_INPUT', 'train and test files must be routing datasets');
  const train = loadLabelMatrix(db, trainImport.datasetId);
  const test = loadLabelMatrix(db, testImport.datasetId);
  alignModels(train, test, train.models);
  const seeds = input.settings.seeds;
  // Per seed: fitting is most of the work (0.9 of its share), the sweep the rest.
  let fitted = 0;
  let last = 0;
  const report = (stage: string, fraction: number, metrics?: Record<string, number>) => {
    last = Math.max(last, Math.min(1, fraction));
    ctx.progress({ stage, fraction: last, metrics });
  };
  const predict = async (seed: number): Promise<Predictions> => {
    const predictor = await fitDefaultPredictor(train, { seed, ensemble: input.ensemble }, { ...ctx, progress: (u) => report(`fit seed ${seed}`, (fitted + 0.9 * u.fraction) / seeds.length, u.metrics) });
    fitted++;
    return f64(await predictor.predict(test.texts));
  };
  const core = await runEvaluation({ train, test, predict }, input.settings, { check: ctx.check, progress: (fraction) => report('sweep', fraction) });
  report('sweep', 1);
  const result = { ...core, settings: input.settings, ms: Math.round(performance.now() - t0) };
  const id = insertEvaluation(db, { predictorId: null, datasetId: testImport.datasetId, settings: input.settings, result, createdAt: now });
  return { ...result, id };
}
