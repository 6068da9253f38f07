// The last step of every allocation path: make the plan one that no hand edit beats.
//
// A plan's value is what the what-if screen computes for its instance counts (solveInnerAtMix: the
// batch router on the sample under the capacities the counts give), so the optimiser, the
// sliders, the scenarios and the CSV all show one quality figure for one plan. Plans are compared
// lexicographically: higher quality first, then lower cost ($/hour in the extended form, GPUs in
// the paper form). Starting from the best of the solver's incumbent and every plan the caller
// can trivially derive (the current sliders, the plan before a purchase, the uniform split), a
// local search takes any single-slider move (one instance more or fewer of one deployment) or
// transfer (one instance of a model on another GPU type, for as many instances of the first as carry
// its capacity) that
//   - raises quality above every plan seen (quality first, at any cost), or
//   - raises quality at no higher cost, or
//   - lowers cost while quality stays within `qualityTolerance` of the best quality seen
//     (the certified gap the caller allows: "best quality, then the cheapest fleet that keeps it").
// Cost strictly falls or quality strictly rises at every move, so the search ends; when it ends
// within its time limit no single move dominates the plan (`exhausted`).
import { prepareGroups, type GroupData, type InnerResult } from './inner';
import { solveInnerAtMix } from './mix-router';
import { depCount, instanceUpperBounds, resourceUse, withinInventory, type AllocProblem } from './problem';
import { releaseIdleInstances } from './trim';

export interface PlanValue {
  feasible: boolean;
  quality: number;
  cost: number;
  inner: InnerResult;
}

const Q_EPS = 1e-9;
/** Relative quality below the best candidate past which a candidate is not trimmed (2x the router's tolerance). */
const TRIM_WINDOW = 2e-3;
const C_EPS = 1e-9;

/** Quality and cost of instance counts I, as the what-if screen computes them. */
export function planValue(p: AllocProblem, G: GroupData, I: ArrayLike<number>, lambdaHint = 0): PlanValue {
  if (!withinInventory(p, I)) return { feasible: false, quality: -Infinity, cost: Infinity, inner: null as unknown as InnerResult };
  const inner = solveInnerAtMix(p, G, I, undefined, lambdaHint);
  if (!inner.feasible) return { feasible: false, quality: -Infinity, cost: Infinity, inner };
  return { feasible: true, quality: inner.objective, cost: planCost(p, I, inner.assignment), inner };
}

/** $/hour (GPU instances + API spend of the routed sample) in the extended form; GPUs in the paper form. */
export function planCost(p: AllocProblem, I: ArrayLike<number>, assignment: Int32Array): number {
  if (p.form === 'paper') {
    const { gpus } = resourceUse(p, I);
    return gpus.reduce((a, b) => a + b, 0);
  }
  let cost = 0;
  for (let d = 0; d < depCount(p); d++) cost += I[d] * p.dep.hourly[d];
  if (p.apiHourly) for (let i = 0; i < p.n; i++) cost += p.apiHourly[i * p.k + assignment[i]];
  return cost;
}

/** Quality first, then cost: how candidate plans are ranked. */
export function lexicographicallyBetter(a: PlanValue, b: PlanValue): boolean {
  if (!a.feasible) return false;
  if (!b.feasible) return true;
  if (a.quality > b.quality + Q_EPS) return true;
  return a.quality >= b.quality - Q_EPS && a.cost < b.cost - C_EPS;
}

/** True when plan a is better than plan b: more quality at no more cost, or less cost within tolerance of `qualityFloor`. */
export function dominates(a: PlanValue, b: PlanValue, qualityFloor = b.quality): boolean {
  if (!a.feasible) return false;
  if (!b.feasible) return true;
  if (a.quality > b.quality + Q_EPS && a.cost <= b.cost + C_EPS) return true;
  return a.cost < b.cost - C_EPS && a.quality >= qualityFloor - Q_EPS;
}

export interface PolishOptions {
  /** How far below the best quality seen the cost search may go (absolute, in quality units). */
  qualityTolerance?: number;
  timeLimitMs?: number;
  groups?: GroupData;
}

export interface PolishResult {
  instances: Float64Array;
  value: PlanValue;
  /** Which candidate the search started from: 'solver' or a caller's label. */
  startedFrom: string;
  moves: number;
  /** True when the final plan was checked against every single move (none dominates it). */
  exhausted: boolean;
  /** Each candidate's value as given (before any trim), by label. */
  candidateValues: Map<string, PlanValue>;
}

/**
 * The best plan among the candidates, then improved by single moves until none dominates it.
 * Candidates that do not fit the inventory are skipped; returns null when none is feasible.
 */
