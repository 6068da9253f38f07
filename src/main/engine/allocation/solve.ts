// Chooses and runs the solvers for one allocation problem and reports in the contract's terms.
// 'auto' runs our decomposition first and stops there when its certified gap meets the request;
// otherwise small problems get the exact MIP, large ones the LP relaxation (bound and starting
// point) and then the decomposition again. HiGHS runs in a worker whose termination is the hard
// time limit.
import type { AllocationResult, DeploymentCount } from '../../../shared/contract/allocation';
import type { AllocSolution } from './decompose';
import { obviousInfeasibility } from './feasibility';
import type { HighsAllocResult } from './highs-model';
import { depCount, resourceUse, type AllocProblem } from './problem';
import { releaseIdleInstances } from './trim';
import { atMix } from './length-mix';

/** Runs a worker task with a hard time limit (the engine passes services.inWorker). */
export type RunTask = <T>(task: string, payload: unknown, timeoutMs: number) => Promise<T>;

export interface SolveOptions {
  solver: 'auto' | 'highs' | 'decomposition';
  timeLimitMs: number;
  mipGap: number;
  compareUniform?: boolean;
  /** Plans the result must be at least as good as (current sliders, the plan before a purchase). */
  candidates?: { label: string; instances: ArrayLike<number> }[];
}

/** Above this many binaries the exact MIP is not attempted by 'auto' (toolchain: N=5000 x 16 took 32 s). */
const EXACT_LIMIT = 25_000;
/** Above this many binaries the LP relaxation is skipped and our own bound stands alone. */
const LP_LIMIT = 400_000;

export async function solveAllocation(p: AllocProblem, run: RunTask, o: SolveOptions): Promise<AllocationResult> {
  const t0 = performance.now();
  const bad = obviousInfeasibility(p);
  if (bad) return report(p, { status: 'infeasible', binding: bad.binding, message: bad.message, instances: new Float64Array(depCount(p)), assignment: null, objective: NaN, bound: NaN, gap: Infinity, evaluations: 0, ms: 0, solver: 'decomposition' }, t0);
  const size = p.n * p.k;
  // 'auto' tries our decomposition first: with its dual-descent bound it certifies the paper form
  // within 0.1% in a few hundred ms (GLPK, the paper's solver, takes seconds to minutes). Only
  // when its certified gap misses the requested one do the LP relaxation and exact MIP run.
  if (o.solver === 'auto') {
    const first = await run<AllocSolution>('allocation.decompose', { problem: p, lp: null, timeLimitMs: Math.max(500, 0.4 * o.timeLimitMs), targetGap: Math.min(o.mipGap, 1e-3) }, 0.4 * o.timeLimitMs + 10_000);
    if (first.status !== 'infeasible' && first.gap <= o.mipGap) return finish(p, run, o, first, t0);
  }
  const exact = o.solver === 'highs' || (o.solver === 'auto' && size <= EXACT_LIMIT);
  // In 'auto' the exact MIP gets 60% of the time; an incumbent it leaves above the requested gap
  // is then compared with the decomposition's, and the better one is reported.
  let exactIncumbent: AllocSolution | null = null;
  if (exact) {
    const share = o.solver === 'highs' ? 1 : 0.6;
    try {
      const r = await run<HighsAllocResult>('allocation.highs', { problem: p, integer: true, mipRelGap: o.mipGap, timeLimitS: (share * o.timeLimitMs) / 1000 }, share * o.timeLimitMs + 5_000);
      if (r.status === 'infeasible') return report(p, { ...fromHighs(p, r), binding: 'combined', message: 'HiGHS proved that no allocation meets the budget, GPU and capacity rows together' }, t0);
      if (r.status === 'optimal' || o.solver === 'highs') return finish(p, run, o, fromHighs(p, r), t0);
      if (r.status === 'feasible') exactIncumbent = fromHighs(p, r);
    } catch (err) {
      if (o.solver === 'highs') {
        if ((err as { code?: string }).code === 'TIMEOUT') return report(p, { ...emptySolution(p, 'highs'), status: 'timeout', message: `HiGHS found no incumbent within ${o.timeLimitMs} ms` }, t0);
        throw err;
      }
    }
  }
  const remaining = () => Math.max(1_000, o.timeLimitMs - (performance.now() - t0));
  let lp: { instances: Float64Array; bound: number } | null = null;
  if (size <= LP_LIMIT) {
    try {
      const r = await run<HighsAllocResult>('allocation.highs', { problem: p, integer: false }, remaining() * 0.75);
      if (r.status === 'infeasible') return report(p, { ...fromHighs(p, r), binding: 'combined', message: 'even the LP relaxation is infeasible: the budget, GPU and capacity rows cannot hold together' }, t0);
      if (r.status === 'optimal') lp = { instances: r.instances, bound: r.objective };
    } catch (err) {
      if ((err as { code?: string }).code !== 'TIMEOUT') throw err;
    }
  }
  let d = await run<AllocSolution>('allocation.decompose', { problem: p, lp, timeLimitMs: remaining() - 500, targetGap: Math.min(o.mipGap, 1e-3) }, remaining() + 10_000);
  if (exactIncumbent) {
    // Both bounds are valid: keep the smaller, and the better incumbent.
    const bound = Math.min(Number.isFinite(d.bound) ? d.bound : Infinity, exactIncumbent.bound);
    const best = d.status !== 'infeasible' && d.objective >= exactIncumbent.objective ? d : exactIncumbent;
    d = { ...best, bound, gap: Math.max(0, (bound - best.objective) / Math.max(Math.abs(bound), 1e-12)) };
    d.status = d.gap <= o.mipGap ? 'optimal' : 'feasible';
  }
  return finish(p, run, o, d, t0);
}

