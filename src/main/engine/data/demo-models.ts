import type { CatalogRow, DeploymentRow, InventoryRow } from '../store/catalog';
import { resolveDeployment } from '../performance/deployment';
import { closedLoop } from '../performance/estimate';
import { maxConcurrency } from '../performance/memory';
import { prefillSeconds } from '../performance/iteration';

/**
 * The 16 models of LLM-Uncertainty-Bench as published in "LLM Routing for Batched Instructions"
 * (2025): success rate and USD per 1M tokens (see ../shared/reference/seed-figures.json; a test
 * holds this copy equal to it). `paramsB` (billions of parameters) is read off the model name and
 * decides the GPU profile.
 */
export const demoModels = [
  { name: 'Yi-34B', successRate: 0.824, costPer1M: 2.2, paramsB: 34 },
  { name: 'Qwen-72B', successRate: 0.785, costPer1M: 2.19, paramsB: 72 },
  { name: 'Qwen-14B', successRate: 0.74, costPer1M: 0.9, paramsB: 14 },
  { name: 'Llama-2-70b-hf', successRate: 0.73, costPer1M: 2.16, paramsB: 70 },
  { name: 'deepseek-llm-67b-base', successRate: 0.728, costPer1M: 2.0, paramsB: 67 },
  { name: 'Yi-6B', successRate: 0.694, costPer1M: 0.6, paramsB: 6 },
  { name: 'Mistral-7B-v0.1', successRate: 0.643, costPer1M: 0.69, paramsB: 7 },
  { name: 'Llama-2-13b-hf', successRate: 0.606, costPer1M: 0.9, paramsB: 13 },
  { name: 'Qwen-7B', successRate: 0.603, costPer1M: 0.69, paramsB: 7 },
  { name: 'internlm-7b', successRate: 0.485, costPer1M: 0.69, paramsB: 7 },
  { name: 'Llama-2-7b-hf', successRate: 0.463, costPer1M: 0.69, paramsB: 7 },
  { name: 'deepseek-llm-7b-base', successRate: 0.44, costPer1M: 0.69, paramsB: 7 },
  { name: 'Qwen-1_8B', successRate: 0.418, costPer1M: 0.18, paramsB: 1.8 },
  { name: 'falcon-40b', successRate: 0.345, costPer1M: 1.24, paramsB: 40 },
  { name: 'mpt-7b', successRate: 0.263, costPer1M: 0.69, paramsB: 7 },
  { name: 'falcon-7b', successRate: 0.25, costPer1M: 0.69, paramsB: 7 },
] as const;

/** The benchmark's five tasks (10,000 samples each in the original). */
export const demoTasks = ['QA', 'RC', 'CI', 'DRS', 'DS'] as const;
export type DemoTask = (typeof demoTasks)[number];

interface GpuProfile {
  gpuType: string;
  gpusPerInstance: number;
  slotsPerInstance: number;
  decodeTokensPerS: number; // per slot
  prefillTokensPerS: number; // per slot
}

/** The workload the catalog's three typed figures are derived at (a short chat turn). */
const referenceWorkload = { inputTokens: 512, outputTokens: 128 };

/**
 * GPU options by size class (70B class: 4 GPUs; 34-40B: 2 GPUs; <= 14B: 1 GPU), the second an
 * extra deployment option on another GPU type. The planner sizes every option with the
 * serving-performance model (the model's architecture from its config.json, the GPU's datasheet;
 * engine/performance); the three typed figures the catalog also stores are derived from that same
 * model at a 512/128-token turn in BF16 on vLLM — concurrent sequences the KV cache holds, decode
 * tok/s per sequence at that batch, the instance's prefill tok/s shared over those sequences — so
 * they are physically possible (tests/main/engine/performance/physics.test.ts checks every demo row).
 */
export function gpuProfiles(model: string, paramsB: number): [GpuProfile, GpuProfile] {
  const options: [string, number][] = paramsB >= 60 ? [['H100-80GB', 4], ['A100-80GB', 4]] : paramsB >= 30 ? [['A100-80GB', 2], ['H100-80GB', 2]] : [['L40S', 1], ['A100-80GB', 1]];
  return options.map(([gpuType, gpus]) => derivedProfile(model, gpuType, gpus)) as [GpuProfile, GpuProfile];
}

function derivedProfile(model: string, gpuType: string, gpus: number): GpuProfile {
  const d = resolveDeployment({ model, gpu: gpuType, gpus, precision: 'bf16', engine: 'vllm' });
  const slots = Math.max(1, Math.min(256, maxConcurrency(d, referenceWorkload)));
  const full = closedLoop(d, referenceWorkload, slots);
  const prompt = 2048;
  const instancePrefill = prompt / prefillSeconds(d, prompt);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { gpuType, gpusPerInstance: gpus, slotsPerInstance: slots, decodeTokensPerS: round(1 / full.tpotS), prefillTokensPerS: round(instancePrefill / slots) };
}

export function demoCatalog(): { rows: CatalogRow[]; deployments: DeploymentRow[] } {
  const rows: CatalogRow[] = [];
  const deployments: DeploymentRow[] = [];
  for (const m of demoModels) {
    const [main, extra] = gpuProfiles(m.name, m.paramsB);
    rows.push({
      model: m.name,
      price_in_per_m: m.costPer1M,
      price_out_per_m: m.costPer1M,
      gpu_type: main.gpuType,
      gpus_per_instance: main.gpusPerInstance,
      slots_per_instance: main.slotsPerInstance,
      decode_tokens_per_s: main.decodeTokensPerS,
      prefill_tokens_per_s: main.prefillTokensPerS,
      rate_limit_qps: null,
    });
    deployments.push({ model: m.name, gpu_type: extra.gpuType, gpus_per_instance: extra.gpusPerInstance, slots_per_instance: extra.slotsPerInstance, decode_tokens_per_s: extra.decodeTokensPerS, prefill_tokens_per_s: extra.prefillTokensPerS });
  }
  return { rows, deployments };
}

/** A modest mixed cluster at typical cloud on-demand prices (USD per GPU-hour). */
export const demoInventory: InventoryRow[] = [
  { gpu_type: 'H100-80GB', count: 32, hourly_price: 3.9, memory_gb: 80 },
  { gpu_type: 'A100-80GB', count: 32, hourly_price: 2.2, memory_gb: 80 },
  { gpu_type: 'L40S', count: 24, hourly_price: 1.1, memory_gb: 48 },
];
