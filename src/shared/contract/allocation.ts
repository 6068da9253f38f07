import { z } from 'zod';
import type { PlanAssumptions } from './plan-assumptions';
import { call, job } from './define';
import type { DeploymentPerfSpec } from './allocation-forms';

export * from './allocation-forms';

export const AllocationSolver = z.enum(['auto', 'highs', 'decomposition']);

export interface DeploymentCount {
  model: string;
  gpuType: string;
  count: number;
}

export interface AllocationResult {
  /** optimal = within the requested gap; feasible/timeout = incumbent with a proven gap. */
  status: 'optimal' | 'feasible' | 'infeasible' | 'timeout';
  /** For infeasible plans: the constraint that cannot be met. */
  binding?: 'budget' | 'gpuBudget' | 'inventory' | 'hourlySpendCap' | 'rateLimit' | 'combined';
  message?: string;
  solver: 'highs' | 'decomposition';
  form: 'paper' | 'extended';
  /** Paper form: instances per model in input order (null = API model). Extended: per deployment. */
  instances: (number | null)[] | DeploymentCount[];
  objective: number | null; // mean expected quality of the sample
  bound: number | null; // proven upper bound on it
  gap: number | null; // (bound - objective) / bound
  gpusUsed: Record<string, number>;
  /** The knapsack row: the sample's budget (paper) or the hourly spend cap (extended). */
  knapsack?: { name: 'budget' | 'hourlySpendCap'; used: number; limit: number };
  /** Share of the sample routed to each model under the plan. */
  share?: Record<string, number>;
  /** Same GPUs split evenly over the self-hosted models, routed the same way (the baseline). */
  uniform?: { objective: number | null; instances: (number | null)[] | DeploymentCount[] };
  /** The final local search (allocation/polish.ts): where it started, how many single moves it took,
   *  and whether it proved that no single slider move or transfer beats the plan. */
  polish?: { startedFrom: string; moves: number; exhausted: boolean };
  /** With per-query lengths: the solves until each option's capacity at the plan's routed length mix
   *  stopped changing (by under 1%), the number of length buckets, and whether it converged. */
  lengthMix?: { solves: number; buckets: number; converged: boolean };
  /** What-if optimisation only: the plan's own figures and the hand-drawn baselines beside it. */
  hourlyCost?: number;
  monthlyCost?: number;
  /** The plan's busiest self-hosted model (highest utilisation) and its p90 latencies. */
  busiest?: BusiestModel | null;
  baselines?: PlanBaseline[];
  /** Workspace plans: deployment options left out because they cannot hold their weights or miss the SLO alone. */
  refusedDeployments?: RefusedDeployment[];
  ms: number;
}

/** An option the plan could not use, and why (memory needed against usable, or the SLO missed unloaded). */
export interface RefusedDeployment {
  model: string;
  gpuType: string;
  reason: string;
}

/** A plan a planner would draw by hand on the same inventory, valued like the optimised plan. */
export interface PlanBaseline {
  name: 'uniform' | 'best-single';
  label: string;
  model?: string;
  feasible: boolean;
  quality: number | null;
  hourlyCost: number | null;
  monthlyCost: number | null;
  gpusUsed: Record<string, number>;
  instances: (number | null)[] | DeploymentCount[];
  note?: string;
  /** Its $/hour is above the plan's hourly spend cap: not a plan the planner could run. */
  overCap?: boolean;
  busiest?: BusiestModel | null;
}

/** A plan's busiest self-hosted model and one instance's p90 latencies at its load (null: no performance model). */
export interface BusiestModel {
  model: string;
  utilisation: number;
  ttftP90Ms: number | null;
  tpotP90Ms: number | null;
}

