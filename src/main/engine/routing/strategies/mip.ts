// Budgeted MIP (the article, section 1) and batch MIP under budget and capacity (the paper,
// section 2), both through the fast Lagrangian solver with its certified gap.
import { minimumSpend, solveFast } from '../lagrangian';
import { capacityArray, type BatchInstance } from '../instance';
import { cheapestAssignment, type RoutingContext, type Strategy } from './types';

export function routeByQuality(ctx: RoutingContext, quality: Float64Array, capacity: (number | null)[]): Int32Array {
  const inst: BatchInstance = { n: ctx.n, k: ctx.k, quality, cost: ctx.cost, capacity, budget: ctx.budget };
  const s = solveFast(inst);
  if (s.status !== 'infeasible') return s.assignment;
  // No assignment fits the budget: spend as little as the capacities allow (the budget is then missed).
  const cap = capacityArray(inst);
  return cap.reduce((a, b) => a + b, 0) >= ctx.n ? minimumSpend(inst, cap).assign : cheapestAssignment(ctx);
}

export const budgetMip: Strategy = {
  name: 'mip',
  budgeted: true,
  route: (ctx) => routeByQuality(ctx, ctx.p, ctx.capacity.map(() => null)),
};

export const batchMip: Strategy = {
  name: 'batch-mip',
  budgeted: true,
  route: (ctx) => routeByQuality(ctx, ctx.p, ctx.capacity),
};
