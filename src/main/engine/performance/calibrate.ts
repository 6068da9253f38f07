import { EngineError } from '../../../shared/errors';
import { closedLoop, estimate, estimateAtRate, staticBatch } from './estimate';
import { maxConcurrency, memoryPlan } from './memory';
import { engineProfiles } from './profiles';
import type { Deployment, EfficiencyFactors, MeasuredPoint, Percentiles } from './types';

// Fitting efficiency factors to measured points. A point is predicted under the same load it
// was measured at (static batch, closed-loop concurrency, Poisson rate or max throughput) and
// compared metric by metric (output tok/s, TTFT, TPOT) on the statistic that was measured (p50,
// else mean, else p90, else p99). The fit minimises the mean squared log ratio by Nelder-Mead over
// the factors in `fittedKeys`, each kept inside physical bounds.

export type Metric = 'throughput' | 'ttft' | 'tpot';

export interface PointError {
  metric: Metric;
  estimated: number;
  measured: number;
  logRatio: number;
}

const statOrder: (keyof Percentiles)[] = ['p50', 'mean', 'p90', 'p99'];

function measuredStat(p: Partial<Percentiles> | undefined): { stat: keyof Percentiles; value: number } | undefined {
  for (const stat of statOrder) {
    const v = p?.[stat];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return { stat, value: v };
  }
  return undefined;
}

const cap = Math.log(20); // a refused or unstable prediction counts as 20x off, not infinitely

/** Estimate-versus-measurement of every metric the point carries; [] if the deployment cannot run. */
export function pointErrors(d: Deployment, p: MeasuredPoint, opts: { simRequests?: number } = {}): PointError[] {
  const w = { inputTokens: p.inputTokens, outputTokens: p.outputTokens };
  let thr: number;
  let ttft: Percentiles | null = null;
  let tpot: Percentiles | null = null;
  let maxC: number;
  try {
    maxC = maxConcurrency(d, w);
  } catch (err) {
    if (err instanceof EngineError && err.code === 'INFEASIBLE') return [];
    throw err;
  }
  const flat = (x: number): Percentiles => ({ mean: x, p50: x, p90: x, p99: x });
  if (p.staticBatch && p.concurrency) {
    // a static batch's sequences grow together: engines that allocate KV blocks on demand fit as
    // many as the average context (I + O/2) allows, and run the rest in later rounds
    const onDemand = Math.min(engineProfiles[d.engine].maxSeqs, Math.max(1, Math.floor(memoryPlan(d).kvTokenCapacity / (p.inputTokens + p.outputTokens / 2))));
    const s = staticBatch(d, w, p.concurrency, onDemand);
    thr = s.outputTokensPerS;
    ttft = flat(s.ttftS * 1000);
    tpot = flat(s.tpotS * 1000);
  } else if (p.maxThroughput) {
    thr = closedLoop(d, w, maxC).outputTokensPerS;
  } else if (p.concurrency) {
    const e = estimate(d, w, { concurrency: p.concurrency });
    thr = e.outputTokensPerS;
    ttft = e.ttftMs;
    tpot = e.tpotMs;
  } else if (p.rate) {
    thr = NaN; // at a sustainable rate the throughput is the offered rate: nothing to compare
    try {
      const e = estimateAtRate(d, w, p.rate, opts.simRequests);
      ttft = e.ttftMs;
      tpot = e.tpotMs;
    } catch (err) {
      if (!(err instanceof EngineError && err.code === 'INFEASIBLE')) throw err;
      ttft = flat(Infinity);
      tpot = flat(Infinity);
    }
  } else {
    throw new EngineError('INVALID_INPUT', `measured point ${p.source} has no load (concurrency, rate or maxThroughput)`, { source: p.source });
  }
  const out: PointError[] = [];
  const add = (metric: Metric, estimated: number, measured: number) => {
    const r = Math.log(estimated / measured);
    out.push({ metric, estimated, measured, logRatio: Number.isFinite(r) ? Math.max(-cap, Math.min(cap, r)) : cap });
  };
  if (Number.isFinite(thr) && p.outputTokensPerS > 0) add('throughput', thr, p.outputTokensPerS);
  const mt = measuredStat(p.ttftMs);
  if (mt && ttft) add('ttft', ttft[mt.stat], mt.value);
  const mp = measuredStat(p.tpotMs);
  if (mp && tpot) add('tpot', tpot[mp.stat], mp.value);
  return out;
}

