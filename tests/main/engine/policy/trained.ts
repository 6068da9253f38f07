import { applyBuckets, defaultBucketSettings, fitBuckets } from '../../../../src/main/engine/calibration/buckets';
import { applyTemperatures, fitTemperatures } from '../../../../src/main/engine/calibration/temperature';
import type { LabelMatrix } from '../../../../src/main/engine/data/matrix';
import { selectRows } from '../../../../src/main/engine/data/matrix';
import { BuiltinFeaturizer } from '../../../../src/main/engine/features/builtin';
import { MlpHead } from '../../../../src/main/engine/predictor/mlp';
import { createRng, permutation } from '../../../../src/main/engine/predictor/rng';
import type { PredictorSections } from '../../../../src/main/engine/policy/export';
import { readRouterbench, testFiles, trainFiles } from '../../../helpers/routerbench';

/** Approximate list prices (USD per 1M input / output tokens) of RouterBench's models, for the catalog. */
export const routerbenchPrices: Record<string, [number, number]> = {
  'gpt-4-1106-preview': [10, 30],
  'gpt-3.5-turbo-1106': [1, 2],
  'claude-v1': [8, 24],
  'claude-v2': [8, 24],
  'claude-instant-v1': [0.8, 2.4],
  'meta/llama-2-70b-chat': [0.9, 0.9],
  'mistralai/mixtral-8x7b-chat': [0.6, 0.6],
  'mistralai/mistral-7b-chat': [0.2, 0.2],
  'zero-one-ai/Yi-34B-Chat': [0.8, 0.8],
  'WizardLM/WizardLM-13B-V1.2': [0.3, 0.3],
  'meta/code-llama-instruct-34b-chat': [0.776, 0.776],
};

/** Self-hosted models get a per-batch capacity (batch of 100) so that μ has work to do. */
export const routerbenchCapacity: Record<string, number> = { 'mistralai/mixtral-8x7b-chat': 25, 'meta/llama-2-70b-chat': 15, 'zero-one-ai/Yi-34B-Chat': 20 };

export interface TrainedPlanner {
  train: LabelMatrix;
  test: LabelMatrix;
  sections: PredictorSections;
  /** The planner's own prediction path (featuriser -> head -> temperatures -> buckets). */
  predict(texts: string[]): Float32Array;
}

/**
 * The planner's default pipeline on RouterBench, built from the predictor modules: built-in
 * featuriser fitted on the training texts, MLP head, temperatures and buckets on a 10% split.
 */
export function trainRouterbenchPlanner(seed = 1): TrainedPlanner {
  const train = readRouterbench(trainFiles);
  const test = readRouterbench(testFiles);
  const n = train.texts.length;
  const k = train.models.length;
  const order = permutation(n, createRng(seed));
  const nCal = Math.round(n * 0.1);
  const fit = selectRows(train, order.subarray(nCal));
  const cal = selectRows(train, order.subarray(0, nCal));
  const featurizer = BuiltinFeaturizer.fit(fit.texts);
  const head = new MlpHead({ seed, maxEpochs: 12 }).fit({ x: featurizer.transform(fit.texts), y: fit.scores }, { x: featurizer.transform(cal.texts), y: cal.scores });
  const calLogits = head.logits(featurizer.transform(cal.texts));
  const temps = fitTemperatures(calLogits, cal.scores, nCal, k);
  const buckets = fitBuckets(applyTemperatures(calLogits, temps, nCal, k), cal.scores, nCal, k, defaultBucketSettings);
  const predict = (texts: string[]) => {
    const q = applyTemperatures(head.logits(featurizer.transform(texts)), temps, texts.length, k);
    for (let t = 0; t < q.length; t++) q[t] = applyBuckets(q[t], buckets[t % k], defaultBucketSettings.mode);
    return q;
  };
  return {
    train,
    test,
    predict,
    sections: {
      featurizer: { kind: 'builtin-hash-tfidf', version: 1, spec: featurizer.spec() },
      predictor: { kind: 'mlp-head', version: 1, spec: head.toJSON() },
      calibration: { temperatures: Array.from(temps), buckets: { mode: defaultBucketSettings.mode, perModel: buckets } },
    },
  };
}
