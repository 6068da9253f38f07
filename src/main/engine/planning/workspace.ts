// A plan over time from the workspace: the stored demand (a trace or a typed profile), the design
// point's allocation (which model takes which share of traffic, on which deployment options, from
// allocation.solve on the serving-performance model at the traffic's own token lengths), and the
// performance model as the service model of every option. Goodput and latency at each interval's
// load are measured by simulating that service model under lengths drawn from the demand itself
// (replay/estimate.ts), which is exactly what the replay then runs against the real arrivals: the
// promise and the check share one model, and differ only by the traffic.
import { EngineError } from '../../../shared/errors';
import type { AllocationResult, DeploymentCount, ExtendedForm } from '../../../shared/contract/allocation';
import type { PlanFile } from '../../../shared/contract/planning';
import type { PlanCreateInput } from '../../../shared/contract/planning-methods';
import type { JobContext } from '../jobs/context';
import { deploymentFor } from '../allocation/deployment-performance';
import { decodeStepSeconds, prefillSeconds } from '../performance/iteration';
import { memoryPlan } from '../performance/memory';
import { goodputBySimulation, simulateLatency, type LengthSampler } from '../replay/estimate';
import type { ServiceModel } from '../replay/types';
import { defaultPricing } from '../money/prices';
import type { Db } from '../store/database';
import { demandIntervals, latestDemandId, requestBatches } from '../demand';
import { lengthModel } from '../demand/profile-model';
import { getDemand } from '../store/demand';
import { createRng } from '../predictor/rng';
import { busiestWindowRate, perSecondArrivals } from '../demand/arrivals';
import { replayPlan } from '../replay/simulate';
import type { ReplayRequest } from '../replay/types';
import { planOverTime } from './plan';
import type { DemandInterval, PlanMode, PlanningInput, Workload } from './types';

type Describe = NonNullable<NonNullable<ExtendedForm['deployments'][number]['perf']>['describe']>;

/** The performance model of one deployment as the replay's service model. */
export function serviceModelOf(describe: Describe): ServiceModel {
  // A GPU the workspace specified travels in the description (plan files stay self-contained).
  const d = deploymentFor({ model: describe.architecture, architecture: describe.architecture, gpuType: describe.gpu, gpusPerInstance: describe.gpus, memoryGb: describe.memoryGb }, describe, describe.gpuSpec ? [describe.gpuSpec] : []);
  if (!d) throw new EngineError('INVALID_INPUT', `the performance catalogs know no "${describe.architecture}" or no GPU "${describe.gpu}"`, { architecture: describe.architecture, gpu: describe.gpu });
  const kv = memoryPlan(d).kvTokenCapacity;
  return { decodeStepSeconds: (n, r) => decodeStepSeconds(d, n, r), prefillSeconds: (p, c) => prefillSeconds(d, p, c), kvTokenCapacity: kv, maxRunningSeqs: 256 };
}

/**
 * Up to `size` (input, output) pairs spread evenly over the demand, to draw request lengths from.
 * A typed profile draws every request's lengths independently from one length model, so its
 * sample is drawn from that model directly (seeded): streaming a week of a profile (60M requests
 * at 100 req/s) only to keep 20,000 of them took most of plan.create's time.
 */
export function lengthSample(db: Db, demandId: number, size = 20_000): { input: Int32Array; output: Int32Array } {
  const d = getDemand(db, demandId);
  if (d.kind === 'profile') {
    const spec = d.summary.profile!;
    const model = lengthModel(spec.lengths);
    const rng = createRng(spec.seed);
    const n = Math.min(size, Math.max(1, Math.round(d.requests)));
    const input = new Int32Array(n);
    const output = new Int32Array(n);
    for (let i = 0; i < n; i++) [input[i], output[i]] = model.sample(rng);
    return { input, output };
  }
  const all: [number, number][] = [];
  let seen = 0;
  // A systematic sample: keep every k-th request, doubling k whenever the sample overflows.
  let k = 1;
  for (const b of requestBatches(db, demandId, {})) {
    for (let i = 0; i < b.t.length; i++, seen++) {
      if (seen % k) continue;
      all.push([b.inputTokens[i], b.outputTokens[i]]);
      if (all.length >= 2 * size) {
        k *= 2;
        for (let j = 0; j < all.length / 2; j++) all[j] = all[2 * j];
        all.length = Math.floor(all.length / 2);
      }
    }
  }
  return { input: Int32Array.from(all, (x) => x[0]), output: Int32Array.from(all, (x) => x[1]) };
}

