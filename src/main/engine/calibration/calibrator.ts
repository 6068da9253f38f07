import { applyBuckets, defaultBucketSettings, fitBuckets, type BucketSettings, type ModelBuckets } from './buckets';
import { fitTemperatures, sigmoid } from './temperature';

export interface CalibrationState {
  kind: 'temperature-buckets';
  version: 1;
  temperatures: number[];
  settings: BucketSettings;
  buckets: ModelBuckets[];
}

/**
 * Wraps already-fitted logits: per-model temperature scaling, then equal-mass buckets smoothed
 * toward the model's mean (see buckets.ts). Fitted on the calibration split only.
 */
export class Calibrator {
  constructor(readonly state: CalibrationState) {}

  /** `temperaturePriorSd`: see fitTemperatures (a fitting choice only; the stored state is the same). */
  static fit(logits: Float32Array, y: Float32Array, n: number, k: number, settings: Partial<BucketSettings> = {}, temperaturePriorSd = 0): Calibrator {
    const s = { ...defaultBucketSettings, ...settings };
    const temps = fitTemperatures(logits, y, n, k, temperaturePriorSd);
    const scaled = new Float32Array(n * k);
    for (let i = 0; i < n * k; i++) scaled[i] = sigmoid(logits[i] / temps[i % k]);
    const buckets = s.buckets > 0 ? fitBuckets(scaled, y, n, k, s) : [];
    return new Calibrator({ kind: 'temperature-buckets', version: 1, temperatures: Array.from(temps), settings: s, buckets });
  }

  static load(json: unknown): Calibrator {
    const s = json as CalibrationState;
    if (s?.kind !== 'temperature-buckets' || s.version !== 1) throw new Error(`cannot load calibration ${String(s?.kind)} v${String(s?.version)}`);
    return new Calibrator(s);
  }

  get models(): number {
    return this.state.temperatures.length;
  }

  /** Temperature-scaled probabilities only (what the exported ONNX head computes). */
  scaled(logits: Float32Array): Float32Array {
    const t = this.state.temperatures;
    const k = t.length;
    const out = new Float32Array(logits.length);
    for (let i = 0; i < logits.length; i++) out[i] = sigmoid(logits[i] / t[i % k]);
    return out;
  }

  /** Final calibrated probabilities. */
  apply(logits: Float32Array): Float32Array {
    const out = this.scaled(logits);
    const { buckets, settings } = this.state;
    if (!buckets.length) return out;
    const k = this.models;
    for (let i = 0; i < out.length; i++) out[i] = applyBuckets(out[i], buckets[i % k], settings.mode);
    return out;
  }

  toJSON(): CalibrationState {
    return this.state;
  }
}
