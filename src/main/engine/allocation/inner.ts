// The allocation problem with the instance counts I frozen: route the training sample under the
// knapsack row and per-group capacities. One group (extended form) is exactly the batch router's
// problem (routing/solveFast). Several groups with one shared budget (paper form) are solved the
// same way: the budget is priced out with λ (bisection on spend), each batch is then an independent
// transportation problem solved by the price auction, and the budget left over goes to upgrades.
// Every λ gives the Lagrangian bound λR + Σ_g dual_g(λ) on this inner problem.
import { transportAuction } from '../routing/auction';
import { repairUpgrade } from '../routing/repair';
import { solveFast } from '../routing/solve';
import type { BatchInstance } from '../routing/instance';
import { groupCaps, resourceUse, type AllocProblem } from './problem';

export interface InnerResult {
  feasible: boolean;
  binding?: 'capacity' | 'budget' | 'hourlySpendCap';
  assignment: Int32Array;
  objective: number; // mean quality
  bound: number; // upper bound on the mean quality for these I
  knapsackUse: number; // x part of the knapsack row
  lambda: number;
  /** Capacity prices per (group, model), in units of summed quality. */
  capPrice: Float64Array;
}

/** Query indices of each group, and group-local quality/cost, prepared once per problem. */
export interface GroupData {
  members: Int32Array[];
  quality: Float64Array[];
  cost: Float64Array[];
}

export function prepareGroups(p: AllocProblem): GroupData {
  const counts = new Int32Array(p.groupCount);
  for (let i = 0; i < p.n; i++) counts[p.groupOf[i]]++;
  const members = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(p.groupCount);
  for (let i = 0; i < p.n; i++) members[p.groupOf[i]][fill[p.groupOf[i]]++] = i;
  const zero = new Float64Array(p.n * p.k);
  const cost = p.knapsack?.coef ?? zero;
  const sub = (src: Float64Array, m: Int32Array) => {
    const out = new Float64Array(m.length * p.k);
    for (let r = 0; r < m.length; r++) out.set(src.subarray(m[r] * p.k, m[r] * p.k + p.k), r * p.k);
    return out;
  };
  return { members, quality: members.map((m) => sub(p.quality, m)), cost: members.map((m) => sub(cost, m)) };
}

/** `lambdaHint`: the budget price of a neighbouring solve (the search over I moves one instance at a
 *  time), used to bracket the bisection instead of searching from λ = 0. */
export function solveInner(p: AllocProblem, G: GroupData, I: ArrayLike<number>, tolerance = 1e-3, lambdaHint = 0): InnerResult {
  const { n, k } = p;
  const cap = groupCaps(p, I);
  const R = p.knapsack ? p.knapsack.rhs - resourceUse(p, I).knapsackFixed : Infinity;
  const fail = (binding: InnerResult['binding']): InnerResult => ({ feasible: false, binding, assignment: new Int32Array(n).fill(-1), objective: NaN, bound: -Infinity, knapsackUse: NaN, lambda: NaN, capPrice: new Float64Array(p.groupCount * k) });
  let total = 0;
  for (let j = 0; j < k; j++) total += cap[j];
  for (const m of G.members) if (m.length > total) return fail('capacity');
  if (R < -1e-12) return fail(p.knapsack!.name);
  // Models without capacity leave the instance: left in, queries would bid for them in ε steps.
  const cols: number[] = [];
  for (let j = 0; j < k; j++) if (cap[j] > 0) cols.push(j);
  const sub = cols.length === k ? G : restrictColumns(G, k, cols);
  const subCap = Float64Array.from(cols, (j) => cap[j]);
  // The batch router (solveFast) when only capacities bind; with a knapsack row our own λ search,
  // which gives up early when capacities leave no saving (see solveGroups).
  const r = p.groupCount === 1 && !Number.isFinite(R) ? solveSingle(p, sub, cols.length, subCap, R, tolerance, fail) : solveGroups(p, sub, cols.length, subCap, R, tolerance, fail, lambdaHint);
  if (!r.feasible) return r;
  return expand(p, G, r, cols);
}