export interface WorkspacePlanOutcome {
  plan: PlanFile;
  quality: number | null;
  design: { trafficQps: number; allocation: Pick<AllocationResult, 'status' | 'objective' | 'bound' | 'gap' | 'share' | 'instances'> };
}

/**
 * `solveDesign(workload, trafficQps)` runs allocation.solve on the workspace at the traffic's
 * lengths (the caller owns the engine); it returns the result and the extended form it solved.
 */
export async function planFromWorkspace(
  db: Db,
  input: PlanCreateInput,
  solveDesign: (workload: Workload, trafficQps: number) => Promise<{ result: AllocationResult; form: ExtendedForm }>,
  ctx: JobContext,
): Promise<WorkspacePlanOutcome> {
  const demandId = input.demandId ?? latestDemandId(db);
  const iv = demandIntervals(db, demandId, input.intervalS, { scale: input.scale });
  const T = iv.rate.length;
  // Each interval is sized for its busiest minute (the minutes' rates carry the trace's or the
  // profile's bursts), while its latency is estimated at its mean rate: an hour planned on its mean
  // alone runs short in every bursty minute.
  // A trace's arrivals per second at the plan's scale size its intervals for their busiest
  // `burstWindowS` seconds and simulate the promise (below); a profile's minutes carry its bursts.
  ctx.progress({ stage: 'arrivals per second', fraction: 0.01 });
  const perSecond = perSecondArrivals(db, demandId, { scale: input.scale });
  // Minutes are read only when no per-second counts exist (a profile, or a trace beyond 35 days).
  const perMinute = perSecond ? null : input.intervalS > 60 ? demandIntervals(db, demandId, 60, { scale: input.scale }).rate : iv.rate;
  const minutesPer = input.intervalS / 60;
  const window = Math.min(input.burstWindowS, input.intervalS);
  const demand: DemandInterval[] = Array.from({ length: T }, (_, t) => {
    let peak = iv.rate[t];
    if (perSecond) peak = Math.max(peak, busiestWindowRate(perSecond, t * input.intervalS, (t + 1) * input.intervalS, window));
    else if (perMinute) for (let m = t * minutesPer; m < Math.min(perMinute.length, (t + 1) * minutesPer); m++) peak = Math.max(peak, perMinute[m]);
    return { rate: iv.rate[t], peakRate: peak, inputTokens: Number.isFinite(iv.meanInput[t]) ? iv.meanInput[t] : 0, outputTokens: Number.isFinite(iv.meanOutput[t]) ? iv.meanOutput[t] : 0 };
  });
  let n = 0;
  let sumIn = 0;
  let sumOut = 0;
  for (const d of demand) (n += d.rate), (sumIn += d.rate * d.inputTokens), (sumOut += d.rate * d.outputTokens);
  if (!(n > 0)) throw new EngineError('INVALID_INPUT', `demand ${demandId} has no requests`, { demandId });
  const mean: Workload = { inputTokens: sumIn / n, outputTokens: sumOut / n };
  // The design point: the traffic at the plan's percentile of intervals (the fleet's busiest hour it must hold).
  const sorted = Float64Array.from(iv.rate).sort();
  const pct = 'percentile' in input.mode ? input.mode.percentile : 0.95;
  const designQps = Math.max(1e-3, sorted[Math.min(T - 1, Math.max(0, Math.ceil(pct * T) - 1))]);
  ctx.progress({ stage: 'design-point allocation', fraction: 0.05 });
  const { result, form } = await solveDesign(mean, designQps);
  if (result.status === 'infeasible') throw new EngineError('INFEASIBLE', `at the design point (${designQps.toFixed(2)} q/s, the ${Math.round(pct * 100)}th percentile of ${input.intervalS} s intervals): ${result.message ?? 'no allocation'}`, { binding: result.binding });
  ctx.progress({ stage: 'goodput and latency estimates', fraction: 0.1 });
  const share = result.share ?? {};
  const sample = lengthSample(db, demandId);
  if (!sample.input.length) throw new EngineError('INVALID_INPUT', `demand ${demandId} holds no requests to draw lengths from`, { demandId });

  // Models: those the allocation routes traffic to, and every API model (the overflow candidates).
  const modelIdx = form.models.map((_, j) => j).filter((j) => (share[form.models[j]] ?? 0) > 0 || form.apiModels.some((a) => a.model === form.models[j]));
  const api = new Map(form.apiModels.map((a) => [a.model, a]));
  const models = modelIdx.map((j) => ({ name: form.models[j], api: api.has(form.models[j]) ? { priceInPerM: api.get(form.models[j])!.priceInPerM, priceOutPerM: api.get(form.models[j])!.priceOutPerM, rateLimitQps: api.get(form.models[j])!.rateLimitQps ?? null } : null }));
  const routingRow = modelIdx.map((j) => share[form.models[j]] ?? 0);
  const total = routingRow.reduce((a, b) => a + b, 0);
  const routing = [routingRow.map((x) => x / total)];
  const options = form.deployments.map((d, x) => ({ d, x })).filter(({ d }) => modelIdx.includes(form.models.indexOf(d.model)) && d.perf?.describe);
  const typed = form.deployments.filter((d) => modelIdx.includes(form.models.indexOf(d.model)) && (share[d.model] ?? 0) > 0 && !d.perf?.describe);
  if (typed.length) throw new EngineError('INVALID_INPUT', `plans over time need the performance model for every routed self-hosted model; ${[...new Set(typed.map((d) => d.model))].join(', ')} have only typed-in profiles (give their architecture)`, { models: typed.map((d) => d.model) });
  const services = options.map(({ d }) => serviceModelOf(d.perf!.describe!));
  const deployments = options.map(({ d }) => ({ model: modelIdx.indexOf(form.models.indexOf(d.model)), gpuType: d.gpuType, gpusPerInstance: d.gpusPerInstance }));

  // Lengths a deployment receives: the demand's own (input, output) pairs scaled to an interval's means.
  const sampler = (w: Workload): LengthSampler => {
    const ki = w.inputTokens > 0 ? w.inputTokens / mean.inputTokens : 1;
    const ko = w.outputTokens > 0 ? w.outputTokens / mean.outputTokens : 1;
    return (rng) => {
      const i = rng.int(sample.input.length);
      return { inputTokens: Math.max(1, Math.round(sample.input[i] * ki)), outputTokens: Math.max(1, Math.round(sample.output[i] * ko)) };
    };
  };
  const q = (w: Workload) => `${Math.round((w.inputTokens / mean.inputTokens) * 20)}:${Math.round((w.outputTokens / mean.outputTokens) * 20)}`;
  const quant = (w: Workload): Workload => {
    const [a, b] = q(w).split(':').map(Number);
    return { inputTokens: (Math.max(1, a) / 20) * mean.inputTokens, outputTokens: (Math.max(1, b) / 20) * mean.outputTokens };
  };
  const goodputs = new Map<string, number>();
  const nearestGoodput = (j: number, quantum: string): number | undefined => {
    const [a, b] = quantum.split(':').map(Number);
    let best: number | undefined;
    let dist = Infinity;
    for (const [k, g] of goodputs) {
      const [kj, kq] = k.split('|');
      if (Number(kj) !== j) continue;
      const [x, y] = kq.split(':').map(Number);
      const d = Math.abs(x - a) + Math.abs(y - b);
      if (d < dist) (dist = d), (best = g);
    }
    return best;
  };
  const latencies = new Map<string, { ttftP90Ms: number; tpotP90Ms: number; attainment: number }>();
  const inventory: Record<string, number> = {};
  for (const g of form.gpuTypes) inventory[g.name] = g.count;
  const mode: PlanMode = input.mode.mode === 'overflow' ? { ...input.mode, overflowModel: overflowModelOf(input.mode.overflowModel, models) } : (input.mode as PlanMode);
  const planning: PlanningInput = {
    intervalS: input.intervalS,
    demand,
    models,
    routing,
    deployments,
    goodputPerInstance: (j, w) => {
      const key = `${j}|${q(w)}`;
      let g = goodputs.get(key);
      if (g == null) {
        // Warm-started from the nearest length quantum already measured for this deployment
        // (same 2% tolerance, about half the simulations; a trace at 60 s visits ~20 quanta each).
        g = goodputBySimulation(services[j], sampler(quant(w)), 4, { slo: input.slo, requests: 3000, tolerance: 0.02, hint: nearestGoodput(j, q(w)) });
        goodputs.set(key, g);
      }
      return g;
    },
    estimateLatency: (j, w, rate, instances) => {
      const pool = Math.min(instances, 8);
      const key = `${j}|${q(w)}|${Math.round(Math.log(Math.max(rate, 1e-6)) / Math.log(1.02))}|${pool}`;
      let e = latencies.get(key);
      if (!e) {
        e = simulateLatency(services[j], sampler(quant(w)), rate, pool, { slo: input.slo, requests: 4000 });
        latencies.set(key, e);
      }
      return e;
    },
    inventory,
    pricing: form.gpuTypes.map((g) => defaultPricing(g.name, g.hourlyPrice, input.pricing?.find((p) => p.gpuType === g.name) ?? {})),
    slo: input.slo,
    tiers: input.tiers,
    budgetMonth: input.budgetMonth ?? null,
    maxUtilisation: input.maxUtilisation,
    ctx,
  };
  const plan = planOverTime(planning, mode);
  // The replay rebuilds each deployment's service model from its description.
  plan.deployments = plan.deployments.map((d, j) => ({ ...d, serving: options[j].d.perf!.describe! }));
  if (perSecond) {
    // The promise of a trace: its per-second arrival counts (lengths drawn from the demand at each
    // interval's means) simulated through the plan, so bursts shorter than an interval, and the
    // queues they leave behind, are in it. The per-interval estimates at the mean rate assume
    // Poisson arrivals within the interval and promise too much for a bursty trace.
    ctx.progress({ stage: 'promise: per-second arrivals through the plan', fraction: 0.92 });
    const sim = replayPlan(plan, services, burstArrivals(perSecond, demand, input.intervalS, sample, mean, input.seed), { seed: input.seed, ctx: { signal: ctx.signal, check: () => ctx.check(), progress: () => {} } });
    plan.intervals = plan.intervals.map((x, t) => ({ ...x, attainment: sim.intervals[t] && sim.intervals[t].arrivals > 0 ? sim.intervals[t].attainment : x.attainment }));
    plan.sloAttainment = sim.sloAttainment;
    // Overflow in a burst meets the API's rate limit (a token bucket) and stays on the fleet: the
    // API $ promised is the simulated one; GPU $ do not depend on the arrivals.
    const api = sim.money.byTier.api;
    if (Math.abs(api - plan.money.byTier.api) > 1e-9) {
      const total = plan.money.total - plan.money.byTier.api + api;
      const k = plan.money.total > 0 ? total / plan.money.total : 1;
      plan.money = { ...plan.money, total, byTier: { ...plan.money.byTier, api }, perMillionTokens: plan.money.perMillionTokens * k, perThousandRequests: plan.money.perThousandRequests * k };
      plan.monthlyCost = total;
    }
    plan.promise = { method: 'per-second arrivals simulated', burstWindowS: window };
  } else {
    plan.promise = { method: 'interval means (Poisson within an interval)', burstWindowS: 60 };
  }
  const allocation = { status: result.status, objective: result.objective, bound: result.bound, gap: result.gap, share: result.share, instances: result.instances as DeploymentCount[] };
  return { plan, quality: result.objective, design: { trafficQps: designQps, allocation } };
}

