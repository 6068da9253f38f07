import type { GpuPricing } from '../../../shared/contract/planning';
import { reservedPerGpuHour, spotEffectivePerGpuHour, type ReservedTerm } from './prices';

// The reserved baseline, spot share and on-demand burst that minimise a GPU type's cost over the
// horizon, for GPUs needed per interval d_t. Layers per interval: r reserved GPUs (paid every
// hour), then spot up to maxSpotShare of d_t (priced with its interruption headroom), then
// on-demand for the rest. With x_t = max(0, d_t - r) the interval's cost is
//   spotEff * min(x_t, s d_t) + onDemand * max(0, x_t - s d_t),
// convex and non-decreasing in x_t (spotEff <= onDemand, else spot is not used), and x_t is convex
// in r, so the total is convex in r: the first r whose next unit does not pay is the optimum. With
// no spot this is the duration-curve rule: reserve unit r while reserved $/h < on-demand $/h x the
// share of hours with d_t >= r.

export interface TierOptions {
  /** The commitment bought for the baseline, or none. */
  reservedTerm: ReservedTerm | 'none';
  /** Largest share of an interval's GPUs that may run on spot (0 = no spot). */
  maxSpotShare: number;
  /** Time to replace an interrupted spot instance (sets spot's headroom). */
  spotReplacementS: number;
}

export interface TierCost {
  reserved: number;
  onDemand: number;
  spot: number;
  total: number;
}

export interface TierChoiceResult {
  gpuType: string;
  reservedGpus: number;
  reservedTerm: ReservedTerm;
  /** Serving GPUs per interval on spot (fractional; headroom not included) and on demand. */
  spotGpus: Float64Array;
  onDemandGpus: Float64Array;
  /** USD over the horizon. */
  cost: TierCost;
}

function spotShare(p: GpuPricing, o: TierOptions): number {
  return o.maxSpotShare > 0 && spotEffectivePerGpuHour(p, o.spotReplacementS) < p.onDemandPerGpuHour ? o.maxSpotShare : 0;
}

/** USD over the horizon with r reserved GPUs (the objective the choice minimises). */
export function horizonCost(gpus: ArrayLike<number>, intervalS: number, p: GpuPricing, o: TierOptions, r: number): TierCost {
  const h = intervalS / 3600;
  const term: ReservedTerm = o.reservedTerm === 'none' ? '1y' : o.reservedTerm;
  const s = spotShare(p, o);
  const spotPrice = spotEffectivePerGpuHour(p, o.spotReplacementS);
  let onDemand = 0;
  let spot = 0;
  for (let t = 0; t < gpus.length; t++) {
    const x = Math.max(0, gpus[t] - r);
    const onSpot = Math.min(x, s * gpus[t]);
    spot += onSpot * spotPrice * h;
    onDemand += (x - onSpot) * p.onDemandPerGpuHour * h;
  }
  const reserved = r * reservedPerGpuHour(p, term) * h * gpus.length;
  return { reserved, onDemand, spot, total: reserved + onDemand + spot };
}

/** The cost-minimising tiers for one GPU type; exact (integer reserved level, convex objective). */
export function chooseTiers(gpuType: string, gpus: ArrayLike<number>, intervalS: number, p: GpuPricing, o: TierOptions): TierChoiceResult {
  const term: ReservedTerm = o.reservedTerm === 'none' ? '1y' : o.reservedTerm;
  let r = 0;
  if (o.reservedTerm !== 'none') {
    let hi = 0;
    for (let t = 0; t < gpus.length; t++) hi = Math.max(hi, Math.ceil(gpus[t]));
    // Smallest r in [0, hi] with cost(r + 1) >= cost(r): binary search on the convex function's slope.
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (horizonCost(gpus, intervalS, p, o, mid + 1).total >= horizonCost(gpus, intervalS, p, o, mid).total) hi = mid;
      else lo = mid + 1;
    }
    r = lo;
  }
  const s = spotShare(p, o);
  const spotGpus = new Float64Array(gpus.length);
  const onDemandGpus = new Float64Array(gpus.length);
  for (let t = 0; t < gpus.length; t++) {
    const x = Math.max(0, gpus[t] - r);
    spotGpus[t] = Math.min(x, s * gpus[t]);
    onDemandGpus[t] = x - spotGpus[t];
  }
  return { gpuType, reservedGpus: r, reservedTerm: term, spotGpus, onDemandGpus, cost: horizonCost(gpus, intervalS, p, o, r) };
}
