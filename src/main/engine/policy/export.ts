import { EngineError } from '../../../shared/errors';
import type { LabelMatrix } from '../data/matrix';
import { solveFast } from '../routing/lagrangian';
import { hullMix } from '../routing/strategies/ndch';
import type { ValidationStats } from '../routing/strategies/types';
import type { CostModel, Policy, PolicyModel, StrategyName, UnsignedPolicy } from './format';
import { POLICY_FORMAT, POLICY_VERSION } from './format';
import { signPolicy } from './verify';

/** What the predictor hands over for export (its spec(), reshaped into the policy's sections). */
export interface PredictorSections {
  featurizer: UnsignedPolicy['featurizer'];
  predictor: UnsignedPolicy['predictor'];
  calibration: UnsignedPolicy['calibration'];
}

export interface ExportInputs {
  name: string;
  models: Omit<PolicyModel, 'trafficShare'>[];
  sections: PredictorSections;
  costModel: CostModel;
  /** Predictions on representative traffic (e.g. the training or validation split). */
  representative: { n: number; p: Float32Array; cost: Float64Array; tasks: (string | null)[] };
  strategy: { default: StrategyName; budgetFraction: number; referenceModel: string; batchSize: number; tau?: number; ndch?: { stats: ValidationStats; byGain: boolean; seed: number } };
  provenance: { dataset: string; seed: number; createdAt: string; metrics: Record<string, number> };
}

/**
 * Builds and signs a policy. The dual prices come from one batch problem over the representative
 * traffic (budget = fraction x the reference model's estimated spend; capacities = per-batch
 * capacity x number of batches): its λ and μ are the prices under which the per-query rule
 * argmax p - λc - μ reproduces that plan, and its assignment gives the planned traffic shares.
 */
export function buildPolicy(inp: ExportInputs): Policy {
  const k = inp.models.length;
  const { n, p, cost, tasks } = inp.representative;
  if (n === 0) throw new EngineError('INVALID_INPUT', 'policy export needs representative traffic (0 queries given)');
  if (p.length !== n * k || cost.length !== n * k) throw new EngineError('INVALID_INPUT', `representative traffic: expected ${n * k} probabilities and costs`);
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

  const taskScores: Record<string, number[]> = {};
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const t = tasks[i];
    if (t == null) continue;
    const row = (taskScores[t] ??= new Array(k).fill(0));
    counts[t] = (counts[t] ?? 0) + 1;
    for (let j = 0; j < k; j++) row[j] += p[i * k + j];
  }
  for (const t of Object.keys(taskScores)) taskScores[t] = taskScores[t].map((s) => round(s / counts[t]));

  let ndch: Policy['strategy']['ndch'];
  if (inp.strategy.ndch) {
    const mix = hullMix(inp.strategy.ndch.stats, (inp.strategy.budgetFraction * refSpend) / n);
    ndch = { cheap: inp.models[mix.a].id, dear: inp.models[mix.z].id, fractionCheap: mix.shareA, byGain: inp.strategy.ndch.byGain, seed: inp.strategy.ndch.seed };
  }
  return signPolicy({
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
      batch: { batchSize: inp.strategy.batchSize, budget: { kind: 'fraction-of-model', model: inp.strategy.referenceModel, fraction: inp.strategy.budgetFraction } },
    },
    provenance: {
      ...inp.provenance,
      metrics: { ...inp.provenance.metrics, representativeQueries: n, planGap: sol.gap, planObjectivePerQuery: sol.objective / n },
      budgetFraction: inp.strategy.budgetFraction,
      tasks: Object.keys(taskScores).sort(),
      taskScores,
    },
  });
}

/**
 * The per-task cost model from labelled data: the mean realised cost of each model on each task
 * (rows given), and over all rows as the default. Missing costs are skipped; a model with no cost
 * at all on a task falls back to its overall mean.
 */
export function perTaskCostModel(m: LabelMatrix, rows?: ArrayLike<number>): Extract<CostModel, { kind: 'per-task' }> {
  const k = m.models.length;
  const idx = rows ?? Array.from({ length: m.texts.length }, (_, i) => i);
  const sums = new Map<string, { s: Float64Array; c: Float64Array }>();
  const all = { s: new Float64Array(k), c: new Float64Array(k) };
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    const t = m.tasks[i] ?? null;
    const acc = t == null ? null : sums.get(t) ?? sums.set(t, { s: new Float64Array(k), c: new Float64Array(k) }).get(t)!;
    for (let j = 0; j < k; j++) {
      const v = m.costs[i * k + j];
      if (Number.isNaN(v)) continue;
      all.s[j] += v;
      all.c[j]++;
      if (acc) (acc.s[j] += v), acc.c[j]++;
    }
  }
  const mean = (a: { s: Float64Array; c: Float64Array }, fb?: number[]) => Array.from(a.s, (s, j) => (a.c[j] ? s / a.c[j] : fb ? fb[j] : 0));
  const def = mean(all);
  const byTask: Record<string, number[]> = {};
  for (const t of [...sums.keys()].sort()) byTask[t] = mean(sums.get(t)!, def);
  return { kind: 'per-task', unit: 'USD', default: def, byTask };
}

const round = (x: number) => Number(x.toPrecision(8));
