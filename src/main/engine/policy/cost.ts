import type { CostModel } from './format';
import type { RouteQuery } from './queries';

/**
 * Estimated USD cost c[i][k] of each query on each model, from the policy's cost model. A query
 * without a task looks up the '' row (as the planner does); unknown tasks fall back to the default. Token-based: in = given input_tokens or ceil(chars /
 * charsPerToken); c = in * priceIn / 1e6 + estOut(k, task) * priceOut / 1e6.
 */
export function estimateCosts(model: CostModel, prices: { priceInPerM: number; priceOutPerM: number }[], queries: RouteQuery[]): Float64Array {
  const k = prices.length;
  const out = new Float64Array(queries.length * k);
  const pick = (table: Record<string, number[]>, fallback: number[], task: string | null) => (Object.hasOwn(table, task ?? '') ? table[task ?? ''] : fallback);
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i];
    if (model.kind === 'per-task') {
      const row = pick(model.byTask, model.default, q.task);
      for (let j = 0; j < k; j++) out[i * k + j] = row[j];
    } else {
      const inTok = q.inputTokens ?? Math.ceil(q.text.length / model.charsPerToken);
      const outTok = pick(model.outputTokens.byTask, model.outputTokens.default, q.task);
      for (let j = 0; j < k; j++) out[i * k + j] = (inTok * prices[j].priceInPerM + outTok[j] * prices[j].priceOutPerM) / 1e6;
    }
  }
  return out;
}

/** n*k variance of each estimated cost (USD²), from a per-task cost model's variances; null without them. */
export function estimateCostVariance(model: CostModel, k: number, queries: RouteQuery[]): Float64Array | null {
  if (model.kind !== 'per-task' || !model.variance) return null;
  const v = model.variance;
  const out = new Float64Array(queries.length * k);
  for (let i = 0; i < queries.length; i++) {
    const task = queries[i].task ?? '';
    const row = Object.hasOwn(v.byTask, task) ? v.byTask[task] : v.default;
    for (let j = 0; j < k; j++) out[i * k + j] = row[j];
  }
  return out;
}
