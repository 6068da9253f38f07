// Our fast solver for the budget + capacity assignment (formulations, sections 1–2).
// The budget row is priced out with λ (bisection on the spend of the inner solution); for each λ the
// capacitated inner problem is solved by the price auction (auction.ts), which also yields the
// capacity prices μ. Every (λ, μ) >= 0 gives the Lagrangian dual value
//   L(λ, μ) = Σ_i max_k (p - λc - μ_k) + λB + Σ_k μ_k cap_k  >=  LP optimum  >=  MIP optimum,
// so the smallest L seen is a certified upper bound, and the gap of the repaired integer solution
// to it is a proven gap.
import { assignArgmax, transportAuction } from './auction';
import { repairUpgrade } from './repair';
import { BUDGET_SLACK, capacityArray, checkAssignment, checkInstance, infeasibleSolution, obviousInfeasibility, relativeGap, type BatchInstance, type BatchSolution } from './instance';

export interface FastOptions {
  /** Relative gap the solver aims for (default 0.1%). */
  tolerance?: number;
  /** Bisection steps on λ at most. */
  maxSteps?: number;
}

interface Evaluated {
  lambda: number;
  assign: Int32Array;
  mu: Float64Array;
  bound: number; // L(λ, μ)
  objective: number;
  spend: number;
}

