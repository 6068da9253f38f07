/**
 * The predictor as other domains use it (routing, evaluation, policy export).
 *
 *   const fitted = await fitDefaultPredictor(trainMatrix, { seed: 1, ensemble: 20 });
 *   const { p, lower } = await fitted.predict(texts); // n*k calibrated probabilities
 *   const spec = fitted.spec(); // JSON: featuriser spec + heads + calibrations (policy export)
 *   const stored = openPredictor(db, predictorId);
 *
 * The default predictor: the built-in featuriser (features/builtin-spec.ts) fitted on the given
 * texts, 10% of the rows held out for early stopping and calibration, a multi-label MLP head per
 * ensemble member (bootstrap resamples of the training queries when ensemble > 1). One head is
 * calibrated on its own (per-model temperature, then smoothed equal-mass buckets). An ensemble is
 * calibrated once on its mean (per-model temperature on the logit of the members' mean raw
 * probability, calibration/ensemble.ts): p is that calibrated mean, lower the members' raw 10%
 * quantile through the same map.
 */
import type { Db } from '../store/database';
import type { LabelMatrix } from '../data/matrix';
import type { JobContext } from '../jobs/context';
import { EngineError } from '../../../shared/errors';
import { getPredictorSpec } from '../store/predictors';
import { featurizerFromSpec, type FeaturizerEnv } from '../features/registry';
import { cachedFeaturizer } from '../features/cache';
import type { EncodeTexts } from '../features/sentence-encoder';
import { BuiltinFeaturizer } from '../features/builtin';
import type { Featurizer, FeaturizerSpecJson } from '../features/types';
import { fitPredictor, type FitPredictorOptions } from './fit';
import { RouterPredictor, type PredictorSpec, type ProbabilityMatrix } from './router-predictor';

export type { PredictorSpec, ProbabilityMatrix } from './router-predictor';
export type { FitPredictorOptions } from './fit';

export interface FittedRouterPredictor {
  models: string[];
  predict(texts: string[]): Promise<ProbabilityMatrix>;
  /** Everything an exported policy needs: featuriser spec, head weights, temperatures, buckets. */
  spec(): PredictorSpec;
}

/** Trains the default predictor on a LabelMatrix in memory. */
export async function fitDefaultPredictor(train: LabelMatrix, opts: FitPredictorOptions, ctx?: JobContext): Promise<FittedRouterPredictor> {
  return (await fitPredictor(train, opts, ctx)).predictor;
}

/** Rebuilds a predictor from its spec (e.g. read back from a policy file). */
export function predictorFromSpec(spec: PredictorSpec): FittedRouterPredictor {
  return new RouterPredictor(spec, lazyFeaturizer(spec.featurizer));
}

/**
 * Loads a stored predictor from the workspace. A sentence encoder reads and fills the workspace's
 * feature cache and encodes what is missing with `encode` (the engine passes its worker pool).
 */
export function openPredictor(db: Db, predictorId: number, encode?: EncodeTexts): FittedRouterPredictor {
  const spec = getPredictorSpec(db, predictorId) as PredictorSpec | undefined;
  if (!spec) throw new EngineError('NOT_FOUND', `no predictor ${predictorId}`, { predictorId });
  return new RouterPredictor(spec, lazyFeaturizer(spec.featurizer, { wrapEncoder: (f) => cachedFeaturizer(f, db, { chunk: 256 }), encode }));
}

// The built-in featuriser loads synchronously; an encoder loads on first use.
function lazyFeaturizer(spec: FeaturizerSpecJson, env: FeaturizerEnv = {}): Featurizer {
  if (spec.kind === 'builtin-hash-tfidf') return BuiltinFeaturizer.fromSpec(spec);
  let loaded: Promise<Featurizer> | null = null;
  return {
    key: `lazy:${spec.kind}`,
    dim: Number(spec.dim ?? 0),
    spec: () => spec,
    async transform(texts) {
      loaded ??= featurizerFromSpec(spec, env);
      return (await loaded).transform(texts);
    },
  };
}
