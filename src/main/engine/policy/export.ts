import { EngineError } from '../../../shared/errors';
import type { TrainingStats } from '../evaluation/costs';
import { solveFast } from '../routing/lagrangian';
import type { ValidationStats } from '../routing/strategies/types';
import type { CostModel, DecisionPrior, Policy, PolicyModel, StrategyName, TaskSignals, UnsignedPolicy } from './format';
import { POLICY_FORMAT, POLICY_VERSION } from './format';
import { sealPolicy } from './verify';
import { evaluateOnlineRule } from './online-eval';
import { blendWithTaskPrior } from './prior';

/** What the predictor hands over for export (its spec(), reshaped into the policy's sections). */
export interface PredictorSections {
  featurizer: UnsignedPolicy['featurizer'];
  predictor: UnsignedPolicy['predictor'];
  calibration: UnsignedPolicy['calibration'];
  /** Trained with the predictor on the same features: the task of a query sent without one. */
  taskClassifier?: UnsignedPolicy['taskClassifier'];
}

export interface ExportInputs {
  name: string;
  models: Omit<PolicyModel, 'trafficShare'>[];
  sections: PredictorSections;
  costModel: CostModel;
  /** Calibrated predictions on representative traffic (e.g. the training or validation split). */
  representative: { n: number; p: Float32Array | Float64Array; cost: Float64Array; tasks: (string | null)[] };
  /** The planner's decision-time blend; prices, shares and task scores are fitted on the blended p. */
  decisionPrior?: DecisionPrior;
  strategy: { default: StrategyName; budgetFraction: number; referenceModel: string; batchSize: number; budgetConfidence?: number; tau?: number; ndch?: { stats: ValidationStats; byGain: boolean; seed: number } };
  provenance: { dataset: string; seed: number; createdAt: string; metrics: Record<string, number>; taskExamples?: Record<string, string[]>; taskSignals?: TaskSignals };
}

/**
 * Builds and signs a policy. The dual prices come from one batch problem over the representative
 * traffic (budget = fraction x the reference model's estimated spend; capacities = per-batch
 * capacity x number of batches): its λ and μ are the prices under which the per-query rule
 * argmax p - λc - μ reproduces that plan, and its assignment gives the planned traffic shares.
 */
