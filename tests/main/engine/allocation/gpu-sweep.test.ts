import { afterAll, describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';
import { fromPaperForm } from '../../../../src/main/engine/allocation/problem';
import { gpuSweep } from '../../../../src/main/engine/allocation/gpu-sweep';
import { syntheticExtended, syntheticPaper } from './fixtures';

const engine = memoryEngine();
afterAll(() => engine.close());

describe('procurement curve over GPU counts', () => {
  const form = syntheticPaper(600, 12, 4, { api: 5, gpuBudget: 40, batchSize: 100, budgetPerQuery: 3e-5 });
  const counts = [64, 8, 16, 32, 128];

  it('warm-started points never lose quality as GPUs grow, stay within each count, and carry valid gaps', () => {
    const p = fromPaperForm(form);
    const warm = gpuSweep(p, counts, { gpuType: 0, timeLimitMsPerPoint: 5_000, targetGap: 1e-3 });
    const cold = gpuSweep(p, counts, { gpuType: 0, timeLimitMsPerPoint: 5_000, targetGap: 1e-3, cold: true });
    // Results come back in the order asked for.
    expect(warm.map((x) => x.gpus)).toEqual(counts);
    const byG = [...warm].sort((a, b) => a.gpus - b.gpus);
    byG.forEach((x, i) => {
      expect(x.objective).not.toBeNull();
      expect(x.gpusUsed).toBeLessThanOrEqual(x.gpus);
      expect(x.bound! + 1e-12).toBeGreaterThanOrEqual(x.objective!);
      expect(x.gap).toBeCloseTo((x.bound! - x.objective!) / x.bound!, 9);
      if (i > 0) expect(x.objective!).toBeGreaterThanOrEqual(byG[i - 1].objective! - 1e-12);
    });
    // Reuse: fewer router evaluations than solving each point from scratch, and every warm
    // point within the cold one's certified gap (and vice versa).
    const evals = (xs: typeof warm) => xs.reduce((a, x) => a + x.evaluations, 0);
    expect(evals(warm)).toBeLessThan(evals(cold));
    warm.forEach((x, i) => {
      expect(x.objective!).toBeLessThanOrEqual(cold[i].bound! + 1e-9);
      expect(cold[i].objective!).toBeLessThanOrEqual(x.bound! + 1e-9);
    });
  });

  it('allocation.gpuSweep names the GPU type to sweep when there are several, and refuses an unknown one', async () => {
    const r = await engine.call('allocation.gpuSweep', { problem: form, gpus: [8, 16] });
    expect(r.gpuType).toBe('gpu');
    expect(r.points).toHaveLength(2);
    expect(r.points[1].instances).toHaveLength(12);
    const ext = syntheticExtended(300, 8, 2, 24, 8, { trafficQps: 120, spendCap: 2000 });
    await expect(engine.call('allocation.gpuSweep', { problem: ext, gpus: [8] })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('gpuType') });
    await expect(engine.call('allocation.gpuSweep', { problem: ext, gpus: [8], gpuType: 'nope' })).rejects.toMatchObject({ message: expect.stringContaining('unknown GPU type "nope"') });
    const e = await engine.call('allocation.gpuSweep', { problem: ext, gpus: [4, 12, 24], gpuType: 'gpu1' });
    expect(e.points.map((x) => x.gpus)).toEqual([4, 12, 24]);
    for (const x of e.points) if (x.objective != null) expect(x.gpusUsed).toBeLessThanOrEqual(x.gpus);
  });
});
