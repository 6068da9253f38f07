import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/main/engine/engine';
import { demoDemand } from '../../../../src/main/engine/data/demo-demand';
import type { PlanCreateResult } from '../../../../src/shared/contract';
import { memoryEngine } from '../../../helpers/engine';

// The workspace path end to end on an in-process engine: the demo catalog and inventory, a typed
// profile of a few hours, plan.create on the performance model, then plan.replay of that plan
// against the same demand. The replay draws the profile's own arrivals (bursty minutes, gamma
// gaps), not the Poisson arrivals the planner's estimates assume, so the check is not circular.

describe('plan.create and plan.replay on the workspace (demo catalog, typed profile)', () => {
  let engine: Engine;
  let demandId: number;
  let staticPlan: Promise<PlanCreateResult> | null = null;
  const planStatic = () => (staticPlan ??= engine.call('plan.create', { demandId, intervalS: 600, mode: { mode: 'static', percentile: 0.95, nPlusOne: false } }));

  beforeAll(async () => {
    engine = memoryEngine();
    await engine.call('demo.create', { queries: 500 });
    const { name: _name, ...spec } = demoDemand;
    // Four hours of the demo week's afternoon shape at a quarter of its rate.
    const d = await engine.call('demand.profile', { ...spec, name: 'four-hours', dailyRequests: 5 * 86400, days: 4 / 24, startIso: '2026-01-05T12:00:00Z' });
    demandId = d.id;
  });
  afterAll(() => engine?.close());

  for (const mode of [
    { mode: 'static', percentile: 0.95, nPlusOne: false },
    { mode: 'autoscale', scaleUpDelayS: 120, minReplicas: 1 },
  ]) {
    it(`${mode.mode}: the replay confirms the promised attainment within 2 points and the cost within 5%`, async () => {
      const r = mode.mode === 'static' ? await planStatic() : await engine.call('plan.create', { demandId, intervalS: 600, mode });
      expect(r.plan.intervals).toHaveLength(24);
      expect(r.plan.deployments.every((d) => d.serving)).toBe(true);
      expect(r.plan.intervals.some((iv) => iv.instances.some((n) => n > 0))).toBe(true);
      const rep = await engine.call('plan.replay', { plan: JSON.parse(JSON.stringify(r.plan)), demandId });
      expect(rep.requests).toBeGreaterThan(4 * 3600 * 2);
      expect(rep.served + rep.api + rep.overflowed + rep.dropped).toBe(rep.requests);
      expect(Math.abs(rep.sloAttainment - r.sloAttainment)).toBeLessThanOrEqual(0.02);
      expect(Math.abs(rep.monthlyCost - r.monthlyCost) / r.monthlyCost).toBeLessThanOrEqual(0.05);
    });
  }

  it('objective cost with a quality floor above the best reachable is INFEASIBLE and names the best quality', async () => {
    const best = await planStatic();
    expect(best.quality).not.toBeNull();
    const floor = Math.min(1, best.quality! + 0.05);
    const err = await engine.call('plan.create', { demandId, intervalS: 600, mode: { mode: 'static', percentile: 0.95 }, objective: 'cost', qualityFloor: floor }).then(
      () => null,
      (e) => e,
    );
    expect(err).toMatchObject({ code: 'INFEASIBLE', details: { binding: 'qualityFloor' } });
    expect(err.details.bestQuality).toBeCloseTo(best.quality!, 6);
    expect(err.message).toContain(best.quality!.toFixed(4));
  });

  it('a plan file whose deployment lacks `serving` is refused naming the field, before any replay', async () => {
    const plan = JSON.parse(JSON.stringify((await planStatic()).plan));
    const j = plan.deployments.length - 1;
    delete plan.deployments[j].serving;
    await expect(engine.call('plan.replay', { plan, demandId })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: `deployments.${j}.serving` } });
  });
});
