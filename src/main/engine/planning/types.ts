import type { ApiPricing, GpuPricing } from '../../../shared/contract/planning';
import type { JobContext } from '../jobs/context';
import type { TierOptions } from '../money/tiers';

/** One interval of demand: mean arrival rate and mean lengths; bucket shares when the plan has length buckets. */
export interface DemandInterval {
  rate: number;
  inputTokens: number;
  outputTokens: number;
  /** Share of arrivals per input-length bucket (lengthBuckets.length + 1 entries; default all in the first). */
  bucketShares?: number[];
  /** Burstiness within the interval: index of dispersion of per-second arrival counts (1 = Poisson). */
  dispersion?: number;
  /**
   * The rate of the interval's busiest stretch (e.g. its busiest 10 s). When given, instances and
   * overflow are sized for it rather than for the mean (bursts longer than the TTFT target cannot
   * be queued away); latencies are still estimated at the mean rate.
   */
  peakRate?: number;
}

export interface Workload {
  inputTokens: number;
  outputTokens: number;
  /** Index of dispersion of per-second arrivals (absent or 1 = Poisson). */
  dispersion?: number;
}

/** Expected latencies of one instance of a deployment at a request rate, and the share of requests within the SLO. */
export interface LatencyEstimate {
  ttftP90Ms: number;
  tpotP90Ms: number;
  attainment: number;
}

export interface PlanningInput {
  intervalS: number;
  demand: DemandInterval[];
  /** The design-point allocation: models (API ones priced per token), and the share of traffic per model per length bucket. */
  models: { name: string; api?: ApiPricing | null }[];
  lengthBuckets?: number[];
  routing: number[][];
  /** Deployment options; a model may have several (the cheapest per request is filled first). */
  deployments: { model: number; gpuType: string; gpusPerInstance: number }[];
  /** Requests/s one instance of deployment j serves within the SLO for a workload (performance.goodput). */
  goodputPerInstance(deployment: number, workload: Workload): number;
  /** p90 TTFT/TPOT and SLO attainment of `instances` instances of deployment j, each offered `ratePerInstance`. */
  estimateLatency(deployment: number, workload: Workload, ratePerInstance: number, instances: number): LatencyEstimate;
  /** GPUs available per type (absent = none). */
  inventory: Record<string, number>;
  pricing: GpuPricing[];
  slo: { ttftP90Ms: number; tpotP90Ms: number };
  tiers?: Partial<TierOptions>;
  budgetMonth?: number | null;
  /** Load per instance planned against goodput (default 1: goodput already holds the SLO). */
  maxUtilisation?: number;
  ctx?: JobContext;
}

export type PlanMode =
  | { mode: 'static'; percentile: number; nPlusOne?: boolean }
  | { mode: 'autoscale'; minReplicas?: number; scaleStep?: number; scaleUpDelayS: number }
  | { mode: 'overflow'; percentile: number; overflowModel: number; queueThreshold?: number | null };
