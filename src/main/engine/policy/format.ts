import { z } from 'zod';

/**
 * The routing-policy file, format version 1: everything a production router needs to apply the
 * planner's decisions query by query, and nothing that needs the workspace. The JSON Schema in
 * `schemas/policy.schema.json` is generated from this zod schema (a test keeps them equal).
 *
 * Column order: every per-model array (prices, capacity, temperatures, costs, μ) follows `models`.
 */
export const POLICY_FORMAT = 'routeplan.policy';
export const POLICY_VERSION = 1;

// zod 4's number() already refuses NaN and ±Infinity.
const finite = z.number();
const nonNeg = z.number().min(0);
const perModel = z.array(finite).min(1);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

export const PolicyModel = z.object({
  id: z.string().min(1).describe('model name as the planner and the gateways know it'),
  priceInPerM: nonNeg.describe('USD per 1M input tokens'),
  priceOutPerM: nonNeg.describe('USD per 1M output tokens'),
  capacityPerBatch: z.number().int().positive().nullable().describe('queries of one batch the model can take (slots x instances); null = API model, no limit'),
  trafficShare: z.number().min(0).max(1).describe('share of the representative traffic the plan sends to this model'),
  gpuType: z.string().nullable().optional(),
  instances: z.number().int().nonnegative().nullable().optional(),
  gatewayModel: z.string().min(1).optional().describe('provider route for gateways, e.g. "openai/gpt-4o"; defaults to id'),
});
export type PolicyModel = z.infer<typeof PolicyModel>;

/** The featuriser and head are specified by the predictor module's own versioned spec. */
export const PolicyFeaturizer = z.object({
  kind: z.string().min(1),
  version: z.number().int().positive(),
  spec: z.record(z.string(), z.unknown()).describe('the exact featuriser specification (hashing, tokenisation, n-grams, IDF table)'),
});

export const OnnxHead = z.union([
  z.object({ encoding: z.literal('base64'), sha256: sha256Hex, data: z.string().min(1) }),
  z.object({ encoding: z.literal('file'), sha256: sha256Hex, path: z.string().min(1) }),
]);

export const PolicyPredictor = z.object({
  kind: z.string().min(1),
  version: z.number().int().positive(),
  spec: z.record(z.string(), z.unknown()).describe('head weights and shapes as the predictor serialises them'),
  onnx: OnnxHead.optional().describe('the same head as an ONNX graph (MatMul/Add/activation), embedded or alongside'),
});

export const PolicyCalibration = z.object({
  temperatures: perModel.describe('per-model temperature T[k]: q = sigmoid(z / T)'),
  buckets: z
    .object({
      mode: z.enum(['interpolate', 'step']).describe('step: the bucket rate; interpolate: q + (rate - centre) interpolated between bucket centres, clamped to [1e-4, 1 - 1e-4]'),
      perModel: z.array(z.object({ centers: z.array(finite).min(1), upper: z.array(finite).min(1), rates: z.array(z.number().min(0).max(1)).min(1) })),
    })
    .nullable()
    .describe('per-model histogram buckets on temperature-scaled probabilities, or null'),
});

export const CostModel = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('per-task'),
    unit: z.literal('USD'),
    default: perModel.describe('estimated USD per query when the task is unknown'),
    byTask: z.record(z.string(), perModel).describe('estimated USD per query, per task'),
  }),
  z.object({
    kind: z.literal('tokens'),
    charsPerToken: z.number().positive().describe('input tokens = ceil(chars / charsPerToken) unless the query gives input_tokens'),
    outputTokens: z.object({ default: perModel, byTask: z.record(z.string(), perModel) }),
  }),
]);
export type CostModel = z.infer<typeof CostModel>;

export const StrategyName = z.enum(['online', 'threshold', 'ndch', 'batch']);
export type StrategyName = z.infer<typeof StrategyName>;

