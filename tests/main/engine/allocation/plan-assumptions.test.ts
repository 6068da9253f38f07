import { describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';

describe('whatif.prepare: the assumptions a plan rests on', () => {
  it('shows for every deployment the throughput the plan uses, with tokens and their sources', async () => {
    const engine = memoryEngine();
    await engine.call('demo.create', { queries: 300 });
    const ctx = await engine.call('whatif.prepare', { workspace: { trafficQps: 20, sampleSize: 200 } });
    const a = ctx.assumptions!;
    expect(a.qualitySource).toMatch(/per-task accuracy/);
    expect(a.deployments.length).toBe(ctx.deployments.length);
    for (const d of ctx.deployments) {
      const shown = a.deployments.find((x) => x.model === d.model && x.gpuType === d.gpuType)!;
      expect(shown.qpsPerInstance).toBeCloseTo(d.qpsPerInstance, 9);
      expect(shown.slotsPerInstance).toBeGreaterThan(0);
      expect(['catalog', 'deployment option']).toContain(shown.source);
    }
    expect(a.models.map((m) => m.model)).toEqual(ctx.models);
    for (const m of a.models) expect(m.outputTokensPerQuery).toBeGreaterThan(0);
    expect(a.inputTokensPerQuery).toBeGreaterThanOrEqual(0);
    engine.close();
  });

  it('names the options it leaves out, in what-if and in the allocation, instead of dropping them silently', async () => {
    const engine = memoryEngine();
    await engine.call('demo.create', { queries: 300 });
    const q = (await engine.call('catalog.list', {})).find((c) => c.model === 'Qwen-72B')!;
    // 72B in BF16 on one 80 GB GPU: the weights alone do not fit.
    await engine.call('catalog.update', { entries: [{ ...q, gpusPerInstance: 1, slotsPerInstance: null, decodeTokensPerS: null, prefillTokensPerS: null }] });
    const workspace = { trafficQps: 20, sampleSize: 200 };
    const ctx = await engine.call('whatif.prepare', { workspace });
    const refused = ctx.refusedDeployments.find((d) => d.model === 'Qwen-72B' && d.gpuType === q.gpuType)!;
    expect(refused.reason).toMatch(/needs 144\.\d GB for weights.*72\.0 GB usable/);
    expect(ctx.deployments.some((d) => d.model === 'Qwen-72B' && d.gpuType === q.gpuType)).toBe(false);
    const plan = await engine.call('allocation.solve', { workspace, timeLimitMs: 20_000 });
    expect(plan.refusedDeployments).toEqual(ctx.refusedDeployments);
    engine.close();
  });
});
