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
  priceSource: z
    .enum(['catalog', 'dataset-tokens', 'none'])
    .optional()
    .describe('where the prices come from: the model catalog, the dataset\'s realised cost per token (one blended rate for input and output), or none (0 = unknown; gateway configs then need prices from the deployment mapping)'),
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
  kind: z.literal('routeplan-predictor'),
  version: z.literal(1),
  aggregate: z.literal('mean').describe('p = mean over members of their calibrated probabilities'),
  lowerQuantile: z.number().min(0).max(1).describe('the robust strategies\' pessimistic quantile over members'),
  heads: z.array(z.record(z.string(), z.unknown())).min(1).describe('each member\'s head as the predictor serialises it ({kind: "mlp-head", version, settings, dim, models, w1Rows, w1Values, b1, w2, b2}: base64 little-endian typed arrays)'),
  onnx: OnnxHead.optional().describe('the standalone ONNX scorer (policy/onnx-scorer.ts): built-in features [n, D] and task_index [n] -> probabilities [n, K], exactly the decision probabilities of routeplan route (every member, calibration, prior blend); metadata_props carry the model order, the task list and the hash of this policy without this field; embedded or alongside'),
  fingerprint: z
    .object({ probes: z.number().int().positive(), p: z.string().min(1) })
    .optional()
    .describe('calibrated probabilities of the format\'s probe texts (policy/probes.ts) at export, base64 little-endian float32, probes x models; a router refuses the policy unless it reproduces them exactly'),
});

const ModelBuckets = z.object({ centers: z.array(finite).min(1), upper: z.array(finite).min(1), rates: z.array(z.number().min(0).max(1)).min(1) });

/** One member's calibration, exactly the predictor's CalibrationState. */
export const MemberCalibration = z.object({
  kind: z.literal('temperature-buckets'),
  version: z.literal(1),
  temperatures: perModel.describe('per-model temperature T[k]: q = sigmoid(z / T)'),
  settings: z.object({
    buckets: z.number().int().nonnegative(),
    smoothing: z.number().min(0),
    mode: z.enum(['interpolate', 'step']).describe('step: the bucket rate; interpolate: q + (rate - centre) interpolated between bucket centres, clamped to [1e-4, 1 - 1e-4]'),
  }),
  buckets: z.array(ModelBuckets).describe('per-model equal-mass buckets on temperature-scaled probabilities (empty = none)'),
});

export const PolicyCalibration = z.object({
  members: z.array(MemberCalibration).min(1).describe('one per predictor head, same order (without `ensemble`: p = mean over members of their calibrated probabilities)'),
  ensemble: MemberCalibration.optional().describe('an ensemble calibrated once on its mean: p = this map applied to logit(mean over heads of sigmoid(z)), the logit clamped to [1e-6, 1 - 1e-6] (the members\' own calibrations are then not used for p)'),
});

export const CostModel = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('per-task'),
    unit: z.literal('USD'),
    default: perModel.describe('estimated USD per query when the task is unknown'),
    byTask: z.record(z.string(), perModel).describe('estimated USD per query, per task'),
    variance: z
      .object({
        default: z.array(nonNeg).min(1),
        byTask: z.record(z.string(), z.array(nonNeg).min(1)),
        sdScale: z.number().min(1).describe('the batch spread is this many times √(Σ variance): fitted on held-out training batches (random and of similar queries), where costs move together; z = normal quantile × sdScale'),
      })
      .optional()
      .describe('variance of the realised USD cost per query around those means (training data): what a batch budget held with a probability (strategy.batch.budgetConfidence, route --budget-confidence) reserves for'),
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
      accuracy: perModel.describe('per-model training accuracy: the y of the cost-accuracy hull'),
      meanCost: perModel.describe('per-model mean estimated cost per query: the x of the hull'),
      byGain: z.boolean().describe('NDCH(P): the queries with the largest predicted gain go to the dearer vertex; else a seeded random choice'),
      seed: z.number().int(),
    })
    .optional()
    .describe('per batch: the two hull vertices around the batch budget per query, mixed in proportion'),
  batch: z
    .object({
      batchSize: z.number().int().positive(),
      budgetConfidence: z.number().gt(0).lt(1).optional().describe('the batch strategy holds each batch budget with this probability on realised cost: mean + z·sd of the batch within budget (needs costModel.variance)'),
      budget: z.union([
        z.object({ kind: z.literal('per-query'), usd: nonNeg }).describe('batch budget = usd x batch length'),
        z.object({ kind: z.literal('fraction-of-model'), model: z.string(), fraction: nonNeg }).describe('batch budget = fraction x estimated cost of sending the batch to model (the planner\'s budget fraction)'),
      ]),
    })
    .describe('batch solve under the budget and the per-batch capacities of models[]'),
});
export type PolicyStrategy = z.infer<typeof PolicyStrategy>;

