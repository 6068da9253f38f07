import { cumulative, fineBounds, FINE_BUCKETS, fineBucket, histQuantile, INPUT_EDGES, jointBucket, JOINT_BUCKETS, OUTPUT_EDGES, sampleFromCumulative } from './histogram';
import { minuteRng, STREAM_MULTIPLIER } from './random';
import type { Rng } from '../predictor/rng';
import { MONTH_HOURS, type LengthSpec, type ProfileSpec } from './types';

// A typed profile as a stochastic process: the expected rate of each hour (shape x daily volume x
// growth), a seeded gamma multiplier per minute (bursts), and token lengths from a stated
// distribution. Intervals and the request stream both read these, so they agree.

const Z90 = 1.2815515655446004;

/** Expected arrival rate (req/s) in hour h of the profile. */
export function hourRate(p: ProfileSpec, h: number): number {
  let total = 0;
  for (const w of p.shape) total += w;
  const weekly = 7 * p.dailyRequests;
  const w = p.shape[(p.startHourOfWeek + h) % 168] / total;
  return ((weekly * w) / 3600) * (1 + p.growthPerMonth) ** Math.floor(h / MONTH_HOURS);
}

const seriesCache = new Map<string, Float64Array>();

/**
 * The seeded per-minute rate multipliers of a profile: m = exp(x - s^2/2) with s^2 = ln(1 + cv^2)
 * (mean 1, CV cv) and x a stationary AR(1), x_t = r x_(t-1) + sqrt(1 - r^2) s z_t with r set so
 * that m's lag-1 autocorrelation is minuteRateAutocorr (a Markov-modulated rate), z_t drawn
 * from minute t's own generator. The series is computed from minute 0 (a week is 10,080 draws)
 * and kept for the last few (spec, seed) pairs, so every window of a stream sees the same values.
 */
function multiplierSeries(p: ProfileSpec, seed: number): Float64Array {
  const { minuteRateCv: cv, minuteRateAutocorr: rho = 0 } = p.burstiness;
  const minutes = p.spanHours * 60;
  const key = `${seed}:${cv}:${rho}:${minutes}`;
  let series = seriesCache.get(key);
  if (series) return series;
  series = new Float64Array(minutes);
  const s2 = Math.log(1 + cv * cv);
  const s = Math.sqrt(s2);
  // The multipliers' own lag-1 autocorrelation is (e^(r s^2) - 1) / (e^(s^2) - 1) for the log's r.
  const r = s2 > 0 ? Math.log(1 + rho * (Math.exp(s2) - 1)) / s2 : 0;
  const innovation = Math.sqrt(1 - r * r) * s;
  let x = 0;
  for (let m = 0; m < minutes; m++) {
    const z = minuteRng(seed, STREAM_MULTIPLIER, m).normal();
    x = m === 0 ? s * z : r * x + innovation * z;
    series[m] = Math.exp(x - (s * s) / 2);
  }
  if (seriesCache.size >= 4) seriesCache.delete(seriesCache.keys().next().value!);
  seriesCache.set(key, series);
  return series;
}

/** The seeded rate multiplier of one minute (mean 1, CV minuteRateCv; 1 without bursts). */
export function minuteMultiplier(p: ProfileSpec, minute: number, seed = p.seed): number {
  if (p.burstiness.minuteRateCv <= 0) return 1;
  return multiplierSeries(p, seed)[minute] ?? 1;
}

/** Lognormal (mu, sigma) with the given mean and 90th percentile; p90 <= mean gives sigma 0. */
export function lognormalOf(mean: number, p90: number): { mu: number; sigma: number } {
  const gap = Math.log(p90 / mean); // = Z90 * s - s^2 / 2
  const disc = Z90 * Z90 - 2 * gap;
  const sigma = gap <= 0 ? 0 : disc <= 0 ? Z90 : Z90 - Math.sqrt(disc);
  return { mu: Math.log(mean) - (sigma * sigma) / 2, sigma };
}

function normalCdf(x: number): number {
  // Abramowitz-Stegun 7.1.26 on erf: |error| < 1.5e-7
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Token-length distribution of a profile: marginal histograms, joint coarse shares, a sampler. */
export interface LengthModel {
  meanInput: number;
  meanOutput: number;
  histInput: Float64Array;
  histOutput: Float64Array;
  jointShare: Float64Array; // JOINT_BUCKETS, sums to 1
  sample(rng: Rng): [number, number];
}

function lognormalHist(mu: number, sigma: number): Float64Array {
  const h = new Float64Array(FINE_BUCKETS);
  if (sigma === 0) {
    h[fineBucket(Math.exp(mu))] = 1;
    return h;
  }
  const cdf = (x: number) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma));
  for (let b = 0; b < FINE_BUCKETS; b++) {
    const [lo, hi] = fineBounds(b);
    h[b] = (b === FINE_BUCKETS - 1 ? 1 : cdf(hi)) - cdf(lo === 0 ? 0 : lo);
  }
  return h;
}

function coarseShare(hist: Float64Array, edges: number[]): Float64Array {
  const out = new Float64Array(edges.length);
  let total = 0;
  for (let b = 0; b < hist.length; b++) {
    const mid = b === 0 ? 0 : Math.sqrt(fineBounds(b)[0] * fineBounds(b)[1]);
    let i = edges.length - 1;
    while (i > 0 && mid < edges[i]) i--;
    out[i] += hist[b];
    total += hist[b];
  }
  for (let i = 0; i < out.length; i++) out[i] /= total || 1;
  return out;
}

export function lengthModel(spec: LengthSpec): LengthModel {
  if (spec.kind === 'lognormal') {
    const li = lognormalOf(spec.input.mean, spec.input.p90);
    const lo = lognormalOf(spec.output.mean, spec.output.p90);
    const histInput = lognormalHist(li.mu, li.sigma);
    const histOutput = lognormalHist(lo.mu, lo.sigma);
    const ci = coarseShare(histInput, INPUT_EDGES);
    const co = coarseShare(histOutput, OUTPUT_EDGES);
    const jointShare = new Float64Array(JOINT_BUCKETS);
    for (let i = 0; i < ci.length; i++) for (let o = 0; o < co.length; o++) jointShare[i * co.length + o] = ci[i] * co[o];
    return {
      meanInput: spec.input.mean,
      meanOutput: spec.output.mean,
      histInput,
      histOutput,
      jointShare,
      sample: (rng) => [Math.max(1, Math.round(Math.exp(li.mu + li.sigma * rng.normal()))), Math.max(1, Math.round(Math.exp(lo.mu + lo.sigma * rng.normal())))],
    };
  }
  // A trace's lengths: its pooled histograms, input and output drawn independently.
  const histInput = Float64Array.from(spec.histInput);
  const histOutput = Float64Array.from(spec.histOutput);
  const ci = cumulative(histInput);
  const co = cumulative(histOutput);
  const jt = spec.joint.reduce((a, b) => a + b, 0) || 1;
  return {
    meanInput: spec.meanInput,
    meanOutput: spec.meanOutput,
    histInput,
    histOutput,
    jointShare: Float64Array.from(spec.joint, (x) => x / jt),
    sample: (rng) => [sampleFromCumulative(ci, rng.next(), rng.next()), sampleFromCumulative(co, rng.next(), rng.next())],
  };
}

export const lengthQuantile = (hist: Float64Array, q: number) => histQuantile(hist, q);
export { jointBucket };
