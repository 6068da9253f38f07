// The router at fixed counts with capacities by length (length-mix.ts). What-if, the polish and
// the trim value a plan this way: route at the whole sample's length mix, recompute each option's
// capacity at the mix the routing sends its model, route again, at most MIX_ITERATIONS times, and
// keep the best routing that fits its own mix; when none does, capacities only shrink (the smaller
// of the two) until one does. It always starts from the whole sample's mix, so one set of counts
// has one value on every screen.
import { solveInner, type GroupData, type InnerResult } from './inner';
import { atMix } from './length-mix';
import { groupCaps, type AllocProblem } from './problem';

export const MIX_ITERATIONS = 4;

export interface MixInnerResult extends InnerResult {
  /** Per-query capacity of each option (the row's u[d]) at the routed mix. */
  capUnit: Float64Array;
  /** Routings computed to reach it. */
  mixIterations: number;
}

/** Does every hosted model's routed count fit the capacity of its own mix? */
function fitsOwnMix(p: AllocProblem, I: ArrayLike<number>, assignment: Int32Array): { fits: boolean; at: AllocProblem } {
  const at = atMix(p, assignment);
  const cap = groupCaps(at, I);
  const used = new Float64Array(p.k);
  for (let i = 0; i < p.n; i++) used[assignment[i]]++;
  for (let j = 0; j < p.k; j++) if (p.hosted[j] && used[j] > cap[j]) return { fits: false, at };
  return { fits: true, at };
}

/** The router at fixed counts, with each model's capacity at the mix it is routed (see above). */
export function solveInnerAtMix(p: AllocProblem, G: GroupData, I: ArrayLike<number>, tolerance = 1e-3, lambdaHint = 0): MixInnerResult {
  if (!p.lengths) return { ...solveInner(p, G, I, tolerance, lambdaHint), capUnit: p.dep.capUnit, mixIterations: 1 };
  let q = atMix(p, null);
  let best: MixInnerResult | null = null;
  let last: InnerResult | null = null;
  let it = 0;
  for (; it < MIX_ITERATIONS * 3; it++) {
    const r = solveInner(q, G, I, tolerance, lambdaHint);
    last = r;
    if (!r.feasible) break;
    const own = fitsOwnMix(p, I, r.assignment);
    if (own.fits && (!best || r.objective > best.objective)) best = { ...r, capUnit: own.at.dep.capUnit, mixIterations: it + 1 };
    if (same(q, own.at, I)) break;
    if (it + 1 >= MIX_ITERATIONS && best) break;
    // Past the free iterations without a routing that fits its own mix: capacities only shrink.
    const next = own.at.dep.capUnit;
    q = { ...q, dep: { ...q.dep, capUnit: it + 1 >= MIX_ITERATIONS ? next.map((u, d) => Math.min(u, q.dep.capUnit[d])) : next, qps: own.at.dep.qps } };
  }
  if (best) return { ...best, mixIterations: Math.min(it + 1, MIX_ITERATIONS * 3) };
  const failed = last ?? solveInner(q, G, I, tolerance, lambdaHint);
  return { ...failed, feasible: false, binding: failed.binding ?? 'capacity', capUnit: q.dep.capUnit, mixIterations: it + 1 };
}

/** Same floored capacity per model under I: routing again would give the same answer. */
function same(a: AllocProblem, b: AllocProblem, I: ArrayLike<number>): boolean {
  const ca = groupCaps(a, I);
  const cb = groupCaps(b, I);
  return ca.every((c, j) => c === cb[j]);
}
