// The what-if engine behind the Capacity screen's sliders. Everything that does not depend on the
// instance counts is computed once (prepareWhatIf): the normalised problem, the sample's group
// arrays, per-deployment throughput. A recomputation (evaluateWhatIf) is then one run of the batch
// router on the sample with the capacities the counts give, plus the throughput and queue model.
// With per-query lengths the router runs at the capacities of the length mix it routes
// (mix-router.ts), the same valuation the optimiser's polish uses.
import type { DeploymentCount, ExtendedForm, ModelLoad, WhatIfResult } from '../../../shared/contract/allocation';
import { EngineError } from '../../../shared/errors';
import { prepareGroups, type GroupData } from './inner';
import { atMix, bucketCounts } from './length-mix';
import { solveInnerAtMix } from './mix-router';
import { depCount, fromExtendedForm, withinInventory, type AllocProblem } from './problem';
import { mmcQueue } from './throughput';
import { latencyAtLoad } from './deployment-performance';
import type { MeasuredPoint } from '../performance/types';

export interface WhatIfContext {
  problem: AllocProblem;
  groups: GroupData;
  slots: Float64Array; // D: slots per instance
  form: ExtendedForm;
}

export function prepareWhatIf(form: ExtendedForm): WhatIfContext {
  const problem = fromExtendedForm(form);
  return { problem, groups: prepareGroups(problem), slots: Float64Array.from(form.deployments, (d) => d.slotsPerInstance ?? d.perf?.maxConcurrency ?? 1), form };
}

/** Instance counts per deployment from (model, GPU type, count) rows; unknown pairs are refused. */
export function countsFromRows(ctx: WhatIfContext, rows: DeploymentCount[]): Float64Array {
  const p = ctx.problem;
  const I = new Float64Array(depCount(p));
  for (const r of rows) {
    let hit = -1;
    for (let d = 0; d < I.length; d++) if (p.models[p.dep.model[d]] === r.model && p.gpuTypes[p.dep.gpuType[d]].name === r.gpuType) hit = d;
    if (hit < 0) throw new EngineError('INVALID_INPUT', `instances: no deployment option for model "${r.model}" on GPU type "${r.gpuType}"`, { field: 'instances', model: r.model, gpuType: r.gpuType });
    I[hit] = r.count;
  }
  return I;
}

/** The context's problem with a GPU purchase added and the traffic rate changed. */
export function scaledProblem(ctx: WhatIfContext, purchase: Record<string, number>, trafficQps?: number): AllocProblem {
  const p = ctx.problem;
  for (const t of Object.keys(purchase)) if (!p.gpuTypes.some((g) => g.name === t)) throw new EngineError('INVALID_INPUT', `purchase: unknown GPU type "${t}"`, { field: 'purchase', gpuType: t });
  const s = (trafficQps ?? p.trafficQps!) / p.trafficQps!;
  // Capacities are in sample queries per group: more traffic = each instance carries fewer of them.
  return {
    ...p,
    gpuTypes: p.gpuTypes.map((g) => ({ ...g, count: Math.max(0, g.count + (Object.hasOwn(purchase, g.name) ? purchase[g.name] : 0)) })),
    dep: { ...p.dep, capUnit: p.dep.capUnit.map((u) => u / s) },
    fixedCap: p.fixedCap.map((c) => c / s),
    trafficQps: p.trafficQps! * s,
    // API spend per hour scales with traffic; keep the coefficients and scale the row instead.
    knapsack: p.knapsack ? { ...p.knapsack, perInstance: p.knapsack.perInstance.map((e) => e / s), rhs: p.knapsack.rhs / s } : null,
  };
}

