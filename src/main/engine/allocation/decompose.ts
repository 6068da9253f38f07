// Our decomposition for large allocation problems. The master chooses instance counts I; the
// subproblem routes the sample with I frozen (inner.ts: Lagrangian budget price + per-batch
// transportation auctions), and returns capacity prices μ that value one more instance of each
// deployment. The master starts from the LP relaxation's I rounded down (when an LP was solved) or
// from nothing, buys capacity until the sample can be served, spends the remaining GPUs on the
// deployments the prices value most, then improves I by local search (move one instance's GPUs to
// another deployment), each candidate checked by the subproblem. The gap is certified against the
// smaller of the LP bound and our Lagrangian bound (bound.ts).
import { lagrangianBound } from './bound';
import { descendDual, type DualPoint } from './dual-descent';
import { prepareGroups, solveInner, type GroupData, type InnerResult } from './inner';
import { depCount, groupCaps, resourceUse, type AllocProblem } from './problem';

export interface DecomposeOptions {
  timeLimitMs?: number;
  /** Stop improving once the certified gap is below this. */
  targetGap?: number;
  /** From an LP relaxation (HiGHS, or reduced-dual.ts): fractional instances, its bound, and its
   *  spend price when known (a bracket for the router's first λ search). */
  lp?: { instances: ArrayLike<number>; bound: number; lambda?: number } | null;
  start?: ArrayLike<number>;
  /** A bound proven elsewhere (an LP relaxation whose start was dropped). */
  upperBound?: number;
  /** Prices from a neighbouring problem (a sweep's previous point): where the descent starts. */
  dual?: DualPoint | null;
  /**
   * A safety cap on each tightening of the bound by dual descent (default 2 s). The descent stops by
   * its own rules (target reached, step size exhausted) in tens of ms; a tight cap would make the
   * certified gap depend on how busy the machine is.
   */
  descentMs?: number;
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
  /** The best prices found (a warm start for a neighbouring problem). */
  dual?: DualPoint;
}

