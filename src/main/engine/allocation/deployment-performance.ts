// What one instance of a deployment option sustains, for the planner: the serving-performance
// model (engine/performance) on the model's architecture and the GPU's datasheet, at the plan's
// workload and latency SLO. Capacity is goodput: the request rate at which one instance keeps p90
// TTFT and p90 TPOT within the SLO under Poisson arrivals, so the planner's utilisation is load
// over goodput (no extra headroom factor). Options that cannot hold their weights and one
// sequence are refused with the numbers. Models or GPUs the catalogs do not know fall back to the
// three typed-in figures (slots, decode and prefill tok/s), flagged as such.
import { EngineError } from '../../../shared/errors';
import { gpuCatalogWith, gpuSpec, modelArch } from '../performance/catalog/lookup';
import { estimateAtRate, goodput } from '../performance/estimate';
import { maxConcurrency, memoryPlan } from '../performance/memory';
import type { Deployment, FigureSource, GpuSpec, MeasuredPoint, Precision, ServingEngine, Slo, Workload } from '../performance/types';
import { pointsFor, resolveFromPoints } from '../performance/measurements/resolve';
import type { SourcedEstimate } from '../performance/measurements/measured-estimate';

export interface PerformanceSettings {
  slo: Slo;
  engine: ServingEngine;
  precision: Precision;
}

export const defaultSlo: Slo = { ttftP90Ms: 2000, tpotP90Ms: 100 };

export interface OptionPerformance {
  /** Requests/s one instance sustains within the SLO at the workload. */
  qpsPerInstance: number;
  source: FigureSource | 'typed';
  maxConcurrency: number | null;
  weightsGb: number | null;
  kvCacheGb: number | null;
  usableGb: number | null;
  /** Names the deployment for later latency estimates (performance/deployment terms). */
  describe: { architecture: string; gpu: string; gpus: number; tp: number; precision: Precision; engine: ServingEngine; memoryGb: number | null; gpuSpec?: GpuSpec } | null;
  /** The deployment's own imported measurements: what-if's latencies come from them where they cover the load. */
  measuredPoints?: MeasuredPoint[];
}

export interface OptionRequest {
  model: string;
  /** Catalog name or config.json path of the architecture; default: the model's own name. */
  architecture?: string | null;
  gpuType: string;
  gpusPerInstance: number;
  /** The inventory's memory per GPU, which wins over the datasheet's. */
  memoryGb?: number | null;
}

/**
 * A Deployment for the performance module, or null when the catalogs know the model or GPU not.
 * `gpuSpecs`: the workspace's GPU specs, laid over the built-in catalog.
 */
