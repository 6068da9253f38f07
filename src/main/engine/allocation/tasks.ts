// Worker tasks of the allocation domain (registered in jobs/tasks.ts). Payloads carry the
// normalised problem; typed arrays survive the structured clone.
import type { TaskContext } from '../jobs/tasks';
import { solveDecomposition, type AllocSolution } from './decompose';
import { solveWithHighs, type HighsAllocResult } from './highs-model';
import { prepareGroups } from './inner';
import { solveInnerAtMix } from './mix-router';
import type { AllocProblem } from './problem';
import { reducedDual } from './reduced-dual';
import { gpuSweep, type GpuSweepPoint } from './gpu-sweep';
import { planValue, polishPlan } from './polish';
import type { PolishTaskResult } from './solve';
import { EngineError } from '../../../shared/errors';
import { optionPerformance, type OptionPerformance, type OptionRequest, type PerformanceSettings } from './deployment-performance';
import type { GpuSpec, MeasuredPoint, Workload } from '../performance/types';
import highsLoader from 'highs';

export async function highsTask(payload: { problem: AllocProblem; integer: boolean; mipRelGap?: number; timeLimitS?: number }, ctx: TaskContext): Promise<HighsAllocResult> {
  ctx.progress(payload.integer ? 'HiGHS MIP' : 'HiGHS LP relaxation', 0);
  return solveWithHighs(payload.problem, { integer: payload.integer, mipRelGap: payload.mipRelGap, timeLimitS: payload.timeLimitS });
}

export async function decomposeTask(payload: { problem: AllocProblem; lp: { instances: Float64Array; bound: number } | null; timeLimitMs: number; targetGap: number; start?: Float64Array }, ctx: TaskContext): Promise<AllocSolution> {
  let lp: { instances: ArrayLike<number>; bound: number; lambda?: number } | null = payload.lp;
  if (!lp && payload.problem.groupCount === 1) {
    // One group (the extended form): the LP relaxation through its few-variable dual, in ms.
    ctx.progress('LP relaxation (reduced dual)', 0);
    const r = reducedDual(payload.problem, await highsLoader(), { budgetMs: Math.min(2_000, payload.timeLimitMs / 4) });
    // No plan scores below the worst quality entry: a bound under it means the dual ran off to
    // −∞ (an infeasible cap), and its "relaxation" would only mislead the search (it hung on one).
    let worst = Infinity;
    for (const q of payload.problem.quality) worst = Math.min(worst, q);
    if (r && r.bound >= worst - 1e-9) lp = { instances: r.instances, bound: r.bound, lambda: r.lambda };
  }
  return solveDecomposition(payload.problem, {
    lp,
    start: payload.start,
    timeLimitMs: payload.timeLimitMs,
    targetGap: payload.targetGap,
    onProgress: (fraction, gap) => ctx.progress('decomposition', fraction, { gap }),
  });
}

/** The value of given instance counts: exact (HiGHS with I fixed) when small, else our router. */
export async function evaluateTask(payload: { problem: AllocProblem; instances: Float64Array; exact: boolean; timeLimitS: number }): Promise<{ objective: number; bound: number; feasible: boolean }> {
  const { problem: p, instances } = payload;
  if (payload.exact) {
    const r = await solveWithHighs(p, { integer: true, mipRelGap: 1e-4, timeLimitS: payload.timeLimitS, fixInstances: instances });
    return { objective: r.objective, bound: r.bound, feasible: r.status === 'optimal' || r.status === 'feasible' };
  }
  const r = solveInnerAtMix(p, prepareGroups(p), instances);
  return { objective: r.objective, bound: r.bound, feasible: r.feasible };
}

/** A procurement curve over GPU counts of one type (gpu-sweep.ts), in one worker. */
export async function gpuSweepTask(payload: { problem: AllocProblem; counts: number[]; gpuType: number; timeLimitMsPerPoint: number; targetGap: number }, ctx: TaskContext): Promise<GpuSweepPoint[]> {
  const highs = payload.problem.groupCount === 1 ? await highsLoader() : undefined;
  return gpuSweep(payload.problem, payload.counts, {
    gpuType: payload.gpuType,
    timeLimitMsPerPoint: payload.timeLimitMsPerPoint,
    targetGap: payload.targetGap,
    highs,
    onPoint: (done, total, point) => ctx.progress('GPU sweep', done / total, { gpus: point.gpus, gap: point.gap ?? NaN }),
  });
}

/** The final local search over one problem's candidate plans (polish.ts). */
export async function polishTask(payload: { problem: AllocProblem; candidates: { label: string; instances: Float64Array; keep?: boolean }[]; qualityTolerance: number; timeLimitMs: number; uniform?: Float64Array }, ctx: TaskContext): Promise<PolishTaskResult | null> {
  ctx.progress('polishing the plan', 0);
  const G = prepareGroups(payload.problem);
  const r = polishPlan(payload.problem, payload.candidates, { qualityTolerance: payload.qualityTolerance, timeLimitMs: payload.timeLimitMs, groups: G });
  if (!r) return null;
  const u = payload.uniform ? (r.candidateValues.get('uniform split') ?? planValue(payload.problem, G, payload.uniform)) : null;
  return { instances: r.instances, assignment: r.value.inner.assignment, quality: r.value.quality, cost: r.value.cost, startedFrom: r.startedFrom, moves: r.moves, exhausted: r.exhausted, uniformQuality: u?.feasible ? u.quality : null };
}

/** Capacities of deployment options (the performance model's goodput bisections), off the host thread. */
export async function optionPerformanceTask(payload: { asked: [OptionRequest, Workload, PerformanceSettings][]; measured: MeasuredPoint[]; gpuSpecs?: GpuSpec[] }, ctx: TaskContext): Promise<({ perf: OptionPerformance | null } | { error: { code: string; message: string } })[]> {
  return payload.asked.map(([r, w, s], i) => {
    ctx.progress(`deployment performance: ${r.model} on ${r.gpuType}`, i / payload.asked.length);
    try {
      return { perf: optionPerformance(r, w, s, payload.measured, payload.gpuSpecs) };
    } catch (err) {
      if (err instanceof EngineError) return { error: { code: err.code, message: err.message } };
      throw err;
    }
  });
}
