/**
 * Per-query decision rules on a batch of n queries x k models (row-major). Ties go to the lower
 * column index, the same convention as the planner's strategies, so that replays are exact.
 * `allowed` (optional, per query) restricts the candidate columns.
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

/** Threshold (formulations §7): the cheapest model with p >= τ, else the most probable. */
export function thresholdRule(p: ArrayLike<number>, c: ArrayLike<number>, n: number, k: number, tau: number, allowed: Allowed = null): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    const cand = candidates(allowed, i);
    const m = cand ? cand.length : k;
    let cheap = -1;
    let top = -1;
    for (let t = 0; t < m; t++) {
      const j = cand ? cand[t] : t;
      if (p[base + j] >= tau && (cheap < 0 || c[base + j] < c[base + cheap] || (c[base + j] === c[base + cheap] && j < cheap))) cheap = j;
      if (top < 0 || p[base + j] > p[base + top] || (p[base + j] === p[base + top] && j < top)) top = j;
    }
    out[i] = cheap >= 0 ? cheap : top;
  }
  return out;
}

/**
 * NDCH mixture (formulations §5–6) between two hull vertices: a fraction `fractionCheap` of the
 * batch goes to the cheap vertex. By gain: the queries with the largest p[dear] - p[cheap] go to
 * the dear vertex; otherwise a seeded random choice.
 */
export function ndchRule(p: ArrayLike<number>, n: number, k: number, cheap: number, dear: number, fractionCheap: number, byGain: boolean, random: () => number): Int32Array {
  const out = new Int32Array(n).fill(cheap);
  const toDear = Math.round(n * (1 - fractionCheap));
  if (toDear <= 0) return out;
  const order = Array.from({ length: n }, (_, i) => i);
  if (byGain) {
    const gain = new Float64Array(n);
    for (let i = 0; i < n; i++) gain[i] = p[i * k + dear] - p[i * k + cheap];
    order.sort((a, b) => gain[b] - gain[a] || a - b);
  } else {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  for (let r = 0; r < toDear; r++) out[order[r]] = dear;
  return out;
}

/** mulberry32: a small seeded PRNG, enough for the NDCH random split. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
