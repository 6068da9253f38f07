// The LP relaxation of a one-group allocation problem (the extended form) solved through its dual,
// which has only a handful of variables: the spend price λ, one GPU price ν_t per type and one
// price μ_j per rate-limited API model. With instance counts continuous, a hosted model's capacity
// costs π_j = min over its deployments d of (ν_t gpus_d + λ hourly_d) / capUnit_d per query, so
//   L(y) = λR + Σ_t ν_t G_t + Σ_j μ_j cap_j + Σ_i max_j (p_ij − λ a_ij − π_j − μ_j)
// bounds the LP (and so the MIP) for every y >= 0, one pass over the n×k matrix per evaluation.
// (HiGHS's LP also carries each count's upper bound floor(G_t / gpus_d), which can make it a
// little tighter than this dual's optimum, by 0.08% on one small test instance.)
// Kelley's cutting planes in a trust region minimise it; the master LP (HiGHS, a few columns)
// weights the cuts, and the same weights on each cut's implied instance counts give the LP's
// fractional counts: the primal start the decomposition rounds (Dantzig–Wolfe duality). This
// replaces the 200,000-column LP relaxation (9 s in HiGHS WASM at 10,000 × 20) by milliseconds.
import type highsLoader from 'highs';
import { depCount, type AllocProblem } from './problem';

type Highs = Awaited<ReturnType<typeof highsLoader>>;

export interface ReducedDualResult {
  bound: number; // mean quality; a valid upper bound on the allocation's optimum
  instances: Float64Array; // fractional counts that attain (approximately) the LP optimum
  lambda: number;
  iterations: number;
}

export function reducedDual(p: AllocProblem, highs: Highs, o: { budgetMs?: number; tolerance?: number; lambda0?: number } = {}): ReducedDualResult | null {
  if (p.groupCount !== 1) return null;
  const t0 = performance.now();
  const { n, k } = p;
  const D = depCount(p);
  const T = p.gpuTypes.length;
  const a = p.knapsack?.coef ?? null;
  const e = p.knapsack?.perInstance ?? null;
  const R = p.knapsack?.rhs ?? 0;
  const capped: number[] = [];
  for (let j = 0; j < k; j++) if (!p.hosted[j] && Number.isFinite(p.fixedCap[j])) capped.push(j);
  // y = [λ?, ν_0..ν_{T-1}, μ for each capped API model]
  const hasL = p.knapsack != null ? 1 : 0;
  const m = hasL + T + capped.length;
  const pi = new Float64Array(k);
  const via = new Int32Array(k);
  const demand = new Float64Array(k);
  const grad = new Float64Array(m);
  const implied = new Float64Array(D);

  const evaluate = (y: Float64Array): number => {
    const lam = hasL ? y[0] : 0;
    pi.fill(0);
    via.fill(-1);
    for (let j = 0; j < k; j++) if (p.hosted[j]) pi[j] = Infinity;
    for (let d = 0; d < D; d++) {
      const j = p.dep.model[d];
      const c = (y[hasL + p.dep.gpuType[d]] * p.dep.gpus[d] + (e ? lam * e[d] : 0)) / p.dep.capUnit[d];
      if (c < pi[j]) (pi[j] = c), (via[j] = d);
    }
    capped.forEach((j, c) => (pi[j] = y[hasL + T + c]));
    let L = lam * R;
    for (let t = 0; t < T; t++) L += y[hasL + t] * p.gpuTypes[t].count;
    capped.forEach((j, c) => (L += y[hasL + T + c] * p.fixedCap[j]));
    demand.fill(0);
    let spend = 0;
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let best = -Infinity;
      let bj = 0;
      for (let j = 0; j < k; j++) {
        const v = p.quality[row + j] - (a ? lam * a[row + j] : 0) - pi[j];
        if (v > best) (best = v), (bj = j);
      }
      L += best;
      demand[bj]++;
      if (a) spend += a[row + bj];
    }
    grad.fill(0);
    implied.fill(0);
    for (let t = 0; t < T; t++) grad[hasL + t] = p.gpuTypes[t].count;
    for (let j = 0; j < k; j++) {
      if (!p.hosted[j] || demand[j] === 0) continue;
      const d = via[j];
      implied[d] = demand[j] / p.dep.capUnit[d];
      grad[hasL + p.dep.gpuType[d]] -= p.dep.gpus[d] * implied[d];
      if (e) spend += e[d] * implied[d];
    }
    if (hasL) grad[0] = R - spend;
    capped.forEach((j, c) => (grad[hasL + T + c] = p.fixedCap[j] - demand[j]));
    return L;
  };

  // Start: λ from the caller (the router's price), ν from the quality a GPU can add at most.
  const y = new Float64Array(m);
  if (hasL) y[0] = o.lambda0 ?? 0;
  const cuts: { L: number; g: Float64Array; y: Float64Array; I: Float64Array }[] = [];
  let best = { L: evaluate(y), y: y.slice() };
  cuts.push({ L: best.L, g: grad.slice(), y: y.slice(), I: implied.slice() });
  const scale = Float64Array.from({ length: m }, (_, r) => Math.max(1e-9, Math.abs(grad[r]) > 0 ? Math.abs(best.L / grad[r]) : 1));
  let radius = 1; // trust region, as a fraction of each coordinate's scale
  const tol = o.tolerance ?? 1e-5;
  const budget = o.budgetMs ?? 1_500;
  let weights: Float64Array = new Float64Array(1).fill(1);
  let iterations = 0;
  for (; iterations < 400 && performance.now() - t0 < budget; iterations++) {
    const sol = master(highs, cuts, best.y, scale, radius, m);
    if (!sol) break;
    weights = sol.weights;
    const predicted = best.L - sol.theta;
    if (predicted <= tol * Math.abs(best.L)) {
      if (!sol.boxActive) break; // the model agrees with the function: converged
      radius *= 2;
      continue;
    }
    const L = evaluate(sol.y);
    cuts.push({ L, g: grad.slice(), y: sol.y.slice(), I: implied.slice() });
    if (best.L - L >= 0.1 * predicted) {
      best = { L, y: sol.y.slice() };
      if (sol.boxActive) radius = Math.min(radius * 2, 1e6);
    } else radius = Math.max(radius * 0.5, 1e-9);
  }
  const instances = new Float64Array(D);
  weights.forEach((w, s) => {
    for (let d = 0; d < D; d++) instances[d] += w * cuts[s].I[d];
  });
  return { bound: best.L / n, instances, lambda: hasL ? best.y[0] : 0, iterations };
}

