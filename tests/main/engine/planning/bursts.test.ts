// Slow: two plans of Azure's code trace on the performance model (goodput and latency simulations per length quantum) and their replay.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/main/engine/engine';
import { busiestWindowRate } from '../../../../src/main/engine/demand/arrivals';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import type { PlanCreateResult } from '../../../../src/shared/contract';
import { memoryEngine, repoRoot } from '../../../helpers/engine';

describe('busiestWindowRate', () => {
  it('equals the brute-force maximum over every window of random counts', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 50; trial++) {
      const counts = Uint32Array.from({ length: 1 + rng.int(200) }, () => (rng.next() < 0.2 ? rng.int(500) : rng.int(5)));
      const from = rng.int(counts.length);
      const to = from + 1 + rng.int(counts.length - from);
      const w = 1 + rng.int(30);
      const width = Math.min(w, to - from);
      let best = 0;
      for (let s = from; s + width <= to; s++) {
        let sum = 0;
        for (let u = s; u < s + width; u++) sum += counts[u];
        best = Math.max(best, sum / width);
      }
      expect(busiestWindowRate(counts, from, to, w)).toBeCloseTo(best, 9);
    }
  });
});

// Azure's code trace is bursty within minutes (seconds at 20x its mean): a promise made from
// minute means with Poisson arrivals missed the replay by 6-25 points. The promise now simulates
// the trace's per-second arrival counts through the plan.
describe('plans of a trace with sub-minute bursts (Azure code trace)', () => {
  let engine: Engine;
  let demandId: number;
  let minute: PlanCreateResult;
  let tenSeconds: PlanCreateResult;
  const scale = 2;

  beforeAll(async () => {
    engine = memoryEngine();
    await engine.call('demo.create', { queries: 500 });
    // Room for the busiest 10 s (the demo inventory is sized for its own steady traffic).
    const inv = await engine.call('inventory.list', {});
    await engine.call('inventory.update', { entries: inv.map((g) => ({ gpuType: g.gpuType, count: g.count * 8 })) });
    const imp = await engine.call('demand.import', { files: [resolve(repoRoot, '../shared/data/traces/azure2023_AzureLLMInferenceTrace_code.csv')] });
    demandId = imp.demandId;
    minute = await engine.call('plan.create', { demandId, intervalS: 300, scale, mode: { mode: 'static', percentile: 0.95, nPlusOne: false } });
    tenSeconds = await engine.call('plan.create', { demandId, intervalS: 300, scale, burstWindowS: 10, compareCheapest: false, mode: { mode: 'static', percentile: 0.95, nPlusOne: false } });
  });
  afterAll(() => engine?.close());

  it('promises what the replay of the real arrivals delivers, within 2 points, for either burst window', async () => {
    for (const r of [minute, tenSeconds]) {
      const rep = await engine.call('plan.replay', { plan: JSON.parse(JSON.stringify(r.plan)), demandId, scale });
      expect(Math.abs(rep.sloAttainment - r.sloAttainment)).toBeLessThanOrEqual(0.02);
      expect(Math.abs(rep.monthlyCost - r.monthlyCost) / r.monthlyCost).toBeLessThanOrEqual(0.05);
      expect(r.plan.promise?.method).toMatch(/per-second/);
    }
  });

  it('sizing for the busiest 10 s buys at least the busiest minute\'s fleet and no less attainment', () => {
    const total = (r: PlanCreateResult) => r.plan.intervals[0].instances.reduce((a, b) => a + b, 0);
    expect(total(tenSeconds)).toBeGreaterThanOrEqual(total(minute));
    expect(tenSeconds.plan.promise?.burstWindowS).toBe(10);
    expect(tenSeconds.sloAttainment).toBeGreaterThanOrEqual(minute.sloAttainment - 1e-9);
  });

  it('reports what the quality costs against the cheapest plan serving the same traffic', () => {
    const q = minute.plan.qualityPremium!;
    expect(q).toBeDefined();
    expect(q.cheapestMonthlyCost).toBeLessThanOrEqual(minute.monthlyCost);
    expect(q.cheapestQuality!).toBeLessThanOrEqual(minute.quality! + 1e-9);
    expect(q.premiumMonth).toBeCloseTo(minute.monthlyCost - q.cheapestMonthlyCost, 6);
  });
});
