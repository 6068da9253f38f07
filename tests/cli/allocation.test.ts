import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/engine';
import { syntheticExtended, syntheticPaper } from '../main/engine/allocation/fixtures';
import { ensureBuilt, runCli, writeInput } from '../helpers/cli';

const routeplan = (...args: string[]) => runCli(args);

const scratch = scratchDir('routeplan-cli-alloc-');
const ws = join(scratch.dir, 'w.sqlite');
const file = (name: string, value: unknown) => writeInput(scratch.dir, name, value);
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

describe('routeplan allocate / whatif / scenarios', () => {
  it('allocate --input (paper form) prints status, instances, objective, gap, ms within the GPU budget', () => {
    const f = syntheticPaper(120, 6, 2, { gpuBudget: 10 });
    const r = routeplan('allocate', '--input', file('alloc.json', f), '--json', '--workspace', ws);
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({ status: expect.stringMatching(/optimal|feasible/), form: 'paper' });
    expect(out.gap).toBeLessThanOrEqual(0.01);
    expect(out.instances).toHaveLength(6);
    const gpus = (out.instances as (number | null)[]).reduce<number>((a, c, j) => a + (c ?? 0) * (f.gpusPerInstance[j] ?? 0), 0);
    expect(gpus).toBeLessThanOrEqual(10);
    expect(typeof out.ms).toBe('number');
  });

  it('allocate --sweep-gpus prints one point per GPU count, in the order given, each with its gap; a bad count is named', () => {
    const f = syntheticPaper(300, 8, 5, { api: 3, gpuBudget: 16, batchSize: 100, budgetPerQuery: 3e-5 });
    const input = file('sweep.json', f);
    const r = routeplan('allocate', '--input', input, '--sweep-gpus', '32,4,8,16', '--json', '--workspace', ws);
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.gpuType).toBe('gpu');
    expect(out.points.map((x: { gpus: number }) => x.gpus)).toEqual([32, 4, 8, 16]);
    for (const x of out.points) {
      expect(x.gpusUsed).toBeLessThanOrEqual(x.gpus);
      expect(x.bound).toBeGreaterThanOrEqual(x.objective - 1e-12);
      expect(typeof x.gap).toBe('number');
    }
    const human = routeplan('allocate', '--input', input, '--sweep-gpus', '4,8', '--workspace', ws);
    expect(human.out).toMatch(/gpu GPUs\s+status\s+objective\s+bound\s+gap/);
    const bad = routeplan('allocate', '--input', input, '--sweep-gpus', '8,lots', '--json', '--workspace', ws);
    expect(bad.code).toBe(1);
    expect(bad.json().error.message).toContain('"lots"');
  });

  it('a bad field is named, bad JSON names the file, infeasible exits 3 with the binding constraint', () => {
    const f = syntheticPaper(20, 4, 3);
    const bad = routeplan('allocate', '--input', file('bad.json', { ...f, slotsPerInstance: [null, null, 4] }), '--json', '--workspace', ws);
    expect(bad.code).toBe(1);
    expect(bad.json().error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('slotsPerInstance') });
    const broken = routeplan('allocate', '--input', file('broken.json', '{"quality": ['), '--json', '--workspace', ws);
    expect(broken.json().error).toMatchObject({ code: 'FILE_FORMAT', message: expect.stringContaining('broken.json') });
    const inf = routeplan('allocate', '--input', file('inf.json', { ...f, budget: 0 }), '--json', '--workspace', ws);
    expect(inf.code).toBe(3);
    expect(inf.json()).toMatchObject({ status: 'infeasible', binding: 'budget' });
  });

  it('whatif evaluates given instances, saves a scenario, and scenarios compare shows it', () => {
    const f = syntheticExtended(300, 8, 2, 24, 8, { trafficQps: 120, spendCap: 2000 });
    const input = file('ext.json', f);
    const r = routeplan('whatif', '--input', input, '--instances', 'm4@gpu0=2,m5@gpu1=4', '--save', 'two', '--json', '--workspace', ws);
    expect(r.code).toBe(0);
    const w = r.json();
    expect(w.models.find((m: { model: string }) => m.model === 'm5').instances).toBe(4);
    expect(w.gpusUsed.gpu1).toBe(4 * 2); // m5 runs 2 GPUs per instance
    const cmp = routeplan('scenarios', 'compare', 'two', '--json', '--workspace', ws);
    expect(cmp.json().rows.find((x: { metric: string }) => x.metric === '$/hour').values[0]).toBeCloseTo(w.hourlyCost, 9);
    const unknown = routeplan('whatif', '--input', input, '--instances', 'm4@nope=1', '--json', '--workspace', ws);
    expect(unknown.json().error.message).toMatch(/no deployment option/);
  });
});
