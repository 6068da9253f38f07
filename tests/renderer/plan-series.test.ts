import { describe, expect, it } from 'vitest';
import { PlanFile, type PlanFileInput } from '../../src/shared/contract/planning';
import { costBars, modelSeries, peaksPerWindow } from '../../src/renderer/src/features/plans/plan-series';
import { planInput, defaultPlanForm } from '../../src/renderer/src/features/plans/plan-form';
import { PlanCreateInput } from '../../src/shared/contract/planning-methods';
import { latencyAt, perInstanceRate } from '../../src/renderer/src/features/capacity/perf-point';

const pricing = (gpuType: string) => ({ gpuType, onDemandPerGpuHour: 2, reserved1yPerGpuHour: 1.2, reserved3yPerGpuHour: 0.9, spotPerGpuHour: 0.7, spotInterruptionsPerHour: 0.05 });

/** Two models, model 0 on two GPU types, two intervals. */
function plan(): PlanFile {
  const input: PlanFileInput = {
    kind: 'routeplan-plan',
    version: 1,
    mode: 'static',
    intervalS: 3600,
    slo: { ttftP90Ms: 2000, tpotP90Ms: 100 },
    models: [{ name: 'small' }, { name: 'big' }],
    deployments: [
      { model: 0, gpuType: 'A', gpusPerInstance: 1, goodputPerInstance: 2 },
      { model: 0, gpuType: 'B', gpusPerInstance: 1, goodputPerInstance: 5 },
      { model: 1, gpuType: 'B', gpusPerInstance: 2, goodputPerInstance: 1 },
    ],
    scaleUpDelayS: 0,
    spotReplacementS: 300,
    pricing: [pricing('A'), pricing('B')],
    tiers: [],
    intervals: [
      { demandRate: 10, inputTokens: 100, outputTokens: 50, routing: [[0.7, 0.3]], overflowShare: 0, instances: [2, 1, 4], spotInstances: [0, 0, 0], utilisation: [0.5, 0.6, 0.75], ttftP90Ms: [100, 200], tpotP90Ms: [10, 20], attainment: 0.99, cost: 10 },
      { demandRate: 4, inputTokens: 100, outputTokens: 50, routing: [[0.7, 0.3]], overflowShare: 0, instances: [0, 1, 2], spotInstances: [0, 0, 0], utilisation: [0, 0.4, 0.5], ttftP90Ms: [100, 200], tpotP90Ms: [10, 20], attainment: 0.995, cost: 6 },
    ],
    sloAttainment: 0.99,
    monthlyCost: 1000,
    money: { total: 1000, byTier: { reserved: 600, onDemand: 300, spot: 0, api: 100 }, byGpuType: [{ gpuType: 'A', reserved: 200, onDemand: 100, spot: 0 }, { gpuType: 'B', reserved: 400, onDemand: 200, spot: 0 }], perMillionTokens: 1, perThousandRequests: 1 },
  };
  return PlanFile.parse(input);
}

describe('plans screen series', () => {
  it('sums capacity and routed arrivals per model over its deployments', () => {
    const [small, big] = modelSeries(plan());
    expect(small.model).toBe('small');
    // interval 0: 2x2 + 1x5 capacity; arrivals 0.5x4 + 0.6x5
    expect([...small.capacity]).toEqual([9, 5]);
    expect(small.arrivals[0]).toBeCloseTo(5);
    expect(small.arrivals[1]).toBeCloseTo(2);
    expect([...big.capacity]).toEqual([4, 2]);
    expect(big.arrivals[0]).toBeCloseTo(3);
    for (const s of [small, big]) s.capacity.forEach((c, t) => expect(c).toBeGreaterThanOrEqual(s.arrivals[t]));
  });

  it('marks one peak per window, the first of equal maxima, and none in an empty window', () => {
    expect(peaksPerWindow([1, 5, 5, 2, 0, 0, 0, 0, 3], 3)).toEqual([1, 3, 8]);
    expect(peaksPerWindow([1, 5, 5, 0, 0, 0, 0, 0, 3], 3)).toEqual([1, 8]);
    expect(peaksPerWindow([], 24)).toEqual([]);
  });

  it('stacks the month by tier per GPU type and adds API tokens; the bars add up to the total', () => {
    const bars = costBars(plan());
    expect(bars.map((b) => b.tier)).toEqual(['reserved', 'onDemand', 'spot', 'api']);
    expect(bars.flatMap((b) => b.y).reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('builds a plan.create input the contract accepts, with the reserved term overridden', () => {
    for (const mode of ['static', 'autoscale', 'overflow'] as const) {
      const parsed = PlanCreateInput.parse(planInput({ ...defaultPlanForm, mode, objective: 'cost', qualityFloor: 0.8, budgetMonth: 5000 }, '3y'));
      expect(parsed.mode.mode).toBe(mode);
      expect(parsed.tiers.reservedTerm).toBe('3y');
      expect(parsed.qualityFloor).toBe(0.8);
    }
    // A quality floor is only sent with the cost objective.
    expect(PlanCreateInput.parse(planInput({ ...defaultPlanForm, qualityFloor: 0.8 })).qualityFloor).toBeUndefined();
  });
});

describe('capacity operating point', () => {
  const curve = [1, 2, 4].map((c) => ({ concurrency: c, outputTokensPerS: 100 * c, requestsPerS: c, ttftP90Ms: 100 * c, tpotP90Ms: 10 + c, kvUsedGb: c }));
  it('interpolates latency at a throughput and clamps outside the curve', () => {
    expect(latencyAt(curve, 300)).toEqual({ ttftP90Ms: 300, tpotP90Ms: 13 });
    expect(latencyAt(curve, 50)).toEqual({ ttftP90Ms: 100, tpotP90Ms: 11 });
    expect(latencyAt(curve, 900)).toEqual({ ttftP90Ms: 400, tpotP90Ms: 14 });
    expect(latencyAt([], 1)).toBeNull();
  });
  it('splits a model’s arrivals over its deployments by capacity, so every instance carries the same share of its goodput', () => {
    const ds = [{ qpsPerInstance: 2, instances: 3 }, { qpsPerInstance: 6, instances: 1 }, { qpsPerInstance: 9, instances: 0 }];
    const r = ds.map((_, i) => perInstanceRate(6, ds, i));
    expect(r[0] * 3 + r[1] * 1).toBeCloseTo(6);
    expect(r[0] / 2).toBeCloseTo(r[1] / 6);
    expect(r[2]).toBe(0);
  });
});