export const PolicyStrategy = z.object({
  default: StrategyName.describe('what `routeplan route` applies without options'),
  online: z.object({ lambda: nonNeg, mu: perModel }).describe('dual prices: pick argmax_k p - lambda c - mu[k]'),
  threshold: z.object({ tau: z.number().min(0).max(1) }).optional(),
  ndch: z
    .object({
      cheap: z.string(),
      dear: z.string(),
      fractionCheap: z.number().min(0).max(1),
      byGain: z.boolean().describe('NDCH(P): send to the dear vertex the queries with the largest predicted gain'),
      seed: z.number().int(),
    })
    .optional(),
  batch: z
    .object({
      batchSize: z.number().int().positive(),
      budget: z.union([
        z.object({ kind: z.literal('per-query'), usd: nonNeg }).describe('batch budget = usd x batch length'),
        z.object({ kind: z.literal('fraction-of-model'), model: z.string(), fraction: nonNeg }).describe('batch budget = fraction x estimated cost of sending the batch to model (the planner\'s budget fraction)'),
      ]),
    })
    .describe('batch solve under the budget and the per-batch capacities of models[]'),
});
export type PolicyStrategy = z.infer<typeof PolicyStrategy>;

export const PolicyProvenance = z.object({
  dataset: z.string(),
  seed: z.number().int(),
  createdAt: z.string().describe('ISO 8601'),
  budgetFraction: z.number().positive().nullable(),
  metrics: z.record(z.string(), finite),
  tasks: z.array(z.string()).describe('tasks seen in training, for per-domain gateway rules'),
  taskScores: z.record(z.string(), perModel).describe('mean calibrated probability per task and model on the representative traffic'),
});

export const Policy = z.object({
  format: z.literal(POLICY_FORMAT),
  version: z.literal(POLICY_VERSION),
  name: z.string().min(1),
  models: z.array(PolicyModel).min(1),
  featurizer: PolicyFeaturizer,
  predictor: PolicyPredictor,
  calibration: PolicyCalibration,
  costModel: CostModel,
  strategy: PolicyStrategy,
  provenance: PolicyProvenance,
  contentHash: sha256Hex.describe('sha256 of the canonical JSON of the policy without this field'),
});
export type Policy = z.infer<typeof Policy>;
export type UnsignedPolicy = Omit<Policy, 'contentHash'>;

/** Cross-field rules a JSON Schema cannot say: every per-model array has one entry per model. */
export function policyShapeProblems(p: UnsignedPolicy): string[] {
  const k = p.models.length;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const m of p.models) {
    if (ids.has(m.id)) problems.push(`models: duplicate id "${m.id}"`);
    ids.add(m.id);
  }
  const check = (path: string, a: unknown[] | undefined) => {
    if (a && a.length !== k) problems.push(`${path}: ${a.length} entries for ${k} models`);
  };
  check('calibration.temperatures', p.calibration.temperatures);
  check('calibration.buckets.perModel', p.calibration.buckets?.perModel);
  p.calibration.buckets?.perModel.forEach((b, j) => {
    if (b.centers.length !== b.rates.length || b.upper.length !== b.rates.length) problems.push(`calibration.buckets.perModel.${j}: centers, upper and rates must have equal lengths`);
  });
  check('strategy.online.mu', p.strategy.online.mu);
  if (p.costModel.kind === 'per-task') {
    check('costModel.default', p.costModel.default);
    for (const [t, c] of Object.entries(p.costModel.byTask)) check(`costModel.byTask.${t}`, c);
  } else {
    check('costModel.outputTokens.default', p.costModel.outputTokens.default);
    for (const [t, c] of Object.entries(p.costModel.outputTokens.byTask)) check(`costModel.outputTokens.byTask.${t}`, c);
  }
  for (const [t, s] of Object.entries(p.provenance.taskScores)) check(`provenance.taskScores.${t}`, s);
  if (p.strategy.batch.budget.kind === 'fraction-of-model' && !ids.has(p.strategy.batch.budget.model)) problems.push(`strategy.batch.budget: unknown model "${p.strategy.batch.budget.model}"`);
  if (p.strategy.ndch) {
    for (const v of [p.strategy.ndch.cheap, p.strategy.ndch.dear]) if (!ids.has(v)) problems.push(`strategy.ndch: unknown model "${v}"`);
  }
  return problems;
}
