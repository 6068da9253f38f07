// The per-query baseline (the paper's comparison, from IRT-Router; section 8): each query alone
// takes argmax α p - (1 - α) c / cScale. It never sees the batch budget; evaluation picks α so
// that its total spend matches the batch strategy's.
import type { RoutingContext, Strategy } from './types';

export function perQueryAssignment(ctx: RoutingContext, alpha: number, cScale: number): Int32Array {
  const { n, k, p, cost } = ctx;
  const out = new Int32Array(n);
  const wc = (1 - alpha) / Math.max(cScale, 1e-300);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let best = 0;
    let bv = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = alpha * p[row + j] - wc * cost[row + j];
      if (v > bv) (bv = v), (best = j);
    }
    out[i] = best;
  }
  return out;
}

/** cScale: the dearest model's mean cost on the validation split (or in the batch). */
export function costScale(ctx: RoutingContext): number {
  if (ctx.valStats) return Math.max(...Array.from(ctx.valStats.meanCost).filter(Number.isFinite));
  let m = 0;
  for (let j = 0; j < ctx.k; j++) {
    let s = 0;
    for (let i = 0; i < ctx.n; i++) s += ctx.cost[i * ctx.k + j];
    m = Math.max(m, s / Math.max(1, ctx.n));
  }
  return m;
}

export function perQueryStrategy(alpha: number): Strategy {
  return { name: `per-query@${alpha}`, budgeted: false, route: (ctx) => perQueryAssignment(ctx, alpha, costScale(ctx)) };
}

/**
 * The paper's per-query baseline: each query alone, under its share of the batch budget (B / n):
 * the most probable model whose estimated cost fits that share, else the cheapest. It spends at
 * most the batch budget on estimates, like the batch strategies, but cannot move money between
 * queries: the comparison at equal per-batch budgets.
 */
export const perQueryShare: Strategy = {
  name: 'per-query-share',
  budgeted: true,
  route(ctx) {
    const { n, k, p, cost } = ctx;
    const share = ctx.budget / Math.max(1, n);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let best = -1;
      let cheapest = 0;
      for (let j = 0; j < k; j++) {
        if (cost[row + j] < cost[row + cheapest]) cheapest = j;
        if (cost[row + j] <= share && (best < 0 || p[row + j] > p[row + best])) best = j;
      }
      out[i] = best < 0 ? cheapest : best;
    }
    return out;
  },
};