export function solveFast(inst: BatchInstance, opts: FastOptions = {}): BatchSolution {
  const t0 = performance.now();
  checkInstance(inst);
  const tolerance = opts.tolerance ?? 1e-3;
  const { n, k, quality: p, cost: c } = inst;
  const ms = () => performance.now() - t0;
  if (n === 0) return { status: 'optimal', assignment: new Int32Array(0), objective: 0, lpBound: 0, gap: 0, cost: 0, duals: { lambda: 0, mu: new Float64Array(k) }, ms: ms(), solver: 'fast' };
  const obvious = obviousInfeasibility(inst);
  if (obvious) return infeasibleSolution(inst, obvious, ms(), 'fast');
  const cap = capacityArray(inst);
  const capped = cap.some((x) => Number.isFinite(x));
  const budget = inst.budget;
  const limit = budget * (1 + BUDGET_SLACK);

  // ε per query: n·ε of auction slack stays well inside the tolerance of the objective's scale.
  let scale = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, Math.abs(p[i * k + j]));
    scale += m;
  }
  const eps = (tolerance * Math.max(scale, 1e-12)) / (8 * n);
  const w = new Float64Array(n * k);
  // The auction needs about range(w)/ε price steps: at high λ the weights are dominated by λc, so
  // ε grows with it (the bounds found there are loose anyway; λ* lies where λc and p are comparable).
  let costScale = 0;
  for (let t = 0; t < n * k; t++) costScale = Math.max(costScale, c[t]);
  const pScale = Math.max(scale / n, 1e-12);
  const epsAt = (lambda: number) => eps * Math.max(1, (lambda * costScale) / pScale);

  const evaluate = (lambda: number): Evaluated => {
    for (let t = 0; t < n * k; t++) w[t] = p[t] - lambda * c[t];
    const assign = new Int32Array(n);
    const mu = new Float64Array(k);
    const r = capped ? transportAuction(w, n, k, cap, epsAt(lambda), assign, mu) : { dual: assignArgmax(w, n, k, assign) };
    let objective = 0;
    let spend = 0;
    for (let i = 0; i < n; i++) (objective += p[i * k + assign[i]]), (spend += c[i * k + assign[i]]);
    const bound = r.dual + (Number.isFinite(budget) ? lambda * budget : 0);
    return { lambda, assign, mu, bound, objective, spend };
  };

  let best: Evaluated | null = null; // the one with the smallest bound
  let feasible: Evaluated | null = null; // the feasible one with the best objective
  // Feasible candidates near the bound are repaired at once, so the search stops as soon as the
  // repaired solution is within tolerance (the repair is cheap there: little budget is left).
  let repaired: { assign: Int32Array; objective: number; from: Evaluated } | null = null;
  const done = () => !!repaired && relativeGap((best as unknown as Evaluated).bound, repaired.objective) <= tolerance / 2;
  const consider = (e: Evaluated) => {
    if (!best || e.bound < best.bound) best = e;
    if (e.spend <= limit && (!feasible || e.objective > feasible.objective)) feasible = e;
    if (e.spend <= limit && relativeGap((best as Evaluated).bound, e.objective) <= 3 * tolerance) {
      const assign = e.assign.slice();
      repairUpgrade(inst, cap, assign);
      const objective = checkAssignment(inst, assign).objective;
      if (!repaired || objective > repaired.objective) repaired = { assign, objective, from: e };
    }
    return e;
  };

  // At λ = 0 with tight capacities the auction is at its dearest; skip it when even the
  // capacity-free favourites overspend by far (it would be over budget anyway).
  let freeSpend = 0;
  if (capped && Number.isFinite(budget)) {
    for (let i = 0; i < n; i++) {
      let bj = 0;
      for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + bj]) bj = j;
      freeSpend += c[i * k + bj];
    }
  }
  const first = freeSpend > 1.5 * limit ? { spend: freeSpend } : consider(evaluate(0));
  if (first.spend > limit) {
    let meanP = 0;
    let meanC = 0;
    for (let t = 0; t < n * k; t++) (meanP += Math.abs(p[t])), (meanC += c[t]);
    let lo = 0;
    let spendLo = first.spend;
    let hi = meanC > 0 ? Math.max(meanP / meanC, 1e-12) : 1;
    let hiEval = consider(evaluate(hi));
    // Bracket λ* within a factor of 4: upwards while over budget, downwards while within it.
    for (let d = 0; d < (capped ? 6 : 200) && hiEval.spend > limit; d++) {
      (lo = hi), (spendLo = hiEval.spend);
      hi *= 4;
      hiEval = consider(evaluate(hi));
    }
    // Still over budget at a high price: only then look for the cheapest capacity-respecting
    // assignment (a feasible end for the search, or the proof that none exists).
    if (capped && hiEval.spend > limit) {
      const cheapest = minimumSpend(inst, cap);
      const check = checkAssignment(inst, cheapest.assign);
      consider({ lambda: Infinity, assign: cheapest.assign, mu: new Float64Array(k), bound: Infinity, objective: check.objective, spend: check.cost });
      if (cheapest.spend > limit) {
        const reason = cheapest.lowerBound > limit
          ? `budget ${budget} is below the cheapest assignment that respects the capacities (at least ${cheapest.lowerBound})`
          : `no assignment within budget ${budget} found (cheapest found ${cheapest.spend}, lower bound ${cheapest.lowerBound})`;
        return infeasibleSolution(inst, reason, ms(), 'fast');
      }
      // A feasible assignment exists; a higher price usually reaches one too (kept finite).
      for (let d = 0; d < 30 && hiEval.spend > limit; d++) {
        (lo = hi), (spendLo = hiEval.spend);
        hi *= 4;
        hiEval = consider(evaluate(hi));
      }
    }
    for (let d = 0; d < 200 && lo === 0 && !done(); d++) {
      const down = consider(evaluate(hi / 4));
      if (down.spend > limit) (lo = hi / 4), (spendLo = down.spend);
      else (hi /= 4), (hiEval = down);
    }
    let spendHi = hiEval.spend;
    // No price makes the Lagrangian solution fit: the cheapest assignment found above is the answer.
    const maxSteps = hiEval.spend > limit ? 0 : opts.maxSteps ?? 60;
    for (let step = 0; step < maxSteps && !done(); step++) {
      if (hi - lo <= 1e-13 * hi) break;
      // Regula falsi on spend = B in log λ (spend falls as λ rises), kept off the ends; bisection every third step.
      let mid = lo > 0 ? Math.sqrt(lo * hi) : hi / 2;
      if (step % 3 !== 2 && lo > 0 && spendLo > spendHi) {
        const t = Math.min(0.9, Math.max(0.1, (spendLo - limit) / (spendLo - spendHi)));
        mid = Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo)));
      }
      const e = consider(evaluate(mid));
      if (e.spend > limit) (lo = mid), (spendLo = e.spend);
      else (hi = mid), (spendHi = e.spend);
    }
  }
  const chosen = feasible as Evaluated | null;
  const bound = (best as unknown as Evaluated).bound;
  if (!chosen) return infeasibleSolution(inst, 'no feasible assignment found', ms(), 'fast', bound);
  const r = repaired as { assign: Int32Array; objective: number; from: Evaluated } | null;
  let assignment = r?.assign ?? chosen.assign;
  if (r?.from !== chosen && (Number.isFinite(budget) || capped)) {
    const own = chosen.assign;
    repairUpgrade(inst, cap, own);
    if (!r || checkAssignment(inst, own).objective > r.objective) assignment = own;
  }
  const check = checkAssignment(inst, assignment);
  const gap = relativeGap(bound, check.objective);
  const b = best as unknown as Evaluated;
  return {
    status: gap <= tolerance ? 'optimal' : 'feasible',
    assignment,
    objective: check.objective,
    lpBound: bound,
    gap,
    cost: check.cost,
    duals: { lambda: b.lambda, mu: b.mu },
    ms: ms(),
    solver: 'fast',
  };
}

/** The cheapest capacity-respecting assignment (auction on -cost), with a lower bound on its spend. */
export function minimumSpend(inst: BatchInstance, cap: Float64Array): { spend: number; lowerBound: number; assign: Int32Array } {
  const { n, k, cost: c } = inst;
  const w = new Float64Array(n * k);
  let meanC = 0;
  for (let t = 0; t < n * k; t++) (w[t] = -c[t]), (meanC += c[t]);
  meanC /= n * k;
  // n·ε bounds how far the found spend can be above the true minimum: 1e-4 of the mean spend, then 1e-6.
  let eps = Math.max(meanC * 1e-4, 1e-15);
  let out = { spend: Infinity, lowerBound: 0, assign: new Int32Array(n) };
  for (let attempt = 0; attempt < 2; attempt++) {
    const assign = new Int32Array(n);
    const r = transportAuction(w, n, k, cap, eps, assign, new Float64Array(k));
    out = { spend: -r.primal, lowerBound: -r.dual, assign };
    if (out.spend <= inst.budget * (1 + BUDGET_SLACK) || out.lowerBound > inst.budget * (1 + BUDGET_SLACK)) break;
    eps /= 100;
  }
  return out;
}
