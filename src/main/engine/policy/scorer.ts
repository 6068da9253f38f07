import { EngineError } from '../../../shared/errors';
import { applyBuckets, type ModelBuckets } from '../calibration/buckets';
import { sigmoid } from '../calibration/temperature';
import { BuiltinFeaturizer } from '../features/builtin';
import { MlpHead } from '../predictor/mlp';
import type { Policy } from './format';

/** Calibrated probabilities p[i][k] for a list of texts (row-major n x k, columns = policy models). */
export interface Scorer {
  score(texts: string[]): Float32Array;
}

/**
 * The policy's own forward pass: built-in featuriser -> MLP head logits -> per-model temperature
 * -> histogram buckets. Pure TypeScript (no SQLite, no onnxruntime); the same functions the
 * planner uses, loaded from the policy's specs, so that the router reproduces its probabilities.
 */
export function policyScorer(policy: Policy): Scorer {
  if (policy.featurizer.kind !== 'builtin-hash-tfidf') {
    throw new EngineError('FILE_FORMAT', `this router computes only the built-in featuriser; the policy needs "${policy.featurizer.kind}"`, { reason: 'featurizer' });
  }
  const featurizer = BuiltinFeaturizer.fromSpec(policy.featurizer.spec);
  const heads = loadHeads(policy);
  const k = policy.models.length;
  for (const h of heads) {
    if (h.models !== k || h.dim !== featurizer.dim) {
      throw new EngineError('FILE_FORMAT', `predictor head has ${h.models} outputs over ${h.dim} features; the policy has ${k} models and a ${featurizer.dim}-dim featuriser`, { reason: 'predictor-shape' });
    }
  }
  const temps = Float64Array.from(policy.calibration.temperatures);
  const buckets = policy.calibration.buckets;
  return {
    score(texts) {
      const x = featurizer.transform(texts);
      const n = texts.length;
      const out = new Float32Array(n * k);
      for (const head of heads) {
        const z = head.logits(x);
        for (let t = 0; t < n * k; t++) out[t] += calibrate(z[t], t % k, temps, buckets) / heads.length;
      }
      return out;
    },
  };
}

function calibrate(z: number, j: number, temps: Float64Array, buckets: Policy['calibration']['buckets']): number {
  // Rounded to float32 as the planner stores it between temperature scaling and buckets.
  const q = Math.fround(sigmoid(z / temps[j]));
  return buckets ? applyBuckets(q, buckets.perModel[j] as ModelBuckets, buckets.mode) : q;
}

function loadHeads(policy: Policy): MlpHead[] {
  const { kind, spec } = policy.predictor;
  try {
    if (kind === 'mlp-head') return [MlpHead.load(spec as never)];
    if (kind === 'ensemble' && Array.isArray(spec.members)) return (spec.members as never[]).map((m) => MlpHead.load(m));
  } catch (err) {
    throw new EngineError('FILE_FORMAT', `predictor: ${(err as Error).message}`, { reason: 'predictor' });
  }
  throw new EngineError('FILE_FORMAT', `this router cannot evaluate predictor kind "${kind}"`, { reason: 'predictor' });
}