export interface FitCase {
  d: Deployment;
  point: MeasuredPoint;
}

export const fittedKeys = ['memBw', 'compute', 'stepOverheadMs', 'layerOverheadUs', 'allReduceLatencyUs', 'tpComm'] as const;
type FittedKey = (typeof fittedKeys)[number];
const bounds: Record<FittedKey, [number, number]> = { memBw: [0.3, 1], compute: [0.1, 1], stepOverheadMs: [0, 30], layerOverheadUs: [0, 400], allReduceLatencyUs: [0, 100], tpComm: [0.05, 1] };

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (x: number) => Math.log(x / (1 - x));

function toFactors(z: number[], base: EfficiencyFactors, keys: readonly FittedKey[]): EfficiencyFactors {
  const f = { ...base };
  keys.forEach((k, i) => {
    const [lo, hi] = bounds[k];
    f[k] = lo + (hi - lo) * sigmoid(z[i]);
  });
  return f;
}

function fromFactors(f: EfficiencyFactors, keys: readonly FittedKey[]): number[] {
  return keys.map((k) => {
    const [lo, hi] = bounds[k];
    const x = Math.min(0.999, Math.max(0.001, (f[k] - lo) / (hi - lo)));
    return logit(x);
  });
}

/** Mean squared log ratio of the cases under factors `f`. */
export function fitLoss(cases: FitCase[], f: EfficiencyFactors): number {
  let sum = 0;
  let n = 0;
  for (const c of cases) {
    for (const e of pointErrors({ ...c.d, efficiency: f }, c.point, { simRequests: 150 })) {
      sum += e.logRatio * e.logRatio;
      n++;
    }
  }
  return n ? sum / n : 0;
}

function nelderMead(fn: (z: number[]) => number, start: number[], iterations: number): number[] {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + 0.5 : v)))].map((z) => ({ z, f: fn(z) }));
  for (let it = 0; it < iterations; it++) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.f - best.f) < 1e-7) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.z[j], 0) / n);
    const at = (t: number) => centroid.map((c, j) => c + t * (worst.z[j] - c));
    const r = at(-1);
    const fr = fn(r);
    if (fr < best.f) {
      const e = at(-2);
      const fe = fn(e);
      simplex[n] = fe < fr ? { z: e, f: fe } : { z: r, f: fr };
    } else if (fr < simplex[n - 1].f) {
      simplex[n] = { z: r, f: fr };
    } else {
      const c = at(0.5);
      const fc = fn(c);
      if (fc < worst.f) simplex[n] = { z: c, f: fc };
      else simplex = simplex.map((p, i) => (i === 0 ? p : ((z) => ({ z, f: fn(z) }))(p.z.map((v, j) => best.z[j] + 0.5 * (v - best.z[j])))));
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return simplex[0].z;
}

/** Fits `keys` of the factors to the cases (each with its own deployment), starting from `base`. */
export function fitFactors(cases: FitCase[], base: EfficiencyFactors, keys: readonly FittedKey[] = fittedKeys, iterations = 150): EfficiencyFactors {
  if (!cases.length) return { ...base };
  const z = nelderMead((zz) => fitLoss(cases, toFactors(zz, base, keys)), fromFactors(base, keys), iterations);
  return toFactors(z, base, keys);
}

/**
 * Re-fits one deployment's factors from its measured points (the bench, and imported
 * measurements, use this). With one or two points only the memory-bandwidth and compute
 * efficiencies move; overheads need several batch sizes to separate.
 */
export function fitEfficiency(points: MeasuredPoint[], base: EfficiencyFactors, d: Deployment): EfficiencyFactors {
  const keys: readonly FittedKey[] = points.length >= 4 ? fittedKeys : ['memBw', 'compute'];
  return fitFactors(points.map((point) => ({ d: { ...d, efficiency: undefined }, point })), base, keys);
}
