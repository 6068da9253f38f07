// The extended allocation form built from a workspace: a seeded sample of a dataset's queries, the
// catalog (API prices and rate limits, each self-hosted model's GPU profile), the extra deployment
// options and the GPU inventory. Quality estimates are a stored predictor's calibrated
// probabilities when one is named, else each model's accuracy on the query's task in the dataset
// (its overall mean where the task is unknown).
import type { CatalogEntry, GpuInventoryEntry } from '../../../shared/contract';
import type { ExtendedForm } from '../../../shared/contract/allocation';
import { EngineError } from '../../../shared/errors';
import type { LabelMatrix } from '../data/matrix';
import type { DeploymentEntry } from '../store/catalog';
import { createRng, permutation } from '../predictor/rng';
import type { Precision, ServingEngine, Slo } from '../performance/types';
import { defaultSlo, optionPerformance } from './deployment-performance';
import { sampleLengthBuckets } from './length-buckets';

export interface WorkspacePlanSettings {
  trafficQps: number;
  hourlySpendCap?: number | null;
  maxUtilisation: number;
  sampleSize: number;
  seed: number;
  /** Output tokens assumed where the dataset records none. */
  defaultOutputTokens: number;
  slo?: Slo;
  engine?: ServingEngine;
  precision?: Precision;
  /** The traffic's token lengths (a demand's means): every model's workload, instead of the dataset's. */
  workload?: { inputTokens: number; outputTokens: number };
}

/** The sampled query rows (seeded, without replacement). */
export function sampleRows(n: number, sampleSize: number, seed: number): Int32Array {
  return permutation(n, createRng(seed)).subarray(0, Math.min(sampleSize, n));
}

/** Calibrated probabilities of a stored predictor for the sampled rows (row-major, its models). */
export interface PredictedQuality {
  models: string[];
  p: Float32Array;
}

/** How the form gets each option's capacity: the performance model in-process by default; the
 *  engine answers from a worker (allocation/tasks.ts optionPerformanceTask) so the host never blocks. */
export type PerformanceLookup = typeof optionPerformance;