export function buildPolicy(inp: ExportInputs, onStep: (step: string, fraction: number) => void = () => {}): Policy {
  const k = inp.models.length;
  const { n, cost, tasks } = inp.representative;
  if (n === 0) throw new EngineError('INVALID_INPUT', 'policy export needs representative traffic (0 queries given)');
  if (inp.representative.p.length !== n * k || cost.length !== n * k) throw new EngineError('INVALID_INPUT', `representative traffic: expected ${n * k} probabilities and costs`);
  // What the router will decide on (the same function it applies per query).
  const p = blendWithTaskPrior(inp.decisionPrior, inp.representative.p, tasks, k);
  const ref = inp.models.findIndex((m) => m.id === inp.strategy.referenceModel);
  if (ref < 0) throw new EngineError('INVALID_INPUT', `reference model "${inp.strategy.referenceModel}" is not among the policy's models`);
  let refSpend = 0;
  for (let i = 0; i < n; i++) refSpend += cost[i * k + ref];
  const batches = Math.max(1, n / inp.strategy.batchSize);
  const sol = solveFast({
    n,
    k,
    quality: Float64Array.from(p),
    cost,
    capacity: inp.models.map((m) => (m.capacityPerBatch == null ? null : Math.floor(m.capacityPerBatch * batches))),
    budget: inp.strategy.budgetFraction * refSpend,
  });
  if (sol.status === 'infeasible' || !sol.duals) throw new EngineError('INFEASIBLE', `no plan on the representative traffic: ${sol.reason ?? sol.status}`);
  const share = new Float64Array(k);
  for (let i = 0; i < n; i++) share[sol.assignment[i]] += 1 / n;

  // Keyed by task names from the data: a Map, so a task named "constructor" is just a task.
  const sums = new Map<string, { row: number[]; count: number }>();
  for (let i = 0; i < n; i++) {
    const t = tasks[i];
    if (t == null) continue;
    let acc = sums.get(t);
    if (!acc) sums.set(t, (acc = { row: new Array(k).fill(0), count: 0 }));
    acc.count++;
    for (let j = 0; j < k; j++) acc.row[j] += p[i * k + j];
  }
  const taskScores: Record<string, number[]> = Object.fromEntries([...sums].map(([t, a]) => [t, a.row.map((s) => round(s / a.count))]));

  const nd = inp.strategy.ndch;
  const ndch: Policy['strategy']['ndch'] = nd && { accuracy: Array.from(nd.stats.accuracy), meanCost: Array.from(nd.stats.meanCost), byGain: nd.byGain, seed: nd.seed };
  const draft: UnsignedPolicy = {
    format: POLICY_FORMAT,
    version: POLICY_VERSION,
    name: inp.name,
    models: inp.models.map((m, j) => ({ ...m, trafficShare: round(share[j]) })),
    ...inp.sections,
    costModel: inp.costModel,
    strategy: {
      default: inp.strategy.default,
      online: { lambda: sol.duals.lambda, mu: Array.from(sol.duals.mu) },
      ...(inp.strategy.tau != null ? { threshold: { tau: inp.strategy.tau } } : {}),
      ...(ndch ? { ndch } : {}),
      batch: { batchSize: inp.strategy.batchSize, ...(inp.strategy.budgetConfidence != null ? { budgetConfidence: inp.strategy.budgetConfidence } : {}), budget: { kind: 'fraction-of-model', model: inp.strategy.referenceModel, fraction: inp.strategy.budgetFraction } },
    },
    ...(inp.decisionPrior ? { decisionPrior: inp.decisionPrior } : {}),
    provenance: {
      ...withoutEmpty(inp.provenance),
      metrics: { ...inp.provenance.metrics, representativeQueries: n, planGap: sol.gap, planObjectivePerQuery: sol.objective / n },
      budgetFraction: inp.strategy.budgetFraction,
      tasks: Object.keys(taskScores).sort(),
      taskScores,
    },
  };
  // How the exported online rule does against the batch plans on the representative traffic,
  // cut into the policy's batches (in the given order): recorded for the report and the UI.
  onStep('measuring the online rule against the batch plans', 0.3);
  const e = evaluateOnlineRule(draft as Policy, { n, p, cost, batchSize: inp.strategy.batchSize });
  Object.assign(draft.provenance.metrics, {
    onlineObjectiveRatio: round(e.objectiveRatio),
    onlineOverBudgetShare: round(e.overBudgetShare),
    onlineMeanOverspend: round(e.meanOverspend),
    onlineSpendRatio: round(e.spendRatio),
    onlineAgreement: round(e.agreement),
  });
  onStep('sealing the policy', 0.5);
  return sealPolicy(draft, (step) => onStep(step, 0.75));
}

/**
 * The planner's cost estimate as a policy cost model: per task, each model's mean realised cost on
 * the training split (evaluation/costs.ts); the overall mean for unknown tasks. A query without a
 * task looks up the '' row, as the planner does. Unknown (NaN) means become 0, as there.
 */
export function costModelFromStats(stats: TrainingStats): Extract<CostModel, { kind: 'per-task' }> {
  const finite = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : 0));
  const byTask: Record<string, number[]> = {};
  for (const t of [...stats.costByTask.keys()].sort()) byTask[t] = finite(stats.costByTask.get(t)!);
  return { kind: 'per-task', unit: 'USD', default: finite(stats.overallCost), byTask };
}

const round = (x: number) => Number(x.toPrecision(8));

/** No taskExamples section when the data has no tasks (the schema wants at least one example). */
function withoutEmpty(p: ExportInputs['provenance']): ExportInputs['provenance'] {
  const { taskExamples, taskSignals, ...rest } = p;
  return taskExamples && Object.keys(taskExamples).length ? { ...rest, taskExamples, ...(taskSignals && Object.keys(taskSignals.tasks).length ? { taskSignals } : {}) } : rest;
}