const priorRow = z.array(finite.nullable()).min(1);

/** The planner's decision-time blend (evaluation/costs.ts, shrinkToTaskPrior). Absent = p alone. */
export const DecisionPrior = z
  .object({
    weight: z.number().min(0).max(1).describe('w: every strategy decides on w·p + (1 - w)·prior[task][k] (float64), p the calibrated probability'),
    default: priorRow.describe('per-model training accuracy: the prior of a query whose task is not in byTask (null = no prior, p alone)'),
    byTask: z.record(z.string(), priorRow).describe('per-model training accuracy per task; a query without a task uses the "" row when present'),
  })
  .describe('the prior the predictor\'s probabilities are shrunk toward before every strategy (the planner\'s predictorWeight)');
export type DecisionPrior = z.infer<typeof DecisionPrior>;

/** policy/task-classifier.ts: the task of a prompt without a label, from the policy's own features. */
export const TaskClassifierSection = z
  .object({
    kind: z.literal('nearest-centroid'),
    version: z.literal(1),
    dim: z.number().int().positive().describe('the featuriser\'s dimension'),
    minSimilarity: z.number().min(0).max(1).describe('below this cosine a prompt gets no task (the default rows)'),
    centroids: z
      .array(z.object({ task: z.string().min(1), index: z.string().describe('feature indices, int32 little-endian, base64'), weight: z.string().describe('unit-norm weights, float32 little-endian, base64') }))
      .min(2),
  })
  .describe('infers the task of a query sent without one: the decision prior and cost rows of the task whose centroid is nearest (cosine)');
export type TaskClassifierSection = z.infer<typeof TaskClassifierSection>;

const share = z.number().min(0).max(1);

/** policy/signal-thresholds.ts: the gateway task signals' thresholds, chosen and measured on held-out training prompts. */
export const TaskSignals = z
  .object({
    encoder: z.string().min(1).describe('the sentence encoder the similarities were measured with (routeplan\'s, not the router\'s own embedding model)'),
    seed: z.number().int().describe('seed of the held-out sample'),
    falseFireCap: share.describe('a threshold may fire on at most this share of the other tasks\' tuning prompts'),
    tasks: z.record(
      z.string(),
      z.object({
        threshold: z.number().gt(0).lt(1).describe('the signal\'s chosen threshold (max cosine to its candidates)'),
        tuning: z.number().int().min(0).describe('held-out prompts the threshold was chosen on'),
        heldOut: z.number().int().min(0).describe('further held-out prompts (disjoint from the candidates and the tuning ones) the shares are measured on'),
        ownOnly: share.describe('share of them on which only the task\'s own signal fires'),
        ownWins: share.describe('share on which the own signal fires and is the most similar of those that fire'),
        none: share.describe('share on which no signal fires'),
        ownSimilarity: z.array(finite).describe('per measured prompt: max cosine to the own candidates (4 decimals)'),
        otherSimilarity: z.array(finite).describe('per measured prompt: the highest max cosine to another task\'s candidates (4 decimals)'),
      }),
    ),
  })
  .describe('per task signal thresholds for similarity-based gateways, with their measured shares');
export type TaskSignals = z.infer<typeof TaskSignals>;

