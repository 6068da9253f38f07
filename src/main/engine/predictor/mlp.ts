import type { FeatureMatrix } from '../features/types';
import { Adam } from './adam';
import { b64ToF32, b64ToI32, f32ToB64, i32ToB64 } from '../data/base64';
import { bceLoss, checkVersion, labelMeans, logit, type Estimator, type EstimatorJson, type FitHooks, type LabelSet } from './estimator';
import { columnAuc } from '../calibration/metrics';
import { createRng, permutation } from './rng';

export interface MlpSettings {
  hidden: number;
  lr: number;
  l2: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  seed: number;
}

export const defaultMlpSettings: MlpSettings = { hidden: 32, lr: 3e-3, l2: 1e-5, batchSize: 32, maxEpochs: 40, patience: 4, seed: 1 };

/**
 * The multi-label head: x -> relu(W1 x + b1) -> W2 h + b2, one logit per model, trained with
 * masked binary cross-entropy (missing labels contribute nothing), Adam, early stopping on the
 * validation loss (best epoch restored). W1 starts at zero and b1 at 0.1 (symmetry is broken by
 * the random W2), so hashed features never seen in training keep a zero row: they cannot add noise
 * at prediction time and the stored state holds only the touched rows.
 */
export class MlpHead implements Estimator {
  readonly kind = 'mlp-head';
  static readonly version = 1;
  readonly settings: MlpSettings;
  dim = 0;
  models = 0;
  w1: Float32Array = new Float32Array(0); // dim x hidden
  b1: Float32Array = new Float32Array(0);
  w2: Float32Array = new Float32Array(0); // hidden x models
  b2: Float32Array = new Float32Array(0);
  epochs = 0;

  constructor(settings: Partial<MlpSettings> = {}) {
    this.settings = { ...defaultMlpSettings, ...settings };
  }

