// What one routing of the test set achieved (accuracy on realised labels, realised spend, the share
// of batches within their own budget), and the mean ± spread over seeds.
import type { FrontierRow } from '../../../shared/contract/routing';

export interface Outcome {
  accuracy: number;
  spend: number;
  withinBudgetShare: number | null;
  msPerBatch?: number;
}

/** Missing labels of the chosen pair are left out of the accuracy (they are rare in RouterBench). */
export function outcomeOf(scores: Float32Array, real: Float64Array, k: number, assign: Int32Array, budgets: number[] | null, batches: Int32Array[]): Outcome {
  let correct = 0;
  let labelled = 0;
  let spend = 0;
  for (let i = 0; i < assign.length; i++) {
    const t = i * k + assign[i];
    spend += real[t];
    if (!Number.isNaN(scores[t])) (correct += scores[t]), labelled++;
  }
  let within: number | null = null;
  if (budgets) {
    let ok = 0;
    batches.forEach((rows, b) => {
      let s = 0;
      for (const i of rows) s += real[i * k + assign[i]];
      if (s <= budgets[b] * (1 + 1e-9)) ok++;
    });
    within = batches.length ? ok / batches.length : null;
  }
  return { accuracy: labelled ? correct / labelled : NaN, spend, withinBudgetShare: within };
}

function meanStd(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) : 0;
  return [m, Math.sqrt(v)];
}

export function summarise(strategy: string, kind: FrontierRow['kind'], f: number | null, outcomes: Outcome[], base: { accuracy: number; cost: number }): FrontierRow {
  const [acc, accSd] = meanStd(outcomes.map((o) => o.accuracy));
  const [cf, cfSd] = meanStd(outcomes.map((o) => o.spend / base.cost));
  const within = outcomes[0].withinBudgetShare == null ? null : meanStd(outcomes.map((o) => o.withinBudgetShare as number));
  return {
    strategy,
    kind,
    budgetFraction: f,
    accuracy: acc,
    accuracyStd: accSd,
    accuracyVsBest: acc / base.accuracy,
    costFraction: cf,
    costFractionStd: cfSd,
    withinBudgetShare: within ? within[0] : null,
    withinBudgetStd: within ? within[1] : null,
    seeds: outcomes.length,
    ...(outcomes[0].msPerBatch != null ? { msPerBatch: outcomes.reduce((a, o) => a + (o.msPerBatch ?? 0), 0) / outcomes.length } : {}),
  };
}
