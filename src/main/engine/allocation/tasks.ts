// Worker tasks of the allocation domain (registered in jobs/tasks.ts). Payloads carry the
// normalised problem; typed arrays survive the structured clone.
import type { TaskContext } from '../jobs/tasks';
import { solveDecomposition, type AllocSolution } from './decompose';
import { solveWithHighs, type HighsAllocResult } from './highs-model';
import { prepareGroups, solveInner } from './inner';
import type { AllocProblem } from './problem';

export async function highsTask(payload: { problem: AllocProblem; integer: boolean; mipRelGap?: number; timeLimitS?: number }, ctx: TaskContext): Promise<HighsAllocResult> {
  ctx.progress(payload.integer ? 'HiGHS MIP' : 'HiGHS LP relaxation', 0);
  return solveWithHighs(payload.problem, { integer: payload.integer, mipRelGap: payload.mipRelGap, timeLimitS: payload.timeLimitS });
}

export function decomposeTask(payload: { problem: AllocProblem; lp: { instances: Float64Array; bound: number } | null; timeLimitMs: number; targetGap: number }, ctx: TaskContext): AllocSolution {
  return solveDecomposition(payload.problem, {
    lp: payload.lp,
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
  const r = solveInner(p, prepareGroups(p), instances);
  return { objective: r.objective, bound: r.bound, feasible: r.feasible };
}
