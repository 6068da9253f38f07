// The inner problem of the Lagrangian solver: for fixed weights w = p - λc, the capacitated
// assignment (a transportation problem with K sinks)
//   max Σ w x  s.t.  Σ_k x[i][k] = 1,  Σ_i x[i][k] <= cap[k]
// solved by a forward auction on the models' prices μ (Bertsekas). Queries sit at argmax_k w - μ;
// an overloaded model raises its price just enough (plus ε) that only cap[k] of its queries still
// want it, and the others move to their second choice. Prices only rise, so a model whose price is
// positive stays exactly full (complementary slackness), and every query ends within ε of its best
// choice: the dual value Σ_i max_k (w - μ_k) + Σ_k μ_k cap_k exceeds the primal by at most n·ε.

export interface AuctionResult {
  /** Σ_i max_k (w[i][k] - μ_k) + Σ_k μ_k cap_k: an upper bound on the inner optimum. */
  dual: number;
  /** Σ_i w[i][assign[i]]. */
  primal: number;
  events: number;
}

/** Each query to its best weight (the inner problem without capacities); returns Σ of those weights. */
export function assignArgmax(w: Float64Array, n: number, k: number, assign: Int32Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let best = 0;
    let bv = w[row];
    for (let j = 1; j < k; j++) if (w[row + j] > bv) (bv = w[row + j]), (best = j);
    assign[i] = best;
    total += bv;
  }
  return total;
}

/**
 * Fills `assign` and `mu` (length n and k). `cap` holds Infinity for unlimited models; the total
 * capacity must be at least n (the caller checks). Prices restart from zero on every call.
 */
export function transportAuction(w: Float64Array, n: number, k: number, cap: Float64Array, eps: number, assign: Int32Array, mu: Float64Array): AuctionResult {
  mu.fill(0);
  const loads = new Float64Array(k);
  assignArgmax(w, n, k, assign);
  for (let i = 0; i < n; i++) loads[assign[i]]++;
  const queued = new Uint8Array(k);
  const queue: number[] = [];
  for (let j = 0; j < k; j++) if (loads[j] > cap[j]) (queued[j] = 1), queue.push(j);
  let events = 0;
  let members = new Int32Array(0);
  let margins = new Float64Array(0);
  let seconds = new Int32Array(0);
  let scratch = new Float64Array(0);
  while (queue.length) {
    const j = queue.shift()!;
    queued[j] = 0;
    if (loads[j] <= cap[j]) continue;
    events++;
    const m = loads[j];
    if (members.length < m) (members = new Int32Array(m)), (margins = new Float64Array(m)), (seconds = new Int32Array(m));
    let c = 0;
    for (let i = 0; i < n; i++) if (assign[i] === j) members[c++] = i;
    // Margin of each member over its best alternative at the current prices.
    for (let t = 0; t < c; t++) {
      const row = members[t] * k;
      let sv = -Infinity;
      let s = -1;
      for (let l = 0; l < k; l++) {
        if (l === j) continue;
        const v = w[row + l] - mu[l];
        if (v > sv) (sv = v), (s = l);
      }
      margins[t] = w[row + j] - mu[j] - sv;
      seconds[t] = s;
    }
    const keep = cap[j];
    if (scratch.length < c) scratch = new Float64Array(c);
    scratch.set(margins.subarray(0, c));
    // The largest margin among those that must leave; the price rises by it (plus ε).
    const threshold = selectKth(scratch, c, c - keep - 1);
    let toEvict = c - keep;
    // After selection, scratch[0 .. c-keep-1] holds the c-keep smallest margins.
    let tiesToEvict = 0;
    for (let t = 0; t < c - keep; t++) if (scratch[t] === threshold) tiesToEvict++;
    for (let t = 0; t < c && toEvict > 0; t++) {
      const mg = margins[t];
      const evict = mg < threshold || (mg === threshold && tiesToEvict > 0);
      if (!evict) continue;
      if (mg === threshold) tiesToEvict--;
      toEvict--;
      const i = members[t];
      const s = seconds[t];
      assign[i] = s;
      loads[j]--;
      loads[s]++;
      if (loads[s] > cap[s] && !queued[s]) (queued[s] = 1), queue.push(s);
    }
    mu[j] += Math.max(0, threshold) + eps;
  }
  let dual = 0;
  let primal = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let bv = -Infinity;
    for (let j = 0; j < k; j++) bv = Math.max(bv, w[row + j] - mu[j]);
    dual += bv;
    primal += w[row + assign[i]];
  }
  for (let j = 0; j < k; j++) if (Number.isFinite(cap[j])) dual += mu[j] * cap[j];
  return { dual, primal, events };
}

/** Hoare quickselect: reorders a[0..len) so that a[kth] is the kth smallest, smaller ones before it. */
function selectKth(a: Float64Array, len: number, kth: number): number {
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else break;
  }
  return a[kth];
}
