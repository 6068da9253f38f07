// The routing solvers' public face: other domains (allocation what-ifs, policy export) import from here.
//   solveFast  — Lagrangian + price auction + repair, certified gap, synchronous, any size;
//   solveBatch — 'fast', 'highs' (WASM MIP in a worker with a hard time limit) or 'auto'
//                (fast, then HiGHS only when the fast gap exceeds the tolerance).
import type { WorkerEntry } from '../jobs/worker-pool';
import { runInWorker } from '../jobs/worker-pool';
import { EngineError } from '../../../shared/errors';
import { solveFast } from './lagrangian';
import { solveWithHighs, type HighsPayload, type HighsResult } from './highs';
import { capacityArray, checkAssignment, checkInstance, type BatchInstance, type BatchSolution } from './instance';

export type { BatchInstance, BatchSolution } from './instance';
export { solveFast } from './lagrangian';

export interface SolveBatchOptions {
  solver?: 'auto' | 'fast' | 'highs';
  tolerance?: number;
  timeLimitMs?: number;
  /** Worker entry for HiGHS; without it HiGHS runs in this thread (its own limit only). */
  worker?: WorkerEntry;
  signal?: AbortSignal;
}

export async function solveBatch(inst: BatchInstance, opts: SolveBatchOptions = {}): Promise<BatchSolution> {
  const solver = opts.solver ?? 'auto';
  const tolerance = opts.tolerance ?? 1e-3;
  checkInstance(inst);
  if (solver === 'fast') return solveFast(inst, { tolerance });
  const t0 = performance.now();
  const fast = solver === 'auto' ? solveFast(inst, { tolerance }) : null;
  if (fast && (fast.status === 'optimal' || fast.status === 'infeasible')) return fast;
  const timeLimitMs = opts.timeLimitMs ?? 60_000;
  const remaining = Math.max(1000, timeLimitMs - (performance.now() - t0));
  const h = await runHighs(inst, { timeLimitMs: remaining, relGap: tolerance, worker: opts.worker, signal: opts.signal });
  const ms = performance.now() - t0;
  // Keep the better incumbent and the tighter bound of the two solvers.
  if (fast && (h.assignment[0] === -1 || fast.objective > h.objective) && h.status !== 'infeasible') {
    const lpBound = Math.min(fast.lpBound, h.lpBound);
    return { ...fast, lpBound, gap: Math.max(0, (lpBound - fast.objective) / Math.max(Math.abs(lpBound), 1e-12)), ms, reason: h.reason };
  }
  if (h.status !== 'infeasible' && h.assignment[0] === -1 && inst.n > 0) {
    // HiGHS stopped without an incumbent: the fast solution stands in, with the better bound.
    const stand = solveFast(inst, { tolerance });
    if (stand.status === 'infeasible') return { ...stand, ms: performance.now() - t0 };
    const lpBound = Math.min(stand.lpBound, h.lpBound);
    const gap = Math.max(0, (lpBound - stand.objective) / Math.max(Math.abs(lpBound), 1e-12));
    return { ...stand, status: 'timeout', lpBound, gap, ms: performance.now() - t0, reason: `${h.reason ?? 'HiGHS found no incumbent'}; the incumbent is the fast solver's` };
  }
  const check = h.status === 'infeasible' ? null : checkAssignment(inst, h.assignment);
  const lpBound = fast ? Math.min(fast.lpBound, h.lpBound) : h.lpBound;
  const gap = check ? Math.max(0, (lpBound - check.objective) / Math.max(Math.abs(lpBound), 1e-12)) : Infinity;
  return { ...h, lpBound: h.status === 'infeasible' ? h.lpBound : lpBound, gap, cost: check?.cost ?? 0, ms, solver: 'highs', ...(fast?.duals ? { duals: fast.duals } : {}) };
}

/** HiGHS on the instance: in a worker terminated at the hard limit when one is given. */
export async function runHighs(inst: BatchInstance, o: { timeLimitMs: number; relGap?: number; worker?: WorkerEntry; signal?: AbortSignal; relaxation?: boolean }): Promise<HighsResult> {
  const payload: HighsPayload = {
    n: inst.n,
    k: inst.k,
    quality: inst.quality,
    cost: inst.cost,
    capacity: capacityArray(inst),
    budget: inst.budget,
    timeLimitS: o.timeLimitMs / 1000,
    relGap: o.relGap ?? 1e-4,
    relaxation: o.relaxation,
  };
  if (!o.worker) return solveWithHighs(payload);
  try {
    // HiGHS' own limit first; the hard limit a little later, for presolve and the root LP.
    return await runInWorker<HighsResult>(o.worker, 'routing.highs', payload, { timeoutMs: o.timeLimitMs + 2000, signal: o.signal });
  } catch (err) {
    if (err instanceof EngineError && err.code === 'TIMEOUT') {
      return { status: 'timeout', assignment: new Int32Array(inst.n).fill(-1), objective: -Infinity, lpBound: Infinity, gap: Infinity, reason: `HiGHS was terminated at the hard limit of ${o.timeLimitMs + 2000} ms` };
    }
    throw err;
  }
}
