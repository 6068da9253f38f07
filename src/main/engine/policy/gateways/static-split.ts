import type { Policy } from '../format';
import { percentWeights } from './common';

/**
 * The fallback `routeplan-auto` split for a gateway that cannot ask the policy per request: a
 * random split over models pays each model's mean cost, whatever the prompt, so the plan's
 * traffic shares (fitted per query, where cheap prompts go to dear models) overspend as a split
 * (RouterBench: +30%). Here the weights are solved for the split itself:
 *   maximise Σ w_k a_k  s.t.  Σ w_k c_k ≤ β,  Σ w_k = 1,  0 ≤ w_k ≤ u_k
 * with a_k the model's training accuracy (the decision prior's default row), c_k its mean
 * estimated cost per query (the cost model's default row), β the policy's budget per query
 * (its fraction of the reference model's mean cost, or the per-query USD) and u_k the capacity
 * share of a batch (self-hosted models). The LP's optimum mixes the greedy solutions of its
 * Lagrangian at the dual price λ where the cost crosses β, so Σ w_k c_k ≤ β by construction.
 */
export interface StaticSplit {
  weights: number[];
  /** Integer percentages (Envoy's weights), still within the budget. */
  percent: number[];
  expectedCostPerQuery: number;
  budgetPerQuery: number;
  expectedAccuracy: number;
  /** false when even the cheapest split the capacities allow costs more than the budget. */
  withinBudget: boolean;
}

export function staticSplit(p: Policy): StaticSplit {
  const k = p.models.length;
  const a = splitAccuracy(p);
  const c = meanCosts(p);
  const b = p.strategy.batch.budget;
  const budget = b.kind === 'per-query' ? b.usd : b.fraction * c[p.models.findIndex((m) => m.id === b.model)];
  const size = p.strategy.batch.batchSize;
  const cap = p.models.map((m) => (m.capacityPerBatch == null ? 1 : Math.min(1, m.capacityPerBatch / size)));
  // Capacities that cannot carry all traffic: the rest goes uncapped on the cheapest (as the planner's cheapest fallback).
  if (cap.reduce((s, x) => s + x, 0) < 1) cap[argmin(c)] = 1;
  const greedy = (lambda: number): number[] => {
    const order = [...Array(k).keys()].sort((i, j) => a[j] - lambda * c[j] - (a[i] - lambda * c[i]) || c[i] - c[j] || i - j);
    const w = new Array(k).fill(0);
    let left = 1;
    for (const j of order) {
      w[j] = Math.min(cap[j], left);
      left -= w[j];
      if (left <= 0) break;
    }
    return w;
  };
  const cost = (w: number[]) => w.reduce((s, x, j) => s + x * c[j], 0);
  let w = greedy(0);
  let withinBudget = true;
  if (cost(w) > budget) {
    // Cost is non-increasing in λ; the cheapest split is the limit λ → ∞.
    let hi = 1;
    const cheapest = greedyCheapest(c, cap);
    if (cost(cheapest) > budget) {
      w = cheapest;
      withinBudget = false;
    } else {
      while (cost(greedy(hi)) > budget && hi < 1e12) hi *= 2;
      let lo = 0;
      for (let it = 0; it < 200; it++) {
        const mid = (lo + hi) / 2;
        if (cost(greedy(mid)) > budget) lo = mid;
        else hi = mid;
      }
      const over = greedy(lo);
      const under = cost(greedy(hi)) <= budget ? greedy(hi) : cheapest;
      const co = cost(over);
      const cu = cost(under);
      let theta = co > cu ? Math.min(1, Math.max(0, (co - budget) / (co - cu))) : 1;
      w = over.map((x, j) => (1 - theta) * x + theta * under[j]);
      // Float rounding can leave the mix a hair over β: lean toward the cheaper side until within.
      for (let step = 1e-12; cost(w) > budget && theta < 1; step *= 4) {
        theta = Math.min(1, theta + step);
        w = over.map((x, j) => (1 - theta) * x + theta * under[j]);
      }
    }
  }
  const percent = percentWithin(w, c, cap, withinBudget ? budget : Infinity);
  return { weights: w.map((x) => Number(x.toFixed(6))), percent, expectedCostPerQuery: cost(w), budgetPerQuery: budget, expectedAccuracy: w.reduce((s, x, j) => s + x * a[j], 0), withinBudget };
}

function argmin(c: number[]): number {
  return c.reduce((best, x, j) => (x < c[best] ? j : best), 0);
}

function greedyCheapest(c: number[], cap: number[]): number[] {
  const w = new Array(c.length).fill(0);
  let left = 1;
  for (const j of [...c.keys()].sort((i, j) => c[i] - c[j] || i - j)) {
    w[j] = Math.min(cap[j], left);
    left -= w[j];
  }
  return w;
}

/** Integer percentages summing to 100 near w (largest remainder), then moved 1 point at a time from dear to cheap models until within budget. */
function percentWithin(w: number[], c: number[], cap: number[], budget: number): number[] {
  const out = percentWeights(w);
  const cost = () => out.reduce((s, x, j) => s + (x / 100) * c[j], 0);
  for (let guard = 0; cost() > budget && guard < 10_000; guard++) {
    const dear = [...out.keys()].filter((j) => out[j] > 0).sort((i, j) => c[j] - c[i])[0];
    const cheap = [...out.keys()].filter((j) => c[j] < c[dear] && out[j] + 1 <= 100 * cap[j] + 1e-9).sort((i, j) => c[i] - c[j])[0];
    if (cheap === undefined) break;
    out[dear]--;
    out[cheap]++;
  }
  return out;
}

/** a_k: training accuracy (decision prior's default row), else the NDCH accuracy, else the plan's mean p per model. */
function splitAccuracy(p: Policy): number[] {
  const row = p.decisionPrior?.default ?? p.strategy.ndch?.accuracy;
  if (row) return row.map((x) => (x == null || !Number.isFinite(x) ? 0 : x));
  const rows = Object.values(p.provenance.taskScores);
  return p.models.map((_, j) => (rows.length ? rows.reduce((s, r) => s + r[j], 0) / rows.length : 0));
}

/** c_k: the cost model's default row (mean realised training cost), or estimated output tokens x price. */
function meanCosts(p: Policy): number[] {
  const cm = p.costModel;
  if (cm.kind === 'per-task') return cm.default;
  return p.models.map((m, j) => (cm.outputTokens.default[j] * m.priceOutPerM) / 1e6);
}
