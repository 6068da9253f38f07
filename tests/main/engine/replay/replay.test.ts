import { describe, expect, it } from 'vitest';
import { replayPlan } from '../../../../src/main/engine/replay/simulate';
import type { ReplayReport } from '../../../../src/main/engine/replay/types';
import { constantService, linearService, onePoolPlan, poisson } from './fixtures';

function conserved(r: ReplayReport): void {
  expect(r.served + r.api + r.overflowed + r.dropped).toBe(r.requests);
  for (const iv of r.intervals) expect(iv.served + iv.api + iv.overflowed + iv.dropped).toBe(iv.arrivals);
}

/** M/D/1 waiting-time distribution (Erlang): P(W <= t) for arrival rate l and service time d. */
function md1WaitCdf(l: number, d: number, t: number): number {
  const rho = l * d;
  let s = 0;
  for (let k = 0; k <= Math.floor(t / d); k++) {
    const x = l * (k * d - t);
    let term = Math.exp(-x);
    for (let i = 1; i <= k; i++) term *= x / i;
    s += term;
  }
  return (1 - rho) * s;
}

describe('replay: continuous batching over a plan', () => {
  it('every request is served, overflowed or dropped exactly once (scaling, overflow, spot, queue threshold)', () => {
    const plan = onePoolPlan([3, 1, 4, 0, 2], { overflowShare: [0.1, 0, 0.3, 0, 0.05], queueThreshold: 6, spot: [1, 0, 2, 0, 1], interruptionsPerHour: 200, scaleUpDelayS: 20 });
    const r = replayPlan(plan, [linearService({ kvTokenCapacity: 20_000 })], poisson(40, 300, 3, [10, 3000], [1, 300]), { seed: 5, maxQueuePerInstance: 4 });
    conserved(r);
    expect(r.restarted).toBeGreaterThan(0);
    expect(r.overflowed).toBeGreaterThan(0);
    expect(r.dropped).toBeGreaterThan(0); // queues beyond 4 waiting
    expect(r.served).toBeGreaterThan(0);
  });

  it("Little's law at the server: busy share = arrival rate x service time (one sequence at a time)", () => {
    const service = 0.05;
    const rate = 12;
    const r = replayPlan(onePoolPlan(Array(10).fill(1)), [constantService(0.01, 0.05, 1)], poisson(rate, 600, 11, 100, 1));
    conserved(r);
    const busy = r.intervals.slice(1).reduce((a, iv) => a + iv.busyFraction[0], 0) / (r.intervals.length - 1);
    expect(busy).toBeGreaterThan(rate * service * 0.95);
    expect(busy).toBeLessThan(rate * service * 1.05);
  });

  it('one sequence at a time with a constant service time behaves as M/D/1: P(TTFT <= T) = P(wait <= T - D)', () => {
    const d = 0.1;
    const rate = 7;
    const target = 0.5;
    const plan = onePoolPlan(Array(40).fill(1), { slo: { ttftP90Ms: target * 1000, tpotP90Ms: 1 } });
    const r = replayPlan(plan, [constantService(0.01, d, 1)], poisson(rate, 2400, 21, 100, 1));
    const expected = md1WaitCdf(rate, d, target - d);
    expect(expected).toBeGreaterThan(0.6);
    expect(expected).toBeLessThan(0.95);
    expect(Math.abs(r.sloAttainment - expected)).toBeLessThan(0.02);
  });

  it('more instances never lower SLO attainment', () => {
    const slo = { ttftP90Ms: 400, tpotP90Ms: 40 };
    let prev = -1;
    for (const n of [2, 3, 4, 5, 6, 8]) {
      const r = replayPlan(onePoolPlan(Array(5).fill(n), { slo }), [linearService()], poisson(60, 300, 9, [50, 1500], [5, 200]), { seed: 2 });
      expect(r.sloAttainment).toBeGreaterThanOrEqual(prev);
      prev = r.sloAttainment;
    }
    expect(prev).toBeGreaterThan(0.9);
  });

  it('instances added at an interval boundary serve only after the scale-up delay, and are paid from the order', () => {
    const plan = onePoolPlan([1, 3, 3], { scaleUpDelayS: 30, intervalS: 60 });
    const r = replayPlan(plan, [linearService()], poisson(1, 180, 4), {});
    expect(r.intervals[0].activeInstances[0]).toBeCloseTo(1, 6);
    expect(r.intervals[1].activeInstances[0]).toBeCloseTo((1 * 30 + 3 * 30) / 60, 6);
    expect(r.intervals[2].activeInstances[0]).toBeCloseTo(3, 6);
    // Paid GPU-hours: 1 + 3 + 3 instance-minutes x $2/h on demand (plus the drain of in-flight work).
    const paidHours = (r.money.byTier.onDemand / ((730 * 3600) / 180)) / 2;
    expect(paidHours).toBeGreaterThanOrEqual((7 * 60) / 3600 - 1e-9);
    expect(paidHours).toBeLessThan((7 * 60 + 30) / 3600);
  });

  it('a backlog of thousands of requests (request and instance tables grow) is served in full', () => {
    const r = replayPlan(onePoolPlan(Array(3).fill(40)), [constantService(0.05, 0.05, 1)], poisson(2000, 3, 6, 10, 3));
    expect(r.requests).toBeGreaterThan(5000);
    expect(r.served).toBe(r.requests);
    expect(r.intervals[0].meanQueue).toBeGreaterThan(1);
  });

  it('reports progress and stops with CANCELLED when its job is cancelled', async () => {
    const { quietContext } = await import('../../../../src/main/engine/jobs/context');
    const fractions: number[] = [];
    replayPlan(onePoolPlan(Array(10).fill(8)), [linearService()], poisson(300, 600, 2), { ctx: quietContext((u) => fractions.push(u.fraction)) });
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    const abort = new AbortController();
    abort.abort();
    expect(() => replayPlan(onePoolPlan(Array(10).fill(8)), [linearService()], poisson(300, 600, 2), { ctx: quietContext(undefined, abort.signal) })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });

  it('a request that does not fit the KV cache is dropped; requests out of time order are refused', () => {
    const r = replayPlan(onePoolPlan([1]), [linearService({ kvTokenCapacity: 500 })], [{ t: 1, inputTokens: 100, outputTokens: 10 }, { t: 2, inputTokens: 1000, outputTokens: 10 }]);
    expect(r.dropped).toBe(1);
    expect(r.served).toBe(1);
    expect(() => replayPlan(onePoolPlan([1]), [linearService()], [{ t: 2, inputTokens: 1, outputTokens: 1 }, { t: 1, inputTokens: 1, outputTokens: 1 }])).toThrow(/time order/);
  });
});

describe('replay: simulated latency for planners', () => {
  it('bursty arrivals (dispersion > 1) never do better than Poisson arrivals at the same mean rate, and goodput falls with them', async () => {
    const { simulateLatency, goodputBySimulation } = await import('../../../../src/main/engine/replay/estimate');
    const svc = linearService();
    const lengths = () => ({ inputTokens: 800, outputTokens: 100 });
    const slo = { ttftP90Ms: 600, tpotP90Ms: 60 };
    const poissonRun = simulateLatency(svc, lengths, 6, 2, { slo, requests: 3000 });
    const bursty = simulateLatency(svc, lengths, 6, 2, { slo, requests: 3000, dispersion: 9 });
    expect(bursty.ttftP90Ms).toBeGreaterThan(poissonRun.ttftP90Ms);
    expect(bursty.attainment).toBeLessThanOrEqual(poissonRun.attainment);
    const g1 = goodputBySimulation(svc, lengths, 2, { slo, requests: 2000 });
    const g9 = goodputBySimulation(svc, lengths, 2, { slo, requests: 2000, dispersion: 9 });
    expect(g1).toBeGreaterThan(0);
    expect(g9).toBeLessThan(g1);
    // At its goodput, p90 TTFT and TPOT hold: at least 80% of requests meet both (each alone >= 90%).
    expect(simulateLatency(svc, lengths, g1, 2, { slo, requests: 2000 }).attainment).toBeGreaterThanOrEqual(0.8);
  });
  it('goodput is 0, found in a bounded number of simulations, when even one request misses the TTFT target; a hinted search agrees with a cold one within its tolerance', async () => {
    const { goodputBySimulation } = await import('../../../../src/main/engine/replay/estimate');
    const slo = { ttftP90Ms: 600, tpotP90Ms: 60 };
    let prefills = 0;
    const slow = linearService({ prefillPerTokenUs: 2000 }); // an 800-token prompt alone takes 1.6 s
    const counted = { ...slow, prefillSeconds: (p: number, c: number) => (prefills++, slow.prefillSeconds(p, c)) };
    const lengths = () => ({ inputTokens: 800, outputTokens: 100 });
    expect(goodputBySimulation(counted, lengths, 2, { slo, requests: 500 })).toBe(0);
    expect(goodputBySimulation(counted, lengths, 2, { slo, requests: 500, hint: 3 })).toBe(0);
    // Each simulation prefills ~500 prompts: two searches of ~1,000 simulations each would be ~10^6.
    expect(prefills).toBeLessThan(500 * 60);
    const svc = linearService();
    const cold = goodputBySimulation(svc, lengths, 2, { slo, requests: 2000, tolerance: 0.02 });
    for (const hint of [cold * 0.7, cold * 1.1, cold * 3]) {
      const warm = goodputBySimulation(svc, lengths, 2, { slo, requests: 2000, tolerance: 0.02, hint });
      expect(Math.abs(warm - cold) / cold).toBeLessThanOrEqual(0.04);
    }
  });
});
