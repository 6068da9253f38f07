import { PlanFile, type PlanInterval } from '../../../shared/contract/planning';
import { EngineError } from '../../../shared/errors';
import { quietContext } from '../jobs/context';
import { chooseTiers, type TierOptions } from '../money/tiers';
import { apiUsd, fleetCost, monthlyCost } from '../money/report';
import { reservedPerGpuHour } from '../money/prices';
import { checkInventory, gpusByType, designWorkload, modelRates, optionOrder, percentileOf, sizeInterval, workloadOf } from './sizing';
import type { PlanMode, PlanningInput } from './types';

// A plan over time in one of three modes:
// - static: one fleet for the whole horizon, each deployment sized at a percentile of the
//   intervals' needs (P95, P99, 1 = peak), optionally one more instance per hosted model (N+1);
// - autoscale: per-interval counts sized for the busiest interval within the scale-up delay
//   ([t, t + delay]), since instances ordered at t serve only after the delay; then a minimum of
//   replicas per hosted model and counts rounded up to the scale step;
// - overflow: the static fleet at a percentile, and per interval the share of arrivals sent to the
//   overflow API model so that no hosted model exceeds its capacity at the SLO (times
//   maxUtilisation): the largest 1 - capacity / rate over the hosted models (one share for all arrivals, as the replay applies
//   it before routing), within the API's rate limit.
// Intervals that give a peak rate (their busiest stretch) are sized, and their overflow share set,
// for that peak; latencies are estimated at the mean rate.
// Then the money: per GPU type the reserved baseline, spot share and on-demand burst that minimise
// the horizon's cost (money/tiers.ts); spot instances get headroom for their interruptions
// (ceil(spot x rate x replacement hours)). Each interval reports the load against goodput, the
// estimated p90 latencies per model and the SLO attainment promised (API-served requests count as
// within the SLO, as in the replay).

