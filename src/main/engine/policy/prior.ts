import type { TrainingStats } from '../evaluation/costs';
import type { DecisionPrior } from './format';

/**
 * The planner's decision-time probabilities (evaluation/costs.ts, shrinkToTaskPrior) as a policy
 * section: per task, each model's training accuracy; the overall training accuracy as the default
 * row for unknown tasks. A NaN accuracy (a model with no training label) becomes null: no prior,
 * p alone, as there. Built with Object.fromEntries so that any task name is an own key.
 */
export function decisionPriorFromStats(stats: TrainingStats, weight: number): DecisionPrior {
  const row = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  const tasks = [...stats.accuracyByTask.keys()].sort();
  return { weight, default: row(stats.accuracy), byTask: Object.fromEntries(tasks.map((t) => [t, row(stats.accuracyByTask.get(t)!)])) };
}

/**
 * p' = w·p + (1−w)·prior[task][k] for n queries x k models, in float64 with the planner's exact
 * expression, so that the router decides on the very numbers the planner decided on. A query
 * without a task looks up the '' row (the planner's `tasks[i] ?? ''`); a task absent from the
 * table takes the default row. No section = p unchanged (weight 1).
 */
export function blendWithTaskPrior(prior: DecisionPrior | undefined, p: ArrayLike<number>, tasks: ArrayLike<string | null>, k: number): Float64Array {
  const out = Float64Array.from(p);
  if (!prior) return out;
  const w = prior.weight;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i] ?? '';
    const row = Object.hasOwn(prior.byTask, task) ? prior.byTask[task] : prior.default;
    for (let j = 0; j < k; j++) {
      const t = i * k + j;
      const q = row[j];
      if (q != null && Number.isFinite(q)) out[t] = w * out[t] + (1 - w) * q;
    }
  }
  return out;
}
