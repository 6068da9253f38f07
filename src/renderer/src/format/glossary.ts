// One name and one sentence for every strategy, metric and solver term, used by every screen, so
// that Routing, Policies and Capacity speak the same words (the engine's identifiers stay as they are).

export interface Term {
  /** What every screen prints. */
  label: string;
  /** One or two sentences shown on hover and by the info marker. */
  help: string;
}

/** The evaluation's strategies (engine identifiers of routing/strategies). */
export const strategyTerms: Record<string, Term> = {
  threshold: { label: 'Threshold', help: 'Per query: the cheapest model whose predicted success probability clears a threshold, else the most likely one. In a sweep the threshold is the highest whose estimated spend fits the batch budget.' },
  ndch: { label: 'NDCH', help: "RouterBench's non-decreasing convex hull: mixes the two single models on the cost–accuracy hull around the budget, splitting queries at random." },
  'ndch-p': { label: 'NDCH (by gain)', help: 'The NDCH mix, but the queries with the largest predicted gain go to the dearer model instead of a random split.' },
  mip: { label: 'Budget MIP', help: 'Each batch solved exactly (mixed-integer program): the assignment with the highest predicted quality whose estimated cost fits the budget.' },
  'batch-mip': { label: 'Batch MIP', help: 'The budget MIP with the capacity of every model as well: per batch, the best predicted quality within budget and capacities.' },
  'robust-quantile': { label: 'Robust (quantile)', help: "The batch MIP on the ensemble's 10% quantile of the success probability instead of its mean: pessimistic where the predictor is unsure." },
  'robust-gamma': { label: 'Robust (Γ)', help: 'Bertsimas–Sim robust MIP: the assignment whose quality holds even if up to Γ = √N chosen pairs fall to their lower estimate.' },
  'max-min': { label: 'Max-min', help: 'Maximises the lowest predicted success probability of any query within budget and capacity (fairness across queries).' },
  'per-query': { label: 'Per query (dual prices)', help: 'Each query alone: the model with the best predicted quality minus a price on its cost; the price is set so that total spend matches the budget. What an online router does.' },
  'per-query-share': { label: 'Per query (budget share)', help: 'Each query alone, with an equal share of the batch budget: the most probable model whose estimated cost fits budget / batch size.' },
  oracle: { label: 'Oracle', help: 'The cheapest model that actually answered correctly (known only in hindsight): an upper bound, not a strategy.' },
};

/** A policy's strategies (policy/format.ts) under the same names as the evaluation's. */
export const policyStrategyTerms: Record<'online' | 'threshold' | 'ndch' | 'batch', Term> = {
  online: { label: strategyTerms['per-query'].label, help: `${strategyTerms['per-query'].help} The policy carries the prices solved at export.` },
  threshold: strategyTerms.threshold,
  ndch: strategyTerms.ndch,
  batch: { label: strategyTerms['batch-mip'].label, help: `${strategyTerms['batch-mip'].help} Needs traffic that arrives in batches.` },
};

export const metricTerms = {
  accuracy: { label: 'Accuracy', help: 'Share of test queries answered correctly by the model each was routed to (realised labels), mean over seeds ± standard deviation.' },
  vsBest: { label: 'vs best', help: 'Accuracy divided by the accuracy of the best single model on the same test data.' },
  costFraction: { label: 'Cost', help: 'Realised spend as a fraction of what the best single model would have cost on the same queries.' },
  withinBudget: { label: 'In budget', help: 'Share of batches whose realised spend stayed within their own budget. Below 100% the strategy overspends.' },
  auc: { label: 'AUC', help: 'Area under the ROC curve: how well the predicted probability ranks correct answers above wrong ones (0.5 = chance, 1 = perfect).' },
  ece: { label: 'Calibration error (ECE)', help: 'Expected calibration error: mean gap between predicted probability and observed success rate, over probability buckets.' },
  brier: { label: 'Brier score', help: 'Mean squared error of the predicted probability against the 0/1 outcome (lower is better).' },
  quality: { label: 'Expected quality', help: 'Predicted share of queries answered correctly under this plan, from the quality source named below.' },
  utilisation: { label: 'Utilisation', help: "Arrivals divided by capacity; for API models the share of the provider's rate limit used. Above the ceiling, queues grow." },
  meanWait: { label: 'Mean wait', help: 'Mean time a query waits for a free slot (M/M/c queue at this utilisation), before its own processing.' },
  headroom: { label: 'Throughput headroom', help: 'Queries per second the plan can take beyond the planned traffic before some model reaches the utilisation ceiling.' },
  per1k: { label: 'Per 1,000 queries', help: 'Hourly cost divided by the queries served in an hour, times 1,000.' },
} satisfies Record<string, Term>;

export const solverTerms = {
  optimal: { label: 'optimal', help: 'The solver proved that no plan is better than this one by more than the requested gap.' },
  feasible: { label: 'best found', help: 'A valid plan, but the solver stopped (time limit) before proving it optimal; the gap says how far it could be from the best.' },
  gap: { label: 'gap', help: 'Relative distance between the plan found and the best bound the solver proved: the plan is at most this far from optimal.' },
  bound: { label: 'bound', help: 'No plan can beat this quality (the relaxation the solver proved).' },
  uniform: { label: 'uniform split', help: 'The same GPUs shared equally among the models that can run on them: a baseline without optimisation.' },
} satisfies Record<string, Term>;

/** The label of a strategy row (an evaluation identifier, a "single:" model row, or a -cc variant). */
export function strategyLabel(id: string): string {
  const cc = id.endsWith('-cc');
  const base = cc ? id.slice(0, -3) : id;
  const t = strategyTerms[base];
  if (!t) return id;
  return cc ? `${t.label}, chance-constrained` : t.label;
}

export function strategyHelp(id: string): string | undefined {
  const cc = id.endsWith('-cc');
  const t = strategyTerms[cc ? id.slice(0, -3) : id];
  if (!t) return undefined;
  return cc ? `${t.help} Each batch budget holds with the chosen probability on realised cost.` : t.help;
}
