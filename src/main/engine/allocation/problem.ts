// One normalised allocation problem that both input forms compile to, and that every solver reads:
//   max (1/n) Σ p x
//   s.t. Σ_k x[i][k] = 1                                   every query i
//        Σ a x + Σ_d e[d] I[d] <= R                          the knapsack row (budget, or hourly spend)
//        Σ_{d of type t} gpus[d] I[d] <= G[t]                every GPU type t
//        Σ_{i in group g} x[i][k] <= Σ_{d of k} u[d] I[d]    every group g and self-hosted model k
//        Σ_{i in group g} x[i][k] <= fixedCap[k]             every group g and capped API model k
//        x binary, I integer >= 0
// Paper form: groups are the consecutive batches of size b, u[d] = slots per instance, one GPU type.
// Extended form: one group (the whole sample as one hour of traffic scaled to n queries) with
// u[d] = n * ρmax * (queries/s of one instance) / traffic rate, so the row is Little's-law throughput.
import type { ExtendedForm, PaperForm } from '../../../shared/contract/allocation-forms';
import { instanceQps, serviceSeconds } from './throughput';
import { atMix, type LengthBuckets } from './length-mix';

export interface AllocProblem {
  form: 'paper' | 'extended';
  n: number;
  k: number;
  models: string[];
  quality: Float64Array; // n*k
  gpuTypes: { name: string; count: number; hourlyPrice: number }[];
  /** Deployment options, one per (self-hosted model, GPU type), as parallel arrays. */
  dep: { model: Int32Array; gpuType: Int32Array; gpus: Float64Array; capUnit: Float64Array; hourly: Float64Array; qps: Float64Array };
  knapsack: { name: 'budget' | 'hourlySpendCap'; coef: Float64Array; perInstance: Float64Array; rhs: number } | null;
  groupOf: Int32Array; // n -> group
  groupCount: number;
  /** Per-group cap of models without deployments: Infinity (plain API) or a rate-limit share. */
  fixedCap: Float64Array; // k
  hosted: Uint8Array; // k: 1 if the model has at least one deployment option
  trafficQps: number | null;
  maxUtilisation: number;
  /** Extended form: API spend per hour of sending query i to model k (n*k); null in the paper form. */
  apiHourly: Float64Array | null;
  /** Extended form with per-query lengths: capacities follow the routed length mix (length-mix.ts). */
  lengths?: LengthBuckets | null;
}

export const depCount = (p: AllocProblem): number => p.dep.model.length;

/** The paper's form: one GPU pool, one deployment per self-hosted model, batches of b. */
export function fromPaperForm(f: PaperForm): AllocProblem {
  const n = f.quality.length;
  const k = f.quality[0].length;
  const quality = new Float64Array(n * k);
  const coef = new Float64Array(n * k);
  const perPair = Array.isArray(f.cost[0]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      quality[i * k + j] = f.quality[i][j];
      coef[i * k + j] = perPair ? (f.cost as number[][])[i][j] : (f.cost as number[])[j];
    }
  const hostedIdx = [...Array(k).keys()].filter((j) => f.slotsPerInstance[j] != null);
  const D = hostedIdx.length;
  const dep = emptyDeps(D);
  hostedIdx.forEach((j, d) => {
    dep.model[d] = j;
    dep.gpuType[d] = 0;
    dep.gpus[d] = f.gpusPerInstance[j]!;
    dep.capUnit[d] = f.slotsPerInstance[j]!;
  });
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) groupOf[i] = Math.floor(i / f.batchSize);
  const hosted = new Uint8Array(k);
  for (const j of hostedIdx) hosted[j] = 1;
  return {
    form: 'paper',
    n,
    k,
    models: f.models ?? [...Array(k).keys()].map((j) => `model${j}`),
    quality,
    gpuTypes: [{ name: 'gpu', count: f.gpuBudget, hourlyPrice: 0 }],
    dep,
    knapsack: { name: 'budget', coef, perInstance: new Float64Array(D), rhs: f.budget },
    groupOf,
    groupCount: Math.ceil(n / f.batchSize),
    fixedCap: new Float64Array(k).fill(Infinity),
    hosted,
    trafficQps: null,
    maxUtilisation: 1,
    apiHourly: null,
  };
}