export function evaluateWhatIf(ctx: WhatIfContext, I: Float64Array, purchase: Record<string, number> = {}, trafficQps?: number): WhatIfResult {
  const t0 = performance.now();
  const scaled = scaledProblem(ctx, purchase, trafficQps);
  const inner = withinInventory(scaled, I) ? solveInnerAtMix(scaled, ctx.groups, I) : null;
  // Capacities at the length mix the plan routes (the whole sample's mix when it cannot be routed).
  const p = inner?.feasible ? atMix(scaled, inner.assignment) : scaled;
  const traffic = p.trafficQps!;
  const s = traffic / ctx.problem.trafficQps!;
  const D = depCount(p);
  // Keyed by GPU type names from the user's inventory: no prototype to collide with.
  const gpusUsed: Record<string, number> = Object.create(null);
  const gpusAvailable: Record<string, number> = Object.create(null);
  p.gpuTypes.forEach((g) => ((gpusUsed[g.name] = 0), (gpusAvailable[g.name] = g.count)));
  let gpuHourly = 0;
  const capacity = new Float64Array(p.k);
  const slots = new Float64Array(p.k);
  const instances = new Float64Array(p.k);
  for (let d = 0; d < D; d++) {
    gpusUsed[p.gpuTypes[p.dep.gpuType[d]].name] += I[d] * p.dep.gpus[d];
    gpuHourly += I[d] * p.dep.hourly[d];
    capacity[p.dep.model[d]] += I[d] * p.dep.qps[d];
    slots[p.dep.model[d]] += I[d] * ctx.slots[d];
    instances[p.dep.model[d]] += I[d];
  }
  let capacityQps = 0;
  // Plan capacity: goodput at the SLO for performance-model options, ρ x Little's law for typed ones.
  const planCapacity = new Float64Array(p.k);
  for (let d = 0; d < D; d++) planCapacity[p.dep.model[d]] += I[d] * p.dep.qps[d] * (ctx.form.deployments[d].qpsPerInstance != null ? 1 : p.maxUtilisation);
  for (let j = 0; j < p.k; j++) {
    if (p.hosted[j]) capacityQps += planCapacity[j];
    else capacityQps += Number.isFinite(p.fixedCap[j]) ? (p.fixedCap[j] * traffic) / p.n : Infinity;
  }
  const base = { trafficQps: traffic, capacityQps, headroomQps: capacityQps - traffic, gpuHourlyCost: gpuHourly, gpusUsed, gpusAvailable };
  const over = p.gpuTypes.find((g) => gpusUsed[g.name] > g.count);
  if (!inner || !inner.feasible) {
    const binding = over ? 'inventory' : inner!.binding === 'capacity' ? 'capacity' : (p.knapsack?.name ?? 'capacity');
    const message = over
      ? `${gpusUsed[over.name]} ${over.name} GPUs deployed but only ${over.count} available`
      : binding === 'capacity'
        ? `the instances sustain ${capacityQps.toFixed(2)} q/s${p.lengths ? ' (at the sample\'s length mix)' : ''} at ${p.maxUtilisation * 100}% utilisation against ${traffic} q/s of traffic`
        : `the hourly spend cap cannot pay for these instances and the API traffic they leave`;
    const models = loads(ctx, p, I, null, capacity, slots, instances, s);
    return { status: binding === 'capacity' ? 'overloaded' : 'infeasible', binding, message, quality: null, qualityBound: null, ...base, hourlyCost: gpuHourly, apiHourlyCost: 0, costPer1k: (gpuHourly / (traffic * 3600)) * 1000, models, ms: performance.now() - t0 };
  }
  const models = loads(ctx, p, I, inner.assignment, capacity, slots, instances, s);
  const apiHourly = models.reduce((a, m) => a + (m.hosted ? 0 : m.hourlyCost), 0);
  const hourlyCost = gpuHourly + apiHourly;
  return { status: 'ok', quality: inner.objective, qualityBound: inner.bound, ...base, hourlyCost, apiHourlyCost: apiHourly, costPer1k: (hourlyCost / (traffic * 3600)) * 1000, models, ms: performance.now() - t0 };
}

