import { z } from 'zod';
import { GpuSpecSchema } from './performance';
import { RESERVED_NAMES } from '../bounds';

// The two input forms of the offline instance allocation (formulations, section 4). Shapes that
// zod cannot see (row lengths against K) are checked in refinements whose path names the field.

const prob = z.number().min(0).max(1);
const usd = z.number().min(0);
/** A model or GPU type name: it keys maps, so `__proto__` is refused (shared/bounds.ts). */
const name = z.string().min(1).refine((s) => !RESERVED_NAMES.has(s), { message: 'the name "__proto__" is reserved; rename it' });

export const PaperForm = z
  .object({
    form: z.literal('paper').optional(),
    models: z.array(name).optional(),
    quality: z.array(z.array(prob)).min(1),
    cost: z.union([z.array(usd), z.array(z.array(usd))]),
    gpusPerInstance: z.array(z.number().int().positive().nullable()),
    slotsPerInstance: z.array(z.number().int().positive().nullable()),
    budget: usd, // USD for the whole training sample (C_train)
    gpuBudget: z.number().int().min(0),
    batchSize: z.number().int().positive().default(100),
  })
  .superRefine((v, ctx) => {
    const k = v.quality[0].length;
    if (k === 0) ctx.addIssue({ code: 'custom', path: ['quality', 0], message: 'needs at least one model' });
    v.quality.forEach((row, i) => {
      if (row.length !== k) ctx.addIssue({ code: 'custom', path: ['quality', i], message: `expected ${k} entries (one per model), got ${row.length}` });
    });
    const perPair = Array.isArray(v.cost[0]);
    if (perPair) {
      const rows = v.cost as number[][];
      if (rows.length !== v.quality.length) ctx.addIssue({ code: 'custom', path: ['cost'], message: `expected ${v.quality.length} rows (N) or ${k} entries (K), got ${rows.length} rows` });
      rows.forEach((row, i) => {
        if (row.length !== k) ctx.addIssue({ code: 'custom', path: ['cost', i], message: `expected ${k} entries, got ${row.length}` });
      });
    } else if (v.cost.length !== k) ctx.addIssue({ code: 'custom', path: ['cost'], message: `expected ${k} entries (K) or an N x K matrix, got ${v.cost.length}` });
    for (const f of ['gpusPerInstance', 'slotsPerInstance', 'models'] as const) {
      const a = v[f];
      if (a && a.length !== k) ctx.addIssue({ code: 'custom', path: [f], message: `expected ${k} entries (one per model), got ${a.length}` });
    }
    v.slotsPerInstance.forEach((s, j) => {
      if (s != null && v.gpusPerInstance[j] == null) ctx.addIssue({ code: 'custom', path: ['gpusPerInstance', j], message: 'a self-hosted model (slotsPerInstance set) needs gpusPerInstance' });
    });
  });
export type PaperForm = z.output<typeof PaperForm>;

export const GpuTypeSpec = z.object({ name, count: z.number().int().min(0), hourlyPrice: usd });
const precisionEnum = z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']);
/** How a planner names the deployment for latency estimates (engine/performance terms). */
export const DeploymentPerfSpec = z.object({
  source: z.enum(['measured', 'fitted', 'estimated', 'typed']),
  maxConcurrency: z.number().positive().nullable(),
  weightsGb: z.number().min(0).nullable(),
  kvCacheGb: z.number().min(0).nullable(),
  usableGb: z.number().min(0).nullable(),
  describe: z
    .object({ architecture: z.string().min(1), gpu: z.string().min(1), gpus: z.number().int().positive(), tp: z.number().int().positive(), precision: precisionEnum, engine: z.enum(['vllm', 'trtllm']), memoryGb: z.number().positive().nullable(), gpuSpec: GpuSpecSchema.optional() })
    .nullable(),
  /** The deployment's imported measurements (performance/types MeasuredPoint), for what-if's latencies. */
  measuredPoints: z.array(z.any()).optional(),
});
export const DeploymentSpec = z
  .object({
    model: z.string().min(1),
    gpuType: z.string().min(1),
    gpusPerInstance: z.number().int().positive(),
    /** The typed-in profile (Little's law over slots and per-slot speeds); optional when qpsPerInstance is given. */
    slotsPerInstance: z.number().int().positive().optional(),
    decodeTokensPerS: z.number().positive().optional(),
    prefillTokensPerS: z.number().positive().nullable().optional(),
    /** Requests/s one instance sustains within the latency SLO (the performance model's goodput); wins over the typed profile. */
    qpsPerInstance: z.number().positive().optional(),
    /** Goodput of one instance at each length bucket's representative lengths (lengthBuckets.tokens of its model). */
    qpsByBucket: z.array(z.number().positive()).optional(),
    perf: DeploymentPerfSpec.optional(),
  })
  .refine((d) => d.qpsPerInstance != null || (d.slotsPerInstance != null && d.decodeTokensPerS != null), { message: 'give qpsPerInstance, or slotsPerInstance and decodeTokensPerS', path: ['qpsPerInstance'] });
export const ApiModelSpec = z.object({
  model: z.string().min(1),
  priceInPerM: usd.default(0),
  priceOutPerM: usd.default(0),
  rateLimitQps: z.number().positive().nullable().optional(),
});

