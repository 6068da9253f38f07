import type { PlanFile } from '../../../shared/contract/planning';
import { apiUsd, monthlyCost, type GpuTypeCost } from '../money/report';
import { reservedPerGpuHour } from '../money/prices';
import type { LatencyHistogram } from './structures';
import type { StepIntegral } from './fleet';
import type { ReplayReport } from './types';

/** What the replay counts as it runs (per interval unless said otherwise). */
export interface ReplayTally {
  arrivals: Float64Array;
  served: Float64Array;
  api: Float64Array;
  overflowed: Float64Array;
  dropped: Float64Array;
  attained: Float64Array;
  queueSeen: Float64Array;
  routed: Float64Array;
  /** interval x deployment, row-major. */
  servedByDep: Float64Array;
  busyByDep: Float64Array;
  activeByDep: StepIntegral[];
  /** Per GPU type of plan.pricing: GPUs paid, regular (reserved floor set) and spot. */
  regularGpus: StepIntegral[];
  spotGpus: StepIntegral[];
  /** Per model: API tokens. */
  apiIn: Float64Array;
  apiOut: Float64Array;
  ttft: LatencyHistogram;
  tpot: LatencyHistogram;
  restarted: number;
  tokens: number;
  events: number;
}

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);

/** Realised money: the reserved baseline for the whole horizon, on-demand above it and spot as run. */
export function buildReport(plan: PlanFile, t: ReplayTally, horizonS: number): ReplayReport {
  const D = plan.deployments.length;
  const gpuCosts: GpuTypeCost[] = plan.pricing.map((p, g) => {
    const tier = plan.tiers.find((x) => x.gpuType === p.gpuType);
    const reserved = tier ? tier.reservedGpus * reservedPerGpuHour(p, tier.reservedTerm) * (horizonS / 3600) : 0;
    return { gpuType: p.gpuType, reserved, onDemand: (t.regularGpus[g].aboveFloor / 3600) * p.onDemandPerGpuHour, spot: (t.spotGpus[g].total / 3600) * p.spotPerGpuHour };
  });
  let api = 0;
  plan.models.forEach((m, i) => {
    if (m.api) api += apiUsd(t.apiIn[i], t.apiOut[i], m.api.priceInPerM, m.api.priceOutPerM);
  });
  const requests = sum(t.arrivals);
  const money = monthlyCost(gpuCosts, api, horizonS, t.tokens, requests);
  const intervals = plan.intervals.map((_, i) => {
    const activeSec = t.activeByDep.map((a) => a.perInterval[i]);
    return {
      arrivals: t.arrivals[i],
      served: t.served[i],
      api: t.api[i],
      overflowed: t.overflowed[i],
      dropped: t.dropped[i],
      attainment: t.arrivals[i] ? t.attained[i] / t.arrivals[i] : 1,
      meanQueue: t.routed[i] ? t.queueSeen[i] / t.routed[i] : 0,
      activeInstances: activeSec.map((s) => s / plan.intervalS),
      busyFraction: activeSec.map((s, d) => (s > 0 ? t.busyByDep[i * D + d] / s : 0)),
      utilisation: activeSec.map((s, d) => (s > 0 ? t.servedByDep[i * D + d] / (s * plan.deployments[d].goodputPerInstance) : 0)),
    };
  });
  return {
    requests,
    served: sum(t.served),
    api: sum(t.api),
    overflowed: sum(t.overflowed),
    dropped: sum(t.dropped),
    restarted: t.restarted,
    sloAttainment: requests ? sum(t.attained) / requests : 1,
    ttftP90Ms: t.ttft.quantile(0.9),
    tpotP90Ms: t.tpot.quantile(0.9),
    monthlyCost: money.total,
    money,
    promised: { sloAttainment: plan.sloAttainment, monthlyCost: plan.monthlyCost },
    intervals,
    events: t.events,
  };
}
