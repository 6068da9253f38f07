import { describe, expect, it } from 'vitest';
import { planOverTime } from '../../../../src/main/engine/planning/plan';
import type { PlanningInput } from '../../../../src/main/engine/planning/types';
import { defaultPricing } from '../../../../src/main/engine/money/prices';
import { PlanFile } from '../../../../src/shared/contract/planning';
import { EngineError } from '../../../../src/shared/errors';
import { createRng } from '../../../../src/main/engine/predictor/rng';

/** Two hosted models (one with two GPU options) and an API model; goodput from a simple stand-in. */
function input(rates: number[], o: Partial<PlanningInput> = {}): PlanningInput {
  return {
    intervalS: 600,
    demand: rates.map((rate) => ({ rate, inputTokens: 800, outputTokens: 200 })),
    models: [{ name: 'big' }, { name: 'small' }, { name: 'api', api: { priceInPerM: 3, priceOutPerM: 15, rateLimitQps: null } }],
    routing: [[0.5, 0.4, 0.1]],
    deployments: [
      { model: 0, gpuType: 'H100', gpusPerInstance: 4 },
      { model: 0, gpuType: 'A100', gpusPerInstance: 4 },
      { model: 1, gpuType: 'H100', gpusPerInstance: 1 },
    ],
    goodputPerInstance: (j) => [2, 1, 5][j],
    estimateLatency: (_j, _w, r) => ({ ttftP90Ms: 200 + 100 * r, tpotP90Ms: 30 + 5 * r, attainment: Math.min(1, 0.99 - 0.01 * r) }),
    inventory: { H100: 400, A100: 64 },
    pricing: [defaultPricing('H100', 4), defaultPricing('A100', 3)],
    slo: { ttftP90Ms: 2000, tpotP90Ms: 80 },
    ...o,
  };
}

function diurnal(n: number, seed: number, mean = 40): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, t) => Math.max(0, mean * (1 + 0.6 * Math.sin((2 * Math.PI * t) / 144)) * (1 + 0.15 * rng.normal())));
}

const need = (rate: number, share: number, g: number) => Math.ceil((rate * share) / g - 1e-9);

