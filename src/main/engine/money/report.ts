import type { GpuPricing, MonthlyCost } from '../../../shared/contract/planning';
import { HOURS_PER_MONTH, reservedPerGpuHour, type ReservedTerm } from './prices';

// Money by the month. A plan or a replay covers a horizon (an hour of trace, a week of profile);
// its USD are scaled to a month of 730 hours as if the horizon repeated. The reserved baseline is
// paid for every hour whether used or not; on-demand and spot for the GPU-hours they run.

export interface GpuTypeCost {
  gpuType: string;
  reserved: number;
  onDemand: number;
  spot: number;
}

/**
 * USD over the horizon of a fleet given GPUs paid per interval: `regular` (reserved or on-demand)
 * and `spot` (as provisioned, headroom included), with `reservedGpus` committed.
 */
export function fleetCost(regular: ArrayLike<number>, spot: ArrayLike<number>, intervalS: number, p: GpuPricing, reservedGpus: number, term: ReservedTerm): GpuTypeCost {
  const h = intervalS / 3600;
  let onDemand = 0;
  let spotUsd = 0;
  for (let t = 0; t < regular.length; t++) {
    onDemand += Math.max(0, regular[t] - reservedGpus) * p.onDemandPerGpuHour * h;
    spotUsd += spot[t] * p.spotPerGpuHour * h;
  }
  return { gpuType: p.gpuType, reserved: reservedGpus * reservedPerGpuHour(p, term) * h * regular.length, onDemand, spot: spotUsd };
}

/** The month's cost by tier and GPU type, and per token and per request, from a horizon's USD. */
export function monthlyCost(gpuCosts: GpuTypeCost[], apiUsd: number, horizonS: number, tokens: number, requests: number): MonthlyCost {
  const k = (HOURS_PER_MONTH * 3600) / horizonS;
  const byGpuType = gpuCosts.map((c) => ({ gpuType: c.gpuType, reserved: c.reserved * k, onDemand: c.onDemand * k, spot: c.spot * k }));
  const byTier = {
    reserved: byGpuType.reduce((a, c) => a + c.reserved, 0),
    onDemand: byGpuType.reduce((a, c) => a + c.onDemand, 0),
    spot: byGpuType.reduce((a, c) => a + c.spot, 0),
    api: apiUsd * k,
  };
  const total = byTier.reserved + byTier.onDemand + byTier.spot + byTier.api;
  const horizonUsd = total / k;
  return {
    total,
    byTier,
    byGpuType,
    perMillionTokens: tokens > 0 ? (horizonUsd / tokens) * 1e6 : 0,
    perThousandRequests: requests > 0 ? (horizonUsd / requests) * 1e3 : 0,
  };
}

export function apiUsd(inputTokens: number, outputTokens: number, priceInPerM: number, priceOutPerM: number): number {
  return (inputTokens * priceInPerM + outputTokens * priceOutPerM) / 1e6;
}
