import type { FeatureMatrix } from '../features/types';
import { Adam } from './adam';
import { b64ToF32, f32ToB64 } from '../data/base64';
import { bceLoss, checkVersion, labelMeans, logit, type Estimator, type EstimatorJson, type FitHooks, type LabelSet } from './estimator';
import { macroAuc } from './mlp';
import { createRng, permutation } from './rng';

export interface LogregSettings {
  lr: number;
  l2: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  seed: number;
}

/**
 * One L2-regularised logistic regression per model (the baseline). The models' losses are
 * separable, so they are trained together on masked labels: the result equals K separate fits.
 * Minibatch Adam with lazy row updates for sparse inputs; early stopping on the validation loss.
 */
export class LogisticRegressions implements Estimator {
  readonly kind = 'logreg';
  static readonly version = 1;
  readonly settings: LogregSettings;
  models = 0;
  dim = 0;
  w: Float32Array = new Float32Array(0); // dim x models
  b: Float32Array = new Float32Array(0);

  constructor(settings: Partial<LogregSettings> = {}) {
    this.settings = { lr: 0.01, l2: 1e-5, batchSize: 64, maxEpochs: 40, patience: 4, seed: 1, ...settings };
  }

  fit(train: LabelSet, val: LabelSet | null, hooks: FitHooks = {}): this {
    const { x, y } = train;
    const n = x.rows;
    const K = (this.models = y.length / n);
    this.dim = x.dim;
    this.w = new Float32Array(x.dim * K);
    this.b = labelMeans(y, n, K).map(logit);
    const gw = new Float32Array(this.w.length);
    const gb = new Float32Array(K);
    const ow = new Adam(this.w, this.settings.lr, this.settings.l2);
    const ob = new Adam(this.b, this.settings.lr);
    const mark = new Uint8Array(x.dim);
    const rows = new Int32Array(x.dim);
    const rng = createRng(this.settings.seed);
    const dz = new Float32Array(K);
    let best = { loss: Infinity, w: this.w.slice(), b: this.b.slice() };
    let since = 0;
    let t = 0;
    for (let epoch = 1; epoch <= this.settings.maxEpochs; epoch++) {
      const order = permutation(n, rng);
      let lossSum = 0;
      let lossCount = 0;
      for (let s0 = 0; s0 < n; s0 += this.settings.batchSize) {
        hooks.check?.();
        const end = Math.min(n, s0 + this.settings.batchSize);
        let touched = 0;
        let labelled = 0;
        for (let q = s0; q < end; q++) for (let c = 0; c < K; c++) if (!Number.isNaN(y[order[q] * K + c])) labelled++;
        if (!labelled) continue;
        for (let q = s0; q < end; q++) {
          const i = order[q];
          const z = this.rowLogits(x, i);
          for (let c = 0; c < K; c++) {
            const yv = y[i * K + c];
            dz[c] = Number.isNaN(yv) ? 0 : (1 / (1 + Math.exp(-z[c])) - yv) / labelled;
            if (!Number.isNaN(yv)) lossSum += (z[c] > 0 ? z[c] + Math.log1p(Math.exp(-z[c])) : Math.log1p(Math.exp(z[c]))) - yv * z[c];
            gb[c] += dz[c];
          }
          forEachFeature(x, i, (j, v) => {
            if (!mark[j]) (mark[j] = 1), (rows[touched++] = j);
            for (let c = 0; c < K; c++) gw[j * K + c] += v * dz[c];
          });
        }
        lossCount += labelled;
        t++;
        ow.stepRows(gw, rows, touched, K, t);
        for (let r = 0; r < touched; r++) mark[rows[r]] = 0;
        ob.step(gb, t);
      }
      const loss = lossCount ? lossSum / lossCount : 0;
      const zv = val ? this.logits(val.x) : null;
      const valLoss = zv ? bceLoss(zv, val!.y) : loss;
      hooks.onEpoch?.({ epoch, maxEpochs: this.settings.maxEpochs, loss, valLoss, valAuc: zv ? macroAuc(zv, val!.y, val!.x.rows, K) : NaN });
      if (valLoss < best.loss - 1e-5) (best = { loss: valLoss, w: this.w.slice(), b: this.b.slice() }), (since = 0);
      else if (++since >= this.settings.patience) break;
    }
    this.w = best.w;
    this.b = best.b;
    return this;
  }

  private rowLogits(x: FeatureMatrix, i: number): Float32Array {
    const K = this.models;
    const z = this.b.slice();
    forEachFeature(x, i, (j, v) => {
      for (let c = 0; c < K; c++) z[c] += v * this.w[j * K + c];
    });
    return z;
  }

  logits(x: FeatureMatrix): Float32Array {
    const out = new Float32Array(x.rows * this.models);
    for (let i = 0; i < x.rows; i++) out.set(this.rowLogits(x, i), i * this.models);
    return out;
  }

  predictProba(x: FeatureMatrix): Float32Array {
    return this.logits(x).map((z) => 1 / (1 + Math.exp(-z)));
  }

  toJSON(): EstimatorJson {
    return { kind: this.kind, version: LogisticRegressions.version, settings: this.settings, models: this.models, dim: this.dim, w: f32ToB64(this.w), b: f32ToB64(this.b) };
  }

  static load(json: EstimatorJson): LogisticRegressions {
    checkVersion(json, 'logreg', LogisticRegressions.version);
    const j = json as Record<string, any>;
    const m = new LogisticRegressions(j.settings);
    Object.assign(m, { models: j.models, dim: j.dim, w: b64ToF32(j.w), b: b64ToF32(j.b) });
    return m;
  }
}

function forEachFeature(x: FeatureMatrix, i: number, f: (j: number, v: number) => void): void {
  if (x.kind === 'sparse') for (let p = x.rowPtr[i]; p < x.rowPtr[i + 1]; p++) f(x.index[p], x.value[p]);
  else for (let j = 0; j < x.dim; j++) if (x.data[i * x.dim + j] !== 0) f(j, x.data[i * x.dim + j]);
}
