import { z } from 'zod';
import type { MeasurementView } from './performance-measurements';
import { call } from './define';

// The serving-performance model (issue 27): estimates per deployment, latency curves, and the
// model and GPU catalogs they rest on. Shapes mirror src/main/engine/performance/types.ts.

const Precision = z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']);

export const DeploymentInput = z.object({
  /** A catalog model name or alias, or a path to a Hugging Face config.json. */
  model: z.string().min(1),
  gpu: z.string().min(1),
  gpus: z.number().int().positive(),
  /** Tensor-parallel degree; default = gpus. */
  tp: z.number().int().positive().optional(),
  precision: Precision.default('bf16'),
  /** Default: the weight precision (int4 weights keep a 16-bit cache). */
  kvPrecision: Precision.optional(),
  engine: z.enum(['vllm', 'trtllm']).default('vllm'),
  /** Context length memory is planned for; default min(4096, the model's limit). */
  contextTokens: z.number().int().positive().optional(),
  /** Allow FP8/INT8 on a GPU without such tensor cores (weight-only emulation). */
  emulatePrecision: z.boolean().default(false),
  /** A user's GPU file (JSON array or CSV) laid over the built-in catalog. */
  gpuFile: z.string().min(1).optional(),
});

const Shape = {
  inputTokens: z.number().positive(),
  outputTokens: z.number().positive(),
};

export const EstimateInput = DeploymentInput.extend({
  ...Shape,
  concurrency: z.number().positive().optional(),
  rate: z.number().positive().optional(),
  maxThroughput: z.boolean().optional(),
  ttftP90Ms: z.number().positive().optional(),
  tpotP90Ms: z.number().positive().optional(),
}).refine((x) => [x.concurrency !== undefined, x.rate !== undefined, x.maxThroughput === true].filter(Boolean).length === 1, { message: 'give exactly one load: concurrency, rate or maxThroughput' })
  .refine((x) => (x.ttftP90Ms === undefined) === (x.tpotP90Ms === undefined), { message: 'an SLO needs both ttftP90Ms and tpotP90Ms' });

export const CurveInput = DeploymentInput.extend({
  ...Shape,
  /** Most points on the curve (concurrency 1 .. max, spaced geometrically). */
  points: z.number().int().min(2).max(200).default(24),
});

export interface PercentilesView {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface MemoryView {
  weightsGb: number;
  kvCacheGb: number;
  usableGb: number;
  overheadGb: number;
  kvBytesPerToken: number;
  kvTokenCapacity: number;
}

export interface DeploymentView {
  model: string;
  gpu: string;
  gpus: number;
  tp: number;
  precision: string;
  kvPrecision: string;
  engine: string;
  modelSource: string;
  gpuSource: string;
}

export interface PerformanceEstimate {
  outputTokensPerS: number;
  requestsPerS: number;
  ttftMs: PercentilesView;
  tpotMs: PercentilesView;
  concurrency: number;
  maxConcurrency: number;
  memory: MemoryView;
  goodputRequestsPerS?: number;
  source: 'measured' | 'fitted' | 'estimated';
  /** Where measurements cover the deployment: each figure's own source (e.g. 'ttftMs.p90': 'fitted'). */
  figureSources?: Record<string, 'measured' | 'fitted' | 'estimated'>;
  deployment: DeploymentView;
}

export interface CurvePoint {
  concurrency: number;
  outputTokensPerS: number;
  requestsPerS: number;
  ttftP90Ms: number;
  tpotP90Ms: number;
  /** KV cache the running sequences hold, GB. */
  kvUsedGb: number;
}

export interface PerformanceCurve {
  deployment: DeploymentView;
  memory: MemoryView;
  maxConcurrency: number;
  points: CurvePoint[];
  source: 'estimated';
  /** The workspace's own measurements of this deployment at this shape, to draw apart from the estimate. */
  measured?: MeasurementView[];
}

export interface ModelArchView {
  name: string;
  aliases: string[];
  layers: number;
  hiddenSize: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  paramsB: number;
  activeParamsB: number;
  experts?: number;
  expertsPerToken?: number;
  maxContext?: number;
  /** KV cache per token in 16-bit, MB. */
  kvMbPerToken: number;
  source: string;
}

export interface GpuSpecView {
  name: string;
  aliases: string[];
  memoryGb: number;
  hbmGBps: number;
  bf16Tflops: number;
  fp8Tflops: number | null;
  int8Tops: number | null;
  interconnectGBps: number;
  source: string;
  /** Where the entry comes from: the built-in catalog, the workspace (gpus import) or a --gpu-file. */
  origin: 'built-in' | 'workspace' | 'file';
  /** The built-in entry it replaces, if any. */
  replaces: string | null;
  /** Workspace entries: the file and time of their import. */
  importedFrom?: { fileName: string; importedAt: string };
}

/** A GPU's datasheet figures as they travel with a deployment (plan files, extended forms). */
export const GpuSpecSchema = z.object({
  name: z.string().min(1),
  memoryGb: z.number().positive(),
  hbmGBps: z.number().positive(),
  bf16Tflops: z.number().positive(),
  fp8Tflops: z.number().positive().nullable(),
  int8Tops: z.number().positive().nullable(),
  interconnectGBps: z.number().positive(),
  source: z.string(),
});

export const GpuImportInput = z.object({
  /** A JSON array or CSV of GPU specs (the layouts --gpu-file reads). */
  file: z.string().min(1),
});

export interface GpuImportResult {
  fileName: string;
  /** Per imported row: its name, the built-in entry it overrides, whether it replaced a workspace entry. */
  gpus: { name: string; replaces: string | null; replacedWorkspaceEntry: boolean }[];
}

export const performanceMethods = {
  'performance.estimate': call<PerformanceEstimate>()(EstimateInput, 'Throughput, TTFT/TPOT percentiles, memory and (with an SLO) goodput of one deployment at a load'),
  'performance.curve': call<PerformanceCurve>()(CurveInput, 'Output tok/s, p90 TTFT and p90 TPOT as concurrency grows from 1 to the KV-cache limit'),
  'performance.models': call<ModelArchView[]>()(z.object({}), 'The model-architecture catalog'),
  'performance.gpus': call<GpuSpecView[]>()(z.object({ gpuFile: z.string().min(1).optional() }), "The GPU catalog: built-in, the workspace's specs laid over it, then a GPU file"),
  'performance.importGpus': call<GpuImportResult>()(GpuImportInput, "Store a file's GPU specs in the workspace (one transaction; a type imported again is replaced)"),
  'performance.removeGpu': call<{ removed: string }>()(z.object({ name: z.string().min(1) }), "Remove one of the workspace's GPU specs (the built-in entry, if any, answers again)"),
};
