// Robust routing (the paper, section 3): decisions against pessimistic probabilities.
//  - quantile box: solve the batch MIP on the ensemble's 10% quantile instead of p;
//  - Γ-budgeted (Bertsimas–Sim, ours): at most Γ chosen pairs fall to their lower end. For a fixed
//    θ >= 0 the robust counterpart is the same MIP on q = p - max(0, (p - lower) - θ), minus Γθ;
//    we try a grid of θ (0, quantiles of the deviations, their max) and keep the assignment with
//    the best exact worst-case value;
//  - max-min: the largest t such that every query gets a model with p >= t within budget and
//    capacity (bisection on t), then the most quality at that t.
import { EngineError } from '../../../../shared/errors';
import { routeByQuality } from './mip';
import type { RoutingContext, Strategy } from './types';
import { solveFast } from '../lagrangian';

function lowerOf(ctx: RoutingContext): Float64Array {
  if (!ctx.lower) throw new EngineError('INVALID_INPUT', 'robust routing needs the ensemble lower quantile (lower)');
  return ctx.lower;
}

export const robustQuantile: Strategy = {
  name: 'robust-quantile',
  budgeted: true,
  route: (ctx) => routeByQuality(ctx, lowerOf(ctx), ctx.capacity),
};

/** Worst-case quality of an assignment when at most Γ chosen pairs drop to their lower value. */
export function worstCaseValue(p: Float64Array, lower: Float64Array, k: number, assign: Int32Array, gamma: number): number {
  const dev = new Float64Array(assign.length);
  let total = 0;
  for (let i = 0; i < assign.length; i++) {
    const t = i * k + assign[i];
    total += p[t];
    dev[i] = Math.max(0, p[t] - lower[t]);
  }
  dev.sort();
  const g = Math.min(assign.length, Math.floor(gamma));
  for (let t = 0; t < g; t++) total -= dev[dev.length - 1 - t];
  const frac = gamma - Math.floor(gamma);
  if (frac > 0 && g < dev.length) total -= frac * dev[dev.length - 1 - g];
  return total;
}

export function robustGamma(gamma?: number): Strategy {
  return {
    name: gamma == null ? 'robust-gamma' : `robust-gamma@${gamma}`,
    budgeted: true,
    route(ctx) {
      const lower = lowerOf(ctx);
      const g = gamma ?? Math.ceil(Math.sqrt(ctx.n));
      const { n, k, p } = ctx;
      const dev = new Float64Array(n * k);
      for (let t = 0; t < n * k; t++) dev[t] = Math.max(0, p[t] - lower[t]);
      const sorted = dev.slice().sort();
      const thetas = new Set<number>([0, sorted[sorted.length - 1]]);
      for (let q = 1; q < 10; q++) thetas.add(sorted[Math.floor((q / 10) * (sorted.length - 1))]);
      let best: Int32Array | null = null;
      let bestValue = -Infinity;
      const q = new Float64Array(n * k);
      for (const theta of thetas) {
        for (let t = 0; t < n * k; t++) q[t] = p[t] - Math.max(0, dev[t] - theta);
        const a = routeByQuality(ctx, q, ctx.capacity);
        const v = worstCaseValue(p, lower, k, a, g);
        if (v > bestValue) (bestValue = v), (best = a);
      }
      return best!;
    },
  };
}

export const maxMin: Strategy = {
  name: 'max-min',
  budgeted: true,
  route(ctx) {
    const { n, k, p } = ctx;
    const PENALTY = 1e3;
    // Quality with the pairs below t made prohibitive: a solution that avoids them exists iff t is reachable.
    const solveAt = (t: number) => {
      const q = new Float64Array(n * k);
      for (let x = 0; x < n * k; x++) q[x] = p[x] >= t ? p[x] : p[x] - PENALTY;
      const s = solveFast({ n, k, quality: q, cost: ctx.cost, capacity: ctx.capacity, budget: ctx.budget });
      if (s.status === 'infeasible') return null;
      for (let i = 0; i < n; i++) if (p[i * k + s.assignment[i]] < t) return null;
      return s.assignment;
    };
    let lo = 0;
    let hi = 1;
    for (let x = 0; x < n * k; x++) hi = Math.max(hi, p[x]);
    let best = solveAt(0);
    if (!best) return routeByQuality(ctx, p, ctx.capacity);
    for (let step = 0; step < 20; step++) {
      const mid = (lo + hi) / 2;
      const a = solveAt(mid);
      if (a) (lo = mid), (best = a);
      else hi = mid;
    }
    return best;
  },
};
