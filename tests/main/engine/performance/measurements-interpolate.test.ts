import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuSpec, modelArch } from '../../../../src/main/engine/performance/catalog/lookup';
import { interpolateMetric } from '../../../../src/main/engine/performance/measurements/interpolate';
import { measuredEstimate } from '../../../../src/main/engine/performance/measurements/measured-estimate';
import { readMeasurementFile } from '../../../../src/main/engine/performance/measurements/read-file';
import { resolveFromPoints, resolvePerformance } from '../../../../src/main/engine/performance/measurements/resolve';
import type { Deployment, MeasuredPoint } from '../../../../src/main/engine/performance/types';
import { memoryEngine, repoRoot } from '../../../helpers/engine';

const plainCsv = resolve(repoRoot, 'tests/fixtures/perf-measurements/plain.csv');
const vllmSample = resolve(repoRoot, '../shared/data/perf/sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json');

const h100: Deployment = { model: modelArch('Llama-3.1-8B'), gpu: gpuSpec('H100-80GB'), gpus: 1, tp: 1, weightPrecision: 'bf16', kvPrecision: 'bf16', engine: 'vllm' };
const points = readMeasurementFile(plainCsv).points; // 1000/200 and 4000/200 at concurrency 1, 8, 32

describe('measured profiles: interpolation', () => {
  it('reproduces every measured point exactly at its own coordinates', () => {
    for (const p of points) {
      const e = measuredEstimate(points, h100, { inputTokens: p.inputTokens, outputTokens: p.outputTokens }, { concurrency: p.concurrency! })!;
      expect(e.source).toBe('measured');
      expect(e.outputTokensPerS).toBe(p.outputTokensPerS);
      expect(e.ttftMs.mean).toBe(p.ttftMs.mean);
      expect(e.ttftMs.p90).toBe(p.ttftMs.p90);
      expect(e.tpotMs.mean).toBe(p.tpotMs.mean);
      expect(e.tpotMs.p90).toBe(p.tpotMs.p90);
      expect(e.figureSources['ttftMs.p90']).toBe('measured');
      // p50 and p99 were never measured: scaled from the estimate by a measured ratio, and said so
      expect(e.figureSources['ttftMs.p99']).toBe('fitted');
    }
  });

  it('puts a point between two measured ones between them, on every metric, across concurrency and lengths', () => {
    const w = { inputTokens: 1000, outputTokens: 200 };
    const at = (c: number) => measuredEstimate(points, h100, w, { concurrency: c })!;
    for (const c of [2, 4, 8 * 1.5, 20]) {
      const [lo, hi] = c < 8 ? [at(1), at(8)] : [at(8), at(32)];
      const mid = at(c);
      expect(mid.source).toBe('measured');
      for (const get of [(e: typeof mid) => e.outputTokensPerS, (e: typeof mid) => e.ttftMs.mean, (e: typeof mid) => e.tpotMs.p90]) {
        expect(get(mid)).toBeGreaterThanOrEqual(Math.min(get(lo), get(hi)));
        expect(get(mid)).toBeLessThanOrEqual(Math.max(get(lo), get(hi)));
      }
    }
    // Across input lengths (log space): 2000 tokens lies between the 1000 and 4000 profiles.
    const mid = measuredEstimate(points, h100, { inputTokens: 2000, outputTokens: 200 }, { concurrency: 8 })!;
    expect(mid.outputTokensPerS).toBeGreaterThan(601.3);
    expect(mid.outputTokensPerS).toBeLessThan(690.4);
    expect(mid.ttftMs.mean).toBeGreaterThan(61.2);
    expect(mid.ttftMs.mean).toBeLessThan(250.6);
  });

  it('is monotone in concurrency where the measurements are', () => {
    let prevThr = 0;
    let prevTpot = 0;
    for (let c = 1; c <= 32; c += 0.5) {
      const e = measuredEstimate(points, h100, { inputTokens: 1000, outputTokens: 200 }, { concurrency: c })!;
      expect(e.outputTokensPerS).toBeGreaterThanOrEqual(prevThr);
      expect(e.tpotMs.mean).toBeGreaterThanOrEqual(prevTpot);
      prevThr = e.outputTokensPerS;
      prevTpot = e.tpotMs.mean;
    }
  });

  it('does not extrapolate: outside the measured range it is not covered', () => {
    expect(interpolateMetric(points, 'outputTokensPerS', { inputTokens: 1000, outputTokens: 200, kind: 'concurrency', load: 64 })).toBeNull();
    expect(interpolateMetric(points, 'outputTokensPerS', { inputTokens: 8000, outputTokens: 200, kind: 'concurrency', load: 8 })).toBeNull();
    expect(interpolateMetric(points, 'outputTokensPerS', { inputTokens: 1000, outputTokens: 200, kind: 'rate', load: 2 })).toBeNull();
    expect(measuredEstimate(points, h100, { inputTokens: 1000, outputTokens: 2000 }, { concurrency: 8 })).toBeNull();
  });
});

