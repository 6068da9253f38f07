import { b64ToF32, f32ToB64 } from '../data/base64';
import type { SparseFeatures } from '../features/types';
import type { TaskClassifierSection } from './format';

/**
 * Which task a prompt belongs to, from the prompt alone: production clients send no task label,
 * yet the policy's decision prior and cost model are per task. A nearest-centroid classifier on
 * the policy's own built-in features (L2-normalised TF-IDF): per task the mean feature vector of
 * its training prompts, cut to its largest `entries` weights and renormalised; a prompt goes to
 * the task of highest cosine, or to none (the policy's default rows) when that cosine is below
 * `minSimilarity`. Small (indices + weights per task), carried in the policy and the ONNX scorer.
 */
export interface FitTaskClassifierOptions {
  /** Non-zero weights kept per task centroid. */
  entries?: number;
  /** Share of training prompts held out to measure accuracy and set minSimilarity (every 10th by default). */
  holdoutEvery?: number;
}

export interface FittedTaskClassifier {
  section: TaskClassifierSection;
  /** Share of held-out training prompts given their own task. */
  heldOutAccuracy: number;
  heldOut: number;
}

export function fitTaskClassifier(x: SparseFeatures, tasks: (string | null)[], opts: FitTaskClassifierOptions = {}): FittedTaskClassifier | null {
  const names = [...new Set(tasks.filter((t): t is string => t != null && t !== ''))].sort();
  if (names.length < 2) return null;
  const every = opts.holdoutEvery ?? 10;
  const entries = opts.entries ?? 2048;
  const index = new Map(names.map((t, i) => [t, i]));
  const fitOn = (keep: (i: number) => boolean) => {
    const sums = names.map(() => new Map<number, number>());
    for (let i = 0; i < x.rows; i++) {
      const t = tasks[i];
      if (t == null || !index.has(t) || !keep(i)) continue;
      const s = sums[index.get(t)!];
      for (let e = x.rowPtr[i]; e < x.rowPtr[i + 1]; e++) s.set(x.index[e], (s.get(x.index[e]) ?? 0) + x.value[e]);
    }
    return names.map((task, c) => {
      const top = [...sums[c].entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, entries).sort((a, b) => a[0] - b[0]);
      const norm = Math.sqrt(top.reduce((s, [, v]) => s + v * v, 0)) || 1;
      return { task, index: Int32Array.from(top.map(([j]) => j)), weight: Float32Array.from(top.map(([, v]) => v / norm)) };
    });
  };
  const encode = (cs: ReturnType<typeof fitOn>, minSimilarity: number): TaskClassifierSection => ({
    kind: 'nearest-centroid',
    version: 1,
    dim: x.dim,
    minSimilarity,
    centroids: cs.map((c) => ({ task: c.task, index: Buffer.from(c.index.buffer, c.index.byteOffset, c.index.byteLength).toString('base64'), weight: f32ToB64(c.weight) })),
  });
  // Held out: accuracy, and the similarity floor (half the 1st percentile of held-out prompts' best similarity).
  const trial = new TaskClassifier(encode(fitOn((i) => i % every !== 0), 0));
  let right = 0;
  let n = 0;
  const best: number[] = [];
  for (let i = 0; i < x.rows; i += every) {
    const t = tasks[i];
    if (t == null || !index.has(t)) continue;
    const [c, s] = trial.classifyRow(x, i);
    n++;
    if (names[c] === t) right++;
    best.push(s);
  }
  best.sort((a, b) => a - b);
  const floor = best.length ? Number((0.5 * best[Math.floor(0.01 * (best.length - 1))]).toPrecision(4)) : 0;
  return { section: encode(fitOn(() => true), floor), heldOutAccuracy: n ? right / n : NaN, heldOut: n };
}

/** The classifier of a policy section, as a dense dim x T table for one pass over a row's features. */
export class TaskClassifier {
  readonly tasks: string[];
  private readonly table: Float32Array;
  private readonly scores: Float64Array;

  constructor(readonly section: TaskClassifierSection) {
    this.tasks = section.centroids.map((c) => c.task);
    const T = this.tasks.length;
    this.table = new Float32Array(section.dim * T);
    this.scores = new Float64Array(T);
    section.centroids.forEach((c, t) => {
      const buf = Buffer.from(c.index, 'base64');
      const idx = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      const w = b64ToF32(c.weight);
      for (let e = 0; e < idx.length; e++) this.table[idx[e] * T + t] = w[e];
    });
  }

  /** [task position, cosine] of row i's best task (first on ties). */
  classifyRow(x: SparseFeatures, i: number): [number, number] {
    const T = this.tasks.length;
    const s = this.scores.fill(0);
    for (let e = x.rowPtr[i]; e < x.rowPtr[i + 1]; e++) {
      const v = x.value[e];
      const at = x.index[e] * T;
      for (let t = 0; t < T; t++) s[t] += v * this.table[at + t];
    }
    let best = 0;
    for (let t = 1; t < T; t++) if (s[t] > s[best]) best = t;
    return [best, s[best]];
  }

  /** The task of each row of n x T similarities (scoreWithTaskSims), null below the floor. */
  pick(sims: Float64Array, rows: number): (string | null)[] {
    const T = this.tasks.length;
    const out: (string | null)[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let t = 1; t < T; t++) if (sims[i * T + t] > sims[i * T + best]) best = t;
      out[i] = sims[i * T + best] >= this.section.minSimilarity ? this.tasks[best] : null;
    }
    return out;
  }

  /** Each row's task, or null (the policy's default rows) below the similarity floor. */
  classify(x: SparseFeatures): (string | null)[] {
    const out: (string | null)[] = new Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      const [t, s] = this.classifyRow(x, i);
      out[i] = s >= this.section.minSimilarity ? this.tasks[t] : null;
    }
    return out;
  }

  /** The dense dim x T table (row-major by feature), for the ONNX scorer. */
  denseTable(): Float32Array {
    return this.table;
  }
}