describe('planning: plans over time', () => {
  it('a static fleet at a percentile covers at least that share of intervals, and one instance less would not', () => {
    const rates = diurnal(144, 1);
    for (const p of [0.5, 0.95, 0.99, 1]) {
      const plan = planOverTime(input(rates), { mode: 'static', percentile: p });
      expect(() => PlanFile.parse(plan)).not.toThrow();
      const fleet = plan.intervals[0].instances;
      expect(plan.intervals.every((iv) => iv.instances.join() === fleet.join())).toBe(true);
      // big on H100 (cheaper per request: $16/h / 2 req/s vs $12/h / 1 req/s), small on H100
      const covered = (n: number, share: number, g: number) => rates.filter((r) => need(r, share, g) <= n).length / rates.length;
      expect(covered(fleet[0], 0.5, 2)).toBeGreaterThanOrEqual(p);
      expect(covered(fleet[0] - 1, 0.5, 2)).toBeLessThan(p);
      expect(covered(fleet[2], 0.4, 5)).toBeGreaterThanOrEqual(p);
      expect(fleet[1]).toBe(0);
    }
    const n1 = planOverTime(input(rates), { mode: 'static', percentile: 0.95, nPlusOne: true });
    const base = planOverTime(input(rates), { mode: 'static', percentile: 0.95 });
    expect(n1.intervals[0].instances).toEqual([base.intervals[0].instances[0] + 1, 0, base.intervals[0].instances[2] + 1]);
  });

  it('autoscaled counts cover the busiest interval within the scale-up delay, the minimum replicas and the step', () => {
    const rates = diurnal(60, 2);
    rates[30] = 0;
    const plan = planOverTime(input(rates), { mode: 'autoscale', scaleUpDelayS: 1200, minReplicas: 2, scaleStep: 2 });
    plan.intervals.forEach((iv, t) => {
      for (let u = t; u <= Math.min(59, t + 2); u++) {
        expect(iv.instances[0]).toBeGreaterThanOrEqual(need(rates[u], 0.5, 2));
        expect(iv.instances[2]).toBeGreaterThanOrEqual(need(rates[u], 0.4, 5));
      }
      expect(iv.instances[0] % 2).toBe(0);
      expect(iv.instances[0] + iv.instances[1]).toBeGreaterThanOrEqual(2);
    });
  });

  it('the overflow plan sends each interval just enough to the API model, and pays for its tokens', () => {
    const rates = diurnal(72, 3);
    const plan = planOverTime(input(rates), { mode: 'overflow', percentile: 0.5, overflowModel: 2 });
    const capBig = plan.intervals[0].instances[0] * 2;
    plan.intervals.forEach((iv, t) => {
      expect(rates[t] * 0.5 * (1 - iv.overflowShare)).toBeLessThanOrEqual(capBig + 1e-6);
    });
    expect(plan.intervals.filter((iv) => iv.overflowShare > 0).length).toBeGreaterThan(0);
    expect(plan.money.byTier.api).toBeGreaterThan(0);
  });

  it('intervals with a peak rate are sized for the peak and promise latencies at the mean', () => {
    const rates = Array(10).fill(20);
    const base = input(rates);
    const bursty = input(rates, { demand: rates.map((rate, t) => ({ rate, inputTokens: 800, outputTokens: 200, ...(t === 4 ? { peakRate: 60 } : {}) })) });
    const a = planOverTime(base, { mode: 'autoscale', scaleUpDelayS: 0 });
    const b = planOverTime(bursty, { mode: 'autoscale', scaleUpDelayS: 0 });
    expect(a.intervals[4].instances[0]).toBe(need(20, 0.5, 2));
    expect(b.intervals[4].instances[0]).toBe(need(60, 0.5, 2));
    expect(b.intervals[3].instances[0]).toBe(need(20, 0.5, 2));
    expect(b.intervals[4].utilisation[0]).toBeCloseTo((20 * 0.5) / (need(60, 0.5, 2) * 2), 9);
  });

  it('infeasible demand names the interval and the binding constraint', () => {
    const rates = Array(20).fill(10);
    rates[7] = 500;
    const attempt = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as EngineError;
      }
      throw new Error('expected INFEASIBLE');
    };
    const e = attempt(() => planOverTime(input(rates), { mode: 'autoscale', scaleUpDelayS: 0 }));
    expect(e.code).toBe('INFEASIBLE');
    expect(e.message).toMatch(/^interval 7: model "big"/);
    expect(e.details).toMatchObject({ interval: 7, binding: 'inventory' });
    // A static fleet at the peak cannot fit either; at P90 it can (interval 7 is above it).
    expect(attempt(() => planOverTime(input(rates), { mode: 'static', percentile: 1 })).details).toMatchObject({ interval: 7, binding: 'inventory' });
    expect(() => planOverTime(input(rates), { mode: 'static', percentile: 0.9 })).not.toThrow();
    const b = attempt(() => planOverTime(input(rates, { budgetMonth: 100 }), { mode: 'static', percentile: 0.9 }));
    expect(b.details).toMatchObject({ binding: 'budget' });
    expect(b.message).toMatch(/^interval \d+:/);
    const limited = input(rates, { models: [{ name: 'big' }, { name: 'small' }, { name: 'api', api: { priceInPerM: 3, priceOutPerM: 15, rateLimitQps: 5 } }] });
    expect(attempt(() => planOverTime(limited, { mode: 'overflow', percentile: 0.9, overflowModel: 2 })).details).toMatchObject({ interval: 7, binding: 'rateLimit' });
  });

  it("the plan's cost is the money module's optimum for its fleet, and spot gets interruption headroom", () => {
    const rates = diurnal(144, 4);
    const plan = planOverTime(input(rates, { tiers: { maxSpotShare: 0.3, reservedTerm: '1y', spotReplacementS: 3600 } }), { mode: 'autoscale', scaleUpDelayS: 600 });
    expect(plan.money.byTier.spot).toBeGreaterThan(0);
    expect(plan.money.byTier.reserved).toBeGreaterThan(0);
    expect(plan.monthlyCost).toBeCloseTo(plan.money.total, 6);
    const sumIntervals = plan.intervals.reduce((a, iv) => a + iv.cost, 0) * ((730 * 3600) / (144 * 600));
    expect(sumIntervals).toBeCloseTo(plan.monthlyCost, 3);
    const withSpot = plan.intervals.find((iv) => iv.spotInstances[2] > 0)!;
    expect(withSpot).toBeDefined();
    expect(plan.sloAttainment).toBeGreaterThan(0.9);
  });
});
