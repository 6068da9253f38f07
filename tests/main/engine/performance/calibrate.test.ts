import { describe, expect, it } from 'vitest';
import { gpuSpec, modelArch } from '../../../../src/main/engine/performance/catalog/lookup';
import { fitEfficiency, pointErrors } from '../../../../src/main/engine/performance/calibrate';
import { estimate } from '../../../../src/main/engine/performance/estimate';
import { engineProfiles } from '../../../../src/main/engine/performance/profiles';
import type { Deployment, MeasuredPoint } from '../../../../src/main/engine/performance/types';

const d: Deployment = { model: modelArch('Llama-3.1-8B'), gpu: gpuSpec('H100-80GB'), gpus: 1, tp: 1, weightPrecision: 'bf16', kvPrecision: 'bf16', engine: 'vllm' };

describe('fitting efficiency factors to measured points', () => {
  it('recovers the memory-bandwidth and compute efficiencies that produced the points', () => {
    const truth = { ...engineProfiles.vllm.factors, memBw: 0.55, compute: 0.35 };
    const shapes = [[128, 512], [2000, 200], [4000, 100], [500, 1000]];
    const points: MeasuredPoint[] = shapes.flatMap(([i, o]) =>
      [1, 8, 64].map((c) => {
        const e = estimate({ ...d, efficiency: truth }, { inputTokens: i, outputTokens: o }, { concurrency: c });
        return { model: d.model.name, gpu: d.gpu.name, gpus: 1, tp: 1, precision: 'bf16', engine: 'vllm', inputTokens: i, outputTokens: o, concurrency: c, outputTokensPerS: e.outputTokensPerS, ttftMs: { p50: e.ttftMs.p50 }, tpotMs: { p50: e.tpotMs.p50 }, source: `synthetic ${i}/${o} c=${c}` } satisfies MeasuredPoint;
      }),
    );
    const before = points.flatMap((p) => pointErrors(d, p)).reduce((s, e) => s + e.logRatio ** 2, 0);
    const fitted = fitEfficiency(points, engineProfiles.vllm.factors, d);
    const after = points.flatMap((p) => pointErrors({ ...d, efficiency: fitted }, p)).reduce((s, e) => s + e.logRatio ** 2, 0);
    expect(after).toBeLessThan(before / 20);
    expect(fitted.memBw).toBeGreaterThan(0.45);
    expect(fitted.memBw).toBeLessThan(0.65);
    expect(fitted.compute).toBeGreaterThan(0.28);
    expect(fitted.compute).toBeLessThan(0.42);
  });
});
