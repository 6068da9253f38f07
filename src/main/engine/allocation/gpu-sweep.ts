// A procurement curve: the same model set and traffic allocated at each of several GPU counts
// (G = 8, 16, …, 512). Points are solved in increasing G so each starts from the previous one's
// instance counts (still within the larger inventory, so never worse) and its dual prices (where
// the bound's descent resumes); one-group problems also get their reduced-dual LP per point.
// Every point reports its own certified gap.
import type highsLoader from 'highs';
import { solveDecomposition, type AllocSolution } from './decompose';
import type { DualPoint } from './dual-descent';
import { depCount, type AllocProblem } from './problem';
import { reducedDual } from './reduced-dual';
import { polishPlan } from './polish';

type Highs = Awaited<ReturnType<typeof highsLoader>>;

export interface GpuSweepPoint {
  gpus: number;
  status: AllocSolution['status'];
  binding?: string;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  instances: number[]; // per deployment option, in problem order
  gpusUsed: number;
  evaluations: number;
  ms: number;
}

export interface GpuSweepOptions {
  gpuType: number;
  timeLimitMsPerPoint: number;
  targetGap: number;
  /** Cold: every point from scratch (the bench's baseline for what reuse buys). */
  cold?: boolean;
  /** Time for each tightening of a point's bound (decompose.ts; default there 120 ms). */
  descentMs?: number;
  highs?: Highs;
  onPoint?: (done: number, total: number, point: GpuSweepPoint) => void;
}

export function gpuSweep(p: AllocProblem, counts: number[], o: GpuSweepOptions): GpuSweepPoint[] {
  const order = [...counts.keys()].sort((a, b) => counts[a] - counts[b]);
  const out: GpuSweepPoint[] = new Array(counts.length);
  let start: Float64Array | undefined;
  let previous: Float64Array | undefined;
  let dual: DualPoint | undefined;
  order.forEach((idx, done) => {
    const t0 = performance.now();
    const G = counts[idx];
    const q: AllocProblem = { ...p, gpuTypes: p.gpuTypes.map((g, t) => (t === o.gpuType ? { ...g, count: G } : g)) };
    let lp: { instances: ArrayLike<number>; bound: number; lambda?: number } | null = null;
    if (o.highs && q.groupCount === 1) {
      const r = reducedDual(q, o.highs, { budgetMs: Math.min(1_000, o.timeLimitMsPerPoint / 4), lambda0: o.cold ? undefined : dual?.lambda });
      if (r) lp = { instances: r.instances, bound: r.bound, lambda: r.lambda };
    }
    const warm = !o.cold && start != null;
    const sol = solveDecomposition(q, { lp, start: warm && !lp ? start : undefined, dual: warm ? dual : undefined, timeLimitMs: o.timeLimitMsPerPoint, targetGap: o.targetGap, descentMs: o.descentMs });
    // The previous point's plan fits the larger inventory too: the curve never falls.
    const polished = sol.status !== 'infeasible' && sol.assignment != null ? polishPlan(q, [{ label: 'solver', instances: sol.instances }, ...(previous ? [{ label: 'previous point', instances: previous }] : [])], { timeLimitMs: Math.max(200, o.timeLimitMsPerPoint / 2) }) : null;
    const feasible = polished != null;
    const I = polished ? polished.instances : new Float64Array(depCount(q));
    const objective = polished ? polished.value.quality : NaN;
    let used = 0;
    for (let d = 0; d < depCount(q); d++) if (q.dep.gpuType[d] === o.gpuType) used += q.dep.gpus[d] * I[d];
    const point: GpuSweepPoint = {
      gpus: G,
      status: sol.status,
      objective: feasible ? objective : null,
      bound: Number.isFinite(sol.bound) ? Math.max(sol.bound, objective || 0) : null,
      gap: feasible && Number.isFinite(sol.bound) ? Math.max(0, (sol.bound - objective) / Math.max(Math.abs(sol.bound), 1e-12)) : null,
      instances: Array.from(I),
      gpusUsed: used,
      evaluations: sol.evaluations,
      ms: performance.now() - t0,
    };
    if (sol.binding) point.binding = sol.binding;
    if (feasible) {
      previous = I;
      start = sol.instances;
      dual = sol.dual;
    }
    out[idx] = point;
    o.onPoint?.(done + 1, counts.length, point);
  });
  return out;
}
