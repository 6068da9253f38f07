// Slow: each case runs every plan path and checks every single move through the engine (about 40 what-if evaluations a plan).
// Plans that no hand edit beats: on random small extended instances, every path that returns a
// plan (allocation.solve, whatif.optimise with and without a purchase, the procurement sweep)
// returns one where no single slider move (one instance more or fewer of one deployment) is
// better on quality at no more cost or cheaper at no less quality, where no instance sits idle,
// whose quality is the what-if figure of its counts, and which matches exhaustive search over
// every count vector on the tiniest instances.
import { afterAll, describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';
import type { AllocationResult, DeploymentCount, ExtendedForm, WhatIfResult } from '../../../../src/shared/contract/allocation';
import { fromExtendedForm, depCount, instanceUpperBounds } from '../../../../src/main/engine/allocation/problem';
import { planValue } from '../../../../src/main/engine/allocation/polish';
import { prepareGroups } from '../../../../src/main/engine/allocation/inner';
import { syntheticExtended } from './fixtures';

const engine = memoryEngine();
afterAll(() => engine.close());

const Q = 1e-9;
const C = 1e-6;

async function neighbours(contextId: string, plan: DeploymentCount[], purchase: Record<string, number> = {}): Promise<{ move: string; r: WhatIfResult }[]> {
  const out: { move: string; r: WhatIfResult }[] = [];
  for (let d = 0; d < plan.length; d++)
    for (const delta of [-1, 1]) {
      if (plan[d].count + delta < 0) continue;
      const moved = plan.map((x, e) => (e === d ? { ...x, count: x.count + delta } : x));
      const r = (await engine.call('whatif.evaluate', { contextId, instances: moved, purchase })) as WhatIfResult;
      out.push({ move: `${plan[d].model}@${plan[d].gpuType} ${delta > 0 ? '+1' : '-1'}`, r });
    }
  return out;
}

function beats(a: WhatIfResult, b: WhatIfResult): boolean {
  if (a.status !== 'ok' || a.quality == null) return false;
  return (a.quality > b.quality! + Q && a.hourlyCost <= b.hourlyCost + C) || (a.hourlyCost < b.hourlyCost - C && a.quality >= b.quality! - Q);
}

async function checkPlan(f: ExtendedForm, contextId: string, r: AllocationResult, purchase: Record<string, number> = {}): Promise<WhatIfResult> {
  const plan = r.instances as DeploymentCount[];
  const at = (await engine.call('whatif.evaluate', { contextId, instances: plan, purchase })) as WhatIfResult;
  expect(at.status).toBe('ok');
  // One plan, one quality figure: the optimiser's objective is the what-if value of its counts.
  expect(Math.abs(at.quality! - r.objective!)).toBeLessThan(1e-12);
  // The status word is honest: optimal only within the requested gap of the proven bound.
  if (r.status === 'optimal') expect(r.gap!).toBeLessThanOrEqual(0.01 + 1e-12);
  // No idle instance: every model with instances carries traffic.
  for (const m of at.models) if (m.hosted && m.instances > 0) expect(m.share, `${m.model} has ${m.instances} instances and no traffic`).toBeGreaterThan(0);
  // No single slider move beats the plan (when the search finished).
  if (r.polish?.exhausted) for (const { move, r: n } of await neighbours(contextId, plan, purchase)) expect(beats(n, at), `${move}: ${n.quality} at $${n.hourlyCost} vs ${at.quality} at $${at.hourlyCost}`).toBe(false);
  void f;
  return at;
}

const cases = [
  { seed: 12, n: 150, k: 6, types: 2, gpus: 16, traffic: 25, cap: 40 },
  { seed: 13, n: 100, k: 5, types: 3, gpus: 20, traffic: 10, cap: null },
];

describe('allocation plans cannot be beaten by hand', () => {
  for (const c of cases)
    it(`seed ${c.seed}: solve, optimise, optimise after a purchase and the sweep return unbeatable, monotone plans`, async () => {
      const f = syntheticExtended(c.n, c.k, c.types, c.gpus, c.seed, { api: 2, trafficQps: c.traffic, spendCap: c.cap });
      const solved = (await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000 })) as AllocationResult;
      if (solved.status === 'infeasible') return;
      const { contextId } = (await engine.call('whatif.prepare', { problem: f })) as { contextId: string };
      const base = await checkPlan(f, contextId, solved);

      // Optimise from the solved plan's sliders: never worse than them.
      const again = (await engine.call('whatif.optimise', { contextId, instances: solved.instances, timeLimitMs: 20_000 })) as AllocationResult;
      const againAt = await checkPlan(f, contextId, again);
      expect(againAt.quality!).toBeGreaterThanOrEqual(base.quality! - Q - (c.cap == null ? 1e-3 : 1e-3));

      // Buying GPUs never lowers the optimum.
      const gpu = f.gpuTypes[0].name;
      const bought = (await engine.call('whatif.optimise', { contextId, purchase: { [gpu]: 8 }, instances: again.instances, timeLimitMs: 20_000 })) as AllocationResult;
      const boughtAt = await checkPlan(f, contextId, bought, { [gpu]: 8 });
      expect(boughtAt.quality!).toBeGreaterThanOrEqual(againAt.quality! - Q);

      // The procurement curve never falls.
      const sweep = (await engine.call('whatif.sweep', { contextId, gpuType: gpu, maxBuy: 8, steps: 3, timeLimitMs: 6_000 })) as { quality: number | null; status: string }[];
      const q = sweep.filter((p) => p.quality != null).map((p) => p.quality!);
      for (let s = 1; s < q.length; s++) expect(q[s]).toBeGreaterThanOrEqual(q[s - 1] - Q);
    });

  it.each([
    ['', false],
    [', capacities by query length', true],
  ])('matches exhaustive search over every count vector on tiny instances%s', async (_, lengths) => {
    for (const seed of [21, 22]) {
      const f = syntheticExtended(60, 4, 2, 6, seed, { api: 1, trafficQps: 6, lengths });
      const p = fromExtendedForm(f);
      const G = prepareGroups(p);
      const ub = instanceUpperBounds(p);
      const D = depCount(p);
      let best = -Infinity;
      let bestCost = Infinity;
      const I = new Float64Array(D);
      const walk = (d: number) => {
        if (d === D) {
          const v = planValue(p, G, I);
          if (v.feasible && (v.quality > best + Q || (v.quality >= best - Q && v.cost < bestCost))) (best = v.quality), (bestCost = v.cost);
          return;
        }
        for (let c = 0; c <= ub[d]; c++) (I[d] = c), walk(d + 1);
        I[d] = 0;
      };
      walk(0);
      const r = (await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000, mipGap: 0 })) as AllocationResult;
      expect(r.objective!).toBeGreaterThanOrEqual(best - 1e-3 * Math.abs(best) - Q);
      // The certified gap: the reported bound is above every count vector's value.
      expect(r.bound!).toBeGreaterThanOrEqual(best - Q);
      if (r.objective! >= best - Q) expect(planValue(p, G, Float64Array.from((r.instances as DeploymentCount[]).map((x) => x.count))).cost).toBeLessThanOrEqual(bestCost + C);
    }
  });
});
