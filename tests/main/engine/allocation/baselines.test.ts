import { describe, expect, it } from 'vitest';
import { planBaselines } from '../../../../src/main/engine/allocation/baselines';
import { prepareWhatIf } from '../../../../src/main/engine/allocation/whatif';
import { syntheticExtended } from './fixtures';

// The hand-drawn baselines beside an optimised plan keep to the plan's hourly spend cap: a baseline
// the planner could not run is either skipped (best single model) or flagged (uniform split).
describe('plan baselines under an hourly spend cap', () => {
  const seeds = [1, 2, 3, 4, 5];

  it('puts everything on the best single model that fits the cap, never one over it', () => {
    let apiOverCapSeen = 0;
    let hostedSingles = 0;
    for (const seed of seeds) {
      const free = planBaselines(prepareWhatIf(syntheticExtended(40, 7, 2, 16, seed, { spendCap: null })));
      const uncapped = free.find((b) => b.name === 'best-single')!;
      const cap = 60;
      // Without the cap the best single model costs more than the cap (an API model): the case that matters.
      if (uncapped.hourlyCost != null && uncapped.hourlyCost > cap) apiOverCapSeen++;
      const capped = planBaselines(prepareWhatIf(syntheticExtended(40, 7, 2, 16, seed, { spendCap: cap })));
      const single = capped.find((b) => b.name === 'best-single')!;
      if (single.feasible) {
        expect(single.hourlyCost!, `seed ${seed}`).toBeLessThanOrEqual(cap * (1 + 1e-9));
        expect(single.overCap).toBe(false);
        // A self-hosted single model carries all the traffic: it is its own busiest model.
        if (single.model && single.busiest) expect(single.busiest.model).toBe(single.model), expect(single.busiest.utilisation).toBeGreaterThan(0), hostedSingles++;
      }
      if (uncapped.hourlyCost != null && uncapped.hourlyCost > cap) expect(single.note ?? '', `seed ${seed}`).toMatch(/over the \$60\/h cap/);
      const uniform = capped.find((b) => b.name === 'uniform')!;
      expect(uniform.overCap, `seed ${seed}`).toBe(uniform.hourlyCost! > cap * (1 + 1e-9) || !uniform.feasible);
    }
    expect(apiOverCapSeen).toBeGreaterThan(0);
    expect(hostedSingles).toBeGreaterThan(0);
  });

  it('flags a uniform split that the cap cannot pay for', () => {
    const ctx = prepareWhatIf(syntheticExtended(40, 7, 2, 16, 3, { spendCap: 1 }));
    const uniform = planBaselines(ctx).find((b) => b.name === 'uniform')!;
    expect(uniform.overCap).toBe(true);
    const free = planBaselines(prepareWhatIf(syntheticExtended(40, 7, 2, 16, 3, { spendCap: null }))).find((b) => b.name === 'uniform')!;
    expect(free.overCap).toBe(false);
  });
});