export function deploymentFor(r: OptionRequest, s: Pick<PerformanceSettings, 'engine' | 'precision'>, gpuSpecs: GpuSpec[] = []): Deployment | null {
  let model;
  let gpu;
  try {
    model = modelArch(r.architecture ?? r.model);
    gpu = gpuSpec(r.gpuType, gpuSpecs.length ? gpuCatalogWith(gpuSpecs) : undefined);
  } catch (err) {
    if (err instanceof EngineError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
  if (r.memoryGb && Math.abs(r.memoryGb - gpu.memoryGb) > 0.5) gpu = { ...gpu, memoryGb: r.memoryGb, source: `${gpu.source}; memory from the inventory` };
  return { model, gpu, gpus: r.gpusPerInstance, tp: r.gpusPerInstance, weightPrecision: s.precision, kvPrecision: s.precision === 'int4' ? 'fp16' : s.precision, engine: s.engine };
}

const cache = new Map<string, OptionPerformance>();

/** `{ gpuSpec }` when the option's GPU came from the workspace's specs (without aliases), else nothing. */
function specOf(gpuName: string, gpuSpecs: GpuSpec[]): { gpuSpec?: GpuSpec } {
  const hit = gpuSpecs.find((g) => g.name === gpuName);
  if (!hit) return {};
  const { aliases: _aliases, ...gpuSpec } = hit;
  return { gpuSpec };
}

/**
 * The option's capacity at the workload and SLO. Throws INFEASIBLE (memory) or INVALID_INPUT
 * (precision) naming the numbers; returns null when the catalogs do not know the model or GPU.
 */
export function optionPerformance(r: OptionRequest, w: Workload, s: PerformanceSettings, measured: MeasuredPoint[] = [], gpuSpecs: GpuSpec[] = []): OptionPerformance | null {
  const d = deploymentFor(r, s, gpuSpecs);
  if (!d) return null;
  const wr = { inputTokens: Math.max(1, Math.round(w.inputTokens)), outputTokens: Math.max(1, Math.round(w.outputTokens)) };
  const mine = pointsFor(measured, d);
  const key = JSON.stringify([d.model.name, d.model.source, d.gpu.name, d.gpu.memoryGb, d.gpu.hbmGBps, d.gpu.bf16Tflops, d.gpu.fp8Tflops, d.gpu.int8Tops, d.gpu.interconnectGBps, d.gpus, d.tp, d.weightPrecision, d.engine, wr, s.slo, mine.map((p) => [p.inputTokens, p.outputTokens, p.concurrency, p.rate, p.outputTokensPerS])]);
  const hit = cache.get(key);
  if (hit) return hit;
  const memory = memoryPlan(d);
  // Users' measurements win: goodput from the deployment's own points (re-fitted where they do
  // not reach the SLO's operating point), else the estimator on the datasheet.
  const fromPoints = mine.length ? resolveFromPoints(mine, d, wr, { maxThroughput: true }, s.slo) : null;
  const out: OptionPerformance = {
    qpsPerInstance: fromPoints?.goodputRequestsPerS ?? goodput(d, wr, s.slo),
    source: fromPoints ? ((fromPoints as Partial<SourcedEstimate>).figureSources?.goodputRequestsPerS ?? fromPoints.source) : 'estimated',
    maxConcurrency: maxConcurrency(d, wr),
    weightsGb: memory.weightsGb,
    kvCacheGb: memory.kvCacheGb,
    usableGb: memory.usableGb,
    // A workspace GPU spec travels with the option, so latencies and plans rebuild the same deployment.
    describe: { architecture: r.architecture ?? r.model, gpu: d.gpu.name, gpus: d.gpus, tp: d.tp, precision: d.weightPrecision, engine: d.engine, memoryGb: r.memoryGb ?? null, ...specOf(d.gpu.name, gpuSpecs) },
    ...(mine.length ? { measuredPoints: mine } : {}),
  };
  if (cache.size > 2_000) cache.clear();
  cache.set(key, out);
  return out;
}

export interface LatencyAtLoad {
  ttftP90Ms: number;
  tpotP90Ms: number;
  /** Where each p90 came from: the deployment's measurements (interpolated), re-fitted to them, or the estimator. */
  ttftSource: FigureSource;
  tpotSource: FigureSource;
}

/**
 * p90 TTFT and TPOT of one instance receiving `ratePerInstance` requests/s (Poisson). With the
 * deployment's own measurements, the figures come from them as `perf estimate` resolves them
 * (measured where the points cover the load and lengths, else the model re-fitted to them).
 */
export function latencyAtLoad(describe: NonNullable<OptionPerformance['describe']>, w: Workload, ratePerInstance: number, measured: MeasuredPoint[] = []): LatencyAtLoad | null {
  if (!(ratePerInstance > 0)) return null;
  const d = deploymentFor({ model: describe.architecture, architecture: describe.architecture, gpuType: describe.gpu, gpusPerInstance: describe.gpus, memoryGb: describe.memoryGb }, describe, describe.gpuSpec ? [describe.gpuSpec] : []);
  if (!d) return null;
  const wr = { inputTokens: Math.max(1, Math.round(w.inputTokens)), outputTokens: Math.max(1, Math.round(w.outputTokens)) };
  // The same simulation as goodput's bisection (estimate.ts), so a plan at its goodput reports
  // p90s at the SLO; at or past the maximum throughput the queue grows without bound.
  try {
    if (pointsFor(measured, d).length) {
      const e = resolveFromPoints(measured, d, wr, { rate: ratePerInstance });
      const fs = (e as Partial<SourcedEstimate>).figureSources ?? {};
      return { ttftP90Ms: e.ttftMs.p90, tpotP90Ms: e.tpotMs.p90, ttftSource: fs['ttftMs.p90'] ?? e.source, tpotSource: fs['tpotMs.p90'] ?? e.source };
    }
    const e = estimateAtRate(d, wr, ratePerInstance);
    return { ttftP90Ms: e.ttftMs.p90, tpotP90Ms: e.tpotMs.p90, ttftSource: 'estimated', tpotSource: 'estimated' };
  } catch (err) {
    if (err instanceof EngineError && err.code === 'INFEASIBLE') return { ttftP90Ms: Infinity, tpotP90Ms: Infinity, ttftSource: 'estimated', tpotSource: 'estimated' };
    throw err;
  }
}
