// Our decomposition for large allocation problems. The master chooses instance counts I; the
// subproblem routes the sample with I frozen (inner.ts: Lagrangian budget price + per-batch
// transportation auctions), and returns capacity prices μ that value one more instance of each
// deployment. The master starts from the LP relaxation's I rounded down (when an LP was solved) or
// from nothing, buys capacity until the sample can be served, spends the remaining GPUs on the
// deployments the prices value most, then improves I by local search (move one instance's GPUs to
// another deployment), each candidate checked by the subproblem. The gap is certified against the
// smaller of the LP bound and our Lagrangian bound (bound.ts).
import { lagrangianBound } from './bound';
import { prepareGroups, solveInner, type GroupData, type InnerResult } from './inner';
import { depCount, resourceUse, type AllocProblem } from './problem';

export interface DecomposeOptions {
  timeLimitMs?: number;
  /** Stop improving once the certified gap is below this. */
  targetGap?: number;
  /** From an LP relaxation solved elsewhere (HiGHS): fractional instances and its bound. */
  lp?: { instances: ArrayLike<number>; bound: number } | null;
  start?: ArrayLike<number>;
  onProgress?: (fraction: number, gap: number) => void;
}

export interface AllocSolution {
  status: 'optimal' | 'feasible' | 'infeasible' | 'timeout';
  binding?: string;
  message?: string;
  instances: Float64Array;
  assignment: Int32Array | null;
  objective: number;
  bound: number;
  gap: number;
  evaluations: number;
  ms: number;
  solver: 'decomposition' | 'highs';
}

