// Allocation instances for tests and the bench: seeded synthetic ones, and RouterBench with the
// paper's GPU constants for its open models (70B/34B class 4 GPUs x 4 slots, Mixtral 2 x 8,
// 7-13B 1 x 16; GPT/Claude are API models).
import type { ExtendedForm, PaperForm } from '../../../../src/shared/contract/allocation';
import { PaperForm as PaperSchema, ExtendedForm as ExtendedSchema } from '../../../../src/shared/contract/allocation';
import type { LabelMatrix } from '../../../../src/main/engine/data/matrix';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 4294967296);
}

/** Quality with a per-model skill and per-query difficulty, so that models are not exchangeable. */
export function syntheticQuality(n: number, k: number, r: () => number): number[][] {
  const skill = Array.from({ length: k }, (_, j) => 0.35 + (0.5 * j) / Math.max(1, k - 1));
  return Array.from({ length: n }, () => {
    const diff = r() - 0.5;
    return skill.map((s) => Math.min(1, Math.max(0, s - 0.4 * diff + 0.3 * (r() - 0.5))));
  });
}

/** Paper form: the first `api` models are API models (dear, best), the rest self-hosted. */
export function syntheticPaper(n: number, k: number, seed: number, o: { api?: number; gpuBudget?: number; budgetPerQuery?: number; batchSize?: number } = {}): PaperForm {
  const r = lcg(seed);
  const api = o.api ?? 2;
  const quality = syntheticQuality(n, k, r).map((row) => [...row.slice(k - api), ...row.slice(0, k - api)]);
  const gpus = [1, 2, 4, 8];
  const slots = [16, 8, 4, 2];
  const cost = Array.from({ length: k }, (_, j) => (j < api ? 1e-5 * (j + 1) : 2e-7 * gpus[j % 4]));
  return PaperSchema.parse({
    quality,
    cost,
    gpusPerInstance: Array.from({ length: k }, (_, j) => (j < api ? null : gpus[j % 4])),
    slotsPerInstance: Array.from({ length: k }, (_, j) => (j < api ? null : slots[j % 4])),
    budget: n * (o.budgetPerQuery ?? 3e-6),
    gpuBudget: o.gpuBudget ?? 16,
    batchSize: o.batchSize ?? 50,
  });
}

const routerbenchGpus: Record<string, [number, number]> = {
  'meta/llama-2-70b-chat': [4, 4],
  'zero-one-ai/Yi-34B-Chat': [4, 4],
  'meta/code-llama-instruct-34b-chat': [4, 4],
  'mistralai/mixtral-8x7b-chat': [2, 8],
  'mistralai/mistral-7b-chat': [1, 16],
  'WizardLM/WizardLM-13B-V1.2': [1, 16],
};

/** RouterBench rows as the paper's form: observed scores as quality, realised costs as cost. */
export function routerbenchPaper(m: LabelMatrix, rows: number, gpuBudget: number, budgetFraction: number, batchSize = 100, qualityFrom: 'labels' | 'task-mean' = 'labels'): PaperForm {
  const k = m.models.length;
  const n = Math.min(rows, m.texts.length);
  // 'task-mean': each model's accuracy on the query's task, an estimate without hindsight.
  const taskMean = new Map<string | null, number[]>();
  for (const t of new Set(m.tasks)) {
    const acc = new Array(k).fill(0);
    const cnt = new Array(k).fill(0);
    for (let i = 0; i < m.texts.length; i++) if (m.tasks[i] === t) for (let j = 0; j < k; j++) if (!Number.isNaN(m.scores[i * k + j])) (acc[j] += m.scores[i * k + j]), cnt[j]++;
    taskMean.set(t, acc.map((a, j) => (cnt[j] ? a / cnt[j] : 0)));
  }
  const quality: number[][] = [];
  const cost: number[][] = [];
  const best = m.models.indexOf('gpt-4-1106-preview');
  let bestCost = 0;
  for (let i = 0; i < n; i++) {
    quality.push(qualityFrom === 'task-mean' ? taskMean.get(m.tasks[i])! : Array.from({ length: k }, (_, j) => (Number.isNaN(m.scores[i * k + j]) ? 0 : m.scores[i * k + j])));
    cost.push(Array.from({ length: k }, (_, j) => (Number.isNaN(m.costs[i * k + j]) ? 0 : m.costs[i * k + j])));
    bestCost += cost[i][best];
  }
  return PaperSchema.parse({
    models: m.models,
    quality,
    cost,
    gpusPerInstance: m.models.map((x) => routerbenchGpus[x]?.[0] ?? null),
    slotsPerInstance: m.models.map((x) => routerbenchGpus[x]?.[1] ?? null),
    budget: budgetFraction * bestCost,
    gpuBudget,
    batchSize,
  });
}

