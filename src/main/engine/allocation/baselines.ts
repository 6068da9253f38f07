// What optimisation buys, against two plans a planner would draw by hand on the same inventory:
// - "uniform split": every GPU of every type split evenly over the self-hosted models that can run
//   on it, the traffic then routed as well as those instances allow (today's naive fleet);
// - "best single model": all traffic on the one model with the highest mean quality on the sample
//   that can carry all of it (hosted: the fewest instances of its cheapest options per unit of
//   capacity within the inventory; API: within its rate limit), no routing at all.
// Both are valued with the same functions as the plan (quality on the sample, $/hour of instances
// and API tokens), so the deltas the Capacity screen prints are like for like. Under an hourly spend
// cap a baseline must keep to it as the plan does: the best single model is the best that fits the
// cap, and a uniform split that does not is flagged `overCap`.
import type { BusiestModel, ModelLoad, PlanBaseline } from '../../../shared/contract/allocation';
import { evaluateWhatIf, scaledProblem, type WhatIfContext } from './whatif';
import { depCount } from './problem';
import { instancesOut, uniformInstances } from './solve';
import { latencyAtLoad } from './deployment-performance';

export const HOURS_PER_MONTH = 730;

export function planBaselines(ctx: WhatIfContext, purchase: Record<string, number> = {}): PlanBaseline[] {
  const p = scaledProblem(ctx, purchase);
  const out: PlanBaseline[] = [];
  const U = uniformInstances(p);
  const u = evaluateWhatIf(ctx, U, purchase);
  const cap = ctx.form.hourlySpendCap;
  out.push({
    name: 'uniform',
    label: 'uniform split of the same GPUs',
    feasible: u.status === 'ok',
    quality: u.quality,
    hourlyCost: u.hourlyCost,
    monthlyCost: u.hourlyCost * HOURS_PER_MONTH,
    gpusUsed: u.gpusUsed,
    instances: instancesOut(p, U),
    ...(u.status !== 'ok' ? { note: u.message ?? u.status } : {}),
    overCap: cap != null && (u.binding === 'hourlySpendCap' || u.hourlyCost > cap * (1 + 1e-9)),
    busiest: busiestModel(u.models),
  });
  out.push(bestSingle(ctx, purchase));
  return out;
}

/** The self-hosted model with the highest (non-zero) utilisation, and one instance's p90 latencies at that load. */
export function busiestModel(models: ModelLoad[]): BusiestModel | null {
  let top: ModelLoad | null = null;
  for (const m of models) if (m.hosted && m.instances > 0 && m.utilisation != null && m.utilisation > 0 && Number.isFinite(m.utilisation) && (!top || m.utilisation > top.utilisation!)) top = m;
  return top ? { model: top.model, utilisation: top.utilisation!, ttftP90Ms: top.ttftP90Ms ?? null, tpotP90Ms: top.tpotP90Ms ?? null } : null;
}

function bestSingle(ctx: WhatIfContext, purchase: Record<string, number>): PlanBaseline {
  const cap = ctx.form.hourlySpendCap;
  const p = scaledProblem(ctx, purchase);
  const { n, k } = p;
  const D = depCount(p);
  const meanQ = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) meanQ[j] += p.quality[i * k + j] / n;
  const order = [...Array(k).keys()].sort((a, b) => meanQ[b] - meanQ[a]);
  const skipped: string[] = [];
  for (const j of order) {
    const I = new Float64Array(D);
    let api = 0;
    if (p.hosted[j]) {
      // Cheapest capacity first ($/h per sample query of capacity), until the sample fits.
      const opts = [...Array(D).keys()].filter((d) => p.dep.model[d] === j).sort((a, b) => p.dep.hourly[a] / p.dep.capUnit[a] - p.dep.hourly[b] / p.dep.capUnit[b]);
      const free = p.gpuTypes.map((g) => g.count);
      let cap = 0;
      for (const d of opts) {
        const t = p.dep.gpuType[d];
        while (cap < n - 1e-9 && free[t] >= p.dep.gpus[d]) (I[d] += 1), (free[t] -= p.dep.gpus[d]), (cap += p.dep.capUnit[d]);
      }
      if (cap < n - 1e-9) {
        skipped.push(`${p.models[j]} (the inventory holds too few instances)`);
        continue;
      }
    } else {
      if (p.fixedCap[j] < n) {
        skipped.push(`${p.models[j]} (its rate limit)`);
        continue;
      }
      if (p.apiHourly) for (let i = 0; i < n; i++) api += p.apiHourly[i * k + j];
    }
    let gpuHourly = 0;
    const gpusUsed: Record<string, number> = {};
    p.gpuTypes.forEach((g) => (gpusUsed[g.name] = 0));
    for (let d = 0; d < D; d++) (gpuHourly += I[d] * p.dep.hourly[d]), (gpusUsed[p.gpuTypes[p.dep.gpuType[d]].name] += I[d] * p.dep.gpus[d]);
    const hourly = gpuHourly + api;
    if (cap != null && hourly > cap * (1 + 1e-9)) {
      skipped.push(`${p.models[j]} ($${hourly.toFixed(2)}/h, over the $${cap}/h cap)`);
      continue;
    }
    return {
      name: 'best-single',
      label: `everything on ${p.models[j]}`,
      model: p.models[j],
      feasible: true,
      quality: meanQ[j],
      hourlyCost: hourly,
      monthlyCost: hourly * HOURS_PER_MONTH,
      gpusUsed,
      instances: instancesOut(p, I),
      ...(skipped.length ? { note: `better models left out: ${skipped.join(', ')}` } : {}),
      overCap: false,
      busiest: p.hosted[j] ? singleBusiest(ctx, p, I, j) : null,
    };
  }
  return { name: 'best-single', label: 'everything on one model', overCap: false, busiest: null, feasible: false, quality: null, hourlyCost: null, monthlyCost: null, gpusUsed: {}, instances: [], note: `no single model can carry all traffic: ${skipped.join(', ')}` };
}

/** All traffic on model j's instances I: its utilisation and the worst instance's p90s (as whatif's loads do). */
function singleBusiest(ctx: WhatIfContext, p: ReturnType<typeof scaledProblem>, I: Float64Array, j: number): BusiestModel {
  const mine = [...Array(depCount(p)).keys()].filter((d) => p.dep.model[d] === j && I[d] > 0);
  const capacity = mine.reduce((a, d) => a + I[d] * p.dep.qps[d], 0);
  const arrival = p.trafficQps!;
  let ttft: number | null = null;
  let tpot: number | null = null;
  for (const d of mine) {
    const describe = ctx.form.deployments[d].qpsPerInstance != null ? ctx.form.deployments[d].perf?.describe : undefined;
    const at = describe && capacity > 0 ? latencyAtLoad(describe, { inputTokens: ctx.form.inputTokens, outputTokens: ctx.form.outputTokens[j] }, (arrival * p.dep.qps[d]) / capacity) : null;
    if (at) (ttft = Math.max(ttft ?? 0, at.ttftP90Ms)), (tpot = Math.max(tpot ?? 0, at.tpotP90Ms));
  }
  return { model: p.models[j], utilisation: capacity > 0 ? arrival / capacity : Infinity, ttftP90Ms: ttft, tpotP90Ms: tpot };
}
