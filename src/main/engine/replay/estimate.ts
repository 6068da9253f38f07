import { PlanFile } from '../../../shared/contract/planning';
import { createRng, type Rng } from '../predictor/rng';
import { replayPlan } from './simulate';
import type { ReplayRequest, ServiceModel } from './types';

// Latency and goodput of a deployment measured by simulation: Poisson arrivals with lengths drawn
// from a sampler, through `instances` instances with least-loaded routing, under the same
// continuous-batching replay. A planner can use it where no closed form is trusted (the way Vidur
// and Mélange find capacity at an SLO by profiling or simulating). Deterministic for a seed.

export interface SimulatedLatency {
  ttftP90Ms: number;
  tpotP90Ms: number;
  /** Share of requests with TTFT and TPOT within the targets. */
  attainment: number;
}

export type LengthSampler = (rng: Rng) => { inputTokens: number; outputTokens: number };

export interface SimulateOptions {
  slo: { ttftP90Ms: number; tpotP90Ms: number };
  /** Simulated requests (warm-up included); default 4000. */
  requests?: number;
  /** Share of the first requests left out of the figures (the empty-system start); default 0.1. */
  warmupShare?: number;
  prefillTokenBudget?: number;
  seed?: number;
  /**
   * Index of dispersion of per-second arrivals (default 1 = Poisson). Above 1, arrivals come in
   * bursts: a Poisson stream of bursts whose sizes are geometric with mean (D + 1) / 2 (a compound
   * Poisson process has dispersion E[B^2] / E[B] = 2m - 1), each burst's requests spread over one
   * second.
   */
  dispersion?: number;
}

/** One validated interval-and-fleet template per pool size: validating a plan per simulation cost ~10% of a plan's estimates. */
const poolTemplates = new Map<string, PlanFile>();

function poolPlan(instances: number, slo: SimulateOptions['slo'], intervalS: number, nIntervals: number): PlanFile {
  const key = `${instances}|${slo.ttftP90Ms}|${slo.tpotP90Ms}`;
  let tpl = poolTemplates.get(key);
  if (!tpl) {
    tpl = PlanFile.parse({
      kind: 'routeplan-plan',
      version: 1,
      mode: 'static',
      intervalS: 1,
      slo,
      models: [{ name: 'pool' }],
      deployments: [{ model: 0, gpuType: 'gpu', gpusPerInstance: 1, goodputPerInstance: 1 }],
      scaleUpDelayS: 0,
      spotReplacementS: 0,
      pricing: [{ gpuType: 'gpu', onDemandPerGpuHour: 1, reserved1yPerGpuHour: 1, reserved3yPerGpuHour: 1, spotPerGpuHour: 1, spotInterruptionsPerHour: 0 }],
      tiers: [],
      intervals: [{ demandRate: 0, inputTokens: 0, outputTokens: 0, routing: [[1]], overflowShare: 0, instances: [instances], spotInstances: [0], utilisation: [0], ttftP90Ms: [null], tpotP90Ms: [null], attainment: 1, cost: 0 }],
      sloAttainment: 1,
      monthlyCost: 0,
      money: { total: 0, byTier: { reserved: 0, onDemand: 0, spot: 0, api: 0 }, byGpuType: [], perMillionTokens: 0, perThousandRequests: 0 },
    });
    if (poolTemplates.size > 64) poolTemplates.clear();
    poolTemplates.set(key, tpl);
  }
  // The replay only reads the plan, so every interval may share the template's one.
  return { ...tpl, intervalS, intervals: Array.from({ length: nIntervals }, () => tpl.intervals[0]) };
}

