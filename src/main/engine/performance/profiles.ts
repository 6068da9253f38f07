import type { Deployment, EfficiencyFactors, ServingEngine } from './types';

// Engine profiles: vLLM and TensorRT-LLM differ ONLY in these factors and scheduler settings.
//
// How the factors were fitted: `npm run bench perf` fits memBw, compute, stepOverheadMs,
// layerOverheadUs, allReduceLatencyUs and tpComm per engine by Nelder-Mead on the squared log ratio (estimate / measured) of
// every metric of every point in ../shared/data/perf/ (vllm: the Splitwise Llama-2-70B profiles,
// the Qwen2.5 single-stream speeds and the vLLM benchmark_serving sample; trtllm: the TensorRT-LLM
// 0.14 max-throughput grid and the LMDeploy TurboMind grid, a C++ engine with CUDA graphs like
// TensorRT-LLM; the Splitwise profiles come from a Python-scheduled engine, hence grouped with
// vllm). The bench prints the fitted values next to these constants and says if they differ.
// The rest are documented settings, not fitted:
// - memUtil: vLLM's default gpu_memory_utilization 0.9; TensorRT-LLM's default
//   kv_cache_free_gpu_mem_fraction 0.9 of what is left after the weights (about the same);
// - runtimeOverheadGb: activations at the largest prefill chunk, CUDA graphs, NCCL buffers;
// - maxSeqs: vLLM's default max_num_seqs 256; TensorRT-LLM's default max_batch_size 2048;
// - prefillChunkTokens: the prompt tokens one iteration takes (vLLM's max_num_batched_tokens with
//   chunked prefill 2048 in 0.6, TensorRT-LLM's max_num_tokens 8192).

export interface EngineProfile {
  factors: EfficiencyFactors;
  maxSeqs: number;
  prefillChunkTokens: number;
}

export const engineProfiles: Record<ServingEngine, EngineProfile> = {
  vllm: {
    factors: { memBw: 0.7567, compute: 0.6363, tpComm: 0.2684, stepOverheadMs: 1.362, memUtil: 0.9, runtimeOverheadGb: 3, layerOverheadUs: 60.47, allReduceLatencyUs: 18.27 },
    maxSeqs: 256,
    prefillChunkTokens: 2048,
  },
  trtllm: {
    factors: { memBw: 0.8852, compute: 0.6379, tpComm: 0.3919, stepOverheadMs: 5.089, memUtil: 0.9, runtimeOverheadGb: 3, layerOverheadUs: 0.7163, allReduceLatencyUs: 25.83 },
    maxSeqs: 2048,
    prefillChunkTokens: 8192,
  },
};

/** The engine profile's factors with the deployment's own overrides laid over them. */
export function efficiencyOf(d: Deployment): EfficiencyFactors {
  return { ...engineProfiles[d.engine].factors, ...(d.efficiency ?? {}) };
}
