/**
 * The online rule on a batch of n queries x k models (row-major). Ties go to the lower column
 * index, the planner's convention. `allowed` (optional, per query) restricts the candidates.
 * Threshold and NDCH come from the planner's own strategies (routing/strategies).
 */
export type Allowed = (Int32Array | null)[] | null;

function candidates(allowed: Allowed, i: number): ArrayLike<number> | null {
  return allowed?.[i] ?? null;
}

/** The online dual-price rule of formulations §9: argmax_k p - λ c - μ_k. */
export function onlineRule(p: ArrayLike<number>, c: ArrayLike<number>, n: number, k: number, lambda: number, mu: ArrayLike<number>, allowed: Allowed = null): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    const cand = candidates(allowed, i);
    let best = -1;
    let bestScore = -Infinity;
    const m = cand ? cand.length : k;
    for (let t = 0; t < m; t++) {
      const j = cand ? cand[t] : t;
      const s = p[base + j] - lambda * c[base + j] - mu[j];
      if (s > bestScore || (s === bestScore && j < best)) {
        bestScore = s;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}
