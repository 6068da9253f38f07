import { describe, expect, it } from 'vitest';
import { gpuSpec, modelArch } from '../../../../src/main/engine/performance/catalog/lookup';
import { kvBytesPerToken, maxConcurrency, memoryPlan } from '../../../../src/main/engine/performance/memory';
import type { Deployment, Precision } from '../../../../src/main/engine/performance/types';
import { EngineError } from '../../../../src/shared/errors';

const dep = (model: string, gpu: string, gpus: number, precision: Precision = 'bf16', extra: Partial<Deployment> = {}): Deployment => ({
  model: modelArch(model), gpu: gpuSpec(gpu), gpus, tp: gpus, weightPrecision: precision, kvPrecision: precision, engine: 'vllm', ...extra,
});

function failure(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (err) {
    return err as EngineError;
  }
  throw new Error('expected a refusal');
}

describe('memory feasibility', () => {
  it('refuses a 70B model in BF16 on 2x80 GB, naming the numbers, and accepts it on 4x80 GB', () => {
    const e = failure(() => memoryPlan(dep('Llama-2-70b', 'H100-80GB', 2)));
    expect(e.code).toBe('INFEASIBLE');
    expect(e.message).toMatch(/138\.0 GB for weights/);
    expect(e.message).toMatch(/144\.0 GB usable on 2xH100/);
    const ok = memoryPlan(dep('Llama-2-70b', 'H100-80GB', 4));
    expect(ok.kvCacheGb).toBeGreaterThan(100);
    expect(ok.weightsGb + ok.kvCacheGb + ok.overheadGb).toBeCloseTo(ok.usableGb, 6);
  });

  it('gives Qwen-72B (no GQA) about 8x the KV bytes per token of Llama-2-70B', () => {
    const qwen = kvBytesPerToken(dep('Qwen-72B', 'H100-80GB', 4, 'fp16'));
    const llama = kvBytesPerToken(dep('Llama-2-70b', 'H100-80GB', 4, 'fp16'));
    expect(qwen / 1e6).toBeCloseTo(2.62, 2);
    expect(llama / 1e6).toBeCloseTo(0.328, 3);
    const w = { inputTokens: 1000, outputTokens: 500 };
    // the same GPUs hold far fewer Qwen-72B sequences (both stay under the engine's batch cap)
    expect(maxConcurrency(dep('Qwen-72B', 'H100-80GB', 4), w) * 5).toBeLessThan(maxConcurrency(dep('Llama-2-70b', 'H100-80GB', 4), w));
  });

  it('refuses FP8 on an A100 unless emulation is asked for', () => {
    const e = failure(() => memoryPlan(dep('Llama-2-7b', 'A100-80GB', 1, 'fp8')));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/no FP8/);
    expect(memoryPlan(dep('Llama-2-7b', 'A100-80GB', 1, 'fp8', { emulatePrecision: true })).weightsGb).toBeCloseTo(6.74, 2);
    expect(memoryPlan(dep('Llama-2-7b', 'H100-80GB', 1, 'fp8')).weightsGb).toBeCloseTo(6.74, 2);
  });

  it('refuses a sequence longer than the whole KV cache and a tp that does not divide the GPUs', () => {
    const d = dep('Llama-2-7b', 'L4', 1);
    expect(failure(() => maxConcurrency(d, { inputTokens: 200_000, outputTokens: 1000 })).code).toBe('INFEASIBLE');
    expect(failure(() => memoryPlan({ ...dep('Llama-2-13b', 'H100-80GB', 4), tp: 3 })).details?.field).toBe('tp');
  });

  it('holds more sequences on more GPUs and fewer with longer contexts', () => {
    const w = { inputTokens: 2000, outputTokens: 500 };
    const a = maxConcurrency(dep('Qwen-72B', 'H100-80GB', 4), w);
    const b = maxConcurrency(dep('Qwen-72B', 'H100-80GB', 8), w);
    expect(b).toBeGreaterThan(a);
    expect(maxConcurrency(dep('Qwen-72B', 'H100-80GB', 4), { inputTokens: 8000, outputTokens: 500 })).toBeLessThan(a);
  });
});