/** Builds the extended form from the open workspace: dataset sample, catalog, deployments, inventory. */
export const WorkspacePlan = z.object({
  datasetId: z.number().int().positive().optional(), // default: the most recent dataset
  trafficQps: z.number().positive(),
  hourlySpendCap: z.number().min(0).nullable().optional(),
  maxUtilisation: z.number().gt(0).max(1).default(0.8),
  sampleSize: z.number().int().min(10).max(100_000).default(2000),
  seed: z.number().int().default(7),
  defaultOutputTokens: z.number().positive().default(256),
  /** A stored predictor whose calibrated probabilities are the sample's expected quality. */
  predictorId: z.number().int().positive().optional(),
  /** Latency SLO each instance's capacity (goodput) is computed for: p90 time to first token and per output token. */
  slo: z.object({ ttftP90Ms: z.number().positive().max(600_000).default(2000), tpotP90Ms: z.number().positive().max(60_000).default(100) }).default({ ttftP90Ms: 2000, tpotP90Ms: 100 }),
  /** Serving engine and weight precision of the self-hosted deployments (performance model profiles). */
  engine: z.enum(['vllm', 'trtllm']).default('vllm'),
  precision: z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']).default('bf16'),
  /** Token lengths of the traffic (e.g. a demand trace's means), overriding the dataset's for capacity and API cost. */
  workload: z.object({ inputTokens: z.number().positive().max(10_000_000), outputTokens: z.number().positive().max(10_000_000) }).optional(),
});
export type WorkspacePlan = z.output<typeof WorkspacePlan>;

const problemOrWorkspace = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object({ problem: z.record(z.string(), z.unknown()).optional(), workspace: WorkspacePlan.optional(), ...shape })
    .refine((v: { problem?: unknown; workspace?: unknown }) => (v.problem == null) !== (v.workspace == null), { message: 'give exactly one of problem (an allocation file) or workspace (plan settings)', path: ['problem'] });

export const AllocationSolveInput = problemOrWorkspace({
  solver: AllocationSolver.default('auto'),
  timeLimitMs: z.number().int().positive().max(3_600_000).default(30_000),
  mipGap: z.number().min(0).max(1).default(0.01),
  compareUniform: z.boolean().default(false),
});

export interface ModelLoad {
  model: string;
  hosted: boolean;
  instances: number;
  share: number; // of the traffic
  arrivalQps: number;
  capacityQps: number | null; // null = unlimited API
  utilisation: number | null;
  meanWaitS: number | null; // M/M/c (Erlang C); null where the performance model gives latencies
  hourlyCost: number;
  /** p90 latencies of one instance at its planned load (performance model; null for API or typed profiles). */
  ttftP90Ms?: number | null;
  tpotP90Ms?: number | null;
  /** Where the capacity figure comes from: measured, fitted, estimated (performance model) or typed (three catalog numbers). */
  capacitySource?: 'measured' | 'fitted' | 'estimated' | 'typed' | 'mixed' | null;
  /** Where ttftP90Ms / tpotP90Ms come from: the deployment's measurements, re-fitted to them, or the estimator ('mixed' over GPU types). */
  latencySource?: { ttftP90Ms: 'measured' | 'fitted' | 'estimated' | 'mixed'; tpotP90Ms: 'measured' | 'fitted' | 'estimated' | 'mixed' } | null;
  /** With per-query lengths: the mean lengths of the queries routed to the model (what the latencies are computed at)
   *  and their share in each length bucket (capacity is the harmonic mix of per-bucket goodputs over them). */
  lengths?: { inputTokens: number; outputTokens: number; buckets: { inputTokens: number; outputTokens: number; share: number }[] } | null;
}

export interface WhatIfResult {
  status: 'ok' | 'overloaded' | 'infeasible';
  binding?: string;
  message?: string;
  quality: number | null; // mean expected quality on the sample
  qualityBound: number | null;
  trafficQps: number;
  capacityQps: number; // total sustainable q/s (hosted at max utilisation + API limits; Infinity with uncapped API)
  headroomQps: number; // capacity - traffic
  hourlyCost: number;
  gpuHourlyCost: number;
  apiHourlyCost: number;
  costPer1k: number;
  gpusUsed: Record<string, number>;
  gpusAvailable: Record<string, number>;
  models: ModelLoad[];
  ms: number;
}

/** An extended-form problem (sample, options, inventory, traffic), or workspace plan settings. */
export const WhatIfPrepareInput = problemOrWorkspace({});

export const InstanceCounts = z.array(z.object({ model: z.string(), gpuType: z.string(), count: z.number().int().min(0) }));

export const WhatIfInput = z.object({
  contextId: z.string().min(1),
  instances: InstanceCounts,
  /** GPUs bought (or sold, negative) per type on top of the inventory. */
  purchase: z.record(z.string(), z.number().int()).default({}),
  trafficQps: z.number().positive().optional(),
});

export const SweepInput = z.object({
  contextId: z.string().min(1),
  gpuType: z.string().min(1),
  maxBuy: z.number().int().positive().max(10_000),
  steps: z.number().int().min(2).max(50).default(11),
  timeLimitMs: z.number().int().positive().default(60_000),
});

