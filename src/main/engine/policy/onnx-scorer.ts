import { OFFSET_SHARE, type ModelBuckets } from '../calibration/buckets';
import { LOGIT_EPS } from '../calibration/ensemble';
import { MlpHead } from '../predictor/mlp';
import { boolTensor, ElemType, floatTensor, int64Tensor, modelBytes, node, valueInfo } from '../predictor/onnx-graph';
import type { MemberCalibration, Policy } from './format';
import type { z } from 'zod';
import onnxProto from 'onnx-proto';
import { policyHash } from './canonical';
import { TaskClassifier } from './task-classifier';

const { onnx } = onnxProto;

type Calibration = z.infer<typeof MemberCalibration>;

/** Metadata keys of the standalone scorer (docs/policies.md, "The ONNX scorer"). */
export const SCORER_META = {
  contract: 'routeplan.contract',
  models: 'routeplan.models',
  tasks: 'routeplan.tasks',
  policyHash: 'routeplan.policy_sha256',
  featurizer: 'routeplan.featurizer',
} as const;

/** Graph nodes and initializers with generated names. */
class Graph {
  nodes: unknown[] = [];
  inits: unknown[] = [];
  private n = 0;
  const(dims: number[], data: ArrayLike<number>): string {
    const name = `c${this.n++}`;
    this.inits.push(floatTensor(name, dims, Float32Array.from(data)));
    return name;
  }
  ints(values: number[]): string {
    const name = `i${this.n++}`;
    this.inits.push(int64Tensor(name, [values.length], values));
    return name;
  }
  scalarInt(value: number): string {
    const name = `i${this.n++}`;
    this.inits.push(int64Tensor(name, [], [value]));
    return name;
  }
  bools(dims: number[], values: boolean[]): string {
    const name = `b${this.n++}`;
    this.inits.push(boolTensor(name, dims, values));
    return name;
  }
  op(type: string, inputs: string[], attrs: { name: string; i?: number; ints?: number[] }[] = [], out?: string): string {
    const name = out ?? `t${this.n++}`;
    this.nodes.push(node(type, inputs, [name], attrs));
    return name;
  }
}

/**
 * The calibration map of `calibration/calibrator.ts` on q [..., R, K] (R rows of K models; one
 * table per row: the members, or the one ensemble map): sigmoid(z / T), then per (row, model)
 * the bucket map. Interpolate mode is a piecewise-linear offset: d(q) = d0 + Σ_s slope_s ·
 * (clamp(q, lo_s, hi_s) − lo_s) + Σ_s jump_s · [q > lo_s] (jumps only where two centres
 * coincide), q + 0.9·d clamped to [1e-4, 1 − 1e-4]; step mode is rate_0 + Σ_s Δrate_s ·
 * [q > upper_s]. A row without buckets keeps sigmoid(z / T).
 */
function calibrate(g: Graph, z: string, cals: Calibration[], k: number): string {
  const R = cals.length;
  const q = g.op('Sigmoid', [g.op('Div', [z, g.const([R, k], cals.flatMap((c) => Array.from(c.temperatures)))])]);
  if (cals.every((c) => !c.buckets.length)) return q;
  const table = (c: Calibration, j: number): ModelBuckets | null => (c.buckets.length ? c.buckets[j] : null);
  const S = Math.max(1, ...cals.flatMap((c) => c.buckets.map((b) => b.centers.length)));
  const lo = new Float32Array(S * R * k);
  const hi = new Float32Array(S * R * k);
  const slope = new Float32Array(S * R * k);
  const jump = new Float32Array(S * R * k);
  const d0 = new Float32Array(R * k);
  const stepLo = new Float32Array(S * R * k).fill(2); // q > 2 never holds: an unused step
  const stepDelta = new Float32Array(S * R * k);
  const rate0 = new Float32Array(R * k);
  const isStep: boolean[] = [];
  const has: boolean[] = [];
  cals.forEach((c, r) => {
    for (let j = 0; j < k; j++) {
      const at = r * k + j;
      const b = table(c, j);
      isStep.push(c.settings.mode === 'step');
      has.push(b != null);
      if (!b) continue;
      const D = b.centers.map((x, i) => b.rates[i] - x);
      d0[at] = D[0];
      rate0[at] = b.rates[0];
      for (let s = 0; s < S; s++) {
        const t = s * R * k + at;
        const last = b.centers.length - 1;
        const c0 = b.centers[Math.min(s, last)];
        const c1 = b.centers[Math.min(s + 1, last)];
        lo[t] = c0;
        hi[t] = c1;
        if (s < last) {
          if (c1 > c0) slope[t] = (D[s + 1] - D[s]) / (c1 - c0);
          else jump[t] = D[s + 1] - D[s];
        }
        if (s < b.upper.length - 1) {
          stepLo[t] = b.upper[s];
          stepDelta[t] = b.rates[s + 1] - b.rates[s];
        }
      }
    }
  });
  const shape = [S, R, k];
  const qs = g.op('Unsqueeze', [q, g.ints([-3])]); // [..., 1, R, K] against the [S, R, K] tables
  const loT = g.const(shape, lo);
  const seg = g.op('Sub', [g.op('Max', [g.op('Min', [qs, g.const(shape, hi)]), loT]), loT]);
  const above = (edge: string) => g.op('Cast', [g.op('Greater', [qs, edge])], [{ name: 'to', i: ElemType.FLOAT }]);
  const offset = g.op('Add', [g.op('Mul', [seg, g.const(shape, slope)]), g.op('Mul', [above(loT), g.const(shape, jump)])]);
  const d = g.op('Add', [g.op('ReduceSum', [offset, g.ints([-3])], [{ name: 'keepdims', i: 0 }]), g.const([R, k], d0)]);
  const interp = g.op('Clip', [g.op('Add', [q, g.op('Mul', [d, g.const([], [OFFSET_SHARE])])]), g.const([], [1e-4]), g.const([], [1 - 1e-4])]);
  let out = interp;
  if (isStep.some(Boolean)) {
    const steps = g.op('ReduceSum', [g.op('Mul', [above(g.const(shape, stepLo)), g.const(shape, stepDelta)]), g.ints([-3])], [{ name: 'keepdims', i: 0 }]);
    const step = g.op('Add', [steps, g.const([R, k], rate0)]);
    out = isStep.every(Boolean) ? step : g.op('Where', [g.bools([R, k], isStep), step, interp]);
  }
  return has.every(Boolean) ? out : g.op('Where', [g.bools([R, k], has), out, q]);
}