export function planOverTime(input: PlanningInput, how: PlanMode): PlanFile {
  const ctx = input.ctx ?? quietContext();
  const T = input.demand.length;
  const M = input.models.length;
  const D = input.deployments.length;
  const buckets = (input.lengthBuckets ?? []).length + 1;
  if (!T) throw new EngineError('INVALID_INPUT', 'the demand has no intervals');
  if (input.routing.length !== buckets || input.routing.some((r) => r.length !== M)) throw new EngineError('INVALID_INPUT', `routing must have ${buckets} rows of ${M} shares`);
  const rates = modelRates(input);
  const sizing = modelRates(input, true);
  const order = optionOrder(input);
  const raw: Int32Array[] = [];
  const short = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const s = sizeInterval(input, t, sizing, order, how.mode !== 'autoscale');
    raw.push(s.counts);
    short[t] = s.shortRate;
    if ((t & 255) === 0) ctx.check();
  }
  ctx.progress({ stage: 'sizing', fraction: 0.4 });

  let counts: Int32Array[];
  let scaleUpDelayS = 0;
  if (how.mode === 'autoscale') {
    scaleUpDelayS = how.scaleUpDelayS;
    const w = Math.ceil(how.scaleUpDelayS / input.intervalS);
    const step = Math.max(1, how.scaleStep ?? 1);
    const minReplicas = how.minReplicas ?? 1;
    counts = raw.map((_, t) => {
      const c = new Int32Array(D);
      for (let u = t; u <= Math.min(T - 1, t + w); u++) for (let j = 0; j < D; j++) c[j] = Math.max(c[j], raw[u][j]);
      input.models.forEach((m, mi) => {
        if (m.api || !order[mi].length) return;
        const have = order[mi].reduce((a, j) => a + c[j], 0);
        if (have < minReplicas) c[order[mi][0]] += minReplicas - have;
      });
      for (let j = 0; j < D; j++) if (c[j] > 0) c[j] = Math.ceil(c[j] / step) * step;
      checkInventory(input, t, c, `the autoscaled fleet (busiest interval within the ${how.scaleUpDelayS} s scale-up delay, min ${minReplicas} replicas, step ${step})`);
      return c;
    });
  } else {
    const p = how.percentile;
    if (!(p > 0 && p <= 1)) throw new EngineError('INVALID_INPUT', `percentile must be in (0, 1], got ${p}`);
    // The interval at the percentile's rank must itself be servable by the inventory.
    const peakOf = (t: number) => Math.max(input.demand[t].rate, input.demand[t].peakRate ?? 0);
    const byRate = Array.from({ length: T }, (_, t) => t).sort((a, b) => peakOf(a) - peakOf(b));
    const atRank = byRate[Math.max(0, Math.ceil(p * T) - 1)];
    if (short[atRank] > 1e-9) throw new EngineError('INFEASIBLE', `interval ${atRank}: the inventory cannot serve the P${Math.round(p * 100)} interval's ${input.demand[atRank].rate.toFixed(2)} req/s${peakOf(atRank) > input.demand[atRank].rate ? ` (sized for its busiest stretch, ${peakOf(atRank).toFixed(2)} req/s)` : ''}: ${short[atRank].toFixed(2)} req/s short at the SLO`, { interval: atRank, binding: 'inventory' });
    let fleet = new Int32Array(D);
    for (let j = 0; j < D; j++) fleet[j] = percentileOf(raw.map((c) => c[j]), p);
    // Per-deployment percentiles can come from different intervals (when a model's cheapest GPU
    // type runs out its load spills to another); if together they overrun the inventory, the
    // fleet sized for the interval at the percentile's rank (which fits) is the static fleet.
    if ([...gpusByType(input, fleet)].some(([type, used]) => used > (input.inventory[type] ?? 0))) fleet = Int32Array.from(raw[atRank]);
    if (how.mode === 'static' && how.nPlusOne) {
      input.models.forEach((m, mi) => {
        const used = order[mi].filter((j) => fleet[j] > 0);
        if (!m.api && used.length) fleet[used[0]]++;
      });
    }
    checkInventory(input, atRank, fleet, `the static fleet at P${Math.round(p * 100)}${how.mode === 'static' && how.nPlusOne ? ' with N+1' : ''}`);
    counts = raw.map(() => Int32Array.from(fleet));
  }

  // Money: GPUs per type per interval -> tiers; spot instances with their interruption headroom.
  const tierOpts: TierOptions = { reservedTerm: input.tiers?.reservedTerm ?? '1y', maxSpotShare: input.tiers?.maxSpotShare ?? 0, spotReplacementS: input.tiers?.spotReplacementS ?? 300 };
  const types = [...new Set(input.deployments.map((d) => d.gpuType))];
  const pricing = types.map((g) => {
    const p = input.pricing.find((x) => x.gpuType === g);
    if (!p) throw new EngineError('INVALID_INPUT', `no pricing for GPU type "${g}"`, { gpuType: g });
    return p;
  });
  const spotCounts = counts.map(() => new Int32Array(D));
  const tiers = types.map((g, gi) => {
    const gpus = counts.map((c) => input.deployments.reduce((a, d, j) => a + (d.gpuType === g ? c[j] * d.gpusPerInstance : 0), 0));
    const choice = chooseTiers(g, gpus, input.intervalS, pricing[gi], tierOpts);
    const rateH = pricing[gi].spotInterruptionsPerHour * (tierOpts.spotReplacementS / 3600);
    counts.forEach((c, t) => {
      const share = gpus[t] > 0 ? choice.spotGpus[t] / gpus[t] : 0;
      input.deployments.forEach((d, j) => {
        if (d.gpuType !== g || share <= 0) return;
        const s = Math.floor(share * c[j] + 1e-9);
        const headroom = s > 0 ? Math.ceil(s * rateH) : 0;
        spotCounts[t][j] = s + headroom;
        c[j] += headroom;
      });
    });
    return choice;
  });
  counts.forEach((c, t) => checkInventory(input, t, c, 'the fleet with spot headroom'));
  ctx.progress({ stage: 'money', fraction: 0.6 });

  // Per interval: overflow, load, latency, attainment, cost.
  const dw = designWorkload(input);
  const overflowModel = how.mode === 'overflow' ? how.overflowModel : null;
  if (overflowModel != null && !input.models[overflowModel]?.api) throw new EngineError('INVALID_INPUT', `the overflow model must be an API model (model ${overflowModel})`);
  const gpuCost = types.map((g, gi) => {
    const reg = counts.map((c, t) => input.deployments.reduce((a, d, j) => a + (d.gpuType === g ? (c[j] - spotCounts[t][j]) * d.gpusPerInstance : 0), 0));
    const sp = counts.map((_, t) => input.deployments.reduce((a, d, j) => a + (d.gpuType === g ? spotCounts[t][j] * d.gpusPerInstance : 0), 0));
    return { reg, sp, total: fleetCost(reg, sp, input.intervalS, pricing[gi], tiers[gi].reservedGpus, tiers[gi].reservedTerm) };
  });
  let apiTotal = 0;
  let tokens = 0;
  let requests = 0;
  let attainedRate = 0;
  let totalRate = 0;
  const h = input.intervalS / 3600;
  const serving = servingCounts(counts, scaleUpDelayS, input.intervalS);
  const intervals: PlanInterval[] = input.demand.map((dem, t) => {
    const w = workloadOf(input, t);
    const c = serving[t];
    const cap = new Float64Array(M);
    const g = input.deployments.map((_, j) => (c[j] > 0 ? input.goodputPerInstance(j, w) : 0));
    input.deployments.forEach((d, j) => (cap[d.model] += c[j] * g[j]));
    let overflowShare = 0;
    if (overflowModel != null) {
      for (let m = 0; m < M; m++) {
        const r = sizing[t * M + m];
        if (!input.models[m].api && r > 0) overflowShare = Math.max(overflowShare, 1 - (cap[m] * (input.maxUtilisation ?? 1)) / r);
      }
      overflowShare = Math.min(1, Math.max(0, overflowShare));
      const limit = input.models[overflowModel].api?.rateLimitQps;
      if (limit != null && overflowShare * dem.rate > limit + 1e-9) throw new EngineError('INFEASIBLE', `interval ${t}: ${(overflowShare * dem.rate).toFixed(2)} req/s must overflow to "${input.models[overflowModel].name}" but its rate limit is ${limit} req/s`, { interval: t, binding: 'rateLimit' });
    }
    const utilisation = input.deployments.map((d, j) => (c[j] > 0 && cap[d.model] > 0 ? (rates[t * M + d.model] * (1 - overflowShare)) / cap[d.model] : 0));
    const ttft: (number | null)[] = Array(M).fill(null);
    const tpot: (number | null)[] = Array(M).fill(null);
    let attained = 0;
    let apiCost = 0;
    for (let m = 0; m < M; m++) {
      const r = rates[t * M + m] * (1 - overflowShare);
      const api = input.models[m].api;
      if (api) {
        attained += r;
        apiCost += apiUsd(r * input.intervalS * w.inputTokens, r * input.intervalS * w.outputTokens, api.priceInPerM, api.priceOutPerM);
        continue;
      }
      if (r <= 0) continue;
      if (cap[m] <= 0) continue; // nothing hosts it: those requests are lost (only when sized below this interval)
      input.deployments.forEach((d, j) => {
        if (d.model !== m || c[j] === 0) return;
        const est = input.estimateLatency(j, w, (r * g[j]) / cap[m], Math.max(1, Math.round(c[j])));
        attained += r * ((c[j] * g[j]) / cap[m]) * Math.max(0, Math.min(1, est.attainment));
        ttft[m] = Math.max(ttft[m] ?? 0, est.ttftP90Ms);
        tpot[m] = Math.max(tpot[m] ?? 0, est.tpotP90Ms);
      });
    }
    if (overflowModel != null && overflowShare > 0) {
      const api = input.models[overflowModel].api!;
      const r = dem.rate * overflowShare;
      attained += r;
      apiCost += apiUsd(r * input.intervalS * w.inputTokens, r * input.intervalS * w.outputTokens, api.priceInPerM, api.priceOutPerM);
    }
    apiTotal += apiCost;
    tokens += dem.rate * input.intervalS * (dem.inputTokens + dem.outputTokens);
    requests += dem.rate * input.intervalS;
    attainedRate += attained;
    totalRate += dem.rate;
    let cost = apiCost;
    types.forEach((_, gi) => {
      const p = pricing[gi];
      const r = tiers[gi].reservedGpus;
      cost += r * reservedPerGpuHour(p, tiers[gi].reservedTerm) * h + Math.max(0, gpuCost[gi].reg[t] - r) * p.onDemandPerGpuHour * h + gpuCost[gi].sp[t] * p.spotPerGpuHour * h;
    });
    if ((t & 255) === 0) ctx.check();
    return {
      demandRate: dem.rate,
      inputTokens: dem.inputTokens,
      outputTokens: dem.outputTokens,
      routing: input.routing,
      overflowShare,
      instances: Array.from(counts[t]),
      spotInstances: Array.from(spotCounts[t]),
      utilisation,
      ttftP90Ms: ttft,
      tpotP90Ms: tpot,
      attainment: dem.rate > 0 ? Math.min(1, attained / dem.rate) : 1,
      cost,
    };
  });
  const money = monthlyCost(
    gpuCost.map((x) => x.total),
    apiTotal,
    T * input.intervalS,
    tokens,
    requests,
  );
  if (input.budgetMonth != null && money.total > input.budgetMonth) {
    const t = intervals.reduce((best, iv, i) => (iv.cost > intervals[best].cost ? i : best), 0);
    throw new EngineError('INFEASIBLE', `interval ${t}: the plan costs $${money.total.toFixed(0)}/month, over the $${input.budgetMonth}/month budget; interval ${t} is the dearest ($${intervals[t].cost.toFixed(2)})`, { interval: t, binding: 'budget', monthlyCost: money.total });
  }
  ctx.progress({ stage: 'plan', fraction: 1 });
  return PlanFile.parse({
    kind: 'routeplan-plan',
    version: 1,
    mode: how.mode,
    intervalS: input.intervalS,
    slo: input.slo,
    models: input.models.map((m) => ({ name: m.name, api: m.api ?? null })),
    deployments: input.deployments.map((d, j) => ({ ...d, goodputPerInstance: Math.max(1e-9, input.goodputPerInstance(j, dw)) })),
    lengthBuckets: input.lengthBuckets ?? [],
    overflow: overflowModel != null ? { model: overflowModel, queueThreshold: how.mode === 'overflow' ? (how.queueThreshold ?? null) : null } : null,
    scaleUpDelayS,
    spotReplacementS: tierOpts.spotReplacementS,
    pricing,
    tiers: tiers.map((x) => ({ gpuType: x.gpuType, reservedGpus: x.reservedGpus, reservedTerm: x.reservedTerm, spotGpusByInterval: Array.from(x.spotGpus) })),
    intervals,
    sloAttainment: totalRate > 0 ? Math.min(1, attainedRate / totalRate) : 1,
    monthlyCost: money.total,
    money,
  });
}

/**
 * Instances in service per interval (time-weighted): an instance ordered at boundary u serves from
 * u x intervalS + delay, a retired one stops at once. With delay = k intervals + r seconds, the
 * first r seconds of interval t are served by min(counts[t-k-1 .. t]) and the rest by
 * min(counts[t-k .. t]) (the fleet at time 0 is up at once).
 */
export function servingCounts(counts: Int32Array[], delayS: number, intervalS: number): Float64Array[] {
  const k = Math.floor(delayS / intervalS);
  const frac = (delayS - k * intervalS) / intervalS;
  const minOver = (t: number, j: number, back: number) => {
    let m = counts[t][j];
    for (let u = Math.max(0, t - back); u < t; u++) m = Math.min(m, counts[u][j]);
    return m;
  };
  return counts.map((c, t) => Float64Array.from(c, (_, j) => (delayS <= 0 ? c[j] : frac * minOver(t, j, k + 1) + (1 - frac) * minOver(t, j, k))));
}