/**
 * The solver's incumbent, the caller's candidates and the uniform split go through one polish
 * (polish.ts, in a worker): the reported plan is the best of them that no single slider move
 * beats, its quality is the what-if value of its counts (one figure everywhere), and its status
 * says optimal only when that figure is within the requested gap of the proven bound.
 */
async function finish(problem: AllocProblem, run: RunTask, o: SolveOptions, solution: AllocSolution, t0: number): Promise<AllocationResult> {
  const { p, s, lengthMix } = await atRoutedMix(problem, run, o, solution, t0);
  if (s.status === 'infeasible' || !s.assignment) {
    const res = report(p, s, t0);
    return o.compareUniform ? withUniform(p, run, o, res) : res;
  }
  const uniform = uniformInstances(p);
  // The caller's plans (sliders, the plan before a purchase) are kept: the result is never below them.
  const candidates = [{ label: 'solver', instances: s.instances }, ...(o.candidates ?? []).map((c) => ({ ...c, keep: true })), { label: 'uniform split', instances: uniform }];
  const bound = Number.isFinite(s.bound) ? s.bound : Infinity;
  // Cost is cut only while quality stays within min(requested gap, 0.1%) of the bound.
  const slack = Number.isFinite(bound) ? Math.max(0, Math.min(o.mipGap, 1e-3) * bound - (bound - s.objective)) : 0;
  // The search gets half the solve's own time (at least 1 s, at most a quarter of the limit): on
  // large problems it may stop before checking every move, and then says so (polish.exhausted).
  const polishMs = Math.min(10_000, o.timeLimitMs / 4, Math.max(1_000, 0.5 * (performance.now() - t0)));
  const polished = await run<PolishTaskResult | null>('allocation.polish', { problem: p, candidates, qualityTolerance: slack, timeLimitMs: polishMs, uniform }, polishMs + 30_000);
  if (!polished) return { ...report(p, s, t0), ...(lengthMix ? { lengthMix } : {}) };
  const objective = polished.quality;
  const gap = Number.isFinite(bound) ? Math.max(0, (bound - objective) / Math.max(Math.abs(bound), 1e-12)) : Infinity;
  const res = report(p, { ...s, instances: polished.instances, assignment: polished.assignment, objective, bound, gap, status: gap <= o.mipGap + 1e-12 ? 'optimal' : s.status === 'timeout' ? 'timeout' : 'feasible' }, t0, false);
  res.polish = { startedFrom: polished.startedFrom, moves: polished.moves, exhausted: polished.exhausted };
  if (lengthMix) res.lengthMix = lengthMix;
  if (polished.startedFrom !== 'solver') res.message = `${res.message ? `${res.message}; ` : ''}the ${polished.startedFrom} scored at least as well as the solver's incumbent and the plan starts from it`;
  if (o.compareUniform) res.uniform = { objective: polished.uniformQuality, instances: instancesOut(p, uniform) };
  return res;
}

