import { describe, expect, it } from 'vitest';
import { planOverTime } from '../../../../src/main/engine/planning/plan';
import type { PlanningInput } from '../../../../src/main/engine/planning/types';
import { defaultPricing } from '../../../../src/main/engine/money/prices';
import { PlanFile } from '../../../../src/shared/contract/planning';
import { replayPlan } from '../../../../src/main/engine/replay/simulate';
import { goodputBySimulation, simulateLatency } from '../../../../src/main/engine/replay/estimate';
import type { ReplayRequest } from '../../../../src/main/engine/replay/types';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import { linearService } from '../replay/fixtures';

describe('a plan written to JSON, read back and replayed keeps its promise (stationary Poisson demand)', () => {
  it('autoscale over a step in demand: attainment within 2 points, cost within 5%', () => {
    const slo = { ttftP90Ms: 800, tpotP90Ms: 60 };
    const service = linearService();
    const lengths = () => ({ inputTokens: 600, outputTokens: 80 });
    const g = goodputBySimulation(service, lengths, 2, { slo, requests: 2000 });
    const rates = [20, 20, 60, 60, 30, 30];
    const input: PlanningInput = {
      intervalS: 120,
      demand: rates.map((rate) => ({ rate, inputTokens: 600, outputTokens: 80 })),
      models: [{ name: 'm' }],
      routing: [[1]],
      deployments: [{ model: 0, gpuType: 'G', gpusPerInstance: 1 }],
      goodputPerInstance: () => g,
      estimateLatency: (_j, _w, rate, n) => simulateLatency(service, lengths, rate, Math.min(n, 8), { slo, requests: 3000 }),
      inventory: { G: 1000 },
      pricing: [defaultPricing('G', 2)],
      slo,
      maxUtilisation: 0.85,
    };
    const plan = PlanFile.parse(JSON.parse(JSON.stringify(planOverTime(input, { mode: 'autoscale', scaleUpDelayS: 60 }))));
    const rng = createRng(5);
    const reqs: ReplayRequest[] = [];
    rates.forEach((rate, i) => {
      for (let t = i * 120; ; ) {
        t += -Math.log(1 - rng.next()) / rate;
        if (t >= (i + 1) * 120) break;
        reqs.push({ t, inputTokens: 600, outputTokens: 80 });
      }
    });
    const r = replayPlan(plan, [service], reqs);
    expect(r.served).toBe(r.requests);
    expect(Math.abs(r.sloAttainment - plan.sloAttainment)).toBeLessThan(0.02);
    expect(Math.abs(r.monthlyCost - plan.monthlyCost) / plan.monthlyCost).toBeLessThan(0.05);
    expect(plan.intervals[1].instances[0]).toBeGreaterThan(plan.intervals[0].instances[0]); // ordered ahead of the step
  });
});
