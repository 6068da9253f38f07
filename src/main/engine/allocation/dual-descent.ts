// Tightens the Lagrangian bound of bound.ts by minimising it over the prices (λ, μ) with projected
// subgradient steps (Polyak's rule, aimed at the incumbent's value). The router's prices at the
// incumbent's instance counts are a good start but are optimal for those counts only; the dual
// of the whole problem also prices the GPUs the incumbent did not buy. One evaluation is one pass
// over the n×k matrix plus a small knapsack DP per GPU type, so hundreds of steps cost
// milliseconds, far less than an LP relaxation in HiGHS WASM. Every evaluated point is a valid
// bound, so the result is the minimum seen and stopping early is always safe.
import { knapsackBest } from './bound';
import { depCount, type AllocProblem } from './problem';

export interface DualPoint {
  lambda: number;
  capPrice: Float64Array; // groupCount*k, as the router returns it
}

export interface DescentResult extends DualPoint {
  bound: number; // mean quality, as lagrangianBound
  steps: number;
  /** Step-weighted average of the relaxation's instance counts: converges towards the counts of
   *  the convexified problem's optimum, a primal hint as good as an LP relaxation's (Sherali–Choi). */
  instances: Float64Array;
}

/** Minimises the Lagrangian bound from `start`; stops at `stopAt` (mean quality), `maxSteps` or `budgetMs`. */
export function descendDual(p: AllocProblem, start: DualPoint, incumbent: number, o: { stopAt?: number; maxSteps?: number; budgetMs?: number } = {}): DescentResult {
  const t0 = performance.now();
  const { n, k } = p;
  const nG = p.groupCount;
  const D = depCount(p);
  const a = p.knapsack?.coef ?? null;
  const R = p.knapsack ? p.knapsack.rhs : 0;
  const e = p.knapsack?.perInstance ?? null;
  const priced = new Uint8Array(k);
  for (let j = 0; j < k; j++) priced[j] = p.hosted[j] || Number.isFinite(p.fixedCap[j]) ? 1 : 0;
  // λ is stepped in units of quality per budget-per-query, so that its subgradient (dollars) is
  // on the scale of the capacity rows' (queries).
  const useLambda = p.knapsack != null && R > 0;
  const scale = useLambda ? n / R : 1;
  const mu = start.capPrice.slice();
  let lam = p.knapsack ? start.lambda : 0;
  const gMu = new Float64Array(nG * k);
  const supply = new Float64Array(k);
  const value = new Float64Array(D);
  const count = new Float64Array(D);
  const types = p.gpuTypes.map((_, t) => Int32Array.from([...Array(D).keys()].filter((d) => p.dep.gpuType[d] === t)));

  const evaluate = (): { L: number; gLam: number } => {
    gMu.fill(0);
    supply.fill(0);
    let L = lam * R;
    let spend = 0;
    for (let g = 0; g < nG; g++)
      for (let j = 0; j < k; j++)
        if (!p.hosted[j] && priced[j]) (L += mu[g * k + j] * p.fixedCap[j]), (gMu[g * k + j] += p.fixedCap[j]);
    for (let i = 0; i < n; i++) {
      const g = p.groupOf[i] * k;
      const row = i * k;
      let best = -Infinity;
      let bj = 0;
      for (let j = 0; j < k; j++) {
        const v = p.quality[row + j] - (a ? lam * a[row + j] : 0) - (priced[j] ? mu[g + j] : 0);
        if (v > best) (best = v), (bj = j);
      }
      L += best;
      if (priced[bj]) gMu[g + bj] -= 1;
      if (a) spend += a[row + bj];
    }
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let g = 0; g < nG; g++) s += mu[g * k + p.dep.model[d]];
      value[d] = p.dep.capUnit[d] * s - (e ? lam * e[d] : 0);
    }
    count.fill(0);
    types.forEach((ds, t) => {
      const items = Array.from(ds).filter((d) => value[d] > 0);
      const best = knapsackBest(items.map((d) => p.dep.gpus[d]), items.map((d) => value[d]), p.gpuTypes[t].count);
      L += best.value;
      items.forEach((d, x) => (count[d] = best.counts[x]));
    });
    for (let d = 0; d < D; d++) {
      if (!count[d]) continue;
      supply[p.dep.model[d]] += p.dep.capUnit[d] * count[d];
      if (e) spend += e[d] * count[d];
    }
    for (let g = 0; g < nG; g++) for (let j = 0; j < k; j++) if (p.hosted[j]) gMu[g * k + j] += supply[j];
    return { L, gLam: R - spend };
  };

  const target = incumbent * n;
  const stopAt = (o.stopAt ?? -Infinity) * n;
  const maxSteps = o.maxSteps ?? 2_000;
  // A safety cap only: the steps above end the descent long before on any machine.
  const budget = o.budgetMs ?? 2_000;
  let best = { L: Infinity, lambda: lam, mu: mu.slice() };
  const avg = new Float64Array(D);
  let weight = 0;
  let theta = 1;
  let sinceBest = 0;
  let steps = 0;
  for (; steps < maxSteps; steps++) {
    const { L, gLam } = evaluate();
    if (L < best.L - 1e-12) {
      best = { L, lambda: lam, mu: mu.slice() };
      sinceBest = 0;
    } else if (++sinceBest >= 8) {
      theta /= 2;
      sinceBest = 0;
      // Restart from the best point with the smaller step.
      lam = best.lambda;
      mu.set(best.mu);
      if (theta < 1e-4) break;
      continue;
    }
    if (best.L <= stopAt || performance.now() - t0 > budget) break;
    let norm = useLambda ? (scale * gLam) ** 2 : 0;
    for (let x = 0; x < gMu.length; x++) norm += gMu[x] * gMu[x];
    if (norm === 0) break; // a subgradient of zero: this point is optimal
    const step = (theta * Math.max(L - target, 1e-9)) / norm;
    weight += step;
    for (let d = 0; d < D; d++) avg[d] += step * count[d];
    for (let x = 0; x < gMu.length; x++) if (gMu[x] !== 0) mu[x] = Math.max(0, mu[x] - step * gMu[x]);
    if (useLambda) lam = Math.max(0, lam - step * scale * scale * gLam);
  }
  if (weight > 0) for (let d = 0; d < D; d++) avg[d] /= weight;
  return { bound: best.L / n, lambda: best.lambda, capPrice: best.mu, steps, instances: avg };
}