/** Re-solves after a solve with per-query lengths. */
const LENGTH_SOLVES = 3;

/**
 * With per-query lengths (length-mix.ts) the solvers see each option's capacity at one length mix
 * (first the whole sample's). This fixed point re-solves, warm-started from the counts, at the mix
 * the incumbent routes to each model until no option's capacity moves by 1% (at most LENGTH_SOLVES
 * solves). The bound and gap are those of the last solve's problem (capacities at that mix); the
 * polish then values the plan at its own routed mix, as what-if does.
 */
async function atRoutedMix(p: AllocProblem, run: RunTask, o: SolveOptions, s: AllocSolution, t0: number): Promise<{ p: AllocProblem; s: AllocSolution; lengthMix: AllocationResult['lengthMix'] | null }> {
  if (!p.lengths || s.status === 'infeasible' || !s.assignment) return { p, s, lengthMix: p.lengths ? { solves: 1, buckets: p.lengths.B, converged: false } : null };
  let q = p;
  let cur = s;
  let solves = 1;
  let converged = false;
  while (true) {
    const next = atMix(p, cur.assignment!);
    let moved = 0;
    for (let d = 0; d < depCount(p); d++) moved = Math.max(moved, Math.abs(next.dep.capUnit[d] / q.dep.capUnit[d] - 1));
    if (moved < 0.01) {
      converged = true;
      break;
    }
    const left = o.timeLimitMs - (performance.now() - t0);
    if (solves >= LENGTH_SOLVES || left < 2_000) break;
    const r = await run<AllocSolution>('allocation.decompose', { problem: next, lp: null, start: cur.instances, timeLimitMs: Math.max(500, 0.3 * left), targetGap: Math.min(o.mipGap, 1e-3) }, 0.3 * left + 10_000);
    solves++;
    if (r.status === 'infeasible' || !r.assignment) break;
    q = next;
    cur = r;
  }
  return { p: q, s: cur, lengthMix: { solves, buckets: p.lengths.B, converged } };
}

export interface PolishTaskResult {
  instances: Float64Array;
  assignment: Int32Array;
  quality: number;
  cost: number;
  startedFrom: string;
  moves: number;
  exhausted: boolean;
  uniformQuality: number | null;
}

function emptySolution(p: AllocProblem, solver: 'highs' | 'decomposition'): AllocSolution {
  return { status: 'timeout', instances: new Float64Array(depCount(p)), assignment: null, objective: NaN, bound: NaN, gap: Infinity, evaluations: 0, ms: 0, solver };
}

function fromHighs(p: AllocProblem, r: HighsAllocResult): AllocSolution {
  const status = r.status === 'error' ? 'timeout' : r.status;
  return { status, instances: r.instances, assignment: r.assignment, objective: r.objective, bound: r.bound, gap: r.gap, evaluations: 0, ms: r.ms, solver: 'highs' };
}

