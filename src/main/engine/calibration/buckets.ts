/**
 * Equal-mass histogram buckets per model on temperature-scaled probabilities. Each bucket's
 * observed success rate on the calibration split is smoothed toward the model's mean
 * (pseudo-count `smoothing`), then made non-decreasing (pool-adjacent-violators, weighted by
 * counts). `step` mode returns the bucket rate (the article's rule). `interpolate` mode (ours, the
 * default) adds to p the offset (rate - mean predicted) interpolated linearly between bucket
 * centres: it corrects the same bias but keeps the ranking inside a bucket, so AUC is not lost to
 * ties. With non-decreasing rates the offset's slope is >= -1; only 90% of the offset is applied,
 * so the map's slope is >= 0.1: strictly increasing, and per-model AUC is exactly that of the
 * temperature-scaled probabilities (pooled buckets would otherwise create flat stretches).
 */
export interface ModelBuckets {
  centers: number[]; // mean predicted probability per bucket, increasing
  upper: number[]; // upper edge of each bucket (last = 1)
  rates: number[]; // smoothed, monotone observed rate per bucket
}

export interface BucketSettings {
  buckets: number;
  smoothing: number;
  mode: 'interpolate' | 'step';
}

export const OFFSET_SHARE = 0.9;

export const defaultBucketSettings: BucketSettings = { buckets: 5, smoothing: 20, mode: 'interpolate' };

export function fitBuckets(p: Float32Array, y: ArrayLike<number>, n: number, k: number, s: BucketSettings): ModelBuckets[] {
  const out: ModelBuckets[] = [];
  for (let c = 0; c < k; c++) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) if (!Number.isNaN(y[i * k + c])) pairs.push([p[i * k + c], y[i * k + c] >= 0.5 ? 1 : 0]);
    pairs.sort((a, b) => a[0] - b[0]);
    const mean = pairs.length ? pairs.reduce((t, q) => t + q[1], 0) / pairs.length : 0.5;
    const nb = Math.max(1, Math.min(s.buckets, Math.floor(pairs.length / 10)));
    const centers: number[] = [];
    const upper: number[] = [];
    const rates: number[] = [];
    const weights: number[] = [];
    for (let b = 0; b < nb; b++) {
      const a = Math.floor((b * pairs.length) / nb);
      const e = Math.floor(((b + 1) * pairs.length) / nb);
      let sp = 0;
      let sy = 0;
      for (let i = a; i < e; i++) {
        sp += pairs[i][0];
        sy += pairs[i][1];
      }
      const cnt = e - a;
      centers.push(cnt ? sp / cnt : (b + 0.5) / nb);
      upper.push(b === nb - 1 ? 1 : pairs[e - 1]?.[0] ?? 1);
      rates.push((sy + s.smoothing * mean) / (cnt + s.smoothing));
      weights.push(cnt + s.smoothing);
    }
    out.push({ centers, upper, rates: poolAdjacentViolators(rates, weights) });
  }
  return out;
}

/** Weighted isotonic (non-decreasing) regression of a short sequence. */
export function poolAdjacentViolators(v: number[], w: number[]): number[] {
  const blocks: { v: number; w: number; len: number }[] = [];
  for (let i = 0; i < v.length; i++) {
    blocks.push({ v: v[i], w: w[i], len: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].v > blocks[blocks.length - 1].v) {
      const b = blocks.pop()!;
      const a = blocks[blocks.length - 1];
      a.v = (a.v * a.w + b.v * b.w) / (a.w + b.w);
      a.w += b.w;
      a.len += b.len;
    }
  }
  return blocks.flatMap((b) => Array(b.len).fill(b.v));
}

export function applyBuckets(p: number, m: ModelBuckets, mode: BucketSettings['mode']): number {
  const { centers, rates, upper } = m;
  if (mode === 'step') {
    let b = 0;
    while (b < upper.length - 1 && p > upper[b]) b++;
    return rates[b];
  }
  let d: number;
  if (p <= centers[0]) d = rates[0] - centers[0];
  else if (p >= centers[centers.length - 1]) d = rates[rates.length - 1] - centers[centers.length - 1];
  else {
    let b = 0;
    while (p > centers[b + 1]) b++;
    const t = (p - centers[b]) / (centers[b + 1] - centers[b] || 1);
    d = (1 - t) * (rates[b] - centers[b]) + t * (rates[b + 1] - centers[b + 1]);
  }
  return Math.min(1 - 1e-4, Math.max(1e-4, p + OFFSET_SHARE * d));
}
