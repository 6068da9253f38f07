// Our own upper bound on the whole allocation problem: Lagrangian relaxation of the knapsack row
// (price λ) and of every capacity row (prices μ[g][k]). For any λ, μ >= 0 the relaxed problem splits
// into one argmax per query and, per GPU type, an integer knapsack over instance counts:
//   L = λR + Σ_g Σ_{API k} μ_gk fixedCap_k + Σ_i max_k (p_ik - λ a_ik - μ_{g(i)k})
//       + Σ_t max { Σ_d v_d I_d : Σ_d gpus_d I_d <= G_t, I integer },  v_d = u_d Σ_g μ_{g,k(d)} - λ e_d
// which is >= the optimum. The prices come from the inner router at the incumbent's instances.
import { depCount, type AllocProblem } from './problem';

export function lagrangianBound(p: AllocProblem, lambda: number, capPrice: Float64Array): number {
  const { n, k } = p;
  const a = p.knapsack?.coef;
  let L = p.knapsack ? lambda * p.knapsack.rhs : 0;
  for (let g = 0; g < p.groupCount; g++)
    for (let j = 0; j < k; j++) if (!p.hosted[j] && Number.isFinite(p.fixedCap[j])) L += capPrice[g * k + j] * p.fixedCap[j];
  for (let i = 0; i < n; i++) {
    const g = p.groupOf[i];
    let best = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = p.quality[i * k + j] - (a ? lambda * a[i * k + j] : 0) - (p.hosted[j] || Number.isFinite(p.fixedCap[j]) ? capPrice[g * k + j] : 0);
      if (v > best) best = v;
    }
    L += best;
  }
  const D = depCount(p);
  const value = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    let s = 0;
    for (let g = 0; g < p.groupCount; g++) s += capPrice[g * k + p.dep.model[d]];
    value[d] = p.dep.capUnit[d] * s - (p.knapsack ? lambda * p.knapsack.perInstance[d] : 0);
  }
  p.gpuTypes.forEach((gt, t) => {
    const items: number[] = [];
    for (let d = 0; d < D; d++) if (p.dep.gpuType[d] === t && value[d] > 0) items.push(d);
    L += knapsackValue(items.map((d) => p.dep.gpus[d]), items.map((d) => value[d]), gt.count);
  });
  return L / n;
}

/** Unbounded integer knapsack by dynamic programming over whole GPUs (inventories are small). */
export function knapsackValue(weights: number[], values: number[], capacity: number): number {
  return knapsackBest(weights, values, capacity).value;
}

/** The knapsack's value and how many of each item attain it (dual-descent.ts reads the counts). */
export function knapsackBest(weights: number[], values: number[], capacity: number): { value: number; counts: Float64Array } {
  const counts = new Float64Array(weights.length);
  if (!weights.length || capacity <= 0) return { value: 0, counts };
  const C = Math.floor(capacity);
  if (C > 200_000) {
    // Far beyond real inventories: the fractional relaxation is still a valid bound.
    let best = 0;
    weights.forEach((w, i) => values[i] / w > values[best] / weights[best] && (best = i));
    if (values[best] <= 0) return { value: 0, counts };
    counts[best] = capacity / weights[best];
    return { value: (values[best] / weights[best]) * capacity, counts };
  }
  const dp = new Float64Array(C + 1);
  const pick = new Int32Array(C + 1).fill(-1);
  for (let c = 1; c <= C; c++) {
    let b = dp[c - 1];
    for (let i = 0; i < weights.length; i++) if (weights[i] <= c && dp[c - weights[i]] + values[i] > b) (b = dp[c - weights[i]] + values[i]), (pick[c] = i);
    dp[c] = b;
  }
  for (let c = C; c > 0; ) {
    const i = pick[c];
    if (i < 0) c--;
    else (counts[i]++, (c -= weights[i]));
  }
  return { value: dp[C], counts };
}
