import { EngineError } from '../../../shared/errors';
import { BuiltinFeaturizer } from '../features/builtin';
import { RouterPredictor, type PredictorSpec } from '../predictor/router-predictor';
import type { Policy, UnsignedPolicy } from './format';
import { FusedScorer } from './fused-scorer';
import { probeTexts } from './probes';

/** Calibrated probabilities p[i][k] for a list of texts (row-major n x k, columns = policy models). */
export interface Scorer {
  score(texts: string[]): Float32Array;
}

/** The predictor's spec as the policy's featurizer / predictor / calibration sections. */
export function sectionsFromPredictorSpec(spec: PredictorSpec): Pick<UnsignedPolicy, 'featurizer' | 'predictor' | 'calibration'> {
  return {
    featurizer: { kind: spec.featurizer.kind, version: spec.featurizer.version, spec: spec.featurizer },
    predictor: { kind: 'routeplan-predictor', version: 1, aggregate: spec.aggregate, lowerQuantile: spec.lowerQuantile, heads: spec.members.map((m) => m.head) },
    calibration: { members: spec.members.map((m) => m.calibration), ...(spec.ensembleCalibration ? { ensemble: spec.ensembleCalibration } : {}) },
  };
}

/** The inverse: the predictor spec the policy carries. */
export function predictorSpecOf(policy: Policy): PredictorSpec {
  return {
    format: 'routeplan-predictor',
    version: 2,
    models: policy.models.map((m) => m.id),
    featurizer: policy.featurizer.spec as PredictorSpec['featurizer'],
    members: policy.predictor.heads.map((head, b) => ({ head: head as never, calibration: policy.calibration.members[b] })),
    aggregate: policy.predictor.aggregate,
    lowerQuantile: policy.predictor.lowerQuantile,
    ...(policy.calibration.ensemble ? { ensembleCalibration: policy.calibration.ensemble } : {}),
  };
}

/**
 * The policy's own forward pass: built-in featuriser -> each member's head logits -> its
 * temperatures and buckets -> mean (or, with calibration.ensemble, the raw members' mean through
 * the ensemble calibration). Pure TypeScript (no SQLite, no onnxruntime): the very
 * functions the planner predicts with, loaded from the policy, so the router reproduces its p.
 */
export function policyScorer(policy: Policy): Scorer {
  const general = predictorScorer(policy);
  checkFingerprint(policy, general);
  if (!FusedScorer.supports(policy)) return general;
  let fused: FusedScorer;
  try {
    fused = new FusedScorer(policy);
  } catch (err) {
    throw new EngineError('FILE_FORMAT', `policy predictor cannot be loaded: ${(err as Error).message}`, { reason: 'predictor' });
  }
  // The fast path re-implements the featuriser: it serves only if it agrees bit for bit with the
  // predictor's own code on probe texts, so a change of the featuriser can slow routing, never skew it.
  const a = fused.score(probeTexts);
  const b = general.score(probeTexts);
  return a.every((x, i) => x === b[i]) ? fused : general;
}


/** Probe probabilities as recorded in a policy (base64 little-endian float32). */
export function encodeFingerprint(p: Float32Array): { probes: number; p: string } {
  return { probes: probeTexts.length, p: Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('base64') };
}

/** Refuses a policy whose recorded probe probabilities this code does not reproduce exactly. */
function checkFingerprint(policy: Policy, scorer: Scorer): void {
  const f = policy.predictor.fingerprint;
  if (!f) return;
  const want = encodeFingerprint(scorer.score(probeTexts));
  if (f.probes !== want.probes || f.p !== want.p) {
    throw new EngineError('FILE_FORMAT', 'this router does not reproduce the predictions the policy was exported with (its featuriser or predictor code differs); refusing to route on it', { reason: 'predictor-drift' });
  }
}

/** The general path (any estimator the predictor module loads), through RouterPredictor. */
export function predictorScorer(policy: Policy): Scorer {
  if (policy.featurizer.kind !== 'builtin-hash-tfidf') {
    throw new EngineError('FILE_FORMAT', `this router computes only the built-in featuriser; the policy needs "${policy.featurizer.kind}"`, { reason: 'featurizer' });
  }
  let predictor: RouterPredictor;
  let featurizer: BuiltinFeaturizer;
  try {
    featurizer = BuiltinFeaturizer.fromSpec(policy.featurizer.spec);
    predictor = new RouterPredictor(predictorSpecOf(policy), featurizer);
  } catch (err) {
    throw new EngineError('FILE_FORMAT', `policy predictor cannot be loaded: ${(err as Error).message}`, { reason: 'predictor' });
  }
  return { score: (texts) => predictor.predictFeatures(featurizer.transform(texts)).p };
}
