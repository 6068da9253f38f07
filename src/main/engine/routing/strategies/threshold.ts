// Threshold (the article, section 7): the cheapest model whose p reaches τ, else the most likely
// one. In a budget sweep τ is the highest target whose estimated spend fits the batch budget.
import { spendOf, type RoutingContext, type Strategy } from './types';

export function thresholdAssignment(ctx: RoutingContext, tau: number): Int32Array {
  const { n, k, p, cost } = ctx;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let pick = -1;
    let argmax = 0;
    for (let j = 0; j < k; j++) {
      if (p[row + j] > p[row + argmax]) argmax = j;
      if (p[row + j] >= tau && (pick < 0 || cost[row + j] < cost[row + pick])) pick = j;
    }
    out[i] = pick >= 0 ? pick : argmax;
  }
  return out;
}

export function thresholdStrategy(fixedTau?: number): Strategy {
  return {
    name: fixedTau == null ? 'threshold' : `threshold@${fixedTau}`,
    budgeted: fixedTau == null,
    route(ctx) {
      if (fixedTau != null) return thresholdAssignment(ctx, fixedTau);
      if (!Number.isFinite(ctx.budget)) return thresholdAssignment(ctx, 1);
      // Spend rises with τ (more queries need a dearer model); bisect for the highest that fits.
      let lo = 0;
      let hi = 1;
      let best = thresholdAssignment(ctx, 0);
      if (spendOf(ctx.cost, ctx.k, best) > ctx.budget) return best;
      for (let step = 0; step < 30; step++) {
        const mid = (lo + hi) / 2;
        const a = thresholdAssignment(ctx, mid);
        if (spendOf(ctx.cost, ctx.k, a) <= ctx.budget) (lo = mid), (best = a);
        else hi = mid;
      }
      return best;
    },
  };
}
