// A deployment's figures from its own measurements. Each figure is the estimator's value at the
// target times the measured/estimated ratio interpolated from the measured points (interpolate.ts:
// log space, nested over load and lengths, never beyond the measured range). Anchoring on the
// estimator carries the shape of the physics between measurements, so a sparse grid interpolates
// well (npm run bench perf-measured: TensorRT-LLM's shape grid 4% median error anchored, 34% raw);
// where the estimator cannot anchor (it calls a measured rate unsustainable) the measured values
// are interpolated directly. A measured point is reproduced exactly at its own coordinates.
import { EngineError } from '../../../../shared/errors';
import { estimate } from '../estimate';
import { maxConcurrency, memoryPlan } from '../memory';
import type { Deployment, FigureSource, Load, MeasuredPoint, Percentiles, PerfEstimate, Workload } from '../types';
import { interpolateMetric, loadOf, metricOf, type MetricName, type Target } from './interpolate';

/** A PerfEstimate that says, figure by figure, where each came from. */
export interface SourcedEstimate extends PerfEstimate {
  figureSources: Partial<Record<MetricName | 'goodputRequestsPerS', FigureSource>>;
}

const stats: (keyof Percentiles)[] = ['mean', 'p50', 'p90', 'p99'];
/** For a statistic the measurements lack, the measured ones closest to it in the distribution. */
const nearestStat: Record<keyof Percentiles, (keyof Percentiles)[]> = { mean: ['p50', 'p90', 'p99'], p50: ['mean', 'p90', 'p99'], p90: ['p99', 'p50', 'mean'], p99: ['p90', 'p50', 'mean'] };

function targetOf(w: Workload, load: Load): Target {
  if ('maxThroughput' in load) return { ...w, kind: 'max', load: 1 };
  if ('concurrency' in load) return { ...w, kind: 'concurrency', load: load.concurrency };
  return { ...w, kind: 'rate', load: load.rate };
}

function loadOfPoint(p: MeasuredPoint): Load {
  const l = loadOf(p);
  return l.kind === 'max' ? { maxThroughput: true } : l.kind === 'concurrency' ? { concurrency: l.value } : { rate: l.value };
}

/** The estimator's figure for a metric name. */
function figure(e: PerfEstimate, m: MetricName): number {
  if (m === 'outputTokensPerS') return e.outputTokensPerS;
  if (m === 'requestsPerS') return e.requestsPerS;
  return (m.startsWith('ttft') ? e.ttftMs : e.tpotMs)[m.slice(7) as keyof Percentiles];
}

// Estimates at measured points are pure functions of (deployment, shape, load): memoised, since
// the planner asks for many targets over the same few points (rate loads run a simulation).
const memo = new Map<string, PerfEstimate | null>();
function estimateOrNull(d: Deployment, w: Workload, load: Load): PerfEstimate | null {
  const key = JSON.stringify([d.model.name, d.model.paramsB, d.gpu.name, d.gpus, d.tp, d.weightPrecision, d.kvPrecision, d.engine, d.contextTokens, d.efficiency, d.emulatePrecision, w, load]);
  if (memo.has(key)) return memo.get(key)!;
  let e: PerfEstimate | null;
  try {
    e = estimate(d, w, load);
  } catch (err) {
    if (!(err instanceof EngineError) || (err.code !== 'INFEASIBLE' && err.code !== 'INVALID_INPUT')) throw err;
    e = null;
  }
  if (memo.size > 5000) memo.clear();
  memo.set(key, e);
  return e;
}

/**
 * Interpolated value of one metric at the target, or null where the measurements do not cover it.
 * `base` is the estimator at the target (null when it cannot anchor).
 */
