import { afterAll, describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';

const engine = memoryEngine();
afterAll(() => engine.close());

const deployment = { model: 'Yi-34B', gpu: 'A100-80GB', gpus: 2, inputTokens: 1500, outputTokens: 300 };

describe('performance engine methods', () => {
  it('validates the load: exactly one of concurrency, rate, maxThroughput, and both SLO figures', async () => {
    await expect(engine.call('performance.estimate', { ...deployment, concurrency: 4, rate: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.call('performance.estimate', { ...deployment, concurrency: 4, ttftP90Ms: 500 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const e = await engine.call('performance.estimate', { ...deployment, concurrency: 4 });
    expect(e.deployment).toMatchObject({ model: 'Yi-34B', gpu: 'A100-SXM4-80GB', tp: 2, precision: 'bf16', engine: 'vllm' });
  });

  it('draws a curve from concurrency 1 to the KV limit whose throughput and latencies never fall', async () => {
    const c = await engine.call('performance.curve', { ...deployment, points: 12 });
    expect(c.points[0].concurrency).toBe(1);
    expect(c.points.at(-1)!.concurrency).toBe(c.maxConcurrency);
    for (let i = 1; i < c.points.length; i++) {
      expect(c.points[i].outputTokensPerS).toBeGreaterThan(c.points[i - 1].outputTokensPerS);
      expect(c.points[i].tpotP90Ms).toBeGreaterThanOrEqual(c.points[i - 1].tpotP90Ms);
      expect(c.points[i].kvUsedGb).toBeLessThanOrEqual(c.memory.kvCacheGb);
    }
  });

  it('lists both catalogs', async () => {
    const models = await engine.call('performance.models', {});
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(['Qwen-72B', 'Mixtral-8x7B-v0.1', 'gemma-2-27b', 'falcon-40b']));
    const gpus = await engine.call('performance.gpus', {});
    expect(gpus.map((g) => g.name)).toEqual(expect.arrayContaining(['A10G', 'L4', 'L40S', 'A100-SXM4-40GB', 'A100-PCIE-80GB', 'H100-SXM', 'H100-PCIE', 'H200', 'B200', 'MI300X']));
  });
});
