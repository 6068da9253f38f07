import { solveFast } from '../routing/lagrangian';
import type { Policy } from './format';
import { onlineRule } from './rules';
import { batchBudget } from './router';

export interface OnlineEvalInput {
  n: number;
  /** n*k calibrated probabilities and estimated costs of held-out queries, in policy column order. */
  p: Float32Array | Float64Array;
  cost: Float64Array;
  /** Optional n*k true outcomes (NaN = missing) and realised costs, to report realised accuracy. */
  truth?: Float32Array;
  realisedCost?: Float64Array;
  batchSize: number;
}

export interface OnlineEval {
  batches: number;
  /** Σ expected accuracy of the online rule / Σ of the batch optimum (solveFast), over all batches. */
  objectiveRatio: number;
  /** Mean over batches of the same ratio, and its worst batch. */
  meanBatchRatio: number;
  worstBatchRatio: number;
  /** Share of batches whose online spend exceeds the batch budget, and the mean / worst overspend. */
  overBudgetShare: number;
  meanOverspend: number;
  worstOverspend: number;
  /** Share of batches where a capacity-limited model got more queries than its per-batch capacity. */
  overCapacityShare: number;
  /** Total estimated spend of the online rule / of the batch plans. */
  spendRatio: number;
  agreement: number; // share of queries where both choose the same model
  /** Per batch: online objective, batch objective and its proven LP bound, online spend, budget, capacity respected. */
  perBatch: { online: number; batch: number; lpBound: number; spend: number; budget: number; withinCapacity: boolean }[];
  realised?: { onlineAccuracy: number; batchAccuracy: number; onlineCost: number; batchCost: number };
}

/**
 * How close the exported online rule argmax p - λc - μ comes to the batch optimum on held-out
 * batches, and how often it breaks the batch budget or a capacity (formulations §9). The batch
 * optimum is the planner's fast solver on the same p, costs, budget rule and capacities.
 */
export function evaluateOnlineRule(policy: Policy, inp: OnlineEvalInput): OnlineEval {
  const k = policy.models.length;
  const index = new Map(policy.models.map((m, j) => [m.id, j]));
  const cap = policy.models.map((m) => m.capacityPerBatch);
  const { lambda, mu } = policy.strategy.online;
  let sumOnline = 0, sumBatch = 0, spendOnline = 0, spendBatch = 0, agree = 0;
  let over = 0, overCap = 0, sumOverspend = 0, worstOverspend = 0, sumRatio = 0, worstRatio = Infinity, batches = 0;
  let accO = 0, accB = 0, cntO = 0, cntB = 0, realO = 0, realB = 0;
  const perBatch: OnlineEval['perBatch'] = [];
  for (let start = 0; start < inp.n; start += inp.batchSize) {
    const n = Math.min(inp.batchSize, inp.n - start);
    const p = inp.p.subarray(start * k, (start + n) * k);
    const c = inp.cost.subarray(start * k, (start + n) * k);
    const budget = batchBudget(policy, c, n, index);
    const sol = solveFast({ n, k, quality: Float64Array.from(p), cost: Float64Array.from(c), capacity: cap, budget });
    if (sol.status === 'infeasible') continue;
    const a = onlineRule(p, c, n, k, lambda, mu);
    let obj = 0, spend = 0;
    const loads = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      obj += p[i * k + a[i]];
      spend += c[i * k + a[i]];
      loads[a[i]]++;
      if (a[i] === sol.assignment[i]) agree++;
      if (inp.truth) {
        const t = (start + i) * k;
        const yo = inp.truth[t + a[i]], yb = inp.truth[t + sol.assignment[i]];
        if (!Number.isNaN(yo)) (accO += yo), cntO++;
        if (!Number.isNaN(yb)) (accB += yb), cntB++;
        realO += inp.realisedCost?.[t + a[i]] || 0;
        realB += inp.realisedCost?.[t + sol.assignment[i]] || 0;
      }
    }
    batches++;
    sumOnline += obj;
    sumBatch += sol.objective;
    spendOnline += spend;
    spendBatch += sol.cost;
    const ratio = sol.objective > 0 ? obj / sol.objective : 1;
    sumRatio += ratio;
    worstRatio = Math.min(worstRatio, ratio);
    const overspend = budget > 0 ? spend / budget - 1 : 0;
    if (spend > budget * (1 + 1e-9)) {
      over++;
      sumOverspend += overspend;
      worstOverspend = Math.max(worstOverspend, overspend);
    }
    const withinCapacity = !cap.some((x, j) => x != null && loads[j] > x);
    if (!withinCapacity) overCap++;
    perBatch.push({ online: obj, batch: sol.objective, lpBound: sol.lpBound, spend, budget, withinCapacity });
  }
  const b = Math.max(1, batches);
  return {
    batches,
    objectiveRatio: sumBatch > 0 ? sumOnline / sumBatch : 1,
    meanBatchRatio: sumRatio / b,
    worstBatchRatio: batches ? worstRatio : 1,
    overBudgetShare: over / b,
    meanOverspend: over ? sumOverspend / over : 0,
    worstOverspend,
    overCapacityShare: overCap / b,
    spendRatio: spendBatch > 0 ? spendOnline / spendBatch : 1,
    agreement: agree / Math.max(1, inp.n),
    perBatch,
    ...(inp.truth ? { realised: { onlineAccuracy: accO / Math.max(1, cntO), batchAccuracy: accB / Math.max(1, cntB), onlineCost: realO, batchCost: realB } } : {}),
  };
}
