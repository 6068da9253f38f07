import { z } from 'zod';
import { GpuSpecSchema } from './performance';

// A plan over time: what `routeplan plan` writes and `routeplan replay --plan PLAN.json` reads.
// Per interval it says how many instances of each deployment are paid for (and how many of them
// are spot), how traffic is split between models (per input-length bucket) and how much of it
// overflows to an API model; at the top level what it promises (`sloAttainment`, `monthlyCost`).
// Index fields (model, deployment) refer to positions in the plan's own arrays.

const usd = z.number().min(0);
const share = z.number().min(0).max(1);

/** Price tiers of one GPU type, USD per GPU-hour. Defaults are assumptions (money/prices.ts). */
export const GpuPricing = z.object({
  gpuType: z.string().min(1),
  onDemandPerGpuHour: z.number().positive(),
  reserved1yPerGpuHour: usd,
  reserved3yPerGpuHour: usd,
  spotPerGpuHour: usd,
  spotInterruptionsPerHour: z.number().min(0),
});
export type GpuPricing = z.output<typeof GpuPricing>;

export const ApiPricing = z.object({
  priceInPerM: usd,
  priceOutPerM: usd,
  rateLimitQps: z.number().positive().nullable().default(null),
});
export type ApiPricing = z.output<typeof ApiPricing>;

