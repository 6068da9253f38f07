// The serving-performance module's vocabulary. Names are binding (agreed with the lead and the
// other helpers: allocation, replay and measurements code against them); add fields, never rename.

export type Precision = 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4';
export const precisions: readonly Precision[] = ['bf16', 'fp16', 'fp8', 'int8', 'int4'];
export type ServingEngine = 'vllm' | 'trtllm';
export const servingEngines: readonly ServingEngine[] = ['vllm', 'trtllm'];

/** A model's architecture, from the catalog file or a Hugging Face config.json. */
export interface ModelArch {
  name: string;
  layers: number;
  hiddenSize: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  /** Total parameters, billions (all experts of an MoE). */
  paramsB: number;
  /** Parameters read per token, billions: = paramsB for dense models. */
  activeParamsB: number;
  experts?: number;
  expertsPerToken?: number;
  maxContext?: number;
  /** Matrices per MLP: 3 for gated (SwiGLU/GeGLU: Llama, Qwen, Mistral, Gemma), 2 for plain GELU (Falcon, MPT). Default 3. */
  mlpMatrices?: 2 | 3;
  /** Input embedding and output head share one matrix. */
  tiedEmbeddings?: boolean;
  /** Where the figures come from (a config.json path on Hugging Face, or a local file). */
  source: string;
}

export interface GpuSpec {
  name: string;
  memoryGb: number;
  hbmGBps: number;
  /** Dense (no sparsity) BF16/FP16 tensor TFLOP/s. */
  bf16Tflops: number;
  /** Dense FP8 TFLOP/s; null where the part has no FP8 tensor cores (A100, A10G). */
  fp8Tflops: number | null;
  /** Dense INT8 TOP/s; null where absent. */
  int8Tops: number | null;
  /** Per-GPU bandwidth between the GPUs of one instance (NVLink, or PCIe where there is none), GB/s one direction. */
  interconnectGBps: number;
  source: string;
  aliases?: string[];
}

/** One deployment option = one instance's hardware and software. */
export interface Deployment {
  model: ModelArch;
  gpu: GpuSpec;
  gpus: number;
  /** Tensor-parallel degree; tp <= gpus, pipeline stages = gpus / tp. */
  tp: number;
  weightPrecision: Precision;
  kvPrecision: Precision;
  engine: ServingEngine;
  /** The context length (tokens per sequence) memory is planned for. */
  contextTokens?: number;
  /** Overrides of the engine profile (from measurements / refits). */
  efficiency?: Partial<EfficiencyFactors>;
  /** Allow a precision the GPU cannot run natively (e.g. FP8 on A100, weight-only emulation). */
  emulatePrecision?: boolean;
}

/** Per engine profile; documented and calibrated in performance/profiles.ts. */
export interface EfficiencyFactors {
  /** Share of HBM bandwidth a decode step achieves reading weights and KV cache. */
  memBw: number;
  /** Share of peak tensor FLOP/s prefill achieves. */
  compute: number;
  /** Share of interconnect bandwidth the tensor-parallel all-reduces achieve. */
  tpComm: number;
  /** Fixed cost of one iteration (scheduling, kernel launches, sampling), ms. */
  stepOverheadMs: number;
  /** Share of GPU memory the engine takes (vLLM's gpu_memory_utilization). */
  memUtil: number;
  /** Activations, CUDA graphs and runtime buffers per GPU, GB. */
  runtimeOverheadGb: number;
  /** Per-layer launch/scheduling cost of one iteration, microseconds (large without CUDA graphs). */
  layerOverheadUs: number;
  /** Latency of one tensor-parallel all-reduce (two per layer per iteration), microseconds. */
  allReduceLatencyUs: number;
}

export interface Workload {
  inputTokens: number;
  outputTokens: number;
}

export type Load = { concurrency: number } | { rate: number } | { maxThroughput: true };

export interface Slo {
  ttftP90Ms: number;
  tpotP90Ms: number;
}

export interface Percentiles {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export type FigureSource = 'measured' | 'fitted' | 'estimated';

export interface MemoryPlan {
  /** Whole instance (all its GPUs). */
  weightsGb: number;
  kvCacheGb: number;
  usableGb: number;
  overheadGb: number;
  kvBytesPerToken: number;
  kvTokenCapacity: number;
}

export interface PerfEstimate {
  outputTokensPerS: number;
  requestsPerS: number;
  ttftMs: Percentiles;
  tpotMs: Percentiles;
  /** Mean number of sequences running at this load. */
  concurrency: number;
  maxConcurrency: number;
  memory: MemoryPlan;
  goodputRequestsPerS?: number;
  source: FigureSource;
}

/**
 * One measured operating point of one deployment (an imported benchmark row, or a public grid
 * point). Deployment key fields name catalog entries; exactly one of concurrency / rate /
 * maxThroughput says how the load was offered. Latencies are per request, ms; absent = not known.
 */
export interface MeasuredPoint {
  model: string;
  gpu: string;
  gpus: number;
  tp: number;
  precision: Precision;
  kvPrecision?: Precision;
  engine: ServingEngine;
  inputTokens: number;
  outputTokens: number;
  /** Closed loop: this many requests in flight (a static batch size counts as one). */
  concurrency?: number;
  /** Open loop: Poisson arrivals, requests/s offered to this one instance. */
  rate?: number;
  /** All requests queued at once (trtllm-bench throughput, vLLM request_rate=inf). */
  maxThroughput?: boolean;
  /** With concurrency: one static batch that starts together (all prefills first), not a steady state. */
  staticBatch?: boolean;
  outputTokensPerS: number;
  requestsPerS?: number;
  ttftMs?: Partial<Percentiles>;
  tpotMs?: Partial<Percentiles>;
  /** Provenance: file, row or record, tool and version. */
  source: string;
}