/** The extended form: GPU types with inventories, (model, type) options, API models, traffic. */
export function fromExtendedForm(f: ExtendedForm): AllocProblem {
  const n = f.quality.length;
  const k = f.models.length;
  const index = new Map(f.models.map((m, j) => [m, j]));
  const typeIndex = new Map(f.gpuTypes.map((g, t) => [g.name, t]));
  const quality = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) quality[i * k + j] = f.quality[i][j];
  const D = f.deployments.length;
  const dep = emptyDeps(D);
  const rho = f.maxUtilisation;
  f.deployments.forEach((d, x) => {
    const j = index.get(d.model)!;
    const t = typeIndex.get(d.gpuType)!;
    dep.model[x] = j;
    dep.gpuType[x] = t;
    dep.gpus[x] = d.gpusPerInstance;
    if (d.qpsPerInstance != null) {
      // Goodput at the latency SLO already leaves the headroom queueing needs: no ρ on top.
      dep.qps[x] = d.qpsPerInstance;
      dep.capUnit[x] = (n * dep.qps[x]) / f.trafficQps;
    } else {
      const svc = serviceSeconds(f.outputTokens[j], f.inputTokens, d.decodeTokensPerS!, d.prefillTokensPerS ?? null);
      dep.qps[x] = instanceQps(d.slotsPerInstance!, svc);
      dep.capUnit[x] = (n * rho * dep.qps[x]) / f.trafficQps;
    }
    dep.hourly[x] = d.gpusPerInstance * f.gpuTypes[t].hourlyPrice;
  });
  const hosted = new Uint8Array(k);
  for (let x = 0; x < D; x++) hosted[dep.model[x]] = 1;
  const lengths = f.lengthBuckets ? lengthBuckets(f, dep) : null;
  const fixedCap = new Float64Array(k).fill(Infinity);
  // API spend per hour contributed by sending query i to model k (the sample stands for one hour).
  const perHour = (3600 * f.trafficQps) / n;
  const coef = new Float64Array(n * k);
  for (const a of f.apiModels) {
    const j = index.get(a.model)!;
    if (a.rateLimitQps != null) fixedCap[j] = (n * a.rateLimitQps) / f.trafficQps;
    const tokenCost = (f.inputTokens * a.priceInPerM + f.outputTokens[j] * a.priceOutPerM) / 1e6;
    for (let i = 0; i < n; i++) coef[i * k + j] = perHour * (f.apiCost ? f.apiCost[i][j] : tokenCost);
  }
  const knapsack = f.hourlySpendCap != null ? { name: 'hourlySpendCap' as const, coef, perInstance: dep.hourly.slice(), rhs: f.hourlySpendCap } : null;
  const out: AllocProblem = {
    form: 'extended',
    n,
    k,
    models: f.models,
    quality,
    gpuTypes: f.gpuTypes.map((g) => ({ ...g })),
    dep,
    knapsack,
    groupOf: new Int32Array(n),
    groupCount: 1,
    fixedCap,
    hosted,
    trafficQps: f.trafficQps,
    maxUtilisation: rho,
    apiHourly: coef,
    lengths,
  };
  // With lengths, every option starts at the whole sample's length mix (the what-if's first routing).
  return lengths ? atMix(out, null) : out;
}

/** Per-bucket q/s of every option: given (qpsByBucket), Little's law at the bucket's lengths (typed
 *  profiles), or the one figure for every bucket (qpsPerInstance without buckets). */
function lengthBuckets(f: ExtendedForm, dep: AllocProblem['dep']): LengthBuckets {
  const lb = f.lengthBuckets!;
  const n = f.quality.length;
  const k = f.models.length;
  const B = lb.tokens[0].length;
  const bucketOf = new Uint8Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) bucketOf[i * k + j] = lb.bucketOf[i][j];
  const D = f.deployments.length;
  const depQps = new Float64Array(D * B);
  const depScale = new Float64Array(D);
  f.deployments.forEach((d, x) => {
    const j = dep.model[x];
    depScale[x] = d.qpsPerInstance != null ? 1 : f.maxUtilisation;
    for (let b = 0; b < B; b++) {
      const t = lb.tokens[j][b];
      depQps[x * B + b] = d.qpsByBucket?.[b] ?? (d.qpsPerInstance ?? instanceQps(d.slotsPerInstance!, serviceSeconds(t.outputTokens, t.inputTokens, d.decodeTokensPerS!, d.prefillTokensPerS ?? null)));
    }
  });
  return { B, bucketOf, depQps, depScale };
}

function emptyDeps(D: number): AllocProblem['dep'] {
  return { model: new Int32Array(D), gpuType: new Int32Array(D), gpus: new Float64Array(D), capUnit: new Float64Array(D), hourly: new Float64Array(D), qps: new Float64Array(D) };
}

/** Largest instance count of each deployment that its GPU type's inventory allows. */
export function instanceUpperBounds(p: AllocProblem): Float64Array {
  const D = depCount(p);
  const ub = new Float64Array(D);
  for (let d = 0; d < D; d++) ub[d] = Math.floor(p.gpuTypes[p.dep.gpuType[d]].count / p.dep.gpus[d]);
  return ub;
}

/** Per-group capacity of every model under instance counts I (floored: queries are whole). */
export function groupCaps(p: AllocProblem, I: ArrayLike<number>, out = new Float64Array(p.k)): Float64Array {
  for (let j = 0; j < p.k; j++) out[j] = p.hosted[j] ? 0 : p.fixedCap[j];
  for (let d = 0; d < depCount(p); d++) out[p.dep.model[d]] += p.dep.capUnit[d] * I[d];
  for (let j = 0; j < p.k; j++) if (Number.isFinite(out[j])) out[j] = Math.floor(out[j] + 1e-9);
  return out;
}

/** GPUs used per type and the knapsack row's instance part under I. */
export function resourceUse(p: AllocProblem, I: ArrayLike<number>): { gpus: Float64Array; knapsackFixed: number } {
  const gpus = new Float64Array(p.gpuTypes.length);
  let knapsackFixed = 0;
  for (let d = 0; d < depCount(p); d++) {
    gpus[p.dep.gpuType[d]] += p.dep.gpus[d] * I[d];
    if (p.knapsack) knapsackFixed += p.knapsack.perInstance[d] * I[d];
  }
  return { gpus, knapsackFixed };
}

export function withinInventory(p: AllocProblem, I: ArrayLike<number>): boolean {
  const { gpus } = resourceUse(p, I);
  return p.gpuTypes.every((g, t) => gpus[t] <= g.count + 1e-9);
}