export const PlanModel = z.object({ name: z.string().min(1), api: ApiPricing.nullable().default(null) });
export const PlanDeployment = z.object({
  model: z.number().int().min(0),
  gpuType: z.string().min(1),
  gpusPerInstance: z.number().int().positive(),
  /** Requests/s one instance serves at the SLO for the design workload: the routing weight. */
  goodputPerInstance: z.number().positive(),
  /** The serving-performance model's description of the deployment (how the replay rebuilds its service model). */
  serving: z
    .object({ architecture: z.string().min(1), gpu: z.string().min(1), gpus: z.number().int().positive(), tp: z.number().int().positive(), precision: z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']), engine: z.enum(['vllm', 'trtllm']), memoryGb: z.number().positive().nullable(), gpuSpec: GpuSpecSchema.optional() })
    .optional(),
});

export const PlanInterval = z.object({
  /** Mean arrival rate the interval was planned for (requests/s) and its mean lengths. */
  demandRate: z.number().min(0),
  inputTokens: z.number().min(0),
  outputTokens: z.number().min(0),
  /** Rows: input-length buckets (lengthBuckets.length + 1), columns: models; each row sums to 1. */
  routing: z.array(z.array(share)).min(1),
  /** Share of all arrivals sent to the overflow API model before routing. */
  overflowShare: share,
  /** Instances paid for in this interval per deployment (spot included), and the spot ones. */
  instances: z.array(z.number().int().min(0)),
  spotInstances: z.array(z.number().int().min(0)),
  /** Planned load against goodput per deployment (arrivals / (instances x goodput)). */
  utilisation: z.array(z.number().min(0)),
  /** Expected p90 latencies per model (null: the model is an API or gets no traffic). */
  ttftP90Ms: z.array(z.number().min(0).nullable()),
  tpotP90Ms: z.array(z.number().min(0).nullable()),
  /** Promised share of this interval's requests within both SLO targets. */
  attainment: share,
  /** USD this interval costs: GPU tiers (reserved spread evenly) and API tokens. */
  cost: usd,
});
export type PlanInterval = z.output<typeof PlanInterval>;

export const TierChoice = z.object({
  gpuType: z.string().min(1),
  reservedGpus: z.number().int().min(0),
  reservedTerm: z.enum(['1y', '3y']),
  spotGpusByInterval: z.array(z.number().min(0)),
});

export const MonthlyCost = z.object({
  total: usd,
  byTier: z.object({ reserved: usd, onDemand: usd, spot: usd, api: usd }),
  byGpuType: z.array(z.object({ gpuType: z.string(), reserved: usd, onDemand: usd, spot: usd })),
  perMillionTokens: usd,
  perThousandRequests: usd,
});
export type MonthlyCost = z.output<typeof MonthlyCost>;

export const PlanFile = z
  .object({
    kind: z.literal('routeplan-plan'),
    version: z.literal(1),
    mode: z.enum(['static', 'autoscale', 'overflow']),
    intervalS: z.number().positive(),
    slo: z.object({ ttftP90Ms: z.number().positive(), tpotP90Ms: z.number().positive() }),
    models: z.array(PlanModel).min(1),
    deployments: z.array(PlanDeployment),
    /** Ascending input-token upper edges of the routing buckets ([] = one bucket). */
    lengthBuckets: z.array(z.number().positive()).default([]),
    /** The API model that takes overflow, and the queue length that also sends a request there. */
    overflow: z.object({ model: z.number().int().min(0), queueThreshold: z.number().int().positive().nullable().default(null) }).nullable().default(null),
    scaleUpDelayS: z.number().min(0),
    /** Replacement time of an interrupted spot instance (its headroom is sized for it). */
    spotReplacementS: z.number().min(0),
    pricing: z.array(GpuPricing),
    tiers: z.array(TierChoice),
    intervals: z.array(PlanInterval).min(1),
    sloAttainment: share,
    monthlyCost: usd,
    money: MonthlyCost,
    /** How sloAttainment was promised, and the burst window each interval was sized for. */
    promise: z.object({ method: z.string().min(1).max(200), burstWindowS: z.number().int().min(1).max(86_400) }).optional(),
    /** What the quality costs: the cheapest plan serving the same traffic, planned the same way. */
    qualityPremium: z
      .object({ cheapestQuality: z.number().min(0).max(1).nullable(), cheapestMonthlyCost: usd, premiumMonth: z.number(), cheapestSloAttainment: share })
      .optional(),
  })
  .superRefine((p, ctx) => {
    const m = p.models.length;
    const dn = p.deployments.length;
    p.deployments.forEach((d, j) => {
      if (d.model >= m) ctx.addIssue({ code: 'custom', path: ['deployments', j, 'model'], message: `no model ${d.model} (${m} models)` });
      else if (p.models[d.model].api) ctx.addIssue({ code: 'custom', path: ['deployments', j, 'model'], message: `model "${p.models[d.model].name}" is an API model and cannot have deployments` });
      if (!p.pricing.some((g) => g.gpuType === d.gpuType)) ctx.addIssue({ code: 'custom', path: ['deployments', j, 'gpuType'], message: `no pricing for GPU type "${d.gpuType}"` });
    });
    if (p.overflow && (p.overflow.model >= m || !p.models[p.overflow.model].api)) ctx.addIssue({ code: 'custom', path: ['overflow', 'model'], message: 'the overflow model must be an API model of the plan' });
    p.intervals.forEach((iv, i) => {
      if (iv.routing.length !== p.lengthBuckets.length + 1) ctx.addIssue({ code: 'custom', path: ['intervals', i, 'routing'], message: `expected ${p.lengthBuckets.length + 1} rows (one per length bucket), got ${iv.routing.length}` });
      iv.routing.forEach((row, b) => {
        if (row.length !== m) ctx.addIssue({ code: 'custom', path: ['intervals', i, 'routing', b], message: `expected ${m} shares (one per model), got ${row.length}` });
        const s = row.reduce((a, x) => a + x, 0);
        if (Math.abs(s - 1) > 1e-6) ctx.addIssue({ code: 'custom', path: ['intervals', i, 'routing', b], message: `shares sum to ${s}, not 1` });
      });
      for (const f of ['instances', 'spotInstances', 'utilisation'] as const) {
        if (iv[f].length !== dn) ctx.addIssue({ code: 'custom', path: ['intervals', i, f], message: `expected ${dn} entries (one per deployment), got ${iv[f].length}` });
      }
      iv.spotInstances.forEach((s, j) => {
        if (s > (iv.instances[j] ?? 0)) ctx.addIssue({ code: 'custom', path: ['intervals', i, 'spotInstances', j], message: `${s} spot instances exceed the ${iv.instances[j]} instances` });
      });
      if (iv.overflowShare > 0 && !p.overflow) ctx.addIssue({ code: 'custom', path: ['intervals', i, 'overflowShare'], message: 'an overflow share needs an overflow model' });
    });
  });
export type PlanFile = z.output<typeof PlanFile>;
export type PlanFileInput = z.input<typeof PlanFile>;
