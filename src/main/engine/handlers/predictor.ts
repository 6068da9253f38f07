import { availableParallelism } from 'node:os';
import { EngineError } from '../../../shared/errors';
import type { z } from 'zod';
import type { PredictorMetrics, PredictorSummary, TrainInput, TrainResult } from '../../../shared/contract/predictor';
import { withinSpan, type JobContext } from '../jobs/context';
import { encodeInWorker, warmCache, warmSentenceEncoder } from '../features/encoder-pool';
import { HybridFeaturizer } from '../features/hybrid';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { findDatasetByName, loadLabelMatrix } from '../store/datasets';
import { deletePredictor, getPredictorRow, insertPredictor, listPredictors, type PredictorRow } from '../store/predictors';
import { trainOnDataset } from '../predictor/train-dataset';
import type { MemberPayload, MemberResult } from '../predictor/member';
import type { EstimatorChoice } from '../predictor/estimators';
import { openPredictor } from '../predictor/api';
import { faultPointAsync } from '../jobs/fault-point';

type PredictorMethod = 'predictor.train' | 'predictor.list' | 'predictor.get' | 'predictor.delete' | 'predictor.predict';

const summary = (r: PredictorRow): PredictorSummary => {
  const m = r.metrics as PredictorMetrics | null;
  const settings = r.settings as { seed?: number; featureFraction?: number; estimator?: { kind: string; k?: number } };
  return {
    id: r.id,
    name: r.name,
    datasetId: r.datasetId,
    featurizer: r.featurizer,
    estimator: r.estimator,
    ensemble: Number((r.settings as { ensemble?: number }).ensemble ?? 1),
    training: { seed: settings.seed ?? (r.split as { seed?: number } | null)?.seed ?? 1, featureFraction: settings.featureFraction ?? 1, knnK: settings.estimator?.kind === 'knn' ? (settings.estimator.k ?? null) : null },
    createdAt: r.createdAt,
    testAuc: m?.after.auc ?? null,
    testEce: m?.after.ece ?? null,
  };
};

export function predictorHandlers(s: EngineServices): HandlerGroup<PredictorMethod> {
  const resolveDataset = (datasetId: number | undefined, dataset: string | undefined): number => {
    if (datasetId !== undefined) return datasetId;
    if (/^\d+$/.test(dataset!)) return Number(dataset);
    const found = findDatasetByName(s.db(), dataset!);
    if (!found) throw new EngineError('NOT_FOUND', `no dataset named "${dataset}"`, { dataset });
    return found.id;
  };

  return {
    'predictor.train': async (input, ctx) => {
      ctx.progress({ stage: 'load', fraction: 0, message: 'loading the dataset' });
      const datasetId = resolveDataset(input.datasetId, input.dataset);
      const data = loadLabelMatrix(s.db(), datasetId);
      if (data.texts.length < 20) throw new EngineError('INVALID_INPUT', `dataset ${datasetId} has ${data.texts.length} queries; training needs at least 20`, { datasetId });
      const estimator: EstimatorChoice = input.estimator === 'knn' ? { kind: 'knn', k: input.knnK } : { kind: input.estimator };
      // An encoder's pass over the texts is roughly as long as the training that follows it.
      const encodes = input.featurizer !== 'builtin';
      const t0 = performance.now();
      const featurizer = encodes ? await encoderFactory(s, input, data.texts, withinSpan(ctx, [0, 0.4])) : undefined;
      const encodeMs = performance.now() - t0;
      if (encodes) ctx = withinSpan(ctx, [0.4, 1]);
      const result = await trainOnDataset(
        data,
        {
          seed: input.seed,
          ensemble: input.ensemble,
          featureFraction: input.featureFraction,
          estimator,
          featurizer,
          runMember: (p: MemberPayload) => s.inWorker<MemberResult>('predictor.fitMember', p, ctx, { stage: 'train', span: [0.05, 0.95] }),
          // one member per core (the machine is shared with the UI and other jobs: at most 4)
          concurrency: Math.max(1, Math.min(4, availableParallelism())),
        },
        ctx,
      );
      await faultPointAsync('train.fitted', ctx.signal);
      ctx.check();
      // the encoder's pass (0 when every text was cached) counts in the predictor's training time
      if (encodes) result.metrics.timings = { encodeMs, ...result.metrics.timings };
      const name = input.name ?? `${input.estimator}-${input.featurizer}-b${input.ensemble}${input.featureFraction < 1 ? `-q${input.featureFraction}` : ''}-s${input.seed}`;
      const settings = { estimator, ensemble: input.ensemble, featureFraction: input.featureFraction, seed: input.seed, featurizer: input.featurizer, encoder: input.encoder ?? null };
      const id = insertPredictor(s.db(), {
        datasetId,
        name,
        featurizer: String(result.spec.featurizer.kind),
        estimator: input.estimator,
        settings,
        split: result.split,
        spec: result.spec,
        metrics: result.metrics,
        calibration: { state: result.spec.members.map((m) => m.calibration), metrics: { before: result.metrics.before, after: result.metrics.after, reliability: result.metrics.reliability } },
        createdAt: s.now(),
      });
      const row = getPredictorRow(s.db(), id)!;
      return { ...summary(row), metrics: result.metrics } satisfies TrainResult;
    },
    'predictor.list': () => listPredictors(s.db()).map(summary),
    'predictor.get': ({ id }) => {
      const row = getPredictorRow(s.db(), id);
      if (!row) throw new EngineError('NOT_FOUND', `no predictor ${id}`, { id });
      return { ...summary(row), metrics: row.metrics as PredictorMetrics };
    },
    'predictor.delete': ({ id }) => {
      if (!deletePredictor(s.db(), id)) throw new EngineError('NOT_FOUND', `no predictor ${id}`, { id });
      return { deleted: true };
    },
    'predictor.predict': async ({ predictorId, texts }, ctx) => {
      const pm = await openPredictor(s.db(), predictorId, encodeInWorker(s, ctx)).predict(texts);
      const k = pm.models.length;
      const rows = Array.from({ length: pm.n }, (_, i) => ({
        p: Array.from(pm.p.subarray(i * k, (i + 1) * k)),
        ...(pm.lower ? { lower: Array.from(pm.lower.subarray(i * k, (i + 1) * k)) } : {}),
      }));
      return { predictorId, models: pm.models, rows };
    },
  };
}

// Encoders are slow, so every text of the dataset is encoded once up front (features/encoder-pool.ts).
async function encoderFactory(s: EngineServices, input: z.output<typeof TrainInput>, texts: string[], ctx: JobContext) {
  if (input.featurizer === 'onnx') {
    const { OnnxEncoderFeaturizer } = await import('../features/onnx-encoder');
    const cached = await warmCache(await OnnxEncoderFeaturizer.open(input.encoder!), s, texts, ctx, 1);
    return async () => cached;
  }
  const cached = await warmSentenceEncoder(s, texts, ctx);
  if (input.featurizer === 'use') return async () => cached;
  return async (fitTexts: string[]) => HybridFeaturizer.fit(fitTexts, cached);
}
