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

export interface WorkspacePlanSettings {
  trafficQps: number;
  hourlySpendCap?: number | null;
  maxUtilisation: number;
  sampleSize: number;
  seed: number;
  /** Output tokens assumed where the dataset records none. */
  defaultOutputTokens: number;
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

export function workspaceForm(m: LabelMatrix, catalog: CatalogEntry[], extra: DeploymentEntry[], inventory: GpuInventoryEntry[], s: WorkspacePlanSettings, predicted?: PredictedQuality): ExtendedForm {
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
  const inputTokens = inTok.length ? inTok.reduce((a, b) => a + b, 0) / inTok.length : 0;
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
  const deployments: ExtendedForm['deployments'] = [];
  for (const c of hosted) {
    const e = byName.get(c.name)!;
    if (e.gpuType && types.has(e.gpuType) && e.gpusPerInstance && e.slotsPerInstance && e.decodeTokensPerS)
      deployments.push({ model: c.name, gpuType: e.gpuType, gpusPerInstance: e.gpusPerInstance, slotsPerInstance: e.slotsPerInstance, decodeTokensPerS: e.decodeTokensPerS, prefillTokensPerS: e.prefillTokensPerS });
    for (const d of extra) if (d.model === c.name && types.has(d.gpuType) && d.gpuType !== e.gpuType) deployments.push({ ...d });
  }
  const withDeployment = new Set(deployments.map((d) => d.model));
  // A self-hosted model without any option on the inventory's GPU types cannot run: leave it out.
  const keep = cols.filter((c) => byName.get(c.name)!.gpuType == null || withDeployment.has(c.name));
  const keepIdx = keep.map((c) => cols.indexOf(c));
  const api = keep.filter((c) => byName.get(c.name)!.gpuType == null);
  const hasCost = keep.some((c) => !Number.isNaN(mean(m.costs, c.j)));
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
  };
}