/** Extended form: K models (the first `api` via API), T GPU types with inventories. */
/**
 * `lengths`: per-query lengths in 4 prompt x 2 output buckets (prompts of 100-3,000 tokens, each
 * model's output at half or 1.5x its mean), drawn with a separate seeded stream so the quality
 * matrix is the same with and without them; typed profiles then give per-bucket capacities.
 */
export function syntheticExtended(n: number, k: number, types: number, gpus: number, seed: number, o: { api?: number; trafficQps?: number; spendCap?: number | null; lengths?: boolean } = {}): ExtendedForm {
  const r = lcg(seed);
  const api = o.api ?? 3;
  const models = Array.from({ length: k }, (_, j) => `m${j}`);
  const quality = syntheticQuality(n, k, r).map((row) => [...row.slice(k - api), ...row.slice(0, k - api)]);
  const gpuTypes = Array.from({ length: types }, (_, t) => ({ name: `gpu${t}`, count: Math.round((gpus * (t + 1)) / ((types * (types + 1)) / 2)), hourlyPrice: 1 + t }));
  const deployments: ExtendedForm['deployments'] = [];
  for (let j = api; j < k; j++) {
    const size = [1, 2, 4, 8][j % 4];
    for (let t = 0; t < types; t++) {
      if ((j + t) % 3 === 2) continue; // not every model runs on every type
      deployments.push({ model: models[j], gpuType: `gpu${t}`, gpusPerInstance: size, slotsPerInstance: 32 / size, decodeTokensPerS: (40 + 20 * t) * (1 + r() * 0.2), prefillTokensPerS: 2000 + 500 * t });
    }
  }
  return ExtendedSchema.parse({
    form: 'extended',
    models,
    quality,
    outputTokens: models.map((_, j) => 150 + 20 * (j % 5)),
    inputTokens: 400,
    gpuTypes,
    deployments,
    apiModels: models.slice(0, api).map((m, j) => ({ model: m, priceInPerM: 2.5 * (j + 1), priceOutPerM: 10 * (j + 1), rateLimitQps: j === 0 ? 2 : null })),
    trafficQps: o.trafficQps ?? 20,
    hourlySpendCap: o.spendCap ?? null,
    maxUtilisation: 0.8,
    ...(o.lengths ? { lengthBuckets: syntheticLengths(n, models.map((_, j) => 150 + 20 * (j % 5)), seed) } : {}),
  });
}

export function syntheticLengths(n: number, outputTokens: number[], seed: number): NonNullable<ExtendedForm['lengthBuckets']> {
  const r = lcg(seed + 7919);
  const prompts = [100, 400, 1200, 3000];
  const tokens = outputTokens.map((o) => prompts.flatMap((p) => [{ inputTokens: p, outputTokens: o / 2 }, { inputTokens: p, outputTokens: (3 * o) / 2 }]));
  const bucketOf = Array.from({ length: n }, () => {
    const a = Math.floor(r() * 4);
    return outputTokens.map(() => 2 * a + (r() < 0.5 ? 0 : 1));
  });
  return { tokens, bucketOf };
}
