// The router at fixed counts with capacities by length (length-mix.ts). What-if, the polish and
// the trim value a plan this way: route at the whole sample's length mix, recompute each option's
// capacity at the mix the routing sends its model and route again, holding back a growing slack
// (unless that leaves the queries nowhere to go), until a routing fits the capacities of its own
// mix: then the weighted row holds. A model that overflowed its own mix once never gets more
// capacity again (so the routings cannot cycle); a full model whose own mix frees over 1% more is
// routed once more, and the best fitting routing is kept. Counts without
// such a routing within MIX_ROUTINGS routings are overloaded. It always starts from the whole
// sample's mix, so one set of counts has one value on every screen.
import { solveInner, type GroupData, type InnerResult } from './inner';
import { atMix } from './length-mix';
import { groupCaps, type AllocProblem } from './problem';

/** At most this many routings per valuation; counts still without a fitting routing are overloaded. */
export const MIX_ROUTINGS = 8;
/** Share of capacity held back when routing again at a routed mix, by routing. */
const MIX_SLACK = [0, 0.001, 0.0025, 0.005, 0.01];

export interface MixInnerResult extends InnerResult {
  /** Per-query capacity of each option (the row's u[d]) at the routed mix. */
  capUnit: Float64Array;
  /** Routings computed to reach it. */
  mixIterations: number;
}

/**
 * Does every hosted model's routed count fit the capacity of its own mix? `grows`: some model
 * was full at the capacity it was routed under and its own mix gives it over 1% more, so routing
 * again there could send it more queries.
 */
function fitsOwnMix(p: AllocProblem, q: AllocProblem, I: ArrayLike<number>, assignment: Int32Array): { fits: boolean; grows: boolean; over: Uint8Array; at: AllocProblem } {
  const at = atMix(p, assignment);
  const cap = groupCaps(at, I);
  const routedCap = groupCaps(q, I);
  const used = new Float64Array(p.k);
  for (let i = 0; i < p.n; i++) used[assignment[i]]++;
  const over = new Uint8Array(p.k);
  let grows = false;
  for (let j = 0; j < p.k; j++) {
    if (!p.hosted[j]) continue;
    if (used[j] > cap[j]) over[j] = 1;
    else if (used[j] >= routedCap[j] - 1 && cap[j] > routedCap[j] * 1.01 + 1) grows = true;
  }
  return { fits: !over.some((x) => x), grows, over, at };
}

/** The router at fixed counts, with each model's capacity at the mix it is routed (see above). */
export function solveInnerAtMix(p: AllocProblem, G: GroupData, I: ArrayLike<number>, tolerance = 1e-3, lambdaHint = 0): MixInnerResult {
  if (!p.lengths) return { ...solveInner(p, G, I, tolerance, lambdaHint), capUnit: p.dep.capUnit, mixIterations: 1 };
  let q = atMix(p, null);
  let unslacked = q.dep.capUnit;
  let slackOn = true;
  let last: InnerResult | null = null;
  let best: MixInnerResult | null = null;
  // Models that overflowed their own mix once: their capacity never rises again (else two models
  // can trade the long prompts back and forth, routing after routing).
  const shrunk = new Uint8Array(p.k);
  let it = 0;
  while (it < MIX_ROUTINGS) {
    const r = solveInner(q, G, I, tolerance, lambdaHint);
    it++;
    last = r;
    if (!r.feasible) {
      // The slack made the counts too small to route at all: route at the mix itself instead.
      if (!slackOn || unslacked === q.dep.capUnit) break;
      slackOn = false;
      q = { ...q, dep: { ...q.dep, capUnit: unslacked } };
      continue;
    }
    const own = fitsOwnMix(p, q, I, r.assignment);
    if (own.fits) {
      if (!best || r.objective > best.objective) best = { ...r, capUnit: own.at.dep.capUnit, mixIterations: it };
      if (!own.grows) break;
    }
    // Route again at the routed mix's capacities. A routing that fills a model's capacity exactly
    // overshoots its own mix by a query or two when the mix moves, so later routings hold back a
    // growing slack (unless that leaves queries nowhere to go).
    for (let j = 0; j < p.k; j++) if (own.over[j]) shrunk[j] = 1;
    const next = own.at.dep.capUnit.map((u, d) => (shrunk[p.dep.model[d]] ? Math.min(u, unslacked[d]) : u));
    const slack = slackOn ? 1 - MIX_SLACK[Math.min(it - 1, MIX_SLACK.length - 1)] : 1;
    unslacked = next;
    q = { ...q, dep: { ...q.dep, capUnit: next.map((u) => u * slack) } };
  }
  if (best) return { ...best, mixIterations: it };
  const failed = last ?? solveInner(q, G, I, tolerance, lambdaHint);
  return { ...failed, feasible: false, binding: failed.binding ?? 'capacity', capUnit: q.dep.capUnit, mixIterations: it };
}
