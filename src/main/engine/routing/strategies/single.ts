// Baselines that ignore the budget: every query to one model, and the oracle (the cheapest model
// that answers correctly, by realised cost; the cheapest model when none does).
import { EngineError } from '../../../../shared/errors';
import type { Strategy } from './types';

export function singleModel(index: number, name: string): Strategy {
  return { name: `single:${name}`, budgeted: false, route: (ctx) => new Int32Array(ctx.n).fill(index) };
}

export const oracle: Strategy = {
  name: 'oracle',
  budgeted: false,
  route(ctx) {
    if (!ctx.truth) throw new EngineError('INVALID_INPUT', 'the oracle needs the true outcomes');
    const cost = ctx.realisedCost ?? ctx.cost;
    const out = new Int32Array(ctx.n);
    for (let i = 0; i < ctx.n; i++) {
      const row = i * ctx.k;
      let pick = -1;
      let cheapest = 0;
      for (let j = 0; j < ctx.k; j++) {
        const cj = Number.isFinite(cost[row + j]) ? cost[row + j] : Infinity;
        const cc = Number.isFinite(cost[row + cheapest]) ? cost[row + cheapest] : Infinity;
        if (cj < cc) cheapest = j;
        if (ctx.truth[row + j] >= 0.5 && (pick < 0 || cj < cost[row + pick])) pick = j;
      }
      out[i] = pick >= 0 ? pick : cheapest;
    }
    return out;
  },
};