  fit(train: LabelSet, val: LabelSet | null, hooks: FitHooks = {}): this {
    const { hidden: H, maxEpochs } = this.settings;
    // Large sets: bigger batches (fewer optimiser steps over the touched rows) and a shorter
    // patience (an epoch there is long and the validation loss turns sharply); small sets keep
    // the settings as given.
    const batchSize = Math.min(256, Math.max(this.settings.batchSize, Math.round(train.x.rows / 400)));
    const patience = train.x.rows >= 10_000 ? Math.min(this.settings.patience, 3) : this.settings.patience;
    const { x } = train;
    const n = x.rows;
    const K = train.y.length / n;
    const rng = createRng(this.settings.seed);
    this.dim = x.dim;
    this.models = K;
    this.w1 = new Float32Array(x.dim * H);
    this.b1 = new Float32Array(H).fill(0.1);
    this.w2 = Float32Array.from({ length: H * K }, () => rng.normal() / Math.sqrt(H));
    this.b2 = labelMeans(train.y, n, K).map(logit);
    const g1 = new Float32Array(this.w1.length);
    const gb1 = new Float32Array(H);
    const g2 = new Float32Array(this.w2.length);
    const gb2 = new Float32Array(K);
    const opt = [new Adam(this.w1, this.settings.lr, this.settings.l2), new Adam(this.b1, this.settings.lr), new Adam(this.w2, this.settings.lr, this.settings.l2), new Adam(this.b2, this.settings.lr)];
    const rowMark = new Uint8Array(x.dim);
    const rows = new Int32Array(x.dim);
    const hb = new Float32Array(batchSize * H);
    const dz = new Float32Array(batchSize * K);
    const dh = new Float32Array(H);
    let best = { loss: Infinity, state: this.snapshot() };
    let since = 0;
    let t = 0;
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const order = permutation(n, rng);
      let lossSum = 0;
      let lossCount = 0;
      for (let s0 = 0; s0 < n; s0 += batchSize) {
        hooks.check?.();
        const bs = Math.min(batchSize, n - s0);
        let labelled = 0;
        for (let b = 0; b < bs; b++) {
          const i = order[s0 + b];
          this.hiddenInto(x, i, hb, b * H);
          for (let c = 0; c < K; c++) {
            const yv = train.y[i * K + c];
            if (Number.isNaN(yv)) {
              dz[b * K + c] = 0;
              continue;
            }
            let z = this.b2[c];
            for (let u = 0; u < H; u++) z += hb[b * H + u] * this.w2[u * K + c];
            const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
            dz[b * K + c] = p - yv;
            lossSum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - yv * z;
            labelled++;
          }
        }
        if (!labelled) continue;
        lossCount += labelled;
        const scale = 1 / labelled;
        let touched = 0;
        for (let b = 0; b < bs; b++) {
          const i = order[s0 + b];
          dh.fill(0);
          for (let c = 0; c < K; c++) {
            const d = dz[b * K + c] * scale;
            if (d === 0) continue;
            gb2[c] += d;
            for (let u = 0; u < H; u++) {
              g2[u * K + c] += hb[b * H + u] * d;
              dh[u] += this.w2[u * K + c] * d;
            }
          }
          for (let u = 0; u < H; u++) {
            if (hb[b * H + u] <= 0) dh[u] = 0;
            gb1[u] += dh[u];
          }
          touched = this.accumulateW1(x, i, dh, g1, rowMark, rows, touched);
        }
        t++;
        opt[0].stepRows(g1, rows, touched, H, t);
        for (let r = 0; r < touched; r++) rowMark[rows[r]] = 0;
        opt[1].step(gb1, t);
        opt[2].step(g2, t);
        opt[3].step(gb2, t);
      }
      const loss = lossCount ? lossSum / lossCount : 0;
      let valLoss = loss;
      let valAuc = NaN;
      if (val) {
        const z = this.logits(val.x);
        valLoss = bceLoss(z, val.y);
        valAuc = macroAuc(z, val.y, val.x.rows, K);
      }
      this.epochs = epoch;
      hooks.onEpoch?.({ epoch, maxEpochs, loss, valLoss, valAuc });
      if (valLoss < best.loss - 1e-5) {
        best = { loss: valLoss, state: this.snapshot() };
        since = 0;
      } else if (++since >= patience) break;
    }
    this.restore(best.state);
    return this;
  }

  logits(x: FeatureMatrix): Float32Array {
    const { hidden: H } = this.settings;
    const K = this.models;
    const h = new Float32Array(H);
    const out = new Float32Array(x.rows * K);
    for (let i = 0; i < x.rows; i++) {
      this.hiddenInto(x, i, h, 0);
      for (let c = 0; c < K; c++) {
        let z = this.b2[c];
        for (let u = 0; u < H; u++) z += h[u] * this.w2[u * K + c];
        out[i * K + c] = z;
      }
    }
    return out;
  }

  predictProba(x: FeatureMatrix): Float32Array {
    return this.logits(x).map((z) => 1 / (1 + Math.exp(-z)));
  }

  /** h = relu(W1 x_i + b1) written at out[offset..offset+H). */
  private hiddenInto(x: FeatureMatrix, i: number, out: Float32Array, offset: number): void {
    const H = this.settings.hidden;
    const w1 = this.w1;
    for (let u = 0; u < H; u++) out[offset + u] = this.b1[u];
    if (x.kind === 'sparse') {
      for (let p = x.rowPtr[i]; p < x.rowPtr[i + 1]; p++) {
        const v = x.value[p];
        const base = x.index[p] * H;
        for (let u = 0; u < H; u++) out[offset + u] += v * w1[base + u];
      }
    } else {
      const base = i * x.dim;
      for (let j = 0; j < x.dim; j++) {
        const v = x.data[base + j];
        if (v === 0) continue;
        for (let u = 0; u < H; u++) out[offset + u] += v * w1[j * H + u];
      }
    }
    for (let u = 0; u < H; u++) if (out[offset + u] < 0) out[offset + u] = 0;
  }

  private accumulateW1(x: FeatureMatrix, i: number, dh: Float32Array, g1: Float32Array, mark: Uint8Array, rows: Int32Array, touched: number): number {
    const H = this.settings.hidden;
    const sparse = x.kind === 'sparse';
    const a = sparse ? x.rowPtr[i] : i * x.dim;
    const b = sparse ? x.rowPtr[i + 1] : (i + 1) * x.dim;
    const vals = sparse ? x.value : x.data;
    for (let p = a; p < b; p++) {
      const v = vals[p];
      if (v === 0) continue;
      const j = sparse ? x.index[p] : p - a;
      if (!mark[j]) {
        mark[j] = 1;
        rows[touched++] = j;
      }
      const base = j * H;
      for (let u = 0; u < H; u++) g1[base + u] += v * dh[u];
    }
    return touched;
  }

  private snapshot() {
    return { w1: this.w1.slice(), b1: this.b1.slice(), w2: this.w2.slice(), b2: this.b2.slice() };
  }

  private restore(s: ReturnType<MlpHead['snapshot']>): void {
    Object.assign(this, s);
  }

  toJSON(): EstimatorJson {
    const H = this.settings.hidden;
    const rows: number[] = [];
    for (let j = 0; j < this.dim; j++) {
      for (let u = 0; u < H; u++) {
        if (this.w1[j * H + u] !== 0) {
          rows.push(j);
          break;
        }
      }
    }
    const values = new Float32Array(rows.length * H);
    rows.forEach((j, r) => values.set(this.w1.subarray(j * H, (j + 1) * H), r * H));
    return {
      kind: this.kind,
      version: MlpHead.version,
      settings: this.settings,
      dim: this.dim,
      models: this.models,
      epochs: this.epochs,
      w1Rows: i32ToB64(Int32Array.from(rows)),
      w1Values: f32ToB64(values),
      b1: f32ToB64(this.b1),
      w2: f32ToB64(this.w2),
      b2: f32ToB64(this.b2),
    };
  }

  static load(json: EstimatorJson): MlpHead {
    checkVersion(json, 'mlp-head', MlpHead.version);
    const j = json as unknown as { settings: MlpSettings; dim: number; models: number; epochs: number; w1Rows: string; w1Values: string; b1: string; w2: string; b2: string };
    const m = new MlpHead(j.settings);
    const H = m.settings.hidden;
    m.dim = j.dim;
    m.models = j.models;
    m.epochs = j.epochs;
    m.w1 = new Float32Array(j.dim * H);
    const rows = b64ToI32(j.w1Rows);
    const values = b64ToF32(j.w1Values);
    rows.forEach((row, r) => m.w1.set(values.subarray(r * H, (r + 1) * H), row * H));
    m.b1 = b64ToF32(j.b1);
    m.w2 = b64ToF32(j.w2);
    m.b2 = b64ToF32(j.b2);
    return m;
  }
}

export function macroAuc(p: Float32Array, y: Float32Array, n: number, k: number): number {
  let s = 0;
  let m = 0;
  for (let c = 0; c < k; c++) {
    const a = columnAuc(p, y, n, k, c);
    if (a !== null) (s += a), m++;
  }
  return m ? s / m : NaN;
}
