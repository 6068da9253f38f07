// The router at fixed counts with capacities by length (length-mix.ts). What-if, the polish and
// the trim value a plan this way: route at the whole sample's length mix, recompute each option's
// capacity at the mix the routing sends its model and route again, holding back a growing slack
// (unless that leaves the queries nowhere to go), until a routing fits the capacities of its own
// mix: then the weighted row holds. When PLAIN_ROUTINGS such steps do not settle, damped steps
// start again from the whole sample's mix: a model that overflowed its own mix goes as far below
// it as it overflowed and never gets more capacity again (so the routings cannot cycle); raises
// go half way. While a full model's own mix frees over 3% more and quality rises, it is routed again (at
// most twice past the first fit), and the best fitting routing is kept. Counts without
// such a routing within MIX_ROUTINGS routings are overloaded. It always starts from the whole
// sample's mix, so one set of counts has one value on every screen.
import { solveInner, type GroupData, type InnerResult } from './inner';
import { atMix } from './length-mix';
import { groupCaps, type AllocProblem } from './problem';

/** Plain steps, then at most MIX_ROUTINGS damped ones; counts still without a fitting routing are overloaded. */
export const PLAIN_ROUTINGS = 4;
export const MIX_ROUTINGS = 8;
/** Routings after the first that fits its own mix, while a full model's own mix frees over MIX_GROWTH more. */
const MIX_REFITS = 2;
const MIX_GROWTH = 0.03;
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
function fitsOwnMix(p: AllocProblem, q: AllocProblem, I: ArrayLike<number>, assignment: Int32Array): { fits: boolean; grows: boolean; over: Float64Array; at: AllocProblem } {
  const at = atMix(p, assignment);
  const cap = groupCaps(at, I);
  const routedCap = groupCaps(q, I);
  const used = new Float64Array(p.k);
  for (let i = 0; i < p.n; i++) used[assignment[i]]++;
  /** Per model: own-mix capacity over routed count where it overflowed (< 1), else 0. */
  const over = new Float64Array(p.k);
  let grows = false;
  for (let j = 0; j < p.k; j++) {
    if (!p.hosted[j]) continue;
    if (used[j] > cap[j]) over[j] = cap[j] / used[j];
    else if (used[j] >= routedCap[j] - 1 && cap[j] > routedCap[j] * (1 + MIX_GROWTH) + 1) grows = true;
  }
  return { fits: !over.some((x) => x), grows, over, at };
}

/** The router at fixed counts, with each model's capacity at the mix it is routed (see above). */
export function solveInnerAtMix(p: AllocProblem, G: GroupData, I: ArrayLike<number>, tolerance = 1e-3, lambdaHint = 0): MixInnerResult {
  if (!p.lengths) return { ...solveInner(p, G, I, tolerance, lambdaHint), capUnit: p.dep.capUnit, mixIterations: 1 };
  // Plain steps first (each routing at the last routed mix): few routings on plans sized at their
  // own mix. When they do not settle (models trading long prompts), damped steps from the start.
  const plain = routeToOwnMix(p, G, I, tolerance, lambdaHint, false, PLAIN_ROUTINGS);
  if (plain.feasible) return plain;
  const damped = routeToOwnMix(p, G, I, tolerance, lambdaHint, true, MIX_ROUTINGS);
  return { ...damped, mixIterations: plain.mixIterations + damped.mixIterations };
}

function routeToOwnMix(p: AllocProblem, G: GroupData, I: ArrayLike<number>, tolerance: number, lambdaHint: number, damped: boolean, routings: number): MixInnerResult {
  let q = atMix(p, null);
  let unslacked = q.dep.capUnit;
  let slackOn = true;
  let last: InnerResult | null = null;
  let best: MixInnerResult | null = null;
  // Models that overflowed their own mix once: their capacity never rises again (else two models
  // can trade the long prompts back and forth, routing after routing).
  const shrunk = new Uint8Array(p.k);
  let refits = 0;
  let it = 0;
  while (it < routings) {
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
      // Routing again pays only while quality rises; at most MIX_REFITS routings past the first fit.
      const improved = !best || r.objective > best.objective * (1 + 1e-4);
      if (!best || r.objective > best.objective) best = { ...r, capUnit: own.at.dep.capUnit, mixIterations: it };
      if (!improved || !own.grows || ++refits > MIX_REFITS) break;
    }
    // Route again at the routed mix's capacities. A routing that fills a model's capacity exactly
    // overshoots its own mix by a query or two when the mix moves, so later routings hold back a
    // growing slack (unless that leaves queries nowhere to go).
    // An overflowing model filled up with longer prompts than its mix had: the next routing will
    // do that again, so its capacity goes as far below its own mix's as it overflowed (a secant
    // step). Raises go half way, for the same reason.
    for (let j = 0; j < p.k; j++) if (own.over[j]) shrunk[j] = 1;
    const next = !damped ? own.at.dep.capUnit : own.at.dep.capUnit.map((u, d) => {
      const j = p.dep.model[d];
      if (own.over[j]) return Math.min(u * own.over[j], unslacked[d]);
      if (shrunk[j]) return Math.min(u, unslacked[d]);
      return u > unslacked[d] ? (u + unslacked[d]) / 2 : u;
    });
    const slack = slackOn ? 1 - MIX_SLACK[Math.min(it - 1, MIX_SLACK.length - 1)] : 1;
    unslacked = next;
    q = { ...q, dep: { ...q.dep, capUnit: next.map((u) => u * slack) } };
  }
  if (best) return { ...best, mixIterations: it };
  const failed = last ?? solveInner(q, G, I, tolerance, lambdaHint);
  return { ...failed, feasible: false, binding: failed.binding ?? 'capacity', capUnit: q.dep.capUnit, mixIterations: it };
}