/** A plan to start from; `keep`: the caller's own plan (the sliders, the plan before a purchase), whose quality the result never falls below. */
export interface PolishCandidate {
  label: string;
  instances: ArrayLike<number>;
  keep?: boolean;
}

export function polishPlan(p: AllocProblem, candidates: PolishCandidate[], o: PolishOptions = {}): PolishResult | null {
  const t0 = performance.now();
  const limit = o.timeLimitMs ?? 5_000;
  const G = o.groups ?? prepareGroups(p);
  const D = depCount(p);
  let best: { I: Float64Array; v: PlanValue; label: string } | null = null as { I: Float64Array; v: PlanValue; label: string } | null;
  const values = new Map<string, PlanValue>();
  let keepQuality = -Infinity;
  const valued = candidates.filter((c) => c.instances.length === D).map((c) => {
    const I = Float64Array.from(c.instances);
    const v = planValue(p, G, I);
    values.set(c.label, v);
    return { c, I, v };
  });
  const top = Math.max(...valued.map((x) => (x.v.feasible ? x.v.quality : -Infinity)));
  for (const { c, I: I0, v: v0 } of valued) {
    let I: Float64Array = I0;
    let v = v0;
    if (!v.feasible) continue;
    // Idle capacity first: the trim keeps the assignment, so quality is unchanged and cost can
    // only fall. A candidate clearly below the best (beyond the router's tolerance) cannot win
    // on cost, so it is not trimmed and valued again.
    if (v.quality >= top - TRIM_WINDOW * Math.abs(top)) {
      const trimmed = releaseIdleInstances(p, I, v.inner.assignment);
      const vt = planValue(p, G, trimmed);
      if (vt.feasible && (vt.quality >= v.quality - Q_EPS || dominates(vt, v))) (I = trimmed), (v = vt);
    }
    if (c.keep) keepQuality = Math.max(keepQuality, v.quality);
    if (!best || lexicographicallyBetter(v, best.v)) best = { I, v, label: c.label };
  }
  if (!best) return null;
  let seenTop = best.v.quality;
  // The cost search may give up quality within the tolerance, never below a plan the caller gave.
  const floor = () => Math.max(seenTop - (o.qualityTolerance ?? 0), keepQuality);
  const ub = instanceUpperBounds(p);
  const sameModel: number[][] = Array.from({ length: p.k }, () => []);
  for (let d = 0; d < D; d++) sameModel[p.dep.model[d]].push(d);
  let moves = 0;
  let exhausted = false;
  // Cheap moves first: removing the dearest instances, then transfers, then additions.
  const order = [...Array(D).keys()].sort((a, b) => p.dep.hourly[b] - p.dep.hourly[a] || p.dep.gpus[b] - p.dep.gpus[a]);
  search: while (performance.now() - t0 < limit) {
    const I = best.I;
    const tryMove = (apply: (J: Float64Array) => boolean): boolean => {
      const J = Float64Array.from(I);
      if (!apply(J)) return false;
      // A neighbour's budget price is close to this plan's: it brackets the λ search.
      const v = planValue(p, G, J, Number.isFinite(best!.v.inner?.lambda) ? best!.v.inner.lambda : 0);
      if (!v.feasible) return false;
      // Quality first: a move above every quality seen is taken at any cost; otherwise the move
      // must dominate (more quality at no more cost, or less cost within the tolerance).
      const higher = v.quality > seenTop + Q_EPS;
      if (!higher && !dominates(v, best!.v, floor())) return false;
      if (higher) seenTop = v.quality;
      best = { I: J, v, label: best!.label };
      moves++;
      return true;
    };
    for (const d of order) {
      if (performance.now() - t0 >= limit) break search;
      if (I[d] > 0 && tryMove((J) => ((J[d] -= 1), true))) continue search;
    }
    for (const d of order) {
      for (const e of sameModel[p.dep.model[d]]) {
        if (e === d || I[d] <= 0) continue;
        if (performance.now() - t0 >= limit) break search;
        // One instance of e for as many instances of d as carry the same capacity (at least one):
        // four slow instances replaced by one fast one is a single step, not four uphill ones.
        const r = Math.min(I[d], Math.max(1, Math.round(p.dep.capUnit[e] / p.dep.capUnit[d])));
        if (tryMove((J) => ((J[d] -= r), (J[e] += 1), J[e] <= ub[e]))) continue search;
        if (r > 1 && tryMove((J) => ((J[d] -= 1), (J[e] += 1), J[e] <= ub[e]))) continue search;
      }
    }
    for (const d of order) {
      if (performance.now() - t0 >= limit) break search;
      if (I[d] < ub[d] && tryMove((J) => ((J[d] += 1), true))) continue search;
    }
    exhausted = true;
    break;
  }
  return { instances: best.I, value: best.v, startedFrom: best.label, moves, exhausted, candidateValues: values };
}
