// Token lengths per minute as log-spaced histograms: minutes merge by addition, so any interval's
// quantiles come from its minutes without reading a request. Bucket 0 holds zero tokens; bucket
// b >= 1 holds [2^((b-1)/4), 2^(b/4)), so a quantile read off it is within a factor 2^(1/4)
// (about ±9%) of the exact one; the last bucket is open-ended from 2^21 tokens.

export const PER_OCTAVE = 4;
export const FINE_BUCKETS = 21 * PER_OCTAVE + 1;

/** Coarse joint buckets (lower edges; the last open-ended): Mélange-style input x output classes. */
export const INPUT_EDGES = [0, 256, 512, 1024, 2048, 4096, 8192, 16384];
export const OUTPUT_EDGES = [0, 64, 128, 256, 512, 1024];
export const JOINT_BUCKETS = INPUT_EDGES.length * OUTPUT_EDGES.length;

export function fineBucket(tokens: number): number {
  if (tokens < 1) return 0;
  const b = Math.floor(Math.log2(tokens) * PER_OCTAVE) + 1;
  return b < FINE_BUCKETS ? b : FINE_BUCKETS - 1;
}

/** [lower, upper) token bounds of a fine bucket. */
export function fineBounds(b: number): [number, number] {
  if (b === 0) return [0, 1];
  return [2 ** ((b - 1) / PER_OCTAVE), 2 ** (b / PER_OCTAVE)];
}

function coarse(edges: number[], tokens: number): number {
  let i = edges.length - 1;
  while (i > 0 && tokens < edges[i]) i--;
  return i;
}

export function jointBucket(input: number, output: number): number {
  return coarse(INPUT_EDGES, input) * OUTPUT_EDGES.length + coarse(OUTPUT_EDGES, output);
}

/**
 * The q-quantile of a histogram, interpolated geometrically inside its bucket (lengths are
 * roughly log-uniform within a quarter octave). NaN for an empty histogram.
 */
export function histQuantile(hist: ArrayLike<number>, q: number): number {
  let n = 0;
  for (let b = 0; b < hist.length; b++) n += hist[b];
  if (n === 0) return NaN;
  const target = q * n;
  let acc = 0;
  for (let b = 0; b < hist.length; b++) {
    if (hist[b] === 0) continue;
    if (acc + hist[b] >= target) {
      if (b === 0) return 0;
      const [lo, hi] = fineBounds(b);
      const f = Math.min(1, Math.max(0, (target - acc) / hist[b]));
      return lo * (hi / lo) ** f;
    }
    acc += hist[b];
  }
  return fineBounds(hist.length - 1)[0];
}

/** Draws a token count from a histogram's cumulative weights: a bucket, then log-uniform in it. */
export function sampleFromCumulative(cum: Float64Array, u1: number, u2: number): number {
  const total = cum[cum.length - 1];
  const target = u1 * total;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  if (lo === 0) return 0;
  const [a, b] = fineBounds(lo);
  return Math.max(1, Math.floor(a * (b / a) ** u2));
}

export function cumulative(hist: ArrayLike<number>): Float64Array {
  const out = new Float64Array(hist.length);
  let acc = 0;
  for (let b = 0; b < hist.length; b++) out[b] = acc += hist[b];
  return out;
}