function restrictColumns(G: GroupData, k: number, cols: number[]): GroupData {
  const pick = (src: Float64Array) => {
    const m = src.length / k;
    const out = new Float64Array(m * cols.length);
    for (let r = 0; r < m; r++) for (let c = 0; c < cols.length; c++) out[r * cols.length + c] = src[r * k + cols[c]];
    return out;
  };
  return { members: G.members, quality: G.quality.map(pick), cost: G.cost.map(pick) };
}

/**
 * Back to all K models. A model without capacity gets the price that keeps every query's best
 * relaxed choice unchanged (the largest amount by which a query would prefer it): the value of
 * opening it, and what keeps the Lagrangian bound tight.
 */
function expand(p: AllocProblem, G: GroupData, r: InnerResult, cols: number[]): InnerResult {
  const { k } = p;
  const kk = cols.length;
  const assignment = cols.length === k ? r.assignment : r.assignment.map((c) => cols[c]);
  const capPrice = new Float64Array(p.groupCount * k);
  const active = new Uint8Array(k);
  for (const j of cols) active[j] = 1;
  for (let g = 0; g < p.groupCount; g++) {
    for (let c = 0; c < kk; c++) capPrice[g * k + cols[c]] = r.capPrice[g * kk + c];
    if (kk === k) continue;
    const q = G.quality[g];
    const a = G.cost[g];
    for (let m = 0; m < G.members[g].length; m++) {
      let best = -Infinity;
      for (const j of cols) best = Math.max(best, q[m * k + j] - r.lambda * a[m * k + j] - capPrice[g * k + j]);
      for (let j = 0; j < k; j++) if (!active[j]) capPrice[g * k + j] = Math.max(capPrice[g * k + j], q[m * k + j] - r.lambda * a[m * k + j] - best);
    }
  }
  return { ...r, assignment, capPrice };
}

function solveSingle(p: AllocProblem, G: GroupData, k: number, cap: Float64Array, R: number, tolerance: number, fail: (b: InnerResult['binding']) => InnerResult): InnerResult {
  const n = p.n;
  const capacity = Array.from(cap, (c) => (Number.isFinite(c) ? c : null));
  const inst: BatchInstance = { n, k, quality: G.quality[0], cost: G.cost[0], capacity, budget: Math.max(0, R) };
  const s = solveFast(inst, { tolerance });
  if (s.status === 'infeasible') return fail(/capacity/.test(s.reason ?? '') ? 'capacity' : (p.knapsack?.name ?? 'capacity'));
  const assignment = new Int32Array(n);
  G.members[0].forEach((i, r) => (assignment[i] = s.assignment[r]));
  return { feasible: true, assignment, objective: s.objective / n, bound: s.lpBound / n, knapsackUse: s.cost, lambda: s.duals?.lambda ?? 0, capPrice: s.duals?.mu ?? new Float64Array(k) };
}