export const ExtendedForm = z
  .object({
    form: z.literal('extended'),
    models: z.array(name).min(1),
    quality: z.array(z.array(prob)).min(1),
    /** Mean output tokens per query, per model (K); drives service time and API cost. */
    outputTokens: z.array(z.number().positive()),
    /** Mean prompt tokens per query. */
    inputTokens: z.number().min(0).default(0),
    /** Optional realised/estimated USD per query for API models (N x K); else token prices. */
    apiCost: z.array(z.array(usd)).optional(),
    gpuTypes: z.array(GpuTypeSpec),
    deployments: z.array(DeploymentSpec),
    apiModels: z.array(ApiModelSpec).default([]),
    trafficQps: z.number().positive(),
    hourlySpendCap: usd.nullable().optional(),
    maxUtilisation: z.number().gt(0).max(1).default(0.8),
    /** The latency SLO the deployments' qpsPerInstance was computed for (reported with the plan). */
    slo: z.object({ ttftP90Ms: z.number().positive(), tpotP90Ms: z.number().positive() }).optional(),
    /**
     * Per-query lengths, grouped into B buckets: each hosted model's capacity is the harmonic mix of
     * its options' per-bucket goodputs over the queries routed to it (allocation/length-mix.ts).
     * tokens: K x B representative lengths; bucketOf: N x K, query i's bucket when routed to model k.
     */
    lengthBuckets: z
      .object({
        tokens: z.array(z.array(z.object({ inputTokens: z.number().min(0), outputTokens: z.number().positive() })).min(1)),
        bucketOf: z.array(z.array(z.number().int().min(0))),
        /** What bounds each bucket, for reports: input token edges and each model's output edge. */
        edges: z.object({ inputTokens: z.array(z.number()), outputTokens: z.array(z.number().nullable()) }).optional(),
      })
      .optional(),
    /** Deployment options the planner refused (memory, precision), each with its reason. */
    refusedDeployments: z.array(z.object({ model: z.string(), gpuType: z.string(), reason: z.string() })).default([]),
  })
  .superRefine((v, ctx) => {
    const k = v.models.length;
    const names = new Set(v.models);
    v.quality.forEach((row, i) => {
      if (row.length !== k) ctx.addIssue({ code: 'custom', path: ['quality', i], message: `expected ${k} entries (one per model), got ${row.length}` });
    });
    if (v.outputTokens.length !== k) ctx.addIssue({ code: 'custom', path: ['outputTokens'], message: `expected ${k} entries, got ${v.outputTokens.length}` });
    if (v.apiCost && v.apiCost.length !== v.quality.length) ctx.addIssue({ code: 'custom', path: ['apiCost'], message: `expected ${v.quality.length} rows, got ${v.apiCost.length}` });
    const types = new Set(v.gpuTypes.map((g) => g.name));
    const hosted = new Set<string>();
    v.deployments.forEach((d, j) => {
      if (!names.has(d.model)) ctx.addIssue({ code: 'custom', path: ['deployments', j, 'model'], message: `unknown model "${d.model}"` });
      if (!types.has(d.gpuType)) ctx.addIssue({ code: 'custom', path: ['deployments', j, 'gpuType'], message: `unknown GPU type "${d.gpuType}"` });
      hosted.add(d.model);
    });
    v.apiModels.forEach((a, j) => {
      if (!names.has(a.model)) ctx.addIssue({ code: 'custom', path: ['apiModels', j, 'model'], message: `unknown model "${a.model}"` });
      if (hosted.has(a.model)) ctx.addIssue({ code: 'custom', path: ['apiModels', j, 'model'], message: `"${a.model}" also has deployments; a model is either self-hosted or an API model` });
    });
    const lb = v.lengthBuckets;
    if (lb) {
      const B = lb.tokens[0]?.length ?? 0;
      if (lb.tokens.length !== k || lb.tokens.some((t) => t.length !== B)) ctx.addIssue({ code: 'custom', path: ['lengthBuckets', 'tokens'], message: `expected ${k} rows (one per model) of the same number of buckets` });
      if (B > 64) ctx.addIssue({ code: 'custom', path: ['lengthBuckets', 'tokens'], message: `at most 64 buckets, got ${B}` });
      if (lb.bucketOf.length !== v.quality.length) ctx.addIssue({ code: 'custom', path: ['lengthBuckets', 'bucketOf'], message: `expected ${v.quality.length} rows, got ${lb.bucketOf.length}` });
      const bad = lb.bucketOf.findIndex((row) => row.length !== k || row.some((b) => b >= B));
      if (bad >= 0) ctx.addIssue({ code: 'custom', path: ['lengthBuckets', 'bucketOf', bad], message: `expected ${k} bucket indices below ${B}` });
      v.deployments.forEach((d, j) => {
        if (d.qpsByBucket && d.qpsByBucket.length !== B) ctx.addIssue({ code: 'custom', path: ['deployments', j, 'qpsByBucket'], message: `expected ${B} entries (one per length bucket), got ${d.qpsByBucket.length}` });
      });
    }
    const api = new Set(v.apiModels.map((a) => a.model));
    v.models.forEach((m, j) => {
      if (!hosted.has(m) && !api.has(m)) ctx.addIssue({ code: 'custom', path: ['models', j], message: `"${m}" has neither a deployment option nor an API entry` });
    });
  });
export type ExtendedForm = z.output<typeof ExtendedForm>;

/** Picks the schema by `form` so that errors name the real field, not a union branch. */
export function allocationFormSchema(raw: unknown): typeof PaperForm | typeof ExtendedForm {
  return raw && typeof raw === 'object' && (raw as { form?: unknown }).form === 'extended' ? ExtendedForm : PaperForm;
}