export function workspaceForm(m: LabelMatrix, catalog: CatalogEntry[], extra: DeploymentEntry[], inventory: GpuInventoryEntry[], s: WorkspacePlanSettings, predicted?: PredictedQuality, performanceOf: PerformanceLookup = optionPerformance): ExtendedForm {
  const byName = new Map(catalog.map((c) => [c.model, c]));
  const cols = m.models.map((name, j) => ({ name, j })).filter((c) => byName.has(c.name));
  if (!cols.length) throw new EngineError('NOT_FOUND', 'no model of the dataset is in the catalog: import a catalog first', { models: m.models });
  if (!inventory.length && cols.every((c) => byName.get(c.name)!.gpuType != null)) throw new EngineError('NOT_FOUND', 'the workspace has no GPU inventory and no API model', {});
  const K = m.models.length;
  const N = m.texts.length;
  const rows = sampleRows(N, s.sampleSize, s.seed);
  const mean = (src: ArrayLike<number>, j: number) => {
    let t = 0;
    let c = 0;
    for (let i = 0; i < N; i++) if (!Number.isNaN(src[i * K + j])) (t += src[i * K + j]), c++;
    return c ? t / c : NaN;
  };
  const meanScore = cols.map((c) => mean(m.scores, c.j));
  const outputTokens = cols.map((c) => {
    const v = mean(m.outputTokens, c.j);
    return Number.isFinite(v) && v > 0 ? v : s.defaultOutputTokens;
  });
  const inTok = cols.map((c) => mean(m.inputTokens, c.j)).filter(Number.isFinite);
  const inputTokens = s.workload?.inputTokens ?? (inTok.length ? inTok.reduce((a, b) => a + b, 0) / inTok.length : 0);
  if (s.workload) outputTokens.fill(s.workload.outputTokens);
  // Each sampled query's own lengths, in buckets (length-buckets.ts), unless the traffic's means
  // (a demand's) stand for every query.
  const buckets = s.workload ? null : sampleBuckets(m, rows, cols.map((c) => c.j), outputTokens);
  // Expected quality = the model's accuracy on the query's task (its mean where tasks are unknown):
  // a query's own 0/1 label would plan with hindsight, as if an oracle routed.
  const taskMean = new Map<string, number[]>();
  for (const task of new Set(m.tasks)) {
    if (task == null) continue;
    taskMean.set(task, cols.map((c) => {
      let t = 0;
      let n = 0;
      for (let i = 0; i < N; i++) if (m.tasks[i] === task && !Number.isNaN(m.scores[i * K + c.j])) (t += m.scores[i * K + c.j]), n++;
      return n ? t / n : NaN;
    }));
  }
  const predictedCol = cols.map((c) => predicted?.models.indexOf(c.name) ?? -1);
  const kp = predicted?.models.length ?? 0;
  const quality = Array.from(rows, (i, r) => cols.map((c, q) => {
    if (predictedCol[q] >= 0) return Math.min(1, Math.max(0, predicted!.p[r * kp + predictedCol[q]]));
    const v = m.tasks[i] != null ? taskMean.get(m.tasks[i]!)![q] : NaN;
    return Number.isFinite(v) ? v : Number.isFinite(meanScore[q]) ? meanScore[q] : 0;
  }));
  const hosted = cols.filter((c) => byName.get(c.name)!.gpuType != null);
  const types = new Set(inventory.map((g) => g.gpuType));
  const memoryOf = new Map(inventory.map((g) => [g.gpuType, g.memoryGb]));
  const perfSettings = { slo: s.slo ?? defaultSlo, engine: s.engine ?? 'vllm', precision: s.precision ?? 'bf16' };
  const deployments: ExtendedForm['deployments'] = [];
  const refused: ExtendedForm['refusedDeployments'] = [];
  // Each option's capacity: goodput at the SLO from the performance model on the model's own
  // workload (mean prompt tokens, its mean output tokens); the typed profile where the catalogs
  // know the model or GPU not. Options that cannot hold their weights are refused, with the numbers.
  const withPerformance = (d: { model: string; gpuType: string; gpusPerInstance: number; slotsPerInstance?: number | null; decodeTokensPerS?: number | null; prefillTokensPerS?: number | null }, q: number) => {
    try {
      const architecture = byName.get(d.model)?.architecture ?? null;
      const request = { model: d.model, ...(architecture ? { architecture } : {}), gpuType: d.gpuType, gpusPerInstance: d.gpusPerInstance, memoryGb: memoryOf.get(d.gpuType) };
      const perf = performanceOf(request, { inputTokens: Math.max(1, inputTokens), outputTokens: outputTokens[q] }, perfSettings);
      // Goodput at each length bucket's lengths; a bucket where even one request misses the SLO
      // (or cannot be held) gets a token capacity, so the planner sends its queries elsewhere.
      const atBuckets = buckets?.tokens[q].map((t) => {
        try {
          return performanceOf(request, { inputTokens: Math.max(1, t.inputTokens), outputTokens: t.outputTokens }, perfSettings)?.qpsPerInstance ?? null;
        } catch (err) {
          if (err instanceof EngineError && (err.code === 'INFEASIBLE' || err.code === 'INVALID_INPUT')) return 0;
          throw err;
        }
      });
      if (perf) {
        if (!(perf.qpsPerInstance > 0)) {
          refused.push({ model: d.model, gpuType: d.gpuType, reason: `even one request alone misses the latency SLO (p90 TTFT ${perfSettings.slo.ttftP90Ms} ms, TPOT ${perfSettings.slo.tpotP90Ms} ms)` });
          return;
        }
        const { qpsPerInstance, ...rest } = perf;
        const qpsByBucket = atBuckets?.map((g) => Math.max(g ?? qpsPerInstance, MIN_BUCKET_QPS));
        deployments.push({ model: d.model, gpuType: d.gpuType, gpusPerInstance: d.gpusPerInstance, qpsPerInstance, ...(qpsByBucket ? { qpsByBucket } : {}), perf: rest });
        return;
      }
    } catch (err) {
      if (err instanceof EngineError && (err.code === 'INFEASIBLE' || err.code === 'INVALID_INPUT')) {
        refused.push({ model: d.model, gpuType: d.gpuType, reason: err.message });
        return;
      }
      throw err;
    }
    if (d.slotsPerInstance && d.decodeTokensPerS)
      deployments.push({ model: d.model, gpuType: d.gpuType, gpusPerInstance: d.gpusPerInstance, slotsPerInstance: d.slotsPerInstance, decodeTokensPerS: d.decodeTokensPerS, prefillTokensPerS: d.prefillTokensPerS ?? null, perf: { source: 'typed', maxConcurrency: d.slotsPerInstance, weightsGb: null, kvCacheGb: null, usableGb: null, describe: null } });
  };
  for (const c of hosted) {
    const e = byName.get(c.name)!;
    const q = cols.indexOf(c);
    if (e.gpuType && types.has(e.gpuType) && e.gpusPerInstance) withPerformance({ model: c.name, gpuType: e.gpuType, gpusPerInstance: e.gpusPerInstance, slotsPerInstance: e.slotsPerInstance, decodeTokensPerS: e.decodeTokensPerS, prefillTokensPerS: e.prefillTokensPerS }, q);
    for (const d of extra) if (d.model === c.name && types.has(d.gpuType) && d.gpuType !== e.gpuType) withPerformance(d, q);
  }
  const withDeployment = new Set(deployments.map((d) => d.model));
  // A self-hosted model without any option on the inventory's GPU types cannot run: leave it out.
  const keep = cols.filter((c) => byName.get(c.name)!.gpuType == null || withDeployment.has(c.name));
  const keepIdx = keep.map((c) => cols.indexOf(c));
  const api = keep.filter((c) => byName.get(c.name)!.gpuType == null);
  // With the traffic's own lengths, API spend is priced per token, not from the dataset's realised costs.
  const hasCost = !s.workload && keep.some((c) => !Number.isNaN(mean(m.costs, c.j)));
  return {
    form: 'extended',
    models: keep.map((c) => c.name),
    quality: quality.map((row) => keepIdx.map((q) => row[q])),
    outputTokens: keepIdx.map((q) => outputTokens[q]),
    inputTokens,
    apiCost: hasCost
      ? Array.from(rows, (i) => keep.map((c) => {
          const v = m.costs[i * K + c.j];
          const e = byName.get(c.name)!;
          return Number.isNaN(v) ? (inputTokens * e.priceInPerM + outputTokens[cols.indexOf(c)] * e.priceOutPerM) / 1e6 : v;
        }))
      : undefined,
    gpuTypes: inventory.map((g) => ({ name: g.gpuType, count: g.count, hourlyPrice: g.hourlyPrice })),
    deployments,
    apiModels: api.map((c) => {
      const e = byName.get(c.name)!;
      return { model: c.name, priceInPerM: e.priceInPerM, priceOutPerM: e.priceOutPerM, rateLimitQps: e.rateLimitQps };
    }),
    trafficQps: s.trafficQps,
    hourlySpendCap: s.hourlySpendCap ?? null,
    maxUtilisation: s.maxUtilisation,
    slo: perfSettings.slo,
    refusedDeployments: refused,
    ...(buckets ? { lengthBuckets: { tokens: keepIdx.map((q) => buckets.tokens[q]), bucketOf: buckets.bucketOf.map((row) => keepIdx.map((q) => row[q])), edges: { inputTokens: buckets.inputEdges, outputTokens: keepIdx.map((q) => buckets.outputEdges[q]) } } } : {}),
  };
}

/** Requests/s given to a length bucket that one request alone cannot serve within the SLO. */
const MIN_BUCKET_QPS = 1e-6;

function sampleBuckets(m: LabelMatrix, rows: Int32Array, colIdx: number[], outputTokens: number[]) {
  const K = m.models.length;
  const inTok = new Float64Array(rows.length).fill(NaN);
  const outTok = new Float64Array(rows.length * colIdx.length).fill(NaN);
  rows.forEach((i, r) => {
    let t = 0;
    let c = 0;
    for (const j of colIdx) if (Number.isFinite(m.inputTokens[i * K + j])) (t += m.inputTokens[i * K + j]), c++;
    if (c) inTok[r] = t / c;
    colIdx.forEach((j, q) => (outTok[r * colIdx.length + q] = m.outputTokens[i * K + j]));
  });
  if (!inTok.some(Number.isFinite) && !outTok.some(Number.isFinite)) return null;
  return sampleLengthBuckets(inTok, outTok, outputTokens);
}
