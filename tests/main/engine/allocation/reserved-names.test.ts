import { afterAll, describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';
import type { DeploymentCount } from '../../../../src/shared/contract/allocation';
import { deploymentKey, gpusUsed } from '../../../../src/renderer/src/features/capacity/types';
import { syntheticExtended } from './fixtures';

// Model and GPU type names that are also Object.prototype's keys must be plain names everywhere a
// map is keyed by them (share, gpusUsed, outputTokens, …); `__proto__` is refused cleanly.
const engine = memoryEngine();
afterAll(() => engine.close());

const reserved = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** syntheticExtended with its models and GPU types renamed. */
function renamed(modelNames: string[], gpuNames: string[]) {
  const f = JSON.parse(JSON.stringify(syntheticExtended(300, 5, 3, 60, 11, { trafficQps: 40 })));
  const m = (x: string) => modelNames[Number(x.slice(1))];
  const g = (x: string) => gpuNames[Number(x.slice(3))];
  f.models = f.models.map(m);
  f.gpuTypes = f.gpuTypes.map((t: { name: string }) => ({ ...t, name: g(t.name) }));
  f.deployments = f.deployments.map((d: { model: string; gpuType: string }) => ({ ...d, model: m(d.model), gpuType: g(d.gpuType) }));
  f.apiModels = f.apiModels.map((a: { model: string }) => ({ ...a, model: m(a.model) }));
  return f;
}

describe('models and GPU types named like Object.prototype keys', () => {
  it('whatif on the extended form: prepare, optimise and evaluate keep every number a number; gpusUsed (Capacity screen) counts them', async () => {
    const form = renamed([...reserved, 'plain'], ['constructor', 'toString', 'hasOwnProperty']);
    const prep = await engine.call('whatif.prepare', { problem: form });
    expect(prep.models).toEqual([...reserved, 'plain']);
    for (const m of prep.models) expect(typeof prep.workload.outputTokens[m]).toBe('number');
    const best = await engine.call('whatif.optimise', { contextId: prep.contextId, timeLimitMs: 30_000 });
    expect(best.status).not.toBe('infeasible');
    for (const v of Object.values(best.share ?? {})) expect(typeof v).toBe('number');
    const instances = best.instances as DeploymentCount[];
    const w = await engine.call('whatif.evaluate', { contextId: prep.contextId, instances });
    expect(w.models.reduce((a, m) => a + m.share, 0)).toBeCloseTo(1, 9);
    for (const m of w.models) expect(Number.isFinite(m.share)).toBe(true);
    // The Capacity screen's GPU count per type, from the same counts.
    const counts = Object.fromEntries(instances.map((d) => [deploymentKey(d), d.count]));
    const used = gpusUsed(prep, counts);
    for (const t of ['constructor', 'toString', 'hasOwnProperty']) {
      const expected = prep.deployments.filter((d) => d.gpuType === t).reduce((a, d) => a + (counts[deploymentKey(d)] ?? 0) * d.gpusPerInstance, 0);
      expect(used[t], t).toBe(expected);
    }
    expect(used.valueOf).toBeUndefined(); // no GPU type of that name: nothing inherited either
  });

  it('a model or GPU type named __proto__ is refused as input, naming it, never INTERNAL', async () => {
    for (const form of [renamed(['__proto__', 'a', 'b', 'c', 'd'], ['g0', 'g1', 'g2']), renamed(['a', 'b', 'c', 'd', 'e'], ['g0', '__proto__', 'g2'])]) {
      await expect(engine.call('whatif.prepare', { problem: form })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('__proto__') });
    }
  });

  it('whatif on the workspace (demo) with GPU types named constructor and toString in the inventory', async () => {
    await engine.call('demo.create', { queries: 300 });
    await engine.call('inventory.update', { entries: [{ gpuType: 'constructor', count: 8, hourlyPrice: 2, memoryGb: 80 }, { gpuType: 'toString', count: 4, hourlyPrice: 3, memoryGb: 80 }] });
    const prep = await engine.call('whatif.prepare', { workspace: { trafficQps: 5, sampleSize: 300 } });
    expect(prep.gpuTypes.map((g) => g.name)).toEqual(expect.arrayContaining(['constructor', 'toString']));
    for (const g of prep.gpuTypes) expect(typeof g.count).toBe('number');
    const best = await engine.call('whatif.optimise', { contextId: prep.contextId, timeLimitMs: 30_000 });
    const used = gpusUsed(prep, Object.fromEntries((best.instances as DeploymentCount[]).map((d) => [deploymentKey(d), d.count])));
    expect(used.constructor ?? 0).toBe(0);
    expect(used.toString ?? 0).toBe(0);
  });
});
