import { EngineError } from '../../../shared/errors';
import type { PlanningInput, Workload } from './types';

// Instances each interval needs: every hosted model's arrival rate against the goodput per
// instance of its deployment options at the interval's length mix, cheapest option per request
// first, within the GPU inventory.

/** Requests/s per model per interval (interval-major: t * models + m); `peak`: at the intervals' peak rates where given. */
export function modelRates(input: PlanningInput, peak = false): Float64Array {
  const M = input.models.length;
  const buckets = (input.lengthBuckets ?? []).length + 1;
  const out = new Float64Array(input.demand.length * M);
  input.demand.forEach((d, t) => {
    const shares = d.bucketShares ?? [1, ...Array(buckets - 1).fill(0)];
    if (shares.length !== buckets) throw new EngineError('INVALID_INPUT', `interval ${t}: expected ${buckets} bucket shares, got ${shares.length}`, { interval: t });
    const rate = peak ? Math.max(d.rate, d.peakRate ?? d.rate) : d.rate;
    for (let b = 0; b < buckets; b++) for (let m = 0; m < M; m++) out[t * M + m] += rate * shares[b] * input.routing[b][m];
  });
  return out;
}

export function workloadOf(input: PlanningInput, t: number): Workload {
  const d = input.demand[t];
  return d.dispersion != null ? { inputTokens: d.inputTokens, outputTokens: d.outputTokens, dispersion: d.dispersion } : { inputTokens: d.inputTokens, outputTokens: d.outputTokens };
}

/** The rate-weighted mean lengths (and burstiness) over the horizon: the workload deployments are compared at. */
export function designWorkload(input: PlanningInput): Workload {
  let w = 0;
  let i = 0;
  let o = 0;
  let disp = 0;
  const bursty = input.demand.some((d) => d.dispersion != null);
  for (const d of input.demand) {
    w += d.rate;
    i += d.rate * d.inputTokens;
    o += d.rate * d.outputTokens;
    disp += d.rate * (d.dispersion ?? 1);
  }
  if (!(w > 0)) return workloadOf(input, 0);
  return bursty ? { inputTokens: i / w, outputTokens: o / w, dispersion: disp / w } : { inputTokens: i / w, outputTokens: o / w };
}

/** Per model, its deployment options from cheapest to dearest on-demand $ per request at the design workload. */
export function optionOrder(input: PlanningInput): number[][] {
  const w = designWorkload(input);
  const price = new Map(input.pricing.map((p) => [p.gpuType, p.onDemandPerGpuHour]));
  return input.models.map((_, m) =>
    input.deployments
      .map((d, j) => ({ j, d }))
      .filter(({ d }) => d.model === m)
      .map(({ j, d }) => ({ j, usdPerReq: (d.gpusPerInstance * (price.get(d.gpuType) ?? Infinity)) / Math.max(1e-12, input.goodputPerInstance(j, w)) }))
      .sort((a, b) => a.usdPerReq - b.usdPerReq)
      .map((x) => x.j),
  );
}

/**
 * Instances per deployment that serve `rates` (per model) in interval t: for each model, its
 * options in order, as many as the GPUs left allow. Throws INFEASIBLE naming the interval, the
 * model and the GPU types that ran out (or, with allowShort, reports the rate left unserved).
 */
export function sizeInterval(input: PlanningInput, t: number, rates: Float64Array, order: number[][], allowShort = false): { counts: Int32Array; shortRate: number } {
  const M = input.models.length;
  const counts = new Int32Array(input.deployments.length);
  const gpusLeft = new Map(Object.entries(input.inventory));
  const util = input.maxUtilisation ?? 1;
  const w = workloadOf(input, t);
  let shortRate = 0;
  for (let m = 0; m < M; m++) {
    const rate = rates[t * M + m];
    if (input.models[m].api || rate <= 0) continue;
    let left = rate;
    for (const j of order[m]) {
      if (left <= 1e-12) break;
      const d = input.deployments[j];
      const perInst = input.goodputPerInstance(j, w) * util;
      if (!(perInst > 0)) continue;
      const fit = Math.floor((gpusLeft.get(d.gpuType) ?? 0) / d.gpusPerInstance);
      const n = Math.min(fit, Math.ceil(left / perInst - 1e-9));
      counts[j] = n;
      gpusLeft.set(d.gpuType, (gpusLeft.get(d.gpuType) ?? 0) - n * d.gpusPerInstance);
      left -= n * perInst;
    }
    if (left > 1e-9 && allowShort) shortRate += left;
    else if (left > 1e-9) {
      const types = [...new Set(order[m].map((j) => input.deployments[j].gpuType))];
      throw new EngineError('INFEASIBLE', `interval ${t}: model "${input.models[m].name}" needs ${rate.toFixed(2)} req/s but the inventory (${types.map((g) => `${input.inventory[g] ?? 0} ${g}`).join(', ') || 'no GPU type'}) serves only ${(rate - left).toFixed(2)} req/s at the SLO`, { interval: t, binding: 'inventory', model: input.models[m].name, gpuTypes: types });
    }
  }
  return { counts, shortRate };
}

/** Nearest-rank percentile (p in (0, 1]): the smallest value at least a share p of the values do not exceed. */
export function percentileOf(values: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(values).sort();
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

/** GPUs per type used by per-deployment counts. */
export function gpusByType(input: PlanningInput, counts: ArrayLike<number>): Map<string, number> {
  const g = new Map<string, number>();
  input.deployments.forEach((d, j) => g.set(d.gpuType, (g.get(d.gpuType) ?? 0) + counts[j] * d.gpusPerInstance));
  return g;
}

/** Throws INFEASIBLE when counts exceed the inventory of a GPU type in interval t. */
export function checkInventory(input: PlanningInput, t: number, counts: ArrayLike<number>, why: string): void {
  for (const [type, used] of gpusByType(input, counts)) {
    const have = input.inventory[type] ?? 0;
    if (used > have) throw new EngineError('INFEASIBLE', `interval ${t}: ${why} needs ${used} ${type} GPUs, the inventory has ${have}`, { interval: t, binding: 'inventory', gpuType: type, needed: used, available: have });
  }
}