/** p90 TTFT/TPOT and attainment of `instances` instances each offered `ratePerInstance` Poisson arrivals. */
export function simulateLatency(service: ServiceModel, lengths: LengthSampler, ratePerInstance: number, instances: number, o: SimulateOptions): SimulatedLatency {
  const n = o.requests ?? 4000;
  const warm = Math.floor(n * (o.warmupShare ?? 0.1));
  const total = ratePerInstance * instances;
  const rng = createRng(o.seed ?? 7);
  const reqs: ReplayRequest[] = [];
  const burst = Math.max(1, ((o.dispersion ?? 1) + 1) / 2);
  let t = 0;
  if (burst <= 1) {
    for (let i = 0; i < n; i++) {
      t += -Math.log(1 - rng.next()) / total;
      reqs.push({ t, ...lengths(rng) });
    }
  } else {
    while (reqs.length < n) {
      t += -Math.log(1 - rng.next()) / (total / burst);
      const size = 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / burst));
      for (let b = 0; b < size && reqs.length < n; b++) reqs.push({ t: t + rng.next(), ...lengths(rng) });
    }
    reqs.sort((a, b) => a.t - b.t);
    t = reqs[reqs.length - 1].t;
  }
  // Interval 0 holds the warm-up; attainment counts the later intervals (the horizon covers all arrivals).
  const split = Math.max(warm > 0 ? reqs[warm].t : 0, 1e-6);
  const plan = poolPlan(instances, o.slo, split, Math.ceil(t / split) + 1);
  const rep = replayPlan(plan, [service], reqs, { prefillTokenBudget: o.prefillTokenBudget, seed: o.seed });
  let arrivals = 0;
  let attained = 0;
  for (const iv of rep.intervals.slice(warm > 0 ? 1 : 0)) {
    arrivals += iv.arrivals;
    attained += iv.attainment * iv.arrivals;
  }
  return { ttftP90Ms: rep.ttftP90Ms ?? 0, tpotP90Ms: rep.tpotP90Ms ?? 0, attainment: arrivals ? attained / arrivals : rep.sloAttainment };
}

/**
 * Goodput: the largest rate per instance at which p90 TTFT and p90 TPOT stay within the SLO, to
 * within `tolerance` (relative, default 0.01): the bisection's bracket [lo, hi] ends with
 * hi - lo <= tolerance x hi and lo passing. Cold, the bracket doubles up from (0, 1]; with `hint`
 * (a goodput already found for a nearby workload, e.g. the neighbouring length quantum) it
 * starts at [hint / 1.25, hint] and widens by 1.25x steps until it holds the boundary, which
 * takes about half the simulations of a cold search and meets the same tolerance.
 */
/** Requests/s per instance below which a goodput search reports 0 (one request every ~3 hours). */
export const MIN_GOODPUT = 1e-4;

export function goodputBySimulation(service: ServiceModel, lengths: LengthSampler, instances: number, o: SimulateOptions & { tolerance?: number; hint?: number }): number {
  const ok = (rate: number) => {
    const s = simulateLatency(service, lengths, rate, instances, o);
    return s.ttftP90Ms <= o.slo.ttftP90Ms && s.tpotP90Ms <= o.slo.tpotP90Ms;
  };
  let lo = 0;
  let hi = 1;
  if (o.hint != null && o.hint > 1e-6 && o.hint < 1e6) {
    const step = 1.25;
    lo = o.hint / step;
    hi = o.hint;
    if (ok(hi)) {
      do {
        lo = hi;
        hi *= step;
      } while (ok(hi) && hi < 1e6);
    } else {
      // Down in widening steps (1.25, 1.56, 2.4, 5.9, ...x): a goodput of 0 is found in a few.
      for (let down = step; !ok(lo); down *= down) {
        hi = lo;
        lo /= down;
        if (lo < MIN_GOODPUT) {
          lo = 0;
          break;
        }
      }
    }
  } else {
    while (ok(hi) && hi < 1e6) {
      lo = hi;
      hi *= 2;
    }
  }
  const tol = o.tolerance ?? 0.01;
  // When even light load misses the SLO (a prompt whose prefill alone outlasts the TTFT target),
  // lo stays 0 and the relative bracket never closes: without a floor the search halved hi
  // ~1,000 times (one simulation each) before it underflowed. Below MIN_GOODPUT it is 0.
  while (hi - lo > tol * hi && hi > MIN_GOODPUT) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return hi > MIN_GOODPUT ? lo : 0;
}
