import { afterAll, describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';
import type { AllocationResult, DeploymentCount } from '../../../../src/shared/contract/allocation';
import { syntheticExtended, syntheticPaper } from './fixtures';

const engine = memoryEngine();
afterAll(() => engine.close());

describe('allocation.solve: infeasible plans name the binding constraint', () => {
  it('a budget below the cheapest assignment -> budget', async () => {
    const f = syntheticPaper(60, 4, 1, { budgetPerQuery: 1e-9 });
    const r = await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000 });
    expect(r).toMatchObject({ status: 'infeasible', binding: 'budget' });
    expect(r.message).toMatch(/budget/);
  });

  it('no API model and no GPUs -> gpuBudget', async () => {
    const f = syntheticPaper(60, 4, 2, { api: 0, gpuBudget: 0 });
    const r = await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000 });
    expect(r).toMatchObject({ status: 'infeasible', binding: 'gpuBudget' });
  });

  it('an inventory too small for the traffic -> inventory', async () => {
    const f = syntheticExtended(200, 6, 2, 4, 3, { api: 0, trafficQps: 500 });
    const r = await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000 });
    expect(r).toMatchObject({ status: 'infeasible', binding: 'inventory' });
    expect(r.message).toMatch(/q\/s/);
  });

  it('an hourly spend cap below any deployment -> hourlySpendCap', async () => {
    const f = syntheticExtended(200, 6, 2, 40, 4, { api: 0, trafficQps: 5, spendCap: 0.5 });
    const r = await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000 });
    expect(r).toMatchObject({ status: 'infeasible', binding: 'hourlySpendCap' });
  });

  it('a malformed problem is refused with the field named', async () => {
    const f = syntheticPaper(10, 4, 5) as unknown as { quality: number[][] };
    f.quality[3] = [0.5, 0.5];
    await expect(engine.call('allocation.solve', { problem: f })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('quality.3') });
    await expect(engine.call('allocation.solve', { problem: { ...syntheticExtended(20, 5, 2, 10, 1), deployments: [{ model: 'nope', gpuType: 'gpu0', gpusPerInstance: 1, slotsPerInstance: 4, decodeTokensPerS: 50 }] } })).rejects.toMatchObject({ message: expect.stringContaining('deployments.0.model') });
  });
});

describe('allocation.solve: a feasible extended plan', () => {
  it('respects the inventory and the spend cap, and is no worse than the uniform split', async () => {
    const f = syntheticExtended(400, 8, 3, 60, 6, { trafficQps: 150, spendCap: 600 });
    const r: AllocationResult = await engine.call('allocation.solve', { problem: f, timeLimitMs: 30_000, compareUniform: true });
    expect(['optimal', 'feasible']).toContain(r.status);
    for (const g of f.gpuTypes) expect(r.gpusUsed[g.name]).toBeLessThanOrEqual(g.count);
    expect(r.knapsack!.used).toBeLessThanOrEqual(r.knapsack!.limit * (1 + 1e-9));
    expect(r.gap!).toBeLessThanOrEqual(0.01);
    if (r.uniform?.objective != null) expect(r.objective!).toBeGreaterThanOrEqual(r.uniform.objective * (1 - r.gap!) - 1e-9);
  });
});

describe('what-if engine and scenarios', () => {
  const form = syntheticExtended(2000, 16, 5, 500, 7, { trafficQps: 1500, spendCap: 4000 });
  it('recomputes quality, headroom, cost and utilisation; capacity and spend hold; more GPUs never hurt', async () => {
    const prep = await engine.call('whatif.prepare', { problem: form });
    expect(prep.sample).toBe(2000);
    const best = await engine.call('whatif.optimise', { contextId: prep.contextId, timeLimitMs: 30_000 });
    expect(best.status).not.toBe('infeasible');
    const instances = best.instances as DeploymentCount[];
    const w = await engine.call('whatif.evaluate', { contextId: prep.contextId, instances });
    expect(w.status).toBe('ok');
    expect(w.hourlyCost).toBeLessThanOrEqual(4000 * (1 + 1e-9));
    expect(w.costPer1k).toBeCloseTo((w.hourlyCost / (1500 * 3600)) * 1000, 12);
    const shares = w.models.reduce((a, m) => a + m.share, 0);
    expect(shares).toBeCloseTo(1, 9);
    for (const m of w.models) {
      // Hosted models stay within max utilisation (the sample's capacities are floored).
      if (m.hosted && m.capacityQps) expect(m.utilisation!).toBeLessThanOrEqual(0.8 + 1e-9);
      if (!m.hosted && m.capacityQps != null) expect(m.arrivalQps).toBeLessThanOrEqual(m.capacityQps + 1e-9);
    }
    // Doubling the traffic on the same instances overloads them or costs more per hour.
    const busy = await engine.call('whatif.evaluate', { contextId: prep.contextId, instances, trafficQps: 3000 });
    expect(busy.status === 'ok' ? busy.hourlyCost >= w.hourlyCost - 1e-6 : true).toBe(true);
    // An over-inventory request is refused by status, naming the inventory.
    const tooMany = instances.map((d) => ({ ...d, count: d.count + 1000 }));
    const over = await engine.call('whatif.evaluate', { contextId: prep.contextId, instances: tooMany });
    expect(over).toMatchObject({ status: 'infeasible', binding: 'inventory' });

    await engine.call('scenarios.save', { name: 'base', input: { instances }, result: w });
    await engine.call('scenarios.save', { name: 'busy', input: { instances, trafficQps: 3000 }, result: busy });
    const list = await engine.call('scenarios.list', {});
    expect(list.map((s) => s.name)).toEqual(['base', 'busy']);
    const cmp = await engine.call('scenarios.compare', { names: ['base', 'busy'] });
    expect(cmp.rows.find((r) => r.metric === 'traffic q/s')!.values).toEqual([1500, 3000]);
    await expect(engine.call('scenarios.compare', { names: ['base', 'nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the procurement sweep never loses quality as GPUs are bought (within the solver gap)', async () => {
    const small = syntheticExtended(300, 8, 2, 24, 8, { trafficQps: 120, spendCap: 2000 });
    const prep = await engine.call('whatif.prepare', { problem: small });
    const pts = await engine.call('whatif.sweep', { contextId: prep.contextId, gpuType: 'gpu1', maxBuy: 16, steps: 5, timeLimitMs: 20_000 });
    expect(pts.map((p) => p.bought)).toEqual([0, 4, 8, 12, 16]);
    const q = pts.map((p) => p.quality ?? -Infinity);
    for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1] - 0.02);
  });
});
