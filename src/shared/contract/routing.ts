import { z } from 'zod';
import { call, job } from './define';

export const SolverChoice = z.enum(['auto', 'fast', 'highs']);
export const StrategyName = z.enum(['threshold', 'ndch', 'ndch-p', 'mip', 'batch-mip', 'robust-quantile', 'robust-gamma', 'max-min', 'per-query', 'per-query-share']);
export type StrategyName = z.infer<typeof StrategyName>;
export const defaultBudgetFractions = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0];

/** A batch instance as JSON (solve-batch files, routing.solve): cost per pair (N x K) or per model (K). */
export const BatchInstanceInput = z
  .object({
    quality: z.array(z.array(z.number().finite())).min(1),
    cost: z.union([z.array(z.array(z.number().finite().nonnegative())), z.array(z.number().finite().nonnegative())]),
    capacity: z.array(z.number().int().nonnegative().nullable()).optional(),
    budget: z.number().nonnegative().nullable().optional(),
    costStd: z
      .union([z.array(z.array(z.number().finite().nonnegative())), z.array(z.number().finite().nonnegative())])
      .optional()
      .describe('standard deviation of each pair\'s realised cost (N x K, or K per model): needed with budgetConfidence'),
  })
  .superRefine((v, ctx) => {
    const k = v.quality[0].length;
    v.quality.forEach((row, i) => row.length !== k && ctx.addIssue({ code: 'custom', path: ['quality', i], message: `expected ${k} entries like row 0, got ${row.length}` }));
    if (k === 0) ctx.addIssue({ code: 'custom', path: ['quality', 0], message: 'needs at least one model' });
    const c = v.cost;
    if (c.length && Array.isArray(c[0])) {
      if (c.length !== v.quality.length) ctx.addIssue({ code: 'custom', path: ['cost'], message: `expected ${v.quality.length} rows (one per query), got ${c.length}` });
      (c as number[][]).forEach((row, i) => row.length !== k && ctx.addIssue({ code: 'custom', path: ['cost', i], message: `expected ${k} entries, got ${row.length}` }));
    } else if (c.length !== k) ctx.addIssue({ code: 'custom', path: ['cost'], message: `expected ${k} per-model costs or an N x K matrix, got ${c.length} entries` });
    if (v.capacity && v.capacity.length !== k) ctx.addIssue({ code: 'custom', path: ['capacity'], message: `expected ${k} entries (null = unlimited), got ${v.capacity.length}` });
    const sd = v.costStd;
    if (sd && sd.length && Array.isArray(sd[0])) {
      if (sd.length !== v.quality.length) ctx.addIssue({ code: 'custom', path: ['costStd'], message: `expected ${v.quality.length} rows (one per query), got ${sd.length}` });
      (sd as number[][]).forEach((row, i) => row.length !== k && ctx.addIssue({ code: 'custom', path: ['costStd', i], message: `expected ${k} entries, got ${row.length}` }));
    } else if (sd && sd.length !== k) ctx.addIssue({ code: 'custom', path: ['costStd'], message: `expected ${k} per-model values or an N x K matrix, got ${sd.length} entries` });
  });
export type BatchInstanceInput = z.infer<typeof BatchInstanceInput>;

export interface SolveResult {
  status: 'optimal' | 'feasible' | 'infeasible' | 'timeout';
  objective: number | null;
  lpBound: number | null;
  gap: number | null;
  cost: number;
  assignment: number[];
  duals?: { lambda: number; mu: number[] };
  reason?: string;
  solver: 'fast' | 'highs';
  ms: number;
  /** With budgetConfidence: Σ mean cost + z·√(Σ variance) of the assignment, what the budget holds against. */
  riskAdjustedCost?: number | null;
  budgetConfidence?: number;
}