export const GpuSweepInput = problemOrWorkspace({
  /** GPU counts of one type to allocate at (e.g. 8, 16, …, 512): one point of the curve each. */
  gpus: z.array(z.number().int().min(0).max(1_000_000)).min(1).max(64),
  /** Which GPU type's count is set (extended form); the paper form has one pool. */
  gpuType: z.string().min(1).optional(),
  timeLimitMs: z.number().int().positive().max(3_600_000).default(60_000),
  mipGap: z.number().min(0).max(1).default(1e-3),
});

export interface GpuSweepResult {
  gpuType: string;
  points: {
    gpus: number;
    status: AllocationResult['status'];
    binding?: string;
    objective: number | null;
    bound: number | null;
    gap: number | null;
    instances: (number | null)[] | DeploymentCount[];
    gpusUsed: number;
    evaluations: number;
    ms: number;
  }[];
  ms: number;
}

export interface SweepPoint {
  bought: number;
  status: AllocationResult['status'];
  binding?: string;
  quality: number | null;
  /** Certified relative gap of the point's allocation (its bound over its objective). */
  gap: number | null;
  hourlyCost: number | null;
  costPer1k: number | null;
  instances: DeploymentCount[];
}

export interface ScenarioRecord {
  id: number;
  name: string;
  kind: string;
  input: unknown;
  result: unknown;
  createdAt: string;
}

export const allocationMethods = {
  'allocation.solve': job<AllocationResult>()(AllocationSolveInput, 'Offline instance allocation (paper or extended form): HiGHS or our decomposition, with status and gap'),
  'allocation.gpuSweep': job<GpuSweepResult>()(GpuSweepInput, 'Procurement curve: the allocation at each of several GPU counts, each point warm-started from the previous one, each with its certified gap'),
  'whatif.prepare': call<{
    contextId: string;
    models: string[];
    gpuTypes: { name: string; count: number; hourlyPrice: number }[];
    /** qpsPerInstance: goodput at the SLO (performance model) or Little's law over the typed profile; perf says which and on what. */
    deployments: { model: string; gpuType: string; gpusPerInstance: number; qpsPerInstance: number; perf: z.output<typeof DeploymentPerfSpec> | null }[];
    /** The workload capacity was computed for: prompt tokens per query and each model's output tokens. */
    workload: { inputTokens: number; outputTokens: Record<string, number> };
    slo: { ttftP90Ms: number; tpotP90Ms: number } | null;
    refusedDeployments: RefusedDeployment[];
    sample: number;
    ms: number;
    /** What the plan rests on, per deployment (tokens, concurrency, throughput, quality source). */
    assumptions?: PlanAssumptions;
  }>()(
    WhatIfPrepareInput,
    'Precompute a what-if context (sample, throughput per deployment) for fast slider recomputation',
  ),
  'whatif.evaluate': call<WhatIfResult>()(WhatIfInput, 'Quality, throughput headroom, $/hour, $/1k queries and utilisation per model for given instance counts'),
  'whatif.optimise': job<AllocationResult>()(
    z.object({
      contextId: z.string().min(1),
      purchase: z.record(z.string(), z.number().int()).default({}),
      timeLimitMs: z.number().int().positive().default(30_000),
      /** The sliders' counts: the optimum is never worse than them (nor than the plan before a purchase). */
      instances: InstanceCounts.optional(),
    }),
    'Best instance counts for a what-if context (decomposition), optionally after a GPU purchase; never worse than the current counts or the plan before the purchase',
  ),
  'whatif.sweep': job<SweepPoint[]>()(SweepInput, 'Procurement sweep: quality and cost against GPUs bought of one type'),
  'scenarios.save': call<ScenarioRecord>()(
    z.object({ name: z.string().min(1), kind: z.string().min(1).default('whatif'), input: z.unknown(), result: z.unknown().optional() }),
    'Save (or overwrite) a named scenario in the workspace',
  ),
  'scenarios.list': call<ScenarioRecord[]>()(z.object({ kind: z.string().optional() }), 'Saved scenarios'),
  'scenarios.compare': call<{ names: string[]; rows: { metric: string; values: (number | string | null)[] }[] }>()(
    z.object({ names: z.array(z.string().min(1)).min(1) }),
    'Saved scenarios side by side',
  ),
  'scenarios.delete': call<{ deleted: boolean }>()(z.object({ name: z.string().min(1) }), 'Delete a saved scenario'),
};
