import type { FeatureMatrix } from '../features/types';

/** Per-epoch report of an iterative fit (the train job's progress metrics). */
export interface EpochReport {
  epoch: number;
  maxEpochs: number;
  loss: number;
  valLoss: number;
  valAuc: number;
}

export interface FitHooks {
  onEpoch?(r: EpochReport): void;
  /** Throws to cancel (called between batches). */
  check?(): void;
}

/** Labels as the estimators take them: N*K row-major, in [0,1], NaN = missing. */
export interface LabelSet {
  x: FeatureMatrix;
  y: Float32Array;
}

/**
 * scikit-learn style: the constructor stores settings, fit learns, predictProba predicts, toJSON
 * serialises the learned state tagged {kind, version}; each class has a static load that refuses
 * a mismatch. `logits` are the uncalibrated scores that calibration rescales.
 */
export interface Estimator {
  readonly kind: string;
  readonly models: number;
  fit(train: LabelSet, val: LabelSet | null, hooks?: FitHooks): this;
  logits(x: FeatureMatrix): Float32Array;
  predictProba(x: FeatureMatrix): Float32Array;
  toJSON(): EstimatorJson;
}

export type EstimatorJson = { kind: string; version: number } & Record<string, unknown>;

export function checkVersion(json: EstimatorJson, kind: string, version: number): void {
  if (json?.kind !== kind || json?.version !== version) {
    throw new Error(`cannot load ${String(json?.kind)} v${String(json?.version)} as ${kind} v${version}`);
  }
}

export const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/** Mean binary cross-entropy of logits z against soft labels y, skipping missing labels. */
export function bceLoss(z: Float32Array, y: Float32Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < z.length; i++) {
    const t = y[i];
    if (Number.isNaN(t)) continue;
    const a = z[i];
    s += (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))) - t * a;
    n++;
  }
  return n ? s / n : 0;
}

/** Per-model mean of the non-missing labels (0.5 for a model without labels). */
export function labelMeans(y: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    let m = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(y[i * k + c])) (s += y[i * k + c]), m++;
    out[c] = m ? s / m : 0.5;
  }
  return out;
}
