// Slow: a policy trained on RouterBench, its ONNX scorer run in onnxruntime over every test prompt against routeplan route, and the Python reference featuriser.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { BuiltinFeaturizer } from '../../../../src/main/engine/features/builtin';
import { densify, type FeatureMatrix } from '../../../../src/main/engine/features/types';
import type { Policy } from '../../../../src/main/engine/policy/format';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import { exportScorerOnnx, SCORER_META, scorerProblems } from '../../../../src/main/engine/policy/onnx-scorer';
import { PolicyRouter } from '../../../../src/main/engine/policy/router';
import { policyText, sealPolicy } from '../../../../src/main/engine/policy/verify';
import { repoRoot } from '../../../helpers/engine';
import { trainRouterbenchPlanner, type TrainedPlanner } from './trained';

const TOL = 1e-5;
let planner: TrainedPlanner;
let policy: Policy;
let x: FeatureMatrix;

/** routeplan route's decision probabilities (p blended with the task prior), n x K. */
const routeP = (p: Policy, texts: string[], tasks: (string | null)[]) => new PolicyRouter(p).route(texts.map((text, i) => ({ id: String(i), text, task: tasks[i], inputTokens: null, allowed: null })), {}).p;

/** The scorer run by onnxruntime, in batches, on dense features and the metadata's task order. */
async function runScorer(bytes: Uint8Array, features: FeatureMatrix, tasks: (string | null)[]): Promise<{ probabilities: Float32Array; calibrated: Float32Array; meta: Record<string, string> }> {
  const meta = Object.fromEntries(onnxProto.onnx.ModelProto.decode(bytes).metadataProps.map((e) => [e.key, e.value]));
  const order: string[] = JSON.parse(meta[SCORER_META.tasks]);
  const session = await ort.InferenceSession.create(bytes);
  const K = JSON.parse(meta[SCORER_META.models]).length;
  const probabilities = new Float32Array(features.rows * K);
  const calibrated = new Float32Array(features.rows * K);
  for (let s0 = 0; s0 < features.rows; s0 += 256) {
    const e = Math.min(features.rows, s0 + 256);
    const index = BigInt64Array.from(tasks.slice(s0, e), (t) => BigInt(order.includes(t ?? '') ? order.indexOf(t ?? '') : order.length));
    const out = await session.run({ features: new ort.Tensor('float32', densify(features, s0, e), [e - s0, features.dim]), task_index: new ort.Tensor('int64', index, [e - s0]) });
    probabilities.set(out.probabilities.data as Float32Array, s0 * K);
    calibrated.set(out.calibrated.data as Float32Array, s0 * K);
  }
  await session.release();
  return { probabilities, calibrated, meta };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const scorerOf = (p: Policy) => {
  const { contentHash, ...unsigned } = p;
  return exportScorerOnnx(unsigned, contentHash);
};

beforeAll(async () => {
  // Three bootstrap members, calibrated on their mean (the default), blended with the task prior.
  planner = await trainRouterbenchPlanner(5, 3);
  policy = await policyFromTraining({ name: 'onnx', dataset: 'routerbench-train', seed: 5, createdAt: '2026-12-07T00:00:00.000Z', train: planner.train, predictor: planner.predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online', predictorWeight: 0.5 });
  x = BuiltinFeaturizer.fromSpec(policy.featurizer.spec).transform(planner.test.texts);
});

describe('the standalone ONNX scorer', () => {
  it('equals routeplan route on every RouterBench test prompt (all members, calibration, prior blend) and names its models, tasks and policy', async () => {
    expect(policy.predictor.heads).toHaveLength(3);
    expect(policy.calibration.ensemble).toBeDefined();
    const bytes = scorerOf(policy);
    const { probabilities, calibrated, meta } = await runScorer(bytes, x, planner.test.tasks);
    const route = routeP(policy, planner.test.texts, planner.test.tasks);
    expect(maxDiff(probabilities, route)).toBeLessThan(TOL);
    // Before the blend: the predictor's calibrated p; the blend moves it (the graph does not skip it).
    const p = (await planner.predictor.predict(planner.test.texts)).p;
    expect(maxDiff(calibrated, p)).toBeLessThan(TOL);
    expect(maxDiff(calibrated, route)).toBeGreaterThan(0.01);
    expect(JSON.parse(meta[SCORER_META.models])).toEqual(policy.models.map((m) => m.id));
    expect(JSON.parse(meta[SCORER_META.tasks])).toEqual(['arc-challenge', 'mbpp', 'winogrande']);
    expect(meta[SCORER_META.policyHash]).toBe(policy.contentHash);
    // Attached to the policy, the scorer is recognised as its own; a policy of other models is not.
    const { contentHash: _h, ...unsigned } = policy;
    const withRef = sealPolicy({ ...unsigned, predictor: { ...unsigned.predictor, onnx: { encoding: 'file', sha256: '0'.repeat(64), path: 'scorer.onnx' } } });
    expect(scorerProblems(bytes, withRef)).toEqual([]);
    const reordered = sealPolicy({ ...unsigned, name: 'other' });
    expect(scorerProblems(bytes, reordered).join('\n')).toMatch(/routeplan.policy_sha256/);
  });

  it('task_index -1 (no task sent): the graph infers the task with the policy\'s classifier and equals routeplan route without a task', async () => {
    expect(policy.taskClassifier?.centroids.map((c) => c.task)).toEqual(['arc-challenge', 'mbpp', 'winogrande']);
    const rows = Array.from({ length: 240 }, (_, i) => i * 3);
    const texts = [...rows.map((i) => planner.test.texts[i]), ''];
    const sub = BuiltinFeaturizer.fromSpec(policy.featurizer.spec).transform(texts);
    const session = await ort.InferenceSession.create(scorerOf(policy));
    const out = await session.run({ features: new ort.Tensor('float32', densify(sub, 0, sub.rows), [sub.rows, sub.dim]), task_index: new ort.Tensor('int64', new BigInt64Array(sub.rows).fill(-1n), [sub.rows]) });
    await session.release();
    const routed = new PolicyRouter(policy).route(texts.map((text, i) => ({ id: String(i), text, task: null, inputTokens: null, allowed: null })), {});
    expect(maxDiff(out.probabilities.data as Float32Array, routed.p)).toBeLessThan(TOL);
    const order = ['arc-challenge', 'mbpp', 'winogrande'];
    const rowsUsed = Array.from(out.task_row.data as BigInt64Array, Number);
    expect(rowsUsed).toEqual(routed.tasks.map((t) => (t == null ? order.length : order.indexOf(t))));
    // The RouterBench prompts get their own task; an empty prompt resembles no task: the default row.
    expect(rowsUsed.slice(0, -1)).toEqual(rows.map((i) => order.indexOf(planner.test.tasks[i]!)));
    expect(rowsUsed.at(-1)).toBe(order.length);
  });

  it('covers every calibration form: per-member maps, step buckets, mixed members, ensemble buckets, no prior, null priors', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => i * 3);
    const texts = rows.map((i) => planner.test.texts[i]);
    const tasks = rows.map((i) => planner.test.tasks[i]);
    const sub = BuiltinFeaturizer.fromSpec(policy.featurizer.spec).transform(texts);
    const variants: [string, (u: any) => void][] = [
      ['members', (u) => delete u.calibration.ensemble],
      ['members, step', (u) => (delete u.calibration.ensemble, u.calibration.members.forEach((m: any) => (m.settings.mode = 'step')))],
      ['members, mixed', (u) => (delete u.calibration.ensemble, (u.calibration.members[0].settings.mode = 'step'), (u.calibration.members[1].buckets = []))],
      ['ensemble buckets', (u) => (u.calibration.ensemble.buckets = u.calibration.members[0].buckets)],
      ['ensemble buckets, step', (u) => ((u.calibration.ensemble.buckets = u.calibration.members[0].buckets), (u.calibration.ensemble.settings.mode = 'step'))],
      ['no prior', (u) => delete u.decisionPrior],
      ['null priors', (u) => ((u.decisionPrior.default[0] = null), (u.decisionPrior.byTask.mbpp[2] = null))],
    ];
    const base = routeP(policy, texts, tasks);
    for (const [name, mutate] of variants) {
      const { contentHash: _h, ...u } = JSON.parse(policyText(policy));
      delete u.predictor.fingerprint;
      mutate(u);
      const variant = sealPolicy(u);
      const route = routeP(variant, texts, tasks);
      expect(maxDiff(route, base), `${name} changes the probabilities`).toBeGreaterThan(name === 'null priors' ? 0 : 1e-3);
      expect(maxDiff((await runScorer(scorerOf(variant), sub, tasks)).probabilities, route), name).toBeLessThan(TOL);
    }
  });

  // The featuriser's second implementation: Python, standard library only (reference/python).
  const python = '/usr/bin/python3';
  const hasPython = existsSync(python);
  it.skipIf(!hasPython && !process.env.CI)('the Python reference featuriser gives the TypeScript features, and the scorer on them gives route\'s probabilities', async () => {
    const extra = ['Ünïcödé ΣΊΣΥΦΟΣ h2o 3.14 İstanbul ǅemal ①② x²', 'emoji 😀 and 中文字符 mixed, tabs\tand\nnewlines', ''];
    const texts = [...planner.test.texts, ...extra];
    const tasks = [...planner.test.tasks, null, 'unknown-task', 'mbpp'];
    const dir = mkdtempSync(join(tmpdir(), 'routeplan-py-'));
    try {
      const file = join(dir, 'policy.json');
      writeFileSync(file, policyText(policy));
      const input = texts.map((text, i) => JSON.stringify({ id: String(i), text, task: tasks[i] })).join('\n') + '\n';
      const r = spawnSync(python, [join(repoRoot, 'reference/python/routeplan_features.py'), file], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(r.status, r.stderr).toBe(0);
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(rows).toHaveLength(texts.length);
      const ts = BuiltinFeaturizer.fromSpec(policy.featurizer.spec).transform(texts);
      const order: string[] = ['arc-challenge', 'mbpp', 'winogrande'];
      const dense = new Float32Array(texts.length * ts.dim);
      rows.forEach((row, i) => {
        const want = new Map<number, number>();
        for (let p = ts.rowPtr[i]; p < ts.rowPtr[i + 1]; p++) want.set(ts.index[p], ts.value[p]);
        expect(row.indices.length, `row ${i}`).toBe(want.size);
        row.indices.forEach((j: number, q: number) => {
          expect(row.values[q], `row ${i} index ${j}`).toBe(want.get(j));
          dense[i * ts.dim + j] = row.values[q];
        });
        // No task sent and a policy with a task classifier: -1, the scorer infers the task (as route does).
        const wantTask = tasks[i] == null && policy.taskClassifier ? -1 : order.includes(tasks[i] ?? '') ? order.indexOf(tasks[i] ?? '') : order.length;
        expect(row.task_index).toBe(wantTask);
      });
      const fromPython: FeatureMatrix = { kind: 'dense', rows: texts.length, dim: ts.dim, data: dense };
      expect(maxDiff((await runScorer(scorerOf(policy), fromPython, tasks)).probabilities, routeP(policy, texts, tasks))).toBeLessThan(TOL);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
