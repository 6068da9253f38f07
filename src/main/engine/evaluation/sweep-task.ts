// The evaluation's compute as a worker task: predictor inference (or the per-seed fit of the quick
// look) and the whole budget sweep. It runs off the engine's main thread, which in the desktop app
// is Electron's main process and must keep answering IPC. Worker code: no SQLite, no electron — the
// main thread reads the data, posts it here and stores the result. Cancellation terminates it.
import type { EvaluationSettings } from '../../../shared/contract/routing';
import type { LabelMatrix } from '../data/matrix';
import { EngineError } from '../../../shared/errors';
import type { TaskContext } from '../jobs/tasks';
import { quietContext } from '../jobs/context';
import { fitDefaultPredictor, predictorFromSpec, type PredictorSpec, type ProbabilityMatrix } from '../predictor/api';
import { runEvaluation, type EvaluationCore, type Predictions } from './protocol';
import type { Featurizer } from '../features/types';
import { HybridFeaturizer } from '../features/hybrid';
import { SentenceEncoderFeaturizer, memoisedEncode, type EncodeTexts } from '../features/sentence-encoder';

export interface SweepPayload {
  train: LabelMatrix;
  test: LabelMatrix;
  settings: EvaluationSettings;
  /** A stored predictor's spec as its stored JSON bytes (predicted once, the same p for every seed), or the quick look's fit per seed. */
  predictor:
    | { kind: 'spec'; json: Uint8Array }
    /** embeddings: the sentence encoder's rows for train.texts then test.texts, when the engine encoded them already. */
    | { kind: 'fit'; ensemble: number; featureFraction?: number; featurizer?: 'hybrid' | 'builtin'; embeddings?: Float32Array };
}

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

/** Test texts predicted per call when a stored predictor is evaluated (one progress report each). */
const PREDICT_CHUNK = 256;

const f64 = (m: ProbabilityMatrix): Predictions => ({ p: Float64Array.from(m.p), lower: m.lower ? Float64Array.from(m.lower) : undefined });

/** Progress names seed and budget fraction in metrics; the main thread turns them into a message. */
export async function sweepTask(payload: SweepPayload, ctx: TaskContext): Promise<EvaluationCore> {
  const { train, test, settings } = payload;
  const source = payload.predictor;
  if (source.kind === 'spec') {
    ctx.progress('predict', 0);
    const spec = JSON.parse(new TextDecoder().decode(source.json)) as PredictorSpec;
    alignModels(train, test, spec.models);
    // Predicted in chunks so that the bar moves (a large test set took most of a minute in one
    // call): rows are independent, so the chunks' rows concatenated are the whole set's.
    const predictor = predictorFromSpec(spec);
    const k = spec.models.length;
    const n = test.texts.length;
    const p = new Float64Array(n * k);
    let lower: Float64Array | undefined;
    for (let s = 0; s < n; s += PREDICT_CHUNK) {
      const part = await predictor.predict(test.texts.slice(s, s + PREDICT_CHUNK));
      p.set(part.p, s * k);
      if (part.lower) (lower ??= new Float64Array(n * k)).set(part.lower, s * k);
      ctx.progress('predict', (0.5 * Math.min(n, s + PREDICT_CHUNK)) / n, { predicted: Math.min(n, s + PREDICT_CHUNK), of: n });
    }
    const pred: Predictions = { p, lower };
    return runEvaluation({ train, test, predict: () => pred }, settings, {
      progress: (fraction, _message, at) => ctx.progress('sweep', 0.5 + 0.5 * fraction, at),
    });
  }
  // Quick look: per seed, fitting is most of the work (0.9 of its share), the sweep the rest.
  const seeds = settings.seeds.length;
  let fitted = 0;
  let last = 0;
  const report = (stage: string, fraction: number, metrics?: Record<string, number>) => {
    last = Math.max(last, Math.min(1, fraction));
    ctx.progress(stage, last, metrics);
  };
  // The hybrid featuriser is fitted once. Its encoder's rows come from the engine's worker pool;
  // without them (a caller that encoded nothing) each text is encoded once, here, with progress.
  let featurizer: Featurizer | undefined;
  if (source.featurizer === 'hybrid') {
    const texts = [...train.texts, ...test.texts];
    const encoder = SentenceEncoderFeaturizer.open({ encode: source.embeddings ? lookupEncode(texts, source.embeddings) : memoisedEncode() });
    for (let s = 0; !source.embeddings && s < texts.length; s += 256) {
      await encoder.transform(texts.slice(s, s + 256));
      ctx.progress('encode', 0, { encoded: Math.min(texts.length, s + 256), of: texts.length });
    }
    featurizer = HybridFeaturizer.fit(train.texts, encoder);
  }
  const predict = async (seed: number): Promise<Predictions> => {
    const fitCtx = quietContext((u) => report(`fit seed ${seed}`, (fitted + 0.9 * u.fraction) / seeds, u.metrics));
    const predictor = await fitDefaultPredictor(train, { seed, ensemble: source.ensemble, featureFraction: source.featureFraction, featurizer }, fitCtx);
    fitted++;
    return f64(await predictor.predict(test.texts));
  };
  const core = await runEvaluation({ train, test, predict }, settings, { progress: (fraction) => report('sweep', fraction) });
  report('sweep', 1);
  return core;
}

// Rows encoded elsewhere, looked up by text.
function lookupEncode(texts: string[], rows: Float32Array): EncodeTexts {
  const at = new Map(texts.map((t, i) => [t, i]));
  return async (batch) => {
    const out = new Float32Array(batch.length * 512);
    batch.forEach((t, i) => {
      const r = at.get(t);
      if (r === undefined) throw new Error('a text without its encoding reached the quick look');
      out.set(rows.subarray(r * 512, (r + 1) * 512), i * 512);
    });
    return out;
  };
}