export function solveDecomposition(p: AllocProblem, opts: DecomposeOptions = {}): AllocSolution {
  const t0 = performance.now();
  const deadline = t0 + (opts.timeLimitMs ?? 20_000);
  const target = opts.targetGap ?? 1e-3;
  const D = depCount(p);
  const G = prepareGroups(p);
  let evaluations = 0;
  const evalI = (I: Float64Array): InnerResult => (evaluations++, solveInner(p, G, I));
  const room = (I: Float64Array) => {
    const use = resourceUse(p, I);
    return { gpus: p.gpuTypes.map((g, t) => g.count - use.gpus[t]), spend: p.knapsack ? p.knapsack.rhs - use.knapsackFixed : Infinity };
  };
  const fits = (I: Float64Array, d: number) => {
    const r = room(I);
    return r.gpus[p.dep.gpuType[d]] >= p.dep.gpus[d] - 1e-9 && (!p.knapsack || r.spend >= p.knapsack.perInstance[d] - 1e-12);
  };

  // 1. Start: the LP's instances rounded down, or a given start, or nothing.
  let I: Float64Array = new Float64Array(D);
  if (opts.start) I.set(Array.from(opts.start, (x) => Math.max(0, Math.floor(x))));
  else if (opts.lp) for (let d = 0; d < D; d++) I[d] = Math.floor(opts.lp.instances[d] + 1e-6);
  while (!withinLimits(p, I)) {
    // A given start beyond the inventory: shed the largest deployments first.
    let d = 0;
    for (let x = 1; x < D; x++) if (I[x] * p.dep.gpus[x] > I[d] * p.dep.gpus[d]) d = x;
    I[d]--;
  }

  // 2. Buy capacity until the sample can be served at all.
  let cur = evalI(I);
  // (In the paper's form a budget shortfall is also met by hosting: its queries are cheaper.)
  while (!cur.feasible && (cur.binding === 'capacity' || cur.binding === 'budget')) {
    let pick = -1;
    let best = -Infinity;
    for (let d = 0; d < D; d++) {
      if (!fits(I, d)) continue;
      const perGpu = p.dep.capUnit[d] / p.dep.gpus[d];
      if (perGpu > best) (best = perGpu), (pick = d);
    }
    if (pick < 0) {
      if (cur.binding === 'budget') return infeasible(p, 'budget', 'the budget is below the cheapest assignment that the available capacity allows', evaluations, t0);
      return infeasible(p, p.form === 'paper' ? 'gpuBudget' : 'inventory', 'the GPUs available cannot provide enough capacity for the sample/traffic', evaluations, t0);
    }
    I[pick]++;
    cur = evalI(I);
  }
  if (!cur.feasible) {
    // Capacity is there but the knapsack row binds: spend fewer GPUs (extended) or give up.
    while (!cur.feasible && I.some((x) => x > 0) && p.knapsack?.name === 'hourlySpendCap') {
      let d = 0;
      for (let x = 1; x < D; x++) if (I[x] > 0 && (I[d] === 0 || p.dep.hourly[x] > p.dep.hourly[d])) d = x;
      I[d]--;
      cur = evalI(I);
      if (!cur.feasible && cur.binding === 'capacity') break;
    }
    if (!cur.feasible) return infeasible(p, cur.binding ?? 'budget', `no allocation serves the sample within the ${cur.binding ?? 'budget'}`, evaluations, t0);
  }

  let bestBound = Math.min(opts.lp?.bound ?? Infinity, lagrangianBound(p, cur.lambda, cur.capPrice));
  const gapOf = (r: InnerResult) => Math.max(0, (bestBound - r.objective) / Math.max(Math.abs(bestBound), 1e-12));
  const accept = (next: Float64Array, r: InnerResult) => {
    I = next;
    cur = r;
    bestBound = Math.min(bestBound, lagrangianBound(p, r.lambda, r.capPrice));
    opts.onProgress?.(Math.min(1, (performance.now() - t0) / (deadline - t0)), gapOf(cur));
  };
  const price = (r: InnerResult, d: number) => {
    let s = 0;
    for (let g = 0; g < p.groupCount; g++) s += r.capPrice[g * p.k + p.dep.model[d]];
    return p.dep.capUnit[d] * s - (p.knapsack ? r.lambda * p.knapsack.perInstance[d] : 0);
  };

  // 3. Fill: add the instance with the best priced value per GPU; check the top few exactly.
  for (;;) {
    if (performance.now() > deadline || gapOf(cur) <= target) break;
    const cands = [...Array(D).keys()].filter((d) => fits(I, d)).sort((a, b) => price(cur, b) / p.dep.gpus[b] - price(cur, a) / p.dep.gpus[a]);
    let improved = false;
    for (const d of cands.slice(0, 3)) {
      const next = I.slice();
      next[d]++;
      const r = evalI(next);
      if (r.feasible && r.objective > cur.objective + 1e-12) {
        accept(next, r);
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }

  // 4. Local search: move one instance's GPUs to other deployments, best priced moves first.
  let stalled = false;
  while (!stalled && performance.now() < deadline && gapOf(cur) > target) {
    stalled = true;
    const moves: { out: number; into: number; score: number }[] = [];
    for (let out = 0; out < D; out++) {
      if (I[out] <= 0) continue;
      for (let into = 0; into < D; into++) {
        if (into === out) continue;
        moves.push({ out, into, score: price(cur, into) / p.dep.gpus[into] - price(cur, out) / p.dep.gpus[out] });
      }
    }
    moves.sort((a, b) => b.score - a.score);
    for (const m of moves.slice(0, 12)) {
      if (performance.now() > deadline) break;
      const next = I.slice();
      next[m.out]--;
      while (fits(next, m.into)) next[m.into]++;
      const r = evalI(next);
      if (r.feasible && r.objective > cur.objective + 1e-12) {
        accept(next, r);
        stalled = false;
        break;
      }
    }
  }

  const gap = gapOf(cur);
  const timedOut = performance.now() > deadline;
  return {
    status: gap <= target ? 'optimal' : timedOut ? 'timeout' : 'feasible',
    instances: I,
    assignment: cur.assignment,
    objective: cur.objective,
    bound: bestBound,
    gap,
    evaluations,
    ms: performance.now() - t0,
    solver: 'decomposition',
  };
}

function withinLimits(p: AllocProblem, I: Float64Array): boolean {
  const use = resourceUse(p, I);
  return p.gpuTypes.every((g, t) => use.gpus[t] <= g.count + 1e-9);
}

function infeasible(p: AllocProblem, binding: string, message: string, evaluations: number, t0: number): AllocSolution {
  return { status: 'infeasible', binding, message, instances: new Float64Array(depCount(p)), assignment: null, objective: NaN, bound: NaN, gap: Infinity, evaluations, ms: performance.now() - t0, solver: 'decomposition' };
}

export type { GroupData };