export const PolicyProvenance = z.object({
  dataset: z.string(),
  seed: z.number().int(),
  createdAt: z.string().describe('ISO 8601'),
  budgetFraction: z.number().positive().nullable(),
  metrics: z.record(z.string(), finite),
  tasks: z.array(z.string()).describe('tasks seen in training, for per-domain gateway rules'),
  taskScores: z.record(z.string(), perModel).describe('mean decision probability (calibrated p blended with decisionPrior) per task and model on the representative traffic'),
  taskExamples: z
    .record(z.string(), z.array(z.string().min(1)).min(1))
    .optional()
    .describe('a few training prompts per task (at most 8, each cut to 400 characters): the candidates of the embedding signals a gateway recognises the task by'),
  taskSignals: TaskSignals.optional(),
});

export const PolicySignature = z
  .object({
    alg: z.literal('ed25519'),
    keyId: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex digits').describe('first 32 hex digits of the sha256 of the signer\'s public key (SPKI DER)'),
    value: z.string().min(1).describe('base64 Ed25519 signature of the UTF-8 text "routeplan.policy.v1\\n" + contentHash'),
  })
  .describe('who vouches for the policy: routers refuse a policy whose signer is not among their trusted keys');
export type PolicySignature = z.infer<typeof PolicySignature>;

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
  decisionPrior: DecisionPrior.optional(),
  taskClassifier: TaskClassifierSection.optional(),
  provenance: PolicyProvenance,
  contentHash: sha256Hex.describe('sha256 of the canonical JSON of the policy without this field and without signature (an integrity check, not proof of origin)'),
  signature: PolicySignature.optional(),
});
export type Policy = z.infer<typeof Policy>;
export type UnsignedPolicy = Omit<Policy, 'contentHash' | 'signature'>;

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
  if (p.calibration.members.length !== p.predictor.heads.length) problems.push(`calibration.members: ${p.calibration.members.length} calibrations for ${p.predictor.heads.length} heads`);
  const calibrations: [string, z.infer<typeof MemberCalibration>][] = p.calibration.members.map((c, b) => [`calibration.members.${b}`, c]);
  if (p.calibration.ensemble) calibrations.push(['calibration.ensemble', p.calibration.ensemble]);
  for (const [path, c] of calibrations) {
    check(`${path}.temperatures`, c.temperatures);
    if (c.buckets.length) check(`${path}.buckets`, c.buckets);
    c.buckets.forEach((m, j) => {
      if (m.centers.length !== m.rates.length || m.upper.length !== m.rates.length) problems.push(`${path}.buckets.${j}: centers, upper and rates must have equal lengths`);
    });
  }
  p.predictor.heads.forEach((h, b) => {
    if (h.models !== undefined && h.models !== k) problems.push(`predictor.heads.${b}: ${String(h.models)} outputs for ${k} models`);
  });
  check('strategy.online.mu', p.strategy.online.mu);
  if (p.costModel.kind === 'per-task') {
    check('costModel.default', p.costModel.default);
    for (const [t, c] of Object.entries(p.costModel.byTask)) check(`costModel.byTask.${t}`, c);
    if (p.costModel.variance) {
      check('costModel.variance.default', p.costModel.variance.default);
      for (const [t, c] of Object.entries(p.costModel.variance.byTask)) check(`costModel.variance.byTask.${t}`, c);
    }
  } else {
    check('costModel.outputTokens.default', p.costModel.outputTokens.default);
    for (const [t, c] of Object.entries(p.costModel.outputTokens.byTask)) check(`costModel.outputTokens.byTask.${t}`, c);
  }
  for (const [t, s] of Object.entries(p.provenance.taskScores)) check(`provenance.taskScores.${t}`, s);
  if (p.strategy.batch.budgetConfidence != null && (p.costModel.kind !== 'per-task' || !p.costModel.variance)) problems.push('strategy.batch.budgetConfidence: needs costModel.variance (a per-task cost model with variances)');
  if (p.strategy.batch.budget.kind === 'fraction-of-model' && !ids.has(p.strategy.batch.budget.model)) problems.push(`strategy.batch.budget: unknown model "${p.strategy.batch.budget.model}"`);
  if (p.decisionPrior) {
    check('decisionPrior.default', p.decisionPrior.default);
    for (const [t, a] of Object.entries(p.decisionPrior.byTask)) check(`decisionPrior.byTask.${t}`, a);
  }
  check('strategy.ndch.accuracy', p.strategy.ndch?.accuracy);
  check('strategy.ndch.meanCost', p.strategy.ndch?.meanCost);
  return problems;
}
