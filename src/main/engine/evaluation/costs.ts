// What decisions may know about cost and quality before a query runs: per-model mean realised cost
// per task on the training split (estimated cost), per-model training accuracy (which picks the
// "best single model" the budget fraction refers to, and places models for NDCH), and per-model
// training accuracy per task (the prior the predictor's probabilities are shrunk toward).
import type { LabelMatrix } from '../data/matrix';
import type { ValidationStats } from '../routing/strategies';

export interface TrainingStats extends ValidationStats {
  /** Index of the model with the highest training accuracy. */
  best: number;
  /** Mean cost per model per task (task -> k entries), and overall per model. */
  costByTask: Map<string, Float64Array>;
  overallCost: Float64Array;
  /** Training accuracy per model per task (task -> k entries). */
  accuracyByTask: Map<string, Float64Array>;
}

export function trainingStats(train: LabelMatrix): TrainingStats {
  const k = train.models.length;
  const n = train.texts.length;
  const acc = new Float64Array(k);
  const accN = new Float64Array(k);
  const sum = new Map<string, { s: Float64Array; c: Float64Array; a: Float64Array; an: Float64Array }>();
  const all = { s: new Float64Array(k), c: new Float64Array(k) };
  for (let i = 0; i < n; i++) {
    const task = train.tasks[i] ?? '';
    let t = sum.get(task);
    if (!t) sum.set(task, (t = { s: new Float64Array(k), c: new Float64Array(k), a: new Float64Array(k), an: new Float64Array(k) }));
    for (let j = 0; j < k; j++) {
      const y = train.scores[i * k + j];
      if (!Number.isNaN(y)) (acc[j] += y), accN[j]++, (t.a[j] += y), t.an[j]++;
      const c = train.costs[i * k + j];
      if (Number.isFinite(c)) (t.s[j] += c), t.c[j]++, (all.s[j] += c), all.c[j]++;
    }
  }
  const overallCost = all.s.map((s, j) => (all.c[j] ? s / all.c[j] : NaN));
  const costByTask = new Map<string, Float64Array>();
  for (const [task, t] of sum) costByTask.set(task, t.s.map((s, j) => (t.c[j] ? s / t.c[j] : overallCost[j])));
  const accuracy = acc.map((a, j) => (accN[j] ? a / accN[j] : NaN));
  const accuracyByTask = new Map<string, Float64Array>();
  for (const [task, t] of sum) accuracyByTask.set(task, t.a.map((a, j) => (t.an[j] ? a / t.an[j] : accuracy[j])));
  let best = 0;
  for (let j = 1; j < k; j++) if (accuracy[j] > accuracy[best]) best = j;
  return { best, accuracy, meanCost: overallCost, costByTask, overallCost, accuracyByTask };
}

/** n*k estimated cost of the test queries: the training mean of their task, else of the model. */
export function estimatedCosts(stats: TrainingStats, test: LabelMatrix): Float64Array {
  const k = test.models.length;
  const n = test.texts.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = stats.costByTask.get(test.tasks[i] ?? '') ?? stats.overallCost;
    for (let j = 0; j < k; j++) out[i * k + j] = Number.isFinite(row[j]) ? row[j] : 0;
  }
  return out;
}

/**
 * Decision-time probabilities: the predictor's p averaged with the training accuracy of the query's
 * task (of the model overall for an unknown task), weight `weight` on p. On RouterBench the text
 * carries almost no signal within a task (per-task AUC ~0.5), so p's value is its task levels, which
 * a head calibrated per model on ~220 rows gets wrong by ~0.04; the average fixes the levels and
 * keeps p's ranking inside a task.
 */
export function shrinkToTaskPrior(stats: TrainingStats, test: LabelMatrix, p: Float64Array, weight: number): Float64Array {
  const k = test.models.length;
  const out = new Float64Array(p.length);
  for (let i = 0; i < test.texts.length; i++) {
    const prior = stats.accuracyByTask.get(test.tasks[i] ?? '') ?? stats.accuracy;
    for (let j = 0; j < k; j++) {
      const t = i * k + j;
      out[t] = Number.isFinite(prior[j]) ? weight * p[t] + (1 - weight) * prior[j] : p[t];
    }
  }
  return out;
}

/** Realised cost where the data has it, the estimate elsewhere. */
export function realisedCosts(test: LabelMatrix, estimated: Float64Array): Float64Array {
  return test.costs.map((c, t) => (Number.isFinite(c) ? c : estimated[t]));
}