function measuredMetric(points: MeasuredPoint[], d: Deployment, target: Target, m: MetricName, base: PerfEstimate | null): number | null {
  const exact = points.filter((p) => p.inputTokens === target.inputTokens && p.outputTokens === target.outputTokens && loadOf(p).kind === target.kind && (target.kind === 'max' || loadOf(p).value === target.load) && metricOf(p, m) !== undefined);
  if (exact.length === 1) return metricOf(exact[0], m)!;
  if (exact.length > 1) return Math.exp(exact.reduce((a, p) => a + Math.log(metricOf(p, m)!), 0) / exact.length);
  if (base) {
    const ratios: MeasuredPoint[] = [];
    for (const p of points) {
      const v = metricOf(p, m);
      if (v === undefined || loadOf(p).kind !== target.kind) continue;
      const e = estimateOrNull(d, { inputTokens: p.inputTokens, outputTokens: p.outputTokens }, loadOfPoint(p));
      const ev = e && figure(e, m);
      if (ev && Number.isFinite(ev) && ev > 0) ratios.push({ ...p, ...ratioFields(m, v / ev) });
    }
    const r = interpolateMetric(ratios, m, target);
    const bv = figure(base, m);
    if (r !== null && Number.isFinite(bv) && bv > 0) return r * bv;
  }
  return interpolateMetric(points, m, target);
}

/** A point whose metric m carries `value` (the ratio being interpolated). */
function ratioFields(m: MetricName, value: number): Partial<MeasuredPoint> {
  if (m === 'outputTokensPerS') return { outputTokensPerS: value };
  if (m === 'requestsPerS') return { requestsPerS: value };
  const stat = m.slice(7) as keyof Percentiles;
  return m.startsWith('ttft') ? { ttftMs: { [stat]: value } } : { tpotMs: { [stat]: value } };
}

/**
 * The deployment's figures at (w, load) from its measured points, figure by figure: measured where
 * the points cover the target; a latency statistic the measurements lack (a vLLM summary without
 * p90) is the estimate scaled by the nearest measured statistic's ratio ('fitted'); anything else
 * is the estimator's own figure, marked `baseSource` (resolve.ts passes the re-fitted deployment
 * and 'fitted'). Null when no figure is covered.
 */
export function measuredEstimate(points: MeasuredPoint[], d: Deployment, w: Workload, load: Load, baseSource: FigureSource = 'estimated'): SourcedEstimate | null {
  if (!points.length) return null;
  const target = targetOf(w, load);
  const base = estimateOrNull(d, w, load);
  const figureSources: SourcedEstimate['figureSources'] = {};
  const value = (m: MetricName): number | null => {
    const v = measuredMetric(points, d, target, m, base);
    if (v !== null) figureSources[m] = 'measured';
    return v;
  };
  const family = (prefix: 'ttftMs' | 'tpotMs'): Percentiles => {
    const got = Object.fromEntries(stats.map((s) => [s, value(`${prefix}.${s}` as MetricName)])) as Record<keyof Percentiles, number | null>;
    const out = {} as Percentiles;
    for (const s of stats) {
      if (got[s] !== null) {
        out[s] = got[s]!;
        continue;
      }
      // The nearest measured statistic's measured/estimated ratio, applied to the estimate.
      const near = nearestStat[s].find((n) => got[n] !== null);
      const est = base?.[prefix][s];
      out[s] = near && base && est !== undefined ? est * (got[near]! / base[prefix][near]) : (est ?? NaN);
      figureSources[`${prefix}.${s}` as MetricName] = near && base ? 'fitted' : baseSource;
    }
    return out;
  };
  const measuredThr = value('outputTokensPerS');
  const ttftMs = family('ttftMs');
  const tpotMs = family('tpotMs');
  if (!Object.values(figureSources).includes('measured')) return null;
  let thr = measuredThr;
  if (thr === null) {
    if (!base) return null;
    thr = base.outputTokensPerS;
    figureSources.outputTokensPerS = baseSource;
  }
  const rps = value('requestsPerS') ?? thr / Math.max(1, w.outputTokens);
  const memory = base?.memory ?? memoryPlan(d);
  const maxC = base?.maxConcurrency ?? maxConcurrency(d, w);
  // Requests in flight: the closed loop's own count, else Little's law on the latencies.
  const inFlight = 'concurrency' in load ? load.concurrency : (rps * (ttftMs.mean + tpotMs.mean * Math.max(0, w.outputTokens - 1))) / 1000;
  return { outputTokensPerS: thr, requestsPerS: rps, ttftMs, tpotMs, concurrency: Number.isFinite(inFlight) ? inFlight : (base?.concurrency ?? NaN), maxConcurrency: maxC, memory, source: measuredThr !== null ? 'measured' : baseSource, figureSources };
}