/**
 * The policy's whole decision probability as one ONNX graph, the contract being "featurised input
 * -> exactly `routeplan route`'s probabilities":
 *   features [n, D] (the built-in featuriser's dense vector) and task_index [n] (int64: position
 *   of the query's task in metadata `routeplan.tasks`, or its length for an unknown task)
 *   -> every member's head (MatMul, Relu, MatMul) -> the policy's calibration (each member's
 *   temperatures and buckets then the mean, or the raw members' mean through the ensemble map)
 *   -> `calibrated` [n, K] -> the decision prior's blend w·p + (1 − w)·prior[task]
 *   -> `probabilities` [n, K], columns in the order of metadata `routeplan.models`.
 * `policyHash` is the content hash of the policy without its `predictor.onnx` reference (the
 * reference holds this file's sha256, so the file cannot hold the final hash).
 */
export function exportScorerOnnx(policy: Omit<Policy, 'contentHash'>, policyHash: string): Uint8Array {
  const heads = policy.predictor.heads.map((h) => MlpHead.load(h as never));
  const B = heads.length;
  const K = policy.models.length;
  const D = heads[0].dim;
  const H = heads[0].settings.hidden;
  const g = new Graph();
  // All members in two MatMuls: W1 side by side, W2 block-diagonal.
  const w1 = new Float32Array(D * B * H);
  const b1 = new Float32Array(B * H);
  const w2 = new Float32Array(B * H * B * K);
  const b2 = new Float32Array(B * K);
  heads.forEach((h, b) => {
    if (h.dim !== D || h.settings.hidden !== H || h.models !== K) throw new Error('ensemble members differ in shape');
    for (let j = 0; j < D; j++) w1.set(h.w1.subarray(j * H, (j + 1) * H), j * B * H + b * H);
    b1.set(h.b1, b * H);
    for (let u = 0; u < H; u++) for (let c = 0; c < K; c++) w2[(b * H + u) * B * K + b * K + c] = h.w2[u * K + c];
    b2.set(h.b2, b * K);
  });
  const hidden = g.op('Relu', [g.op('Add', [g.op('MatMul', ['features', g.const([D, B * H], w1)]), g.const([B * H], b1)])]);
  const z = g.op('Reshape', [g.op('Add', [g.op('MatMul', [hidden, g.const([B * H, B * K], w2)]), g.const([B * K], b2)]), g.ints([-1, B, K])]);
  let p: string;
  if (policy.calibration.ensemble) {
    const mean = g.op('ReduceMean', [g.op('Sigmoid', [z])], [{ name: 'axes', ints: [1] }, { name: 'keepdims', i: 0 }]);
    const q = g.op('Clip', [mean, g.const([], [LOGIT_EPS]), g.const([], [1 - LOGIT_EPS])]);
    const logit = g.op('Log', [g.op('Div', [q, g.op('Sub', [g.const([], [1]), q])])]);
    p = calibrate(g, g.op('Unsqueeze', [logit, g.ints([1])]), [policy.calibration.ensemble], K);
    p = g.op('Squeeze', [p, g.ints([1])]);
  } else {
    p = g.op('ReduceMean', [calibrate(g, z, policy.calibration.members, K)], [{ name: 'axes', ints: [1] }, { name: 'keepdims', i: 0 }]);
  }
  g.op('Identity', [p], [], 'calibrated');
  // The decision prior as two per-task tables: p' = p · keep[task] + add[task].
  const prior = policy.decisionPrior;
  const tasks = prior ? Object.keys(prior.byTask).sort() : [];
  const rows = prior ? [...tasks.map((t) => prior.byTask[t]), prior.default] : [new Array(K).fill(null)];
  const keep = rows.flatMap((r) => r.map((q) => (q == null || !Number.isFinite(q) ? 1 : prior!.weight)));
  const add = rows.flatMap((r) => r.map((q) => (q == null || !Number.isFinite(q) ? 0 : (1 - prior!.weight) * q)));
  let task = g.op('Clip', ['task_index', g.scalarInt(0), g.scalarInt(rows.length - 1)]);
  const tc = policy.taskClassifier;
  if (tc && prior) task = inferredTask(g, tc, tasks, task);
  g.op('Identity', [task], [], 'task_row');
  g.op('Add', [g.op('Mul', ['calibrated', g.op('Gather', [g.const([rows.length, K], keep), task])]), g.op('Gather', [g.const([rows.length, K], add), task])], [], 'probabilities');
  return modelBytes(
    {
      name: 'routeplan-scorer',
      nodes: g.nodes,
      initializers: g.inits,
      inputs: [valueInfo('features', ElemType.FLOAT, ['n', D]), valueInfo('task_index', ElemType.INT64, ['n'])],
      outputs: [valueInfo('probabilities', ElemType.FLOAT, ['n', K]), valueInfo('calibrated', ElemType.FLOAT, ['n', K]), valueInfo('task_row', ElemType.INT64, ['n'])],
    },
    `routeplan policy "${policy.name}": built-in features + task index -> the decision probabilities of routeplan route`,
    {
      [SCORER_META.contract]: 'features[n, D] = the built-in featuriser of policy.json (reference/python/routeplan_features.py), task_index[n] = index of the task in routeplan.tasks (its length when unknown; -1 = no task sent: inferred by the policy\'s task classifier, as routeplan route does) -> probabilities[n, K] = routeplan route\'s decision probabilities, calibrated[n, K] = before the task-prior blend, task_row[n] = the prior row used (index in routeplan.tasks, its length = default)',
      [SCORER_META.models]: JSON.stringify(policy.models.map((m) => m.id)),
      [SCORER_META.tasks]: JSON.stringify(tasks),
      [SCORER_META.policyHash]: policyHash,
      [SCORER_META.featurizer]: JSON.stringify({ kind: policy.featurizer.kind, version: policy.featurizer.version, dim: D }),
    },
  );
}