/** Uniform split of the same GPUs: each self-hosted model gets an equal share of each type. */
export function uniformInstances(p: AllocProblem): Float64Array {
  const D = depCount(p);
  const I = new Float64Array(D);
  p.gpuTypes.forEach((g, t) => {
    const ds = [...Array(D).keys()].filter((d) => p.dep.gpuType[d] === t);
    if (!ds.length) return;
    const share = g.count / ds.length;
    for (const d of ds) I[d] = Math.floor(share / p.dep.gpus[d]);
  });
  return I;
}

async function withUniform(p: AllocProblem, run: RunTask, o: SolveOptions, res: AllocationResult): Promise<AllocationResult> {
  if (!o.compareUniform) return res;
  const I = uniformInstances(p);
  const r = await run<HighsAllocResult | AllocSolution>('allocation.evaluate', { problem: p, instances: I, exact: p.n * p.k <= EXACT_LIMIT && !p.lengths, timeLimitS: o.timeLimitMs / 1000 }, o.timeLimitMs + 5_000);
  res.uniform = { objective: Number.isFinite(r.objective) ? r.objective : null, instances: instancesOut(p, I) };
  // Within the stated gap the uniform split can come out ahead; then it is the better incumbent.
  if (res.uniform.objective != null && res.objective != null && res.uniform.objective > res.objective) {
    res.message = `${res.message ? `${res.message}; ` : ''}the uniform split scored higher than the solver's incumbent and is reported instead`;
    res.objective = res.uniform.objective;
    res.instances = res.uniform.instances;
    const use = resourceUse(p, I);
    p.gpuTypes.forEach((g, t) => (res.gpusUsed[g.name] = use.gpus[t]));
    if (res.bound != null) res.gap = Math.max(0, (res.bound - res.objective) / Math.max(Math.abs(res.bound), 1e-12));
    delete res.share;
    delete res.knapsack;
  }
  return res;
}

export function instancesOut(p: AllocProblem, I: ArrayLike<number>): (number | null)[] | DeploymentCount[] {
  const D = depCount(p);
  if (p.form === 'paper') {
    const out: (number | null)[] = Array.from({ length: p.k }, (_, j) => (p.hosted[j] ? 0 : null));
    for (let d = 0; d < D; d++) out[p.dep.model[d]] = I[d];
    return out;
  }
  return Array.from({ length: D }, (_, d) => ({ model: p.models[p.dep.model[d]], gpuType: p.gpuTypes[p.dep.gpuType[d]].name, count: I[d] }));
}

function report(p: AllocProblem, solution: AllocSolution, t0: number, trim = true): AllocationResult {
  const s = trim && solution.assignment && solution.status !== 'infeasible' ? { ...solution, instances: releaseIdleInstances(p, solution.instances, solution.assignment) } : solution;
  const use = resourceUse(p, s.instances);
  const gpusUsed: Record<string, number> = Object.create(null);
  p.gpuTypes.forEach((g, t) => (gpusUsed[g.name] = use.gpus[t]));
  const out: AllocationResult = {
    status: s.status,
    solver: s.solver,
    form: p.form,
    instances: instancesOut(p, s.instances),
    objective: Number.isFinite(s.objective) ? s.objective : null,
    bound: Number.isFinite(s.bound) ? s.bound : null,
    gap: Number.isFinite(s.gap) ? s.gap : null,
    gpusUsed,
    ms: Math.round(performance.now() - t0),
  };
  if (s.binding) out.binding = s.binding as AllocationResult['binding'];
  if (s.message) out.message = s.message;
  if (s.assignment) {
    let used = use.knapsackFixed;
    const share: Record<string, number> = Object.create(null); // keyed by model names from data
    for (let i = 0; i < p.n; i++) {
      const j = s.assignment[i];
      if (p.knapsack) used += p.knapsack.coef[i * p.k + j];
      share[p.models[j]] = (share[p.models[j]] ?? 0) + 1 / p.n;
    }
    if (p.knapsack) out.knapsack = { name: p.knapsack.name, used, limit: p.knapsack.rhs };
    out.share = share;
  }
  return out;
}
