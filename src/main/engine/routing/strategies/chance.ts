// A per-batch budget that holds with a chosen probability on realised cost. With independent
// per-query cost errors, the batch's realised spend is about normal with mean Σ μ and variance
// Σ σ², so P(spend ≤ B) ≥ 1 − α becomes Σ μ + z √(Σ σ²) ≤ B (z = the (1 − α) quantile): a
// second-order cone, not a knapsack. Since √V ≤ (s + V / s) / 2 for every s > 0 (equality at
// V = s²), the linear constraint Σ (μ + z σ² / (2s)) ≤ B − z s / 2 implies it: each step is the
// strategy's own problem on adjusted costs and budget, solved by its own solver with its certified
// gap, and each step's answer is feasible for the chance constraint. s starts at the √V of the
// plan on mean costs and moves to the √V of the last answer, which tightens the bound (the
// tangent then touches where the solution is) until the assignment repeats.
import type { RoutingContext, Strategy } from './types';

const MAX_STEPS = 8;

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Σ μ and Σ σ² of an assignment. */
export function spendMoments(mean: Float64Array, variance: Float64Array, k: number, assign: Int32Array): { mean: number; variance: number } {
  let m = 0;
  let v = 0;
  for (let i = 0; i < assign.length; i++) (m += mean[i * k + assign[i]]), (v += variance[i * k + assign[i]]);
  return { mean: m, variance: v };
}

export interface ChanceOutcome {
  assign: Int32Array;
  /** Σ μ + z √(Σ σ²) of the answer, and whether it is within the budget. */
  riskAdjustedSpend: number;
  feasible: boolean;
  steps: number;
  /** The plain problem on mean costs had no answer: nothing to tighten (assign is empty). */
  unsolvable?: boolean;
}

/** One request of the iteration: solve the batch on these costs under this budget. */
export interface ChanceRequest {
  cost: Float64Array;
  budget: number;
}

/** What a batch solve sends back to the iterations: its assignment, or null when it has none. */
export function answerOf(solution: { status: string; assignment: Int32Array }): Int32Array | null {
  return solution.status !== 'infeasible' && !(solution.assignment[0] < 0) ? solution.assignment : null; // an empty batch is answered
}

/**
 * The iteration itself, for any solver (sync or async): it yields the problems to solve and is
 * sent each one's assignment (null: that step has no answer); it returns the best feasible step's assignment, or, when none is,
 * the last step's (the budget is then missed at this confidence, and `feasible` says so). The
 * first request is the plain problem on mean costs.
 */
export function* chanceIterations(mean: Float64Array, variance: Float64Array, k: number, budget: number, z: number, quality: Float64Array): Generator<ChanceRequest, ChanceOutcome, Int32Array | null> {
  const risk = (a: Int32Array) => {
    const m = spendMoments(mean, variance, k, a);
    return m.mean + z * Math.sqrt(m.variance);
  };
  const value = (a: Int32Array) => a.reduce((s, j, i) => s + quality[i * k + j], 0);
  const first = yield { cost: mean, budget };
  if (!first) return { assign: new Int32Array(0), riskAdjustedSpend: NaN, feasible: false, steps: 0, unsolvable: true };
  let assign = first;
  const fits = (a: Int32Array) => risk(a) <= budget * (1 + 1e-12);
  if (!Number.isFinite(budget) || z <= 0) return { assign, riskAdjustedSpend: risk(assign), feasible: fits(assign), steps: 0 };
  let best: Int32Array | null = fits(assign) ? assign : null;
  let steps = 0;
  for (; steps < MAX_STEPS; steps++) {
    // Never let s reach 0: with no variance left the constraint is the plain budget.
    const s = Math.max(Math.sqrt(spendMoments(mean, variance, k, assign).variance), 1e-9 * (budget || 1));
    const adjusted = new Float64Array(mean.length);
    for (let t = 0; t < adjusted.length; t++) adjusted[t] = mean[t] + (z * variance[t]) / (2 * s);
    // A tightened step with no answer ends the iteration on the previous one.
    const next = (yield { cost: adjusted, budget: budget - (z * s) / 2 }) ?? assign;
    const same = next.every((j, i) => j === assign[i]);
    assign = next;
    if (fits(next) && (!best || value(next) >= value(best))) best = next;
    if (same) break;
  }
  const out = best ?? assign;
  return { assign: out, riskAdjustedSpend: risk(out), feasible: best != null, steps };
}

/** Routes a batch with `strategy` so that Σ μ + z √(Σ σ²) ≤ budget (ctx.cost = μ). */
export function routeWithChance(strategy: Strategy, ctx: RoutingContext, variance: Float64Array, z: number): ChanceOutcome {
  const it = chanceIterations(ctx.cost, variance, ctx.k, ctx.budget, z, ctx.p);
  let step = it.next(new Int32Array(0));
  while (!step.done) step = it.next(strategy.route({ ...ctx, cost: step.value.cost, budget: step.value.budget }));
  return step.value;
}

/** `strategy` under the chance-constrained budget, as a strategy of its own (`<name>-cc`). */
export function chanceConstrained(strategy: Strategy, z: number, varianceOf: (ctx: RoutingContext) => Float64Array): Strategy {
  return { name: `${strategy.name}-cc`, budgeted: true, route: (ctx) => routeWithChance(strategy, ctx, varianceOf(ctx), z).assign };
}
