import { densify, type FeatureMatrix } from '../features/types';
import { b64ToF32, b64ToI32, f32ToB64, i32ToB64 } from '../data/base64';
import { checkVersion, labelMeans, logit, type Estimator, type EstimatorJson, type LabelSet } from './estimator';

/**
 * kNN baseline (the paper's best robust estimator at k = 40): cosine similarity to the training
 * queries; a model's probability is its success rate among the k nearest neighbours that have a
 * label for it, smoothed toward its training mean with one pseudo-count. Logits are logit(p).
 */
export class KnnEstimator implements Estimator {
  readonly kind = 'knn';
  static readonly version = 1;
  models = 0;
  private train: FeatureMatrix | null = null;
  private norms: Float32Array = new Float32Array(0);
  private y: Float32Array = new Float32Array(0);
  private prior: Float32Array = new Float32Array(0);

  constructor(readonly settings: { k: number } = { k: 40 }) {}

  fit(train: LabelSet): this {
    this.train = train.x;
    this.y = train.y;
    this.models = train.y.length / train.x.rows;
    this.norms = rowNorms(train.x);
    this.prior = labelMeans(this.y, train.x.rows, this.models);
    return this;
  }

  logits(x: FeatureMatrix): Float32Array {
    const t = this.train!;
    const K = this.models;
    const out = new Float32Array(x.rows * K);
    const sims = new Float32Array(t.rows);
    const order = new Int32Array(t.rows);
    const qNorms = rowNorms(x);
    for (let i = 0; i < x.rows; i++) {
      const q = densify(x, i, i + 1);
      for (let r = 0; r < t.rows; r++) sims[r] = dotRow(t, r, q) / (this.norms[r] * qNorms[i] || 1);
      for (let r = 0; r < t.rows; r++) order[r] = r;
      const nearest = Array.from(order).sort((a, b) => sims[b] - sims[a] || a - b).slice(0, this.settings.k);
      for (let c = 0; c < K; c++) {
        let s = this.prior[c];
        let m = 1;
        for (const r of nearest) {
          const v = this.y[r * K + c];
          if (!Number.isNaN(v)) (s += v), m++;
        }
        out[i * K + c] = logit(s / m);
      }
    }
    return out;
  }

  predictProba(x: FeatureMatrix): Float32Array {
    return this.logits(x).map((z) => 1 / (1 + Math.exp(-z)));
  }

  toJSON(): EstimatorJson {
    const t = this.train!;
    const base = { kind: this.kind, version: KnnEstimator.version, settings: this.settings, models: this.models, y: f32ToB64(this.y), rows: t.rows, dim: t.dim };
    return t.kind === 'sparse'
      ? { ...base, storage: 'sparse', rowPtr: i32ToB64(t.rowPtr), index: i32ToB64(t.index), value: f32ToB64(t.value) }
      : { ...base, storage: 'dense', data: f32ToB64(t.data) };
  }

  static load(json: EstimatorJson): KnnEstimator {
    checkVersion(json, 'knn', KnnEstimator.version);
    const j = json as Record<string, any>;
    const x: FeatureMatrix =
      j.storage === 'sparse'
        ? { kind: 'sparse', rows: j.rows, dim: j.dim, rowPtr: b64ToI32(j.rowPtr), index: b64ToI32(j.index), value: b64ToF32(j.value) }
        : { kind: 'dense', rows: j.rows, dim: j.dim, data: b64ToF32(j.data) };
    const y = b64ToF32(j.y);
    return new KnnEstimator(j.settings).fit({ x, y });
  }
}

function dotRow(x: FeatureMatrix, r: number, q: Float32Array): number {
  let s = 0;
  if (x.kind === 'sparse') for (let p = x.rowPtr[r]; p < x.rowPtr[r + 1]; p++) s += x.value[p] * q[x.index[p]];
  else for (let j = 0, b = r * x.dim; j < x.dim; j++) s += x.data[b + j] * q[j];
  return s;
}

function rowNorms(x: FeatureMatrix): Float32Array {
  const out = new Float32Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let s = 0;
    if (x.kind === 'sparse') for (let p = x.rowPtr[r]; p < x.rowPtr[r + 1]; p++) s += x.value[p] ** 2;
    else for (let j = 0; j < x.dim; j++) s += x.data[r * x.dim + j] ** 2;
    out[r] = Math.sqrt(s);
  }
  return out;
}
