// The one interface every routing strategy implements: a batch in, one model index per query out.
import type { Rng } from '../../predictor/rng';

export interface ValidationStats {
  /** Per model, accuracy on the validation (or training) split. */
  accuracy: Float64Array;
  /** Per model, mean (estimated) cost per query on that split. */
  meanCost: Float64Array;
}

export interface RoutingContext {
  n: number;
  k: number;
  /** n*k calibrated probability of success. */
  p: Float64Array;
  /** n*k pessimistic probability (the bootstrap ensemble's 10% quantile); robust strategies need it. */
  lower?: Float64Array;
  /** n*k estimated cost, USD: decisions use it; evaluation charges realised cost. */
  cost: Float64Array;
  /** k entries, null = unlimited. */
  capacity: (number | null)[];
  /** Batch budget in USD (Infinity = none). */
  budget: number;
  valStats?: ValidationStats;
  rng: Rng;
  /** Oracle only: n*k true outcomes (NaN = missing) and realised costs. */
  truth?: Float32Array;
  realisedCost?: Float64Array;
}

export interface Strategy {
  name: string;
  /** Whether the strategy reads the batch budget (single models and the oracle do not). */
  budgeted: boolean;
  route(ctx: RoutingContext): Int32Array;
}

/** The cheapest model per query by estimated cost: the fallback when a budget cannot be met. */
export function cheapestAssignment(ctx: RoutingContext): Int32Array {
  const out = new Int32Array(ctx.n);
  for (let i = 0; i < ctx.n; i++) {
    let best = 0;
    for (let j = 1; j < ctx.k; j++) if (ctx.cost[i * ctx.k + j] < ctx.cost[i * ctx.k + best]) best = j;
    out[i] = best;
  }
  return out;
}

export function spendOf(cost: Float64Array, k: number, assign: Int32Array): number {
  let s = 0;
  for (let i = 0; i < assign.length; i++) s += cost[i * k + assign[i]];
  return s;
}
