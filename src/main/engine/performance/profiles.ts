import type { Deployment, EfficiencyFactors, ServingEngine } from './types';

// Engine profiles: vLLM and TensorRT-LLM differ ONLY in these factors and scheduler settings.
//
// How the factors were fitted: `npm run bench perf` fits memBw, compute, stepOverheadMs,
// layerOverheadUs, allReduceLatencyUs and tpComm per engine, from a fixed start (calibrate.ts
// fitStart), by Nelder-Mead on the squared log ratio (estimate / measured) of
// every metric of every point in ../shared/data/perf/ (vllm: the Splitwise Llama-2-70B profiles,
// the Qwen2.5 single-stream speeds and the vLLM benchmark_serving sample; trtllm: the TensorRT-LLM
// 0.14 max-throughput grid and the LMDeploy TurboMind grid, a C++ engine with CUDA graphs like
// TensorRT-LLM; the Splitwise profiles come from a Python-scheduled engine, hence grouped with
// vllm). The bench prints the fitted values next to these constants and says if they differ.
// The rest are documented settings, not fitted:
// - memUtil with memoryPolicy: vLLM takes gpu_memory_utilization (0.9) of the whole memory and
//   gives the KV cache what weights and activations leave ('share-of-total'); TensorRT-LLM gives
//   the KV cache kv_cache_free_gpu_mem_fraction (0.9) of what is free after weights and
//   activations ('share-of-free'), so a model that barely fits still gets a (small) cache;
// - runtimeOverheadGb: activations at the largest prefill chunk, CUDA graphs, NCCL buffers;
// - maxSeqs: vLLM's default max_num_seqs 256; TensorRT-LLM's default max_batch_size 2048;
// - prefillChunkTokens: the prompt tokens one iteration takes (vLLM's max_num_batched_tokens with
//   chunked prefill 2048 in 0.6, TensorRT-LLM's max_num_tokens 8192).

export interface EngineProfile {
  factors: EfficiencyFactors;
  memoryPolicy: 'share-of-total' | 'share-of-free';
  maxSeqs: number;
  prefillChunkTokens: number;
}

export const engineProfiles: Record<ServingEngine, EngineProfile> = {
  vllm: {
    factors: { memBw: 0.7807, compute: 0.6585, tpComm: 0.2593, stepOverheadMs: 1.2891, memUtil: 0.9, runtimeOverheadGb: 3, layerOverheadUs: 67.32, allReduceLatencyUs: 18.21 },
    memoryPolicy: 'share-of-total',
    maxSeqs: 256,
    prefillChunkTokens: 2048,
  },
  trtllm: {
    factors: { memBw: 0.8719, compute: 0.6389, tpComm: 0.3864, stepOverheadMs: 5.053, memUtil: 0.9, runtimeOverheadGb: 3, layerOverheadUs: 0.0076, allReduceLatencyUs: 25.43 },
    memoryPolicy: 'share-of-free',
    maxSeqs: 2048,
    prefillChunkTokens: 8192,
  },
};

/** The engine profile's factors with the deployment's own overrides laid over them. */
export function efficiencyOf(d: Deployment): EfficiencyFactors {
  return { ...engineProfiles[d.engine].factors, ...(d.efficiency ?? {}) };
}