export const EvaluationSettings = z.object({
  strategies: z.array(StrategyName).default(['threshold', 'ndch', 'ndch-p', 'mip', 'batch-mip', 'robust-quantile', 'robust-gamma', 'max-min', 'per-query']),
  budgetFractions: z.array(z.number().positive().max(10)).min(1).default(defaultBudgetFractions),
  seeds: z.array(z.number().int()).min(1).default([1, 2, 3, 4, 5]),
  batchSize: z.number().int().min(1).default(100),
  batching: z.enum(['random', 'adversarial']).default('random'),
  /** Per-batch capacity by model name (self-hosted models); absent = unlimited. */
  capacity: z.record(z.string(), z.number().int().nonnegative()).default({}),
  includeSingles: z.boolean().default(true),
  /** Weight of the predictor's p against its task's training accuracy in decisions (1 = p alone). */
  predictorWeight: z.number().min(0).max(1).default(0.5),
  /**
   * The probability with which each batch's budget must hold on realised cost. Set, every solver
   * strategy (mip, batch-mip, robust-*, max-min) is also run under the chance constraint (rows
   * `<name>-cc`), on a per-query cost distribution fitted on the training data.
   */
  budgetConfidence: z.number().gt(0, 'budget confidence must be in (0, 1)').lt(1, 'budget confidence must be in (0, 1)').optional(),
});
export type EvaluationSettings = z.infer<typeof EvaluationSettings>;

/** One point of the cost–accuracy frontier: mean over seeds, with the spread (standard deviation). */
export interface FrontierRow {
  strategy: string;
  kind: 'strategy' | 'per-query' | 'single' | 'oracle';
  budgetFraction: number | null;
  accuracy: number;
  accuracyStd: number;
  accuracyVsBest: number;
  costFraction: number;
  costFractionStd: number;
  /** Share of batches whose realised spend stayed within their own budget (null without a budget). */
  withinBudgetShare: number | null;
  withinBudgetStd: number | null;
  seeds: number;
  /** Mean wall time to route one batch, ms (strategies only). */
  msPerBatch?: number;
}

export interface EvaluationResult {
  id: number | null;
  bestModel: string;
  bestAccuracy: number;
  bestCost: number;
  testQueries: number;
  settings: EvaluationSettings;
  rows: FrontierRow[];
  ms: number;
}

export const routingMethods = {
  'routing.solve': call<SolveResult>()(
    z.object({
      instance: BatchInstanceInput,
      solver: SolverChoice.default('auto'),
      timeLimitS: z.number().positive().default(60),
      tolerance: z.number().positive().max(1).default(1e-3),
      budgetConfidence: z.number().gt(0, 'budget confidence must be in (0, 1)').lt(1, 'budget confidence must be in (0, 1)').optional().describe('the budget must hold with this probability on realised cost (needs instance.costStd)'),
    }),
    'Solve one batch assignment under budget and capacity; returns the assignment and its proven gap',
  ),
  'evaluation.list': call<{ id: number; predictorId: number | null; datasetId: number | null; createdAt: string; settings: EvaluationSettings }[]>()(z.object({}), 'Stored evaluations'),
  'evaluation.get': call<EvaluationResult>()(z.object({ id: z.number().int().positive() }), 'One stored evaluation with its frontier rows'),
};

export const evaluationMethods = {
  'evaluation.run': job<EvaluationResult>()(
    z.object({
      predictorId: z.number().int().positive(),
      testDatasetId: z.number().int().positive(),
      /** Where estimated costs and the best model come from; default: the predictor's training dataset. */
      trainDatasetId: z.number().int().positive().optional(),
      settings: EvaluationSettings.default(EvaluationSettings.parse({})),
    }),
    'Budget sweep of every strategy and single model on a test dataset (frontier rows per strategy)',
  ),
  'evaluation.quick': job<EvaluationResult>()(
    z.object({
      trainFiles: z.array(z.string().min(1)).min(1),
      testFiles: z.array(z.string().min(1)).min(1),
      /** Bootstrap members of the default predictor fitted per seed (robust strategies need >= 2). */
      ensemble: z.number().int().min(1).max(50).default(5),
      /** Each member sees each feature column with this probability (random-subspace views; 1 = all). */
      featureFraction: z.number().gt(0).max(1).default(1),
      /** The predictor's features: hybrid (the training default) or built-in n-grams alone (fast, as policies). */
      featurizer: z.enum(['hybrid', 'builtin']).default('hybrid'),
      /** A query/model pair labelled twice in the files: as data.import's onDuplicate. */
      onDuplicate: z.enum(['refuse', 'first', 'mean', 'separate']).default('refuse'),
      settings: EvaluationSettings.default(EvaluationSettings.parse({})),
    }),
    'Quick look at new data: import train/test files, fit the default predictor per seed, sweep budgets',
  ),
};