export function solveDecomposition(p: AllocProblem, opts: DecomposeOptions = {}): AllocSolution {
  const t0 = performance.now();
  const deadline = t0 + (opts.timeLimitMs ?? 20_000);
  const target = opts.targetGap ?? 1e-3;
  const D = depCount(p);
  const G = prepareGroups(p);
  let evaluations = 0;
  let lastLambda = opts.lp?.lambda ?? 0;
  const evalI = (I: Float64Array): InnerResult => {
    evaluations++;
    const r = solveInner(p, G, I, 1e-3, lastLambda);
    if (r.feasible) lastLambda = r.lambda;
    return r;
  };
  const room = (I: Float64Array) => {
    const use = resourceUse(p, I);
    return { gpus: p.gpuTypes.map((g, t) => g.count - use.gpus[t]), spend: p.knapsack ? p.knapsack.rhs - use.knapsackFixed : Infinity };
  };
  const fits = (I: Float64Array, d: number) => {
    const r = room(I);
    return r.gpus[p.dep.gpuType[d]] >= p.dep.gpus[d] - 1e-9 && (!p.knapsack || r.spend >= p.knapsack.perInstance[d] - 1e-12);
  };

  // 1. Start: the LP's instances rounded, or a given start, or nothing.
  let I: Float64Array = new Float64Array(D);
  if (opts.start) I.set(Array.from(opts.start, (x) => Math.max(0, Math.floor(x))));
  else if (opts.lp) {
    // Round the LP's counts: down, then up in order of the largest fractional part while the
    // GPUs allow (rounding all down starves the sample, and proving that costs the router far
    // more than a feasible start).
    for (let d = 0; d < D; d++) I[d] = Math.floor(opts.lp.instances[d] + 1e-6);
    const frac = [...Array(D).keys()].filter((d) => opts.lp!.instances[d] - I[d] > 1e-6).sort((x, y) => opts.lp!.instances[y] - I[y] - (opts.lp!.instances[x] - I[x]));
    // Up, not down, under a spend row too: the LP spends all of it, so a start short of its
    // capacity sends queries to dearer API models and busts the row, while spare capacity only
    // costs its hourly price (which the repair below sheds if it must).
    for (const d of frac) if (fits(I, d)) I[d]++;
    // GPUs a full type still has free go to its models the LP hosts, most instances first.
    const used = [...Array(D).keys()].filter((d) => opts.lp!.instances[d] > 1e-6).sort((x, y) => opts.lp!.instances[y] - opts.lp!.instances[x]);
    for (let added = true; added; ) {
      added = false;
      for (const d of used) if (fits(I, d)) (I[d]++, (added = true));
    }
  }
  while (!withinLimits(p, I)) {
    // A given start beyond the inventory: shed the largest deployments first.
    let d = 0;
    for (let x = 1; x < D; x++) if (I[x] * p.dep.gpus[x] > I[d] * p.dep.gpus[d]) d = x;
    I[d]--;
  }

  // 2. Buy capacity until every group can be served (no routing needed to see that), cheapest
  //    capacity first: per dollar when an hourly spend cap binds, else per GPU.
  const perUnit = (d: number) => p.dep.capUnit[d] / (p.knapsack?.name === 'hourlySpendCap' && p.dep.hourly[d] > 0 ? p.dep.hourly[d] : p.dep.gpus[d]);
  const byValue = [...Array(D).keys()].sort((a, b) => perUnit(b) - perUnit(a));
  const largest = Math.max(0, ...G.members.map((m) => m.length));
  const hostedCap = () => {
    const c = groupCaps(p, I);
    let t = 0;
    for (let j = 0; j < p.k; j++) if (p.hosted[j]) t += c[j];
    return t;
  };
  let cur = evalI(I);
  if (!cur.feasible) {
    // Enough hosted capacity for the largest group, bought in bulk (API models may then help).
    for (let have = hostedCap(); have < largest; have = hostedCap()) {
      const pick = byValue.find((d) => fits(I, d));
      if (pick == null) break;
      let add = Math.max(1, Math.floor((largest - have) / Math.max(p.dep.capUnit[pick], 1e-9) / 2));
      while (add > 0 && fits(I, pick)) (I[pick]++, add--);
    }
    cur = evalI(I);
  }
  // (In the paper's form a budget shortfall is also met by hosting: its queries are cheaper.)
  while (!cur.feasible && cur.binding === 'budget' && performance.now() < deadline) {
    const pick = byValue.find((d) => fits(I, d));
    if (pick == null) break;
    I[pick]++;
    cur = evalI(I);
  }
  if (!cur.feasible && cur.binding === 'hourlySpendCap') {
    // The spend cap binds: shed the dearest capacity while the sample can still be served.
    const dear = [...Array(D).keys()].sort((a, b) => p.dep.hourly[b] / p.dep.capUnit[b] - p.dep.hourly[a] / p.dep.capUnit[a]);
    for (let tries = 0; !cur.feasible && cur.binding === 'hourlySpendCap' && tries < 50 && performance.now() < deadline; tries++) {
      const d = dear.find((x) => I[x] > 0);
      if (d == null) break;
      I[d]--;
      // The GPUs freed go to the most capacity per dollar that fits: dear capacity is swapped
      // for cheap, not just dropped (dropping alone sends its queries to dearer API models).
      if (opts.lp || opts.start) {
        const perDollar = (x: number) => p.dep.capUnit[x] / Math.max(p.dep.hourly[x], 1e-12);
        for (;;) {
          const pick = byValue.find((x) => x !== d && fits(I, x));
          if (pick == null || perDollar(pick) <= perDollar(d)) break;
          I[pick]++;
        }
      }
      cur = evalI(I);
    }
  }
  if (!cur.feasible && (opts.lp || opts.start) && performance.now() < deadline) {
    // A rounded LP (or given) start that the repairs above could not make feasible says nothing
    // about the problem: search again from no instances, keeping the LP's bound.
    const again = solveDecomposition(p, { ...opts, lp: null, start: undefined, upperBound: Math.min(opts.upperBound ?? Infinity, opts.lp?.bound ?? Infinity), timeLimitMs: deadline - performance.now() });
    return { ...again, evaluations: again.evaluations + evaluations, ms: performance.now() - t0 };
  }
  if (!cur.feasible) {
    const binding = cur.binding === 'capacity' ? (p.form === 'paper' ? 'gpuBudget' : 'inventory') : (cur.binding ?? 'budget');
    return infeasible(p, binding, binding === 'inventory' || binding === 'gpuBudget' ? 'the GPUs available cannot provide enough capacity for the sample/traffic' : `no allocation found that serves the sample within the ${binding}`, evaluations, t0);
  }

  let bestBound = Math.min(opts.lp?.bound ?? Infinity, opts.upperBound ?? Infinity, lagrangianBound(p, cur.lambda, cur.capPrice));
  const gapOf = (r: InnerResult) => Math.max(0, (bestBound - r.objective) / Math.max(Math.abs(bestBound), 1e-12));
  // The router's prices certify only the incumbent's counts; descending the whole problem's dual
  // from them (and from the best prices found so far) tightens the bound in milliseconds.
  let dual: DualPoint | null = opts.dual ?? null;
  let tightenedAt: InnerResult | null = null;
  const tighten = () => {
    // Descending again from the same incumbent's prices would find the same bound.
    if (tightenedAt === cur) return;
    tightenedAt = cur;
    const budgetMs = Math.min(opts.descentMs ?? 2_000, Math.max(0, deadline - performance.now()));
    if (budgetMs <= 0) return;
    const stopAt = cur.objective / (1 - target / 2);
    for (const from of dual ? [cur, dual] : [cur]) {
      const r = descendDual(p, { lambda: from.lambda, capPrice: from.capPrice }, cur.objective, { stopAt, budgetMs: budgetMs / 2 });
      if (r.bound < bestBound) bestBound = r.bound;
      if (!dual || r.bound <= bestBound) dual = r;
      if (bestBound <= stopAt) break;
    }
  };
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

  // A warm start may already be within the target: check before buying more.
  if (opts.start || opts.dual) tighten();

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

  tighten();

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

  if (gapOf(cur) > target / 2) tighten();
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
    dual: dual ?? { lambda: cur.lambda, capPrice: cur.capPrice },
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
