import type { Featurizer, FeatureMatrix, FeaturizerSpecJson } from '../features/types';
import { Calibrator, type CalibrationState } from '../calibration/calibrator';
import type { Estimator, EstimatorJson } from './estimator';
import { loadEstimator } from './estimators';
import { logitsOf, meanOf, memberRawProbabilities } from '../calibration/ensemble';

export interface PredictorMember {
  head: EstimatorJson;
  calibration: CalibrationState;
}

/**
 * Everything needed to reproduce predictions outside the app: the featuriser spec, every
 * ensemble member's head and calibration, and the aggregation rule.
 *
 * Without `ensembleCalibration` (version 1, and every single-head predictor): p = mean over
 * members of their calibrated probabilities; lower = their `lowerQuantile` quantile (linear
 * interpolation between order statistics).
 * With it (version 2 ensembles): the members' own calibrations are not used for p; p =
 * E(logit(mean over members of sigmoid(z_b))), E = the ensemble calibration (temperature +
 * buckets, fitted on the calibration split; see calibration/ensemble.ts); lower = E(logit(the
 * quantile of the members' uncalibrated probabilities)). E is strictly increasing, so this is the
 * quantile of the members mapped through the same map as p (up to the interpolation between
 * order statistics), and lower <= p whenever the raw quantile is below the raw mean.
 * With one member, lower is absent.
 */
export interface PredictorSpec {
  format: 'routeplan-predictor';
  /** 2 added the optional ensembleCalibration; version 1 specs load unchanged. */
  version: 1 | 2;
  models: string[];
  featurizer: FeaturizerSpecJson;
  members: PredictorMember[];
  aggregate: 'mean';
  lowerQuantile: number;
  ensembleCalibration?: CalibrationState;
}

export interface ProbabilityMatrix {
  models: string[];
  n: number;
  p: Float32Array; // n*k calibrated mean
  lower?: Float32Array; // n*k ensemble lower quantile, calibrated
  quantile?: (q: number) => Float32Array;
}

export class RouterPredictor {
  private readonly heads: Estimator[];
  private readonly calibrators: Calibrator[];
  private readonly ensemble: Calibrator | null;

  constructor(
    private readonly specJson: PredictorSpec,
    readonly featurizer: Featurizer,
  ) {
    if (specJson.format !== 'routeplan-predictor' || (specJson.version !== 1 && specJson.version !== 2)) throw new Error(`unsupported predictor spec ${specJson.format} v${specJson.version}`);
    if (specJson.version === 1 && specJson.ensembleCalibration) throw new Error('predictor spec v1 cannot carry an ensemble calibration');
    this.heads = specJson.members.map((m) => loadEstimator(m.head));
    this.calibrators = specJson.members.map((m) => Calibrator.load(m.calibration));
    this.ensemble = specJson.ensembleCalibration ? Calibrator.load(specJson.ensembleCalibration) : null;
  }

  get models(): string[] {
    return this.specJson.models;
  }

  spec(): PredictorSpec {
    return this.specJson;
  }

  async predict(texts: string[]): Promise<ProbabilityMatrix> {
    return this.predictFeatures(await this.featurizer.transform(texts));
  }

  /** Calibrated probabilities per member (B arrays of n*k). */
  memberProbabilities(x: FeatureMatrix): Float32Array[] {
    return this.heads.map((h, b) => this.calibrators[b].apply(h.logits(x)));
  }

  /** Logit of the mean of the members' uncalibrated probabilities (what the ensemble calibration maps). */
  ensembleLogits(x: FeatureMatrix): Float32Array {
    return logitsOf(meanOf(memberRawProbabilities(this.heads.map((h) => h.logits(x)))));
  }

  /** Mean over members of the uncalibrated probabilities (the "before calibration" figures). */
  uncalibrated(x: FeatureMatrix): Float32Array {
    const out = new Float32Array(x.rows * this.models.length);
    for (const h of this.heads) {
      const p = h.predictProba(x);
      for (let i = 0; i < out.length; i++) out[i] += p[i] / this.heads.length;
    }
    return out;
  }

  predictFeatures(x: FeatureMatrix): ProbabilityMatrix {
    if (this.ensemble) return this.predictEnsemble(x, this.ensemble);
    const members = this.memberProbabilities(x);
    const k = this.models.length;
    const n = x.rows;
    const p = new Float32Array(n * k);
    for (const m of members) for (let i = 0; i < p.length; i++) p[i] += m[i] / members.length;
    if (members.length < 2) return { models: this.models, n, p };
    const quantile = (q: number) => memberQuantile(members, q);
    return { models: this.models, n, p, lower: quantile(this.specJson.lowerQuantile), quantile };
  }

  /** The ensemble calibration E applied to the raw mean (p) and to raw member quantiles (lower). */
  private predictEnsemble(x: FeatureMatrix, e: Calibrator): ProbabilityMatrix {
    const raw = memberRawProbabilities(this.heads.map((h) => h.logits(x)));
    const p = e.apply(logitsOf(meanOf(raw)));
    if (raw.length < 2) return { models: this.models, n: x.rows, p };
    const quantile = (q: number) => e.apply(logitsOf(memberQuantile(raw, q)));
    return { models: this.models, n: x.rows, p, lower: quantile(this.specJson.lowerQuantile), quantile };
  }
}

/** Per-entry quantile over members, linear interpolation between order statistics. */
export function memberQuantile(members: Float32Array[], q: number): Float32Array {
  const B = members.length;
  const out = new Float32Array(members[0].length);
  const buf = new Float64Array(B);
  const pos = Math.min(1, Math.max(0, q)) * (B - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  for (let i = 0; i < out.length; i++) {
    for (let b = 0; b < B; b++) buf[b] = members[b][i];
    buf.sort();
    out[i] = buf[lo] + (lo + 1 < B ? frac * (buf[lo + 1] - buf[lo]) : 0);
  }
  return out;
}
