import type { UnsignedPolicy } from '../../../../src/main/engine/policy/format';
import { sealPolicy } from '../../../../src/main/engine/policy/verify';

/** A small, fully deterministic policy for format, refusal and golden-file tests. */
export function samplePolicy(overrides: Partial<UnsignedPolicy> = {}) {
  // A literal featuriser spec, so that golden files depend on the renderers only.
  const featurizerSpec = { kind: 'builtin-hash-tfidf', version: 1, seed: 7, dim: 8, maxTokens: 16, charNgrams: [3], lowercase: true, tokenPattern: '[\\p{L}\\p{N}]+', sublinearTf: true, norm: 'l2', documents: 3, idf: { encoding: 'f32-le-base64', data: Buffer.from(new Float32Array(8).fill(1).buffer).toString('base64') } };
  const unsigned: UnsignedPolicy = {
    format: 'routeplan.policy',
    version: 1,
    name: 'sample',
    models: [
      { id: 'gpt-4-1106-preview', priceInPerM: 10, priceOutPerM: 30, capacityPerBatch: null, trafficShare: 0.25, gatewayModel: 'openai/gpt-4-1106-preview' },
      { id: 'mistralai/mixtral-8x7b-chat', priceInPerM: 0.6, priceOutPerM: 0.6, capacityPerBatch: 40, trafficShare: 0.6, gpuType: 'A100-80G', instances: 5 },
      { id: 'claude-instant-v1', priceInPerM: 0.8, priceOutPerM: 2.4, capacityPerBatch: null, trafficShare: 0.15 },
    ],
    featurizer: { kind: 'builtin-hash-tfidf', version: 1, spec: featurizerSpec },
    // A head of the right shape with fixed weights; format and gateway tests never run it.
    predictor: { kind: 'routeplan-predictor', version: 1, aggregate: 'mean', lowerQuantile: 0.1, heads: [{ kind: 'mlp-head', version: 1, dim: 8, models: 3 }] },
    calibration: {
      members: [
        {
          kind: 'temperature-buckets',
          version: 1,
          temperatures: [1, 1.2, 0.9],
          settings: { buckets: 2, smoothing: 20, mode: 'interpolate' },
          buckets: [0, 1, 2].map(() => ({ centers: [0.3, 0.7], upper: [0.5, 1], rates: [0.35, 0.72] })),
        },
      ],
    },
    costModel: { kind: 'per-task', unit: 'USD', default: [0.004, 0.0003, 0.0006], byTask: { arc: [0.005, 0.0004, 0.0007], mbpp: [0.003, 0.0002, 0.0005] } },
    strategy: {
      default: 'online',
      online: { lambda: 120, mu: [0, 0.01, 0] },
      threshold: { tau: 0.7 },
      ndch: { accuracy: [0.87, 0.68, 0.74], meanCost: [0.004, 0.0003, 0.0006], byGain: true, seed: 3 },
      batch: { batchSize: 100, budget: { kind: 'fraction-of-model', model: 'gpt-4-1106-preview', fraction: 0.3 } },
    },
    provenance: {
      dataset: 'routerbench-sample',
      seed: 7,
      createdAt: '2026-11-24T00:00:00.000Z',
      budgetFraction: 0.3,
      metrics: { accuracy: 0.81, costFraction: 0.29 },
      tasks: ['arc', 'mbpp'],
      taskScores: { arc: [0.93, 0.71, 0.8], mbpp: [0.72, 0.5, 0.55] },
      taskExamples: { arc: ['Which gas do plants take in for photosynthesis?', 'What force pulls objects toward Earth?'], mbpp: ['Write a Python function to reverse a list.', 'Write a function that returns the n-th Fibonacci number.'] },
    },
    ...overrides,
  };
  return sealPolicy(unsigned);
}

/**
 * A k-model policy of the right shape (every per-model array of length k): a quarter OpenAI-named,
 * a quarter Claude-named, the rest self-hosted (a GPU type, as the catalog gives), for the
 * gateway checks at sizes past Envoy's 15-rule and 16-target limits.
 */
export function syntheticPolicy(k: number) {
  const ids = Array.from({ length: k }, (_, j) => (j < k / 4 ? `gpt-synth-${j}` : j < k / 2 ? `claude-synth-${j}` : `org${j % 3}/open-model-${j}`));
  const row = (f: (j: number) => number) => ids.map((_, j) => f(j));
  const base = samplePolicy();
  const share = 1 / k;
  return samplePolicy({
    name: `synthetic-${k}`,
    models: ids.map((id, j) => ({ id, priceInPerM: 0.1 + j / 10, priceOutPerM: 0.2 + j / 5, capacityPerBatch: j >= k / 2 ? 20 : null, trafficShare: share, ...(j >= k / 2 ? { gpuType: 'H100-80GB', instances: 2 } : {}), priceSource: 'catalog' as const })),
    predictor: { ...base.predictor, heads: [{ kind: 'mlp-head', version: 1, dim: 8, models: k }] },
    calibration: { members: [{ ...base.calibration.members[0], temperatures: row(() => 1), buckets: [] }] },
    costModel: { kind: 'per-task', unit: 'USD', default: row((j) => 1e-4 * (1 + j)), byTask: { arc: row((j) => 1e-4 * (1 + j)), mbpp: row((j) => 2e-4 * (1 + j)) } },
    strategy: { ...base.strategy, online: { lambda: 50, mu: row(() => 0) }, ndch: { accuracy: row((j) => 0.3 + (0.6 * j) / k), meanCost: row((j) => 1e-4 * (1 + j)), byGain: true, seed: 3 }, batch: { batchSize: 100, budget: { kind: 'fraction-of-model', model: ids[k - 1], fraction: 0.3 } } },
    provenance: { ...base.provenance, taskScores: { arc: row((j) => 0.3 + (0.6 * j) / k), mbpp: row((j) => 0.9 - (0.6 * j) / k) } },
  });
}