function solveGroups(p: AllocProblem, G: GroupData, k: number, cap: Float64Array, R: number, tolerance: number, fail: (b: InnerResult['binding']) => InnerResult, hint: number): InnerResult {
  const n = p.n;
  const nG = p.groupCount;
  const eps = tolerance / 8;
  const w = new Float64Array(Math.max(...G.members.map((m) => m.length)) * k);
  const assign = G.members.map((m) => new Int32Array(m.length));
  const mu = new Float64Array(nG * k);
  const evaluate = (lambda: number) => {
    let objective = 0;
    let spend = 0;
    let dual = Number.isFinite(R) ? lambda * R : 0;
    for (let g = 0; g < nG; g++) {
      const m = G.members[g].length;
      const q = G.quality[g];
      const c = G.cost[g];
      for (let t = 0; t < m * k; t++) w[t] = q[t] - lambda * c[t];
      const r = transportAuction(w, m, k, cap, eps, assign[g], mu.subarray(g * k, g * k + k));
      dual += r.dual;
      for (let r2 = 0; r2 < m; r2++) (objective += q[r2 * k + assign[g][r2]]), (spend += c[r2 * k + assign[g][r2]]);
    }
    return { objective, spend, dual };
  };
  // With a hint, 0.8·hint still overspending proves the budget binds and is the bracket's low end.
  const probe = hint > 0 && Number.isFinite(R) ? evaluate(hint * 0.8) : null;
  let lo = 0;
  let best: ReturnType<typeof evaluate>;
  let bound: number;
  if (probe && probe.spend > R) {
    best = probe;
    bound = probe.dual;
    lo = hint * 0.8;
  } else {
    best = evaluate(0);
    bound = Math.min(best.dual, probe?.dual ?? Infinity);
  }
  let lambda = 0;
  let snapshot = assign.map((a) => a.slice());
  let muSnap = mu.slice();
  if (best.spend > R) {
    // Find a λ whose assignment fits the budget, then bisect towards the smallest such λ.
    // Beyond λmax a price of quality can no longer outweigh any cost difference: stop there.
    let minCost = Infinity;
    for (const c of G.cost) for (let t = 0; t < c.length; t++) if (c[t] > 0 && c[t] < minCost) minCost = c[t];
    const lambdaMax = (4 * (1 + Math.max(...G.quality.map((q) => q.reduce((a, b) => Math.max(a, Math.abs(b)), 0))))) / minCost;
    // Start where a price makes cost and quality comparable (mean quality per mean cost).
    let meanQ = 0;
    let meanC = 0;
    for (let g = 0; g < nG; g++) for (let t = 0; t < G.cost[g].length; t++) (meanQ += Math.abs(G.quality[g][t])), (meanC += G.cost[g][t]);
    let hi = hint > 0 ? Math.min(lo > 0 ? hint * 1.25 : hint * 0.8, lambdaMax) : Math.min(meanC > 0 ? meanQ / meanC : 1, lambdaMax);
    let e = evaluate(hi);
    bound = Math.min(bound, e.dual);
    // Two ×4 steps without any saving: the capacities already force the cheapest mix, and the
    // auction's work grows with λ, so stop and call the budget binding (a heuristic verdict).
    let stalls = 0;
    // A neighbour's price (the hint) is within a small factor of this one's: past 8x the hint the
    // counts are taken to be over budget (the search over I then sheds capacity), which spares
    // the slowest auctions, those at large λ.
    let growth = 0;
    for (let prev = best.spend; e.spend > R && hi < lambdaMax && stalls < 2 && !(hint > 0 && growth >= 3); prev = e.spend, growth++) {
      hi = Math.min(hi * (hint > 0 ? 2 : 4), lambdaMax);
      e = evaluate(hi);
      bound = Math.min(bound, e.dual);
      stalls = e.spend >= prev * (1 - 1e-9) ? stalls + 1 : 0;
    }
    if (e.spend > R) return fail(p.knapsack!.name);
    best = e;
    snapshot = assign.map((a) => a.slice());
    muSnap = mu.slice();
    for (let step = 0; step < 40 && (best.objective === 0 || (bound - best.objective) / bound > tolerance / 4); step++) {
      const mid = (lo + hi) / 2;
      const r = evaluate(mid);
      bound = Math.min(bound, r.dual);
      if (r.spend <= R) {
        hi = mid;
        best = r;
        snapshot = assign.map((a) => a.slice());
        muSnap = mu.slice();
      } else lo = mid;
      if (hi - lo < 1e-12 * hi) break;
    }
    lambda = hi;
  }
  // Spend what budget is left on upgrades, batch by batch, never breaking a batch's capacity.
  let spend = best.spend;
  let objective = 0;
  const assignment = new Int32Array(n);
  for (let g = 0; g < nG; g++) {
    const m = G.members[g].length;
    let own = 0;
    for (let r = 0; r < m; r++) own += G.cost[g][r * k + snapshot[g][r]];
    if (Number.isFinite(R) && R - spend > 1e-15) {
      const inst: BatchInstance = { n: m, k, quality: G.quality[g], cost: G.cost[g], capacity: [], budget: own + (R - spend) };
      const after = repairUpgrade(inst, cap, snapshot[g]);
      spend += after - own;
    }
    for (let r = 0; r < m; r++) {
      assignment[G.members[g][r]] = snapshot[g][r];
      objective += G.quality[g][r * k + snapshot[g][r]];
    }
  }
  return { feasible: true, assignment, objective: objective / n, bound: bound / n, knapsackUse: spend, lambda, capPrice: muSnap };
}