function loads(ctx: WhatIfContext, p: AllocProblem, I: Float64Array, assignment: Int32Array | null, capacity: Float64Array, slots: Float64Array, instances: Float64Array, s: number): ModelLoad[] {
  const { n, k } = p;
  const share = new Float64Array(k);
  const apiHourly = new Float64Array(k);
  const coef = p.apiHourly;
  if (assignment)
    for (let i = 0; i < n; i++) {
      const j = assignment[i];
      share[j] += 1 / n;
      if (coef) apiHourly[j] += coef[i * k + j] * s;
    }
  const gpuHourly = new Float64Array(k);
  for (let d = 0; d < depCount(p); d++) gpuHourly[p.dep.model[d]] += I[d] * p.dep.hourly[d];
  const deps = ctx.form.deployments;
  const lb = ctx.form.lengthBuckets;
  const counts = p.lengths && assignment ? bucketCounts(p, assignment) : null;
  const lengthsOf = (j: number): NonNullable<ModelLoad['lengths']> | null => {
    if (!counts || !lb) return null;
    const B = p.lengths!.B;
    let total = 0;
    for (let b = 0; b < B; b++) total += counts[j * B + b];
    if (!(total > 0)) return null;
    let inTok = 0;
    let outTok = 0;
    const buckets = lb.tokens[j].map((t, b) => {
      const share = counts[j * B + b] / total;
      inTok += share * t.inputTokens;
      outTok += share * t.outputTokens;
      return { inputTokens: t.inputTokens, outputTokens: t.outputTokens, share };
    });
    return { inputTokens: inTok, outputTokens: outTok, buckets };
  };
  return p.models.map((model, j) => {
    const arrivalQps = share[j] * p.trafficQps!;
    if (p.hosted[j]) {
      const mine = [...Array(depCount(p)).keys()].filter((d) => p.dep.model[d] === j);
      const sources = new Set(mine.filter((d) => I[d] > 0 || !mine.some((e) => I[e] > 0)).map((d) => deps[d].perf?.source ?? (deps[d].qpsPerInstance != null ? 'estimated' : 'typed')));
      const capacitySource = sources.size === 1 ? ([...sources][0] as ModelLoad['capacitySource']) : sources.size ? 'mixed' : null;
      const lengths = lengthsOf(j);
      const base = { model, hosted: true, instances: instances[j], share: share[j], arrivalQps, hourlyCost: gpuHourly[j], capacitySource, ...(p.lengths ? { lengths } : {}) };
      if (mine.every((d) => deps[d].qpsPerInstance != null)) {
        // Load split over instances in proportion to their goodput; the worst instance's p90s.
        // At the mean lengths of the queries routed to the model (with lengths), else the form's.
        let ttft: number | null = null;
        let tpot: number | null = null;
        const ttftFrom = new Set<string>();
        const tpotFrom = new Set<string>();
        const w = lengths ? { inputTokens: lengths.inputTokens, outputTokens: lengths.outputTokens } : { inputTokens: ctx.form.inputTokens, outputTokens: ctx.form.outputTokens[j] };
        for (const d of mine) {
          const describe = deps[d].perf?.describe;
          if (!(I[d] > 0) || !describe || !(capacity[j] > 0)) continue;
          const at = latencyAtLoad(describe, w, (arrivalQps * p.dep.qps[d]) / capacity[j], (deps[d].perf?.measuredPoints ?? []) as MeasuredPoint[]);
          if (!at) continue;
          ttft = Math.max(ttft ?? 0, at.ttftP90Ms);
          tpot = Math.max(tpot ?? 0, at.tpotP90Ms);
          ttftFrom.add(at.ttftSource);
          tpotFrom.add(at.tpotSource);
        }
        const one = (s: Set<string>): 'measured' | 'fitted' | 'estimated' | 'mixed' => (s.size === 1 ? ([...s][0] as 'measured' | 'fitted' | 'estimated') : 'mixed');
        const latencySource = ttft != null ? { ttftP90Ms: one(ttftFrom), tpotP90Ms: one(tpotFrom) } : null;
        return { ...base, capacityQps: capacity[j], utilisation: capacity[j] > 0 ? arrivalQps / capacity[j] : arrivalQps > 0 ? Infinity : 0, meanWaitS: null, ttftP90Ms: ttft, tpotP90Ms: tpot, latencySource };
      }
      const svc = capacity[j] > 0 ? slots[j] / capacity[j] : 0;
      const q = mmcQueue(arrivalQps, slots[j], svc);
      return { ...base, capacityQps: capacity[j], utilisation: capacity[j] > 0 ? arrivalQps / capacity[j] : arrivalQps > 0 ? Infinity : 0, meanWaitS: Number.isFinite(q.meanWaitS) ? q.meanWaitS : null, ttftP90Ms: null, tpotP90Ms: null };
    }
    const limit = Number.isFinite(p.fixedCap[j]) ? (p.fixedCap[j] * p.trafficQps!) / n : null;
    return { model, hosted: false, instances: 0, share: share[j], arrivalQps, capacityQps: limit, utilisation: limit ? arrivalQps / limit : null, meanWaitS: null, hourlyCost: apiHourly[j] };
  });
}