/** min θ s.t. θ >= L_s + g_s·(y − y_s) for every cut, y >= 0 within the box; cut weights from the duals. */
function master(highs: Highs, cuts: { L: number; g: Float64Array; y: Float64Array }[], centre: Float64Array, scale: Float64Array, radius: number, m: number): { y: Float64Array; theta: number; weights: Float64Array; boxActive: boolean } | null {
  const S = cuts.length;
  const cols = m + 1; // y, then θ
  const starts = new Int32Array(cols + 1);
  const index: number[] = [];
  const value: number[] = [];
  for (let c = 0; c < cols; c++) {
    starts[c] = index.length;
    for (let s = 0; s < S; s++) {
      const v = c < m ? -cuts[s].g[c] : 1;
      if (v !== 0) (index.push(s), value.push(v));
    }
  }
  starts[cols] = index.length;
  const rowLower = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let gy = 0;
    for (let r = 0; r < m; r++) gy += cuts[s].g[r] * cuts[s].y[r];
    rowLower[s] = cuts[s].L - gy;
  }
  const colLower = new Float64Array(cols);
  const colUpper = new Float64Array(cols);
  for (let r = 0; r < m; r++) {
    colLower[r] = Math.max(0, centre[r] - radius * scale[r]);
    colUpper[r] = centre[r] + radius * scale[r];
  }
  colLower[m] = -highs.infinity;
  colUpper[m] = highs.infinity;
  const colCost = new Float64Array(cols);
  colCost[m] = 1;
  const model = highs.createModel({
    numCols: cols,
    numRows: S,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper: new Float64Array(S).fill(highs.infinity),
    matrix: { format: 'csc', numRows: S, numCols: cols, starts, indices: Int32Array.from(index), values: Float64Array.from(value) },
    sense: highs.constants.objectiveSense.minimize,
  });
  try {
    model.options.set({ output_flag: false });
    model.run();
    if (model.getModelStatus() !== 7) return null;
    const sol = model.getSolution();
    const y = Float64Array.from(sol.colValue.subarray(0, m));
    let boxActive = false;
    for (let r = 0; r < m; r++) {
      const lo = colLower[r];
      const hi = colUpper[r];
      if ((lo > 0 && y[r] <= lo + 1e-12 * (1 + Math.abs(lo))) || y[r] >= hi - 1e-12 * (1 + Math.abs(hi))) boxActive = true;
    }
    const weights = Float64Array.from(sol.rowDual, Math.abs);
    const total = weights.reduce((x, w) => x + w, 0);
    if (total > 0) for (let s = 0; s < S; s++) weights[s] /= total;
    return { y, theta: sol.colValue[m], weights, boxActive };
  } finally {
    model.dispose();
  }
}
