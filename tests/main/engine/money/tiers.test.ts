import { describe, expect, it } from 'vitest';
import { chooseTiers, horizonCost, type TierOptions } from '../../../../src/main/engine/money/tiers';
import { defaultPricing } from '../../../../src/main/engine/money/prices';
import { fleetCost, monthlyCost } from '../../../../src/main/engine/money/report';
import { createRng } from '../../../../src/main/engine/predictor/rng';

/** A diurnal-ish demand curve with noise: GPUs needed per hour over a week. */
function demand(seed: number, hours = 168): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: hours }, (_, t) => Math.max(0, Math.round(20 + 15 * Math.sin((2 * Math.PI * t) / 24) + rng.normal() * 4)));
}

describe('money: price tiers minimising the month', () => {
  const p = defaultPricing('H100', 4);
  const cases: [string, TierOptions][] = [
    ['1y reserved, no spot', { reservedTerm: '1y', maxSpotShare: 0, spotReplacementS: 300 }],
    ['3y reserved, no spot', { reservedTerm: '3y', maxSpotShare: 0, spotReplacementS: 300 }],
    ['1y reserved, up to 30% spot', { reservedTerm: '1y', maxSpotShare: 0.3, spotReplacementS: 600 }],
  ];
  for (const [name, o] of cases) {
    it(`the chosen reserved level is optimal against brute force over every level (${name})`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const d = demand(seed);
        const chosen = chooseTiers('H100', d, 3600, p, o);
        let best = Infinity;
        for (let r = 0; r <= Math.max(...d) + 2; r++) best = Math.min(best, horizonCost(d, 3600, p, o, r).total);
        expect(chosen.cost.total).toBeLessThanOrEqual(best + 1e-6);
        // The layers add up to the demand in every interval.
        d.forEach((x, t) => expect(Math.min(x, chosen.reservedGpus) + chosen.spotGpus[t] + chosen.onDemandGpus[t]).toBeCloseTo(x, 9));
      }
    });
  }

  it('without spot, the duration-curve rule holds at the chosen level: reserve r while reserved $/h < on-demand $/h x share of hours with demand >= r', () => {
    const d = demand(9);
    const o: TierOptions = { reservedTerm: '1y', maxSpotShare: 0, spotReplacementS: 0 };
    const r = chooseTiers('H100', d, 3600, p, o).reservedGpus;
    const share = (level: number) => d.filter((x) => x >= level).length / d.length;
    expect(r).toBeGreaterThan(0);
    expect(p.reserved1yPerGpuHour).toBeLessThan(p.onDemandPerGpuHour * share(r));
    expect(p.reserved1yPerGpuHour).toBeGreaterThanOrEqual(p.onDemandPerGpuHour * share(r + 1));
  });

  it('spot dearer than on-demand once its headroom is paid is never used; no reserved term reserves nothing', () => {
    const dear = defaultPricing('X', 1, { spotPerGpuHour: 0.99, spotInterruptionsPerHour: 1 });
    const c = chooseTiers('X', demand(3), 3600, dear, { reservedTerm: 'none', maxSpotShare: 0.5, spotReplacementS: 3600 });
    expect(c.reservedGpus).toBe(0);
    expect(c.spotGpus.every((x) => x === 0)).toBe(true);
  });

  it('monthly cost scales a horizon to 730 hours and prices tokens and requests', () => {
    const c = fleetCost([2, 2], [1, 0], 1800, p, 1, '1y'); // one hour: 1 reserved, 1 on-demand, half an hour of 1 spot GPU
    expect(c.reserved).toBeCloseTo(p.reserved1yPerGpuHour, 9);
    expect(c.onDemand).toBeCloseTo(p.onDemandPerGpuHour, 9);
    expect(c.spot).toBeCloseTo(p.spotPerGpuHour / 2, 9);
    const m = monthlyCost([c], 1, 3600, 2e6, 1000);
    const hour = c.reserved + c.onDemand + c.spot + 1;
    expect(m.total).toBeCloseTo(hour * 730, 6);
    expect(m.byTier.api).toBeCloseTo(730, 9);
    expect(m.perMillionTokens).toBeCloseTo(hour / 2, 9);
    expect(m.perThousandRequests).toBeCloseTo(hour, 9);
  });
});