/** Requests at a trace's per-second counts (uniform within each second), lengths from the demand's own pairs scaled to their interval's means. */
function* burstArrivals(counts: Uint32Array, demand: DemandInterval[], intervalS: number, sample: { input: Int32Array; output: Int32Array }, mean: Workload, seed: number): Generator<ReplayRequest> {
  const rng = createRng(seed + 0x5eed);
  const offsets: number[] = [];
  for (let s = 0; s < counts.length; s++) {
    const k = counts[s];
    if (!k) continue;
    const d = demand[Math.min(demand.length - 1, Math.floor(s / intervalS))];
    const ki = d.inputTokens > 0 ? d.inputTokens / mean.inputTokens : 1;
    const ko = d.outputTokens > 0 ? d.outputTokens / mean.outputTokens : 1;
    offsets.length = 0;
    for (let i = 0; i < k; i++) offsets.push(rng.next());
    offsets.sort((a, b) => a - b);
    for (const u of offsets) {
      const i = rng.int(sample.input.length);
      yield { t: s + u, inputTokens: Math.max(1, Math.round(sample.input[i] * ki)), outputTokens: Math.max(1, Math.round(sample.output[i] * ko)) };
    }
  }
}

function overflowModelOf(name: string | undefined, models: { name: string; api: unknown }[]): number {
  const apis = models.map((m, i) => ({ m, i })).filter(({ m }) => m.api);
  if (!apis.length) throw new EngineError('INVALID_INPUT', 'overflow plans need an API model in the catalog to overflow to', { field: 'overflowModel' });
  if (name == null) return apis[0].i;
  const hit = apis.find(({ m }) => m.name === name);
  if (!hit) throw new EngineError('INVALID_INPUT', `overflowModel: "${name}" is not an API model of the plan (API models: ${apis.map(({ m }) => m.name).join(', ')})`, { field: 'overflowModel' });
  return hit.i;
}
