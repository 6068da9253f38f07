// Seeded synthetic batch instances shaped like real routing data: K models on a price ladder whose
// skill grows with price, queries of varying difficulty, some self-hosted models with capacities.
// Used by tests and the bench (never by the product's decisions).
import { createRng } from '../predictor/rng';
import type { BatchInstance } from './instance';

export interface SyntheticOptions {
  n: number;
  k: number;
  seed: number;
  /** Budget as a fraction of sending everything to the dearest (best) model. */
  budgetFraction?: number;
  /** Every `capacityEvery`-th model is self-hosted with this share of the batch as capacity. */
  capacityShare?: number;
  capacityEvery?: number;
}

export function syntheticInstance(o: SyntheticOptions): BatchInstance {
  const { n, k } = o;
  const rng = createRng(o.seed);
  const quality = new Float64Array(n * k);
  const cost = new Float64Array(n * k);
  const price = Array.from({ length: k }, (_, j) => 1e-4 * Math.pow(1.5, j));
  const skill = Array.from({ length: k }, (_, j) => 0.3 + (0.6 * j) / Math.max(1, k - 1));
  let best = 0;
  for (let i = 0; i < n; i++) {
    const difficulty = rng.next();
    const length = 0.5 + rng.next();
    for (let j = 0; j < k; j++) {
      quality[i * k + j] = Math.min(1, Math.max(0, skill[j] - 0.4 * difficulty + 0.2 * (rng.next() - 0.5)));
      cost[i * k + j] = price[j] * length * (0.8 + 0.4 * rng.next());
    }
    best += cost[i * k + k - 1];
  }
  const every = o.capacityEvery ?? 3;
  const share = o.capacityShare ?? 0.05;
  const capacity = Array.from({ length: k }, (_, j) => (j % every === 0 ? Math.ceil(n * share) : null));
  return { n, k, quality, cost, capacity, budget: (o.budgetFraction ?? 0.3) * best };
}
