import { z } from 'zod';
import { job } from './define';
import { GpuPricing, PlanFile } from './planning';
import type { ReplayReportOut } from './planning-report';

// Plans over time and their replay, as engine methods (routeplan plan / routeplan replay, the app).

const Slo = z.object({ ttftP90Ms: z.number().positive().max(600_000).default(2000), tpotP90Ms: z.number().positive().max(60_000).default(100) });

export const PlanModeInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('static'), percentile: z.number().gt(0).max(1).default(0.95), nPlusOne: z.boolean().default(false) }),
  z.object({ mode: z.literal('autoscale'), minReplicas: z.number().int().min(0).default(1), scaleStep: z.number().int().min(1).default(1), scaleUpDelayS: z.number().min(0).max(86_400).default(180) }),
  z.object({ mode: z.literal('overflow'), percentile: z.number().gt(0).max(1).default(0.5), overflowModel: z.string().min(1).optional(), queueThreshold: z.number().int().positive().nullable().default(null) }),
]);

export const PlanCreateInput = z.object({
  /** The demand (trace or typed profile) to plan for; default: the most recent. */
  demandId: z.number().int().positive().optional(),
  /** Planning interval, seconds (whole minutes, 1 min to 1 day). */
  intervalS: z.number().int().min(60).max(86_400).refine((v) => v % 60 === 0, 'a whole number of minutes').default(3600),
  /** Multiplies the demand's arrival rate (e.g. 200 to size a fleet from a small public trace). */
  scale: z.number().positive().max(1_000_000).optional(),
  mode: PlanModeInput.default({ mode: 'static', percentile: 0.95, nPlusOne: false }),
  /** quality: best quality, then the cheapest fleet that keeps it (the default); cost: cheapest plan whose quality is at least qualityFloor. */
  objective: z.enum(['quality', 'cost']).default('quality'),
  qualityFloor: z.number().min(0).max(1).optional(),
  budgetMonth: z.number().positive().max(1e12).nullable().optional(),
  slo: Slo.default({ ttftP90Ms: 2000, tpotP90Ms: 100 }),
  engine: z.enum(['vllm', 'trtllm']).default('vllm'),
  precision: z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']).default('bf16'),
  datasetId: z.number().int().positive().optional(),
  predictorId: z.number().int().positive().optional(),
  sampleSize: z.number().int().min(10).max(100_000).default(2000),
  seed: z.number().int().default(7),
  tiers: z.object({ reservedTerm: z.enum(['1y', '3y', 'none']).default('1y'), maxSpotShare: z.number().min(0).max(1).default(0), spotReplacementS: z.number().min(0).max(86_400).default(300) }).default({ reservedTerm: '1y', maxSpotShare: 0, spotReplacementS: 300 }),
  /** Per GPU type price tiers overriding the assumed factors (money/prices.ts). */
  pricing: z.array(GpuPricing.partial().extend({ gpuType: z.string().min(1) })).optional(),
  /**
   * Each interval is sized for its busiest stretch of this many seconds (a trace's arrivals per
   * second; a typed profile's busiest minute). 60 holds a minute's bursts; 10 holds a bursty
   * trace's short ones at a higher price.
   */
  burstWindowS: z.number().int().min(1).max(86_400).default(60),
  /** Also plan the cheapest routing that serves the traffic (no quality floor) and report what the plan's quality costs over it. */
  compareCheapest: z.boolean().default(true),
  /** Load per instance planned against its goodput at the SLO. */
  maxUtilisation: z.number().gt(0).max(1).default(0.85),
});
export type PlanCreateInput = z.output<typeof PlanCreateInput>;

export interface PlanCreateResult {
  plan: PlanFile;
  /** Mean expected quality of the routing the plan carries (the design point's allocation). */
  quality: number | null;
  objective: 'quality' | 'cost';
  design: { trafficQps: number; allocation: { status: string; objective: number | null; bound: number | null; gap: number | null; share?: Record<string, number> } };
  sloAttainment: number;
  monthlyCost: number;
  ms: number;
}

export const PlanReplayInput = z.object({
  plan: z.unknown(),
  /** The demand whose arrivals are replayed; default: the most recent. */
  demandId: z.number().int().positive().optional(),
  scale: z.number().positive().max(1_000_000).optional(),
  /** Replay only the first hours of the demand (default: all of it, up to the plan's intervals). */
  hours: z.number().positive().max(24 * 366).optional(),
  seed: z.number().int().default(1),
});

export const planningMethods = {
  'plan.create': job<PlanCreateResult>()(PlanCreateInput, 'A plan over time (static, autoscaled or with API overflow) for a stored demand: instances per interval, price tiers, $/month, promised SLO attainment'),
  'plan.replay': job<ReplayReportOut>()(PlanReplayInput, 'Replays a plan against a demand through the continuous-batching simulation on the performance model: SLO attainment, utilisation, overflow, realised $ next to the promise'),
};
