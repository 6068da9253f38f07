import { EngineError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { beginDataset, findDatasetByHash, freeDatasetName, setMeta } from '../store/datasets';
import { modelIds, writeCatalog, writeInventory } from '../store/catalog';
import { findDemandByName } from '../store/demand';
import type { JobContext } from '../jobs/context';
import { createRng, permutation } from '../predictor/rng';
import { demoCatalog, demoInventory, demoModels, demoTasks, type DemoTask } from './demo-models';
import { demoPrompt, taskOutputTokens } from './demo-text';
import { demoDemand } from './demo-demand';
import { createProfile } from '../demand/profile';

/** The demo dataset in memory: N queries x K models, row-major. */
export interface DemoData {
  texts: string[];
  tasks: DemoTask[];
  inputTokens: Int32Array; // N
  scores: Uint8Array; // N*K, 0/1
  outputTokens: Int32Array; // N*K
  costs: Float64Array; // N*K, USD
}

// Task difficulty offsets (harder tasks have higher mean difficulty) and the spread within a task.
const taskMean: Record<DemoTask, number> = { QA: 0, RC: -0.3, CI: 0.2, DRS: 0.1, DS: 0.4 };
const spread = 1.3;
const taskSkillSd = 0.45; // how much a model's skill varies from task to task

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * An item-response model: P(model m answers query i) = sigmoid(a_m + s_{m,task} - b_i), with a
 * latent difficulty b_i per query (around its task's mean) and a skill s per model and task.
 * Each intercept a_m is found by bisection so that the expected success rate equals the published
 * one; the outcomes are drawn from fixed uniforms, and if sampling noise puts a model's realised
 * rate more than 0.005 off, its intercept moves to the nearest value whose realised rate hits it.
 */
export function generateDemo(seed: number, n: number, check: () => void = () => {}, progress: (fraction: number) => void = () => {}): DemoData {
  const rng = createRng(seed);
  const k = demoModels.length;
  const order = permutation(n, rng);
  const tasks = Array.from({ length: n }, (_, i) => demoTasks[order[i] % demoTasks.length]);
  const z = Float64Array.from({ length: n }, () => rng.normal());
  const difficulty = Float64Array.from(z, (zi, i) => taskMean[tasks[i]] + spread * zi);
  const texts: string[] = new Array(n);
  const inputTokens = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = demoPrompt(tasks[i], z[i], rng);
    texts[i] = p.text;
    inputTokens[i] = p.inputTokens;
  }
  const scores = new Uint8Array(n * k);
  const outputTokens = new Int32Array(n * k);
  const costs = new Float64Array(n * k);
  const offset = new Float64Array(n); // s_{m,task(i)} - b_i for the current model
  const threshold = new Float64Array(n); // correct iff a_m > threshold_i (logit of the uniform draw)
  for (let j = 0; j < k; j++) {
    check();
    progress(j / k);
    const model = demoModels[j];
    const skill = Object.fromEntries(demoTasks.map((t) => [t, taskSkillSd * rng.normal()])) as Record<DemoTask, number>;
    const verbosity = Math.exp(0.25 * rng.normal());
    for (let i = 0; i < n; i++) {
      offset[i] = skill[tasks[i]] - difficulty[i];
      const u = Math.min(1 - 1e-12, Math.max(1e-12, rng.next()));
      threshold[i] = Math.log(u / (1 - u)) - offset[i];
    }
    let lo = -30;
    let hi = 30;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      let expected = 0;
      for (let i = 0; i < n; i++) expected += sigmoid(mid + offset[i]);
      if (expected / n < model.successRate) lo = mid;
      else hi = mid;
    }
    let a = (lo + hi) / 2;
    const realised = countBelow(threshold, a) / n;
    if (Math.abs(realised - model.successRate) > 0.005) {
      const sorted = Float64Array.from(threshold).sort();
      const want = Math.round(model.successRate * n); // exactly `want` thresholds below a
      a = want === 0 ? sorted[0] - 1 : want === n ? sorted[n - 1] + 1 : (sorted[want - 1] + sorted[want]) / 2;
    }
    const price = model.costPer1M / 1e6;
    for (let i = 0; i < n; i++) {
      const at = i * k + j;
      scores[at] = a > threshold[i] ? 1 : 0;
      outputTokens[at] = 1 + Math.round(taskOutputTokens(tasks[i]) * verbosity * Math.exp(0.3 * rng.normal()));
      costs[at] = (inputTokens[i] + outputTokens[at]) * price;
    }
  }
  return { texts, tasks, inputTokens, scores, outputTokens, costs };
}

function countBelow(xs: Float64Array, a: number): number {
  let c = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] < a) c++;
  return c;
}

/** Writes the demo dataset, its catalog and inventory in one transaction and marks the workspace. */
export function createDemo(db: Db, opts: { seed: number; queries: number; now: Date }, ctx: JobContext): { datasetId: number; queries: number; models: number; ms: number } {
  const t0 = performance.now();
  const identity = `demo-v1:seed=${opts.seed}:queries=${opts.queries}`;
  const existing = findDatasetByHash(db, identity);
  if (existing) throw new EngineError('CONFLICT', `this workspace already holds the demo dataset "${existing.name}" (id ${existing.id}) for seed ${opts.seed}`, { datasetId: existing.id });
  ctx.progress({ stage: 'generate', fraction: 0 });
  const d = generateDemo(opts.seed, opts.queries, ctx.check, (f) => ctx.progress({ stage: 'generate', fraction: 0.6 * f }));
  ctx.progress({ stage: 'write', fraction: 0.6 });
  const k = demoModels.length;
  const datasetId = db.transaction(() => {
    const w = beginDataset(db, { name: freeDatasetName(db, 'demo'), source: `generated: ${identity}`, format: 'demo', contentHash: identity, createdAt: opts.now });
    const cols = demoModels.map((m) => w.model(m.name));
    for (let i = 0; i < d.texts.length; i++) {
      const q = w.addQuery({ extId: `demo-${i + 1}`, text: d.texts[i], task: d.tasks[i], inputTokens: d.inputTokens[i] });
      for (let j = 0; j < k; j++) w.addLabel(q, cols[j], d.scores[i * k + j], d.inputTokens[i], d.outputTokens[i * k + j], d.costs[i * k + j]);
    }
    const catalog = demoCatalog();
    writeCatalog(db, catalog.rows, catalog.deployments, modelIds(db));
    writeInventory(db, demoInventory);
    if (!findDemandByName(db, demoDemand.name!)) createProfile(db, demoDemand, opts.now);
    setMeta(db, 'demo', '1');
    return w.datasetId;
  })();
  ctx.progress({ stage: 'write', fraction: 1 });
  return { datasetId, queries: d.texts.length, models: k, ms: Math.round(performance.now() - t0) };
}
