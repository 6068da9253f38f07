// Goodput under an SLO from measured rates: the largest Poisson rate at which p90 TTFT and p90
// TPOT meet the SLO. Where the deployment's rate measurements at this shape bracket the SLO
// boundary, the boundary is found on the interpolated measurements (bisection: interpolation
// between monotone measurements is monotone) and is 'measured'; where they do not, the re-fitted
// model's goodput stands ('fitted'), never below a measured rate that met the SLO nor above one
// that missed it.
import type { FigureSource, MeasuredPoint, PerfEstimate, Slo, Workload } from '../types';
import { SHAPE_TOLERANCE, near } from './contradictions';

/**
 * `at(rate)` gives the figures at a rate exactly as resolvePerformance would (so the goodput it
 * names meets the SLO there); `fittedGoodput()` is the re-fitted model's.
 */
export function goodputFromMeasurements(points: MeasuredPoint[], w: Workload, slo: Slo, at: (rate: number) => PerfEstimate | null, fittedGoodput: () => number): { requestsPerS: number; source: FigureSource } {
  const rates = points
    .filter((p) => p.rate !== undefined && near(p.inputTokens, w.inputTokens, SHAPE_TOLERANCE) && near(p.outputTokens, w.outputTokens, SHAPE_TOLERANCE))
    .map((p) => p.rate!)
    .sort((a, b) => a - b);
  if (!rates.length) return { requestsPerS: fittedGoodput(), source: 'fitted' };
  const meets = (rate: number): boolean | null => {
    const e = at(rate);
    if (!e || !Number.isFinite(e.ttftMs.p90) || !Number.isFinite(e.tpotMs.p90)) return null;
    return e.ttftMs.p90 <= slo.ttftP90Ms && e.tpotMs.p90 <= slo.tpotP90Ms;
  };
  const lo = rates[0];
  const hi = rates[rates.length - 1];
  const atLo = meets(lo);
  const atHi = meets(hi);
  if (atLo === null || atHi === null) return { requestsPerS: fittedGoodput(), source: 'fitted' };
  // Missed already at the lowest measured rate: below it, only the model can say (but not above it).
  if (!atLo) return { requestsPerS: Math.min(fittedGoodput(), lo), source: 'fitted' };
  if (atHi) {
    // Met at every measured rate: the boundary lies beyond them, where only the model can say.
    const f = fittedGoodput();
    return f > hi ? { requestsPerS: f, source: 'fitted' } : { requestsPerS: hi, source: 'measured' };
  }
  let ok = lo;
  let bad = hi;
  for (let i = 0; i < 30 && bad - ok > 1e-3 * hi; i++) {
    const mid = (ok + bad) / 2;
    if (meets(mid)) ok = mid;
    else bad = mid;
  }
  return { requestsPerS: ok, source: 'measured' };
}
