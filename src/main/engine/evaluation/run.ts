// Evaluation runs as the engine sees them: on a stored predictor and test dataset, or the quick
// look that imports train/test files, fits the default predictor per seed, and sweeps. The main
// thread reads SQLite and stores the result in the evaluations table; prediction, fitting and the
// sweep run in the worker task 'evaluation.sweep' (sweep-task.ts).
import type { EvaluationResult, EvaluationSettings } from '../../../shared/contract/routing';
import { EngineError } from '../../../shared/errors';
import type { Db } from '../store/database';
import type { JobContext } from '../jobs/context';
import { loadLabelMatrix } from '../store/datasets';
import { getPredictorRow, getPredictorState } from '../store/predictors';
import { insertEvaluation } from '../store/evaluations';
import { importFiles } from '../data/import';
import type { ParquetDecoder } from '../data/parquet-records';
import type { DuplicatePolicy } from '../data/dataset-builder';
import type { EvaluationCore } from './protocol';
import { alignModels, type SweepPayload } from './sweep-task';

/** Runs the sweep task in a worker; its seed/f metrics become the progress message (the CLI shows it). */
export type SweepRunner = (payload: SweepPayload, ctx: JobContext) => Promise<EvaluationCore>;

/** Lets pending IPC and timers run between the main thread's SQLite reads (each ~50 ms on RouterBench). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const withMessages = (ctx: JobContext): JobContext => ({
  ...ctx,
  progress: (u) =>
    ctx.progress(
      u.stage === 'sweep' && u.metrics?.seed != null
        ? { ...u, message: `seed ${u.metrics.seed}, f = ${u.metrics.budgetFraction}` }
        : u.stage === 'encode' && u.metrics?.of != null
          ? { ...u, message: `encoding texts: ${u.metrics.encoded} of ${u.metrics.of}` }
          : u,
    ),
});

export async function evaluateStored(db: Db, input: { predictorId: number; testDatasetId: number; trainDatasetId?: number; settings: EvaluationSettings }, ctx: JobContext, now: Date, sweep: SweepRunner): Promise<EvaluationResult> {
  const t0 = performance.now();
  ctx.progress({ stage: 'load', fraction: 0, message: 'loading the predictor and the data' });
  const row = getPredictorRow(db, input.predictorId);
  if (!row) throw new EngineError('NOT_FOUND', `no predictor ${input.predictorId}`, { predictorId: input.predictorId });
  // The spec's JSON goes to the worker unparsed: parsing a kNN spec here would stall for ~0.5 s.
  const json = getPredictorState(db, input.predictorId);
  if (!json) throw new EngineError('NOT_FOUND', `no predictor ${input.predictorId}`, { predictorId: input.predictorId });
  await nextTurn();
  const train = loadLabelMatrix(db, input.trainDatasetId ?? row.datasetId);
  await nextTurn();
  const test = loadLabelMatrix(db, input.testDatasetId);
  await nextTurn();
  ctx.check();
  const core = await sweep({ train, test, settings: input.settings, predictor: { kind: 'spec', json } }, withMessages(ctx));
  ctx.check(); // a cancel that raced the worker's answer stores nothing
  const result = { ...core, settings: input.settings, ms: Math.round(performance.now() - t0) };
  const id = insertEvaluation(db, { predictorId: input.predictorId, datasetId: input.testDatasetId, settings: input.settings, result, createdAt: now });
  return { ...result, id };
}

/** Encodes texts with the bundled sentence encoder (n*512), e.g. in the engine's worker pool. */
export type EncodeRunner = (texts: string[], ctx: JobContext) => Promise<Float32Array>;

export async function evaluateFiles(db: Db, input: { trainFiles: string[]; testFiles: string[]; ensemble: number; featureFraction?: number; featurizer: 'hybrid' | 'builtin'; onDuplicate?: DuplicatePolicy; parquetDecoder?: ParquetDecoder; settings: EvaluationSettings }, ctx: JobContext, now: Date, sweep: SweepRunner, encode?: EncodeRunner): Promise<EvaluationResult> {
  const t0 = performance.now();
  const quiet = { ...ctx, progress: () => {} };
  const [trainImport] = await importFiles(db, input.trainFiles, { now, onDuplicate: input.onDuplicate, parquetDecoder: input.parquetDecoder }, quiet);
  const [testImport] = await importFiles(db, input.testFiles, { now, onDuplicate: input.onDuplicate, parquetDecoder: input.parquetDecoder }, quiet);
  if (trainImport.datasetId == null || testImport.datasetId == null) throw new EngineError('INVALID_INPUT', 'train and test files must be routing datasets');
  await nextTurn();
  const train = loadLabelMatrix(db, trainImport.datasetId);
  await nextTurn();
  const test = loadLabelMatrix(db, testImport.datasetId);
  alignModels(train, test, train.models);
  await nextTurn();
  ctx.check();
  // The per-seed fit runs inside the same worker, in its thread, exactly as it ran here before.
  const embeddings = input.featurizer === 'hybrid' && encode ? await encode([...train.texts, ...test.texts], ctx) : undefined;
  const core = await sweep({ train, test, settings: input.settings, predictor: { kind: 'fit', ensemble: input.ensemble, featureFraction: input.featureFraction, featurizer: input.featurizer, embeddings } }, withMessages(ctx));
  ctx.check();
  const result = { ...core, settings: input.settings, ms: Math.round(performance.now() - t0) };
  const id = insertEvaluation(db, { predictorId: null, datasetId: testImport.datasetId, settings: input.settings, result, createdAt: now });
  return { ...result, id };
}