/**
 * task_index -1 (no task sent) -> the policy's task classifier (policy/task-classifier.ts): the
 * cosine of the features with each task centroid (one MatMul with the dense D x T table), the
 * best task's prior row, or the no-task row ('' if listed, else the default) below minSimilarity.
 */
function inferredTask(g: Graph, tc: NonNullable<Policy['taskClassifier']>, tasks: string[], given: string): string {
  const c = new TaskClassifier(tc);
  const T = c.tasks.length;
  const noTask = tasks.includes('') ? tasks.indexOf('') : tasks.length;
  const sims = g.op('MatMul', ['features', g.const([tc.dim, T], c.denseTable())]);
  const best = g.op('ArgMax', [sims], [{ name: 'axis', i: 1 }, { name: 'keepdims', i: 0 }, { name: 'select_last_index', i: 0 }]);
  const bestSim = g.op('ReduceMax', [sims], [{ name: 'axes', ints: [1] }, { name: 'keepdims', i: 0 }]);
  const rowOf = g.ints(c.tasks.map((t) => (tasks.includes(t) ? tasks.indexOf(t) : tasks.length)));
  const inferred = g.op('Where', [g.op('Less', [bestSim, g.const([], [tc.minSimilarity])]), g.scalarInt(noTask), g.op('Gather', [rowOf, best])]);
  return g.op('Where', [g.op('Less', ['task_index', g.scalarInt(0)]), inferred, given]);
}

/** The scorer's metadata_props, and whether they belong to this policy (model order, hash). */
export function scorerProblems(bytes: Uint8Array, policy: Policy): string[] {
  const meta = Object.fromEntries(onnx.ModelProto.decode(bytes).metadataProps.map((e) => [e.key, e.value]));
  const { contentHash: _hash, ...unsigned } = policy;
  const { onnx: _ref, ...predictor } = unsigned.predictor;
  const want = policyHash(JSON.parse(JSON.stringify({ ...unsigned, predictor })));
  const problems: string[] = [];
  if (meta[SCORER_META.policyHash] !== want) problems.push(`its ${SCORER_META.policyHash} is ${String(meta[SCORER_META.policyHash])}, this policy (without predictor.onnx) hashes to ${want}`);
  if (meta[SCORER_META.models] !== JSON.stringify(policy.models.map((m) => m.id))) problems.push(`its model order ${String(meta[SCORER_META.models])} is not the policy's`);
  return problems;
}
