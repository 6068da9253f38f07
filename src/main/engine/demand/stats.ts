import { histQuantile } from './histogram';
import { SUMMARY_INTERVALS_S, MINUTE_S, type TokenStats } from './types';

/** Peak over mean of the rate per interval length, from per-minute counts (or expected counts). */
export function peakToMean(minuteCounts: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  const total = minuteCounts.reduce((a, b) => a + b, 0);
  for (const len of SUMMARY_INTERVALS_S) {
    const per = len / MINUTE_S;
    const n = Math.ceil(minuteCounts.length / per);
    let peak = 0;
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let m = i * per; m < Math.min(minuteCounts.length, (i + 1) * per); m++) c += minuteCounts[m];
      if (c > peak) peak = c;
    }
    out[String(len)] = total > 0 ? peak / (total / n) : 0;
  }
  return out;
}

/**
 * Dispersion of per-minute counts: Var/mean (1 for Poisson), and the excess CV of the rate beyond
 * Poisson noise. For expected counts (a profile), pass `poissonMean` true: Var(N) = E + Var(E).
 */
export function minuteDispersion(minuteCounts: Float64Array, expected = false): { dispersion1m: number; minuteRateCv: number; minuteRateAutocorr: number } {
  const n = minuteCounts.length;
  let s = 0;
  for (const c of minuteCounts) s += c;
  const mean = n ? s / n : 0;
  if (mean === 0) return { dispersion1m: 0, minuteRateCv: 0, minuteRateAutocorr: 0 };
  let v = 0;
  let cov = 0;
  for (let m = 0; m < n; m++) {
    v += (minuteCounts[m] - mean) ** 2;
    if (m > 0) cov += (minuteCounts[m] - mean) * (minuteCounts[m - 1] - mean);
  }
  v /= n;
  cov /= Math.max(1, n - 1);
  // Poisson noise is independent from minute to minute: it adds `mean` to the variance of counts
  // but nothing to their covariance, so the rate's own autocorrelation is cov / (v - mean).
  const rateVar = expected ? v : v - mean;
  const minuteRateAutocorr = rateVar > 0 ? Math.max(-1, Math.min(1, cov / rateVar)) : 0;
  if (expected) return { dispersion1m: 1 + v / mean, minuteRateCv: Math.sqrt(v) / mean, minuteRateAutocorr };
  return { dispersion1m: v / mean, minuteRateCv: Math.sqrt(Math.max(0, v - mean)) / mean, minuteRateAutocorr };
}

export function tokenStats(sum: number, count: number, hist: ArrayLike<number>): TokenStats {
  return { mean: count ? sum / count : NaN, p50: histQuantile(hist, 0.5), p90: histQuantile(hist, 0.9), p99: histQuantile(hist, 0.99) };
}

/** Running mean and variance (Welford). */
export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;
  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  get cv(): number | null {
    return this.n < 2 || this.mean === 0 ? null : Math.sqrt(this.m2 / this.n) / this.mean;
  }
}
