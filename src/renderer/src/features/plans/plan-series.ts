import type { PlanFile } from '../../../../shared/contract/planning';

/** Per model, per interval: the arrivals the plan routes to it and the capacity it holds (req/s). */
export interface ModelSeries {
  model: string;
  arrivals: Float64Array;
  /** Instances x goodput per instance, summed over the model's deployments. */
  capacity: Float64Array;
}

/**
 * Arrivals and capacity per self-hosted model from a plan alone: a deployment's arrivals are its
 * utilisation x instances x goodput (utilisation is defined as arrivals / (instances x goodput)),
 * so no routing or length-bucket weights have to be re-derived here.
 */
export function modelSeries(plan: PlanFile): ModelSeries[] {
  const n = plan.intervals.length;
  const out = new Map<number, ModelSeries>();
  plan.deployments.forEach((d, j) => {
    let s = out.get(d.model);
    if (!s) out.set(d.model, (s = { model: plan.models[d.model].name, arrivals: new Float64Array(n), capacity: new Float64Array(n) }));
    for (let t = 0; t < n; t++) {
      const iv = plan.intervals[t];
      const cap = (iv.instances[j] ?? 0) * d.goodputPerInstance;
      s.capacity[t] += cap;
      s.arrivals[t] += (iv.utilisation[j] ?? 0) * cap;
    }
  });
  return [...out.values()];
}

/** Index of the busiest interval of each window of `per` intervals (e.g. each day): the peaks to mark. */
export function peaksPerWindow(rate: ArrayLike<number>, per: number): number[] {
  const peaks: number[] = [];
  for (let start = 0; start < rate.length; start += Math.max(1, per)) {
    let best = -1;
    for (let i = start; i < Math.min(rate.length, start + per); i++) if (best < 0 || rate[i] > rate[best]) best = i;
    if (best >= 0 && rate[best] > 0) peaks.push(best);
  }
  return peaks;
}

/** GPU-hours stacked by tier per GPU type, and API, as bars of $/month. */
export function costBars(plan: PlanFile): { tier: 'reserved' | 'onDemand' | 'spot' | 'api'; x: string[]; y: number[] }[] {
  const types = plan.money.byGpuType.map((g) => g.gpuType);
  const tiers = ['reserved', 'onDemand', 'spot'] as const;
  const bars: { tier: 'reserved' | 'onDemand' | 'spot' | 'api'; x: string[]; y: number[] }[] = tiers.map((tier) => ({ tier, x: types, y: plan.money.byGpuType.map((g) => g[tier]) }));
  if (plan.money.byTier.api > 0) bars.push({ tier: 'api', x: ['API models'], y: [plan.money.byTier.api] });
  return bars;
}

export const tierLabels = { reserved: 'reserved', onDemand: 'on-demand', spot: 'spot', api: 'API tokens' } as const;
