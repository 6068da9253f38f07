// Deployment fields as users and tools spell them -> the names the performance model uses.
import { EngineError } from '../../../../shared/errors';
import { precisions, servingEngines, type Precision, type ServingEngine } from '../types';

const engineAliases: Record<string, ServingEngine> = {
  vllm: 'vllm',
  trtllm: 'trtllm',
  'trt-llm': 'trtllm',
  'tensorrt-llm': 'trtllm',
  tensorrtllm: 'trtllm',
  tensorrt_llm: 'trtllm',
};

const precisionAliases: Record<string, Precision> = {
  bf16: 'bf16',
  bfloat16: 'bf16',
  fp16: 'fp16',
  float16: 'fp16',
  half: 'fp16',
  fp8: 'fp8',
  float8: 'fp8',
  int8: 'int8',
  w8a8: 'int8',
  int4: 'int4',
  awq: 'int4',
  gptq: 'int4',
  w4a16: 'int4',
};

export function normaliseEngine(raw: string, where: string): ServingEngine {
  const e = engineAliases[raw.trim().toLowerCase()];
  if (!e) throw new EngineError('INVALID_INPUT', `${where}: engine "${raw}" has no performance profile; accepted: ${servingEngines.join(', ')} (or their spellings tensorrt-llm, trt-llm)`, { field: 'engine', value: raw, accepted: servingEngines });
  return e;
}

export function normalisePrecision(raw: string, where: string): Precision {
  const p = precisionAliases[raw.trim().toLowerCase()];
  if (!p) throw new EngineError('INVALID_INPUT', `${where}: precision "${raw}" is not one of ${precisions.join(', ')}`, { field: 'precision', value: raw, accepted: precisions });
  return p;
}

/**
 * The key that says two measurements are of the same deployment: names compared without case,
 * an organisation prefix ("meta-llama/"), spacing, or a fine-tuning suffix that leaves the
 * architecture unchanged (Llama-3.2-3B-Instruct serves exactly as Llama-3.2-3B).
 */
export function nameKey(name: string): string {
  let k = name.trim().replace(/^.*\//, '').toLowerCase().replace(/[\s_]+/g, '-');
  for (let prev = ''; prev !== k; ) {
    prev = k;
    k = k.replace(/-(instruct|chat|hf|it|base)$/, '');
  }
  return k;
}

/** Measurements with the same key are of the same deployment. */
export function deploymentKey(p: { model: string; gpu: string; gpus: number; tp: number; precision: string; engine: string }): string {
  return [nameKey(p.model), nameKey(p.gpu), p.gpus, p.tp, p.precision, p.engine].join('|');
}