describe('resolvePerformance: measured > fitted > estimated', () => {
  it('picks measured inside the measurements, the re-fitted model outside, the estimate without any', () => {
    const inside = resolveFromPoints(points, h100, { inputTokens: 1000, outputTokens: 200 }, { concurrency: 8 });
    expect(inside.source).toBe('measured');
    expect(inside.outputTokensPerS).toBe(690.4);
    const outside = resolveFromPoints(points, h100, { inputTokens: 1000, outputTokens: 1000 }, { concurrency: 8 });
    expect(outside.source).toBe('fitted');
    const other = { ...h100, gpu: gpuSpec('A100-80GB') };
    expect(resolveFromPoints(points, other, { inputTokens: 1000, outputTokens: 200 }, { concurrency: 8 }).source).toBe('estimated');
    // The refit moves unmeasured shapes: fitted differs from the plain estimate there.
    const plain = resolveFromPoints([], h100, { inputTokens: 1000, outputTokens: 1000 }, { concurrency: 8 });
    expect(plain.source).toBe('estimated');
    expect(Math.abs(outside.outputTokensPerS / plain.outputTokensPerS - 1)).toBeGreaterThan(0.005);
  });

  it('reads the workspace: the imported vLLM sample answers for Llama-3.2-3B on one L40S at its own rate', async () => {
    const engine = memoryEngine();
    await engine.call('performance.importMeasurements', { files: [vllmSample], precision: 'bf16' });
    const l40s: Deployment = { model: modelArch('Llama-3.2-3B'), gpu: gpuSpec('L40S'), gpus: 1, tp: 1, weightPrecision: 'bf16', kvPrecision: 'bf16', engine: 'vllm' };
    const stored = (await engine.call('performance.listMeasurements', {}))[0].measurements;
    const db = engine.services.db();
    // At a record's own coordinates: that record's figures.
    const rec1 = stored.find((m) => m.record === 1)!;
    const own = resolvePerformance(db, l40s, { inputTokens: rec1.inputTokens, outputTokens: rec1.outputTokens }, { rate: 2.5 });
    expect(own.source).toBe('measured');
    expect(own.outputTokensPerS).toBe(rec1.outputTokensPerS);
    expect(own.ttftMs.p99).toBe(rec1.ttftMs.p99);
    // Three runs at rate 2.5 (one per gateway setup) with outputs 270, 275, 271 are one shape: 272
    // tokens lies among them; rate 5 lies between the 2.5 and 7.5 runs.
    const e = resolvePerformance(db, l40s, { inputTokens: 999, outputTokens: 272 }, { rate: 2.5 });
    expect(e.source).toBe('measured');
    const same = stored.filter((m) => m.rate === 2.5);
    expect(e.ttftMs.mean).toBeGreaterThanOrEqual(Math.min(...same.map((m) => m.ttftMs.mean!)) * 0.98);
    expect(e.ttftMs.mean).toBeLessThanOrEqual(Math.max(...same.map((m) => m.ttftMs.mean!)) * 1.02);
    const mid = resolvePerformance(db, l40s, { inputTokens: 999, outputTokens: 270 }, { rate: 5 });
    expect(mid.source).toBe('measured');
    expect(mid.tpotMs.mean).toBeGreaterThan(13.5);
    expect(mid.tpotMs.mean).toBeLessThan(25);
    engine.close();
  });
});

describe('interpolateMetric', () => {
  const p = (input: number, c: number, thr: number): MeasuredPoint => ({ model: 'm', gpu: 'g', gpus: 1, tp: 1, precision: 'bf16', engine: 'vllm', inputTokens: input, outputTokens: 100, concurrency: c, outputTokensPerS: thr, source: 'test' });
  it('is linear in log-log between two knots', () => {
    const v = interpolateMetric([p(100, 1, 100), p(100, 16, 1600)], 'outputTokensPerS', { inputTokens: 100, outputTokens: 100, kind: 'concurrency', load: 4 });
    expect(v).toBeCloseTo(400, 9);
  });
});
