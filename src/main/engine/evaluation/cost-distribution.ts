// A predicted distribution of each query's realised cost per model, from the training data: per
// (task, model) a least-squares line in the prompt's length (input tokens where the data has them,
// else characters / 4), with its residual variance. Output length, which drives most of the spread,
// is unknown before a query runs; its variation is what the variance carries.
import { selectRows, type LabelMatrix } from '../data/matrix';
import { createRng } from '../predictor/rng';

interface Line {
  a: number;
  b: number;
  variance: number;
}

export interface CostDistribution {
  byTask: Map<string, Line[]>;
  overall: Line[];
}

const MIN_ROWS = 8;

/** The prompt-length regressor: input tokens where known (any model), else characters / 4. */
function lengthOf(m: LabelMatrix, i: number): number {
  const k = m.models.length;
  for (let j = 0; j < k; j++) {
    const t = m.inputTokens[i * k + j];
    if (Number.isFinite(t)) return t;
  }
  return m.texts[i].length / 4;
}

function fitLine(xs: number[], ys: number[], fallback: Line | null, slope = true): Line {
  const n = xs.length;
  if (n < MIN_ROWS) return fallback ?? { a: n ? ys.reduce((s, y) => s + y, 0) / n : 0, b: 0, variance: 0 };
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let r = 0; r < n; r++) (sxx += (xs[r] - mx) ** 2), (sxy += (xs[r] - mx) * (ys[r] - my));
  // A negative slope is noise (longer prompts do not cost less): keep the mean then.
  const b = slope && sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  const a = my - b * mx;
  let ss = 0;
  for (let r = 0; r < n; r++) ss += (ys[r] - a - b * xs[r]) ** 2;
  return { a, b, variance: ss / Math.max(1, n - 2) };
}

/** `byLength: false`: the task mean and the variance around it (the policy's cost model). */
export function fitCostDistribution(train: LabelMatrix, byLength = true): CostDistribution {
  const k = train.models.length;
  const n = train.texts.length;
  const len = Float64Array.from({ length: n }, (_, i) => lengthOf(train, i));
  const rows = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const t = train.tasks[i] ?? '';
    if (!rows.has(t)) rows.set(t, []);
    rows.get(t)!.push(i);
  }
  const fitRows = (rs: ArrayLike<number>, j: number, fallback: Line | null) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = 0; r < rs.length; r++) {
      const c = train.costs[rs[r] * k + j];
      if (Number.isFinite(c)) xs.push(len[rs[r]]), ys.push(c);
    }
    return fitLine(xs, ys, fallback, byLength);
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const overall = train.models.map((_, j) => fitRows(all, j, null));
  const byTask = new Map<string, Line[]>();
  for (const [t, rs] of rows) byTask.set(t, train.models.map((_, j) => fitRows(rs, j, overall[j])));
  return { byTask, overall };
}

/** n*k predicted mean and variance of the realised cost of each query on each model. */
export function predictCostDistribution(d: CostDistribution, m: LabelMatrix): { mean: Float64Array; variance: Float64Array } {
  const k = m.models.length;
  const n = m.texts.length;
  const mean = new Float64Array(n * k);
  const variance = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const lines = d.byTask.get(m.tasks[i] ?? '') ?? d.overall;
    const x = lengthOf(m, i);
    for (let j = 0; j < k; j++) {
      const l = lines[j];
      mean[i * k + j] = Math.max(0, l.a + l.b * x);
      variance[i * k + j] = l.variance;
    }
  }
  return { mean, variance };
}

/**
 * The z that makes Σ μ + z √(Σ σ²) a (confidence)-quantile of a batch's realised spend on data
 * the distribution was not fitted on: five-fold cross-fitted residuals of the training rows,
 * standardised per batch, over random batches and over batches of similar queries (sorted by task,
 * then by how hard the query was for the models, then by length: the adversarial case, where
 * costs move together). The normal quantile is the floor; heavy tails and correlated batches
 * raise it.
 */
export function calibratedZ(train: LabelMatrix, confidence: number, batchSize: number, normalZ: number, byLength = true, seed = 1): number {
  const k = train.models.length;
  const n = train.texts.length;
  if (n < 5 * batchSize || batchSize < 2) return normalZ;
  const folds = Int32Array.from({ length: n }, (_, i) => i % 5);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [folds[i], folds[j]] = [folds[j], folds[i]];
  }
  const mean = new Float64Array(n * k);
  const variance = new Float64Array(n * k);
  for (let f = 0; f < 5; f++) {
    const inRows = [...folds.keys()].filter((i) => folds[i] !== f);
    const outRows = [...folds.keys()].filter((i) => folds[i] === f);
    const d = fitCostDistribution(selectRows(train, inRows), byLength);
    const pr = predictCostDistribution(d, selectRows(train, outRows));
    outRows.forEach((i, r) => {
      mean.set(pr.mean.subarray(r * k, (r + 1) * k), i * k);
      variance.set(pr.variance.subarray(r * k, (r + 1) * k), i * k);
    });
  }
  const standardised = (rows: ArrayLike<number>, pick: (i: number) => number): number | null => {
    let e = 0;
    let v = 0;
    for (let r = 0; r < rows.length; r++) {
      const t = rows[r] * k + pick(rows[r]);
      if (!Number.isFinite(train.costs[t])) continue;
      e += train.costs[t] - mean[t];
      v += variance[t];
    }
    return v > 0 ? e / Math.sqrt(v) : null;
  };
  const quantile = (xs: number[]) => {
    const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(confidence * s.length))] : -Infinity;
  };
  const randomZ: number[] = [];
  const similarZ: number[] = [];
  const hardness = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    let c = 0;
    for (let j = 0; j < k; j++) if (!Number.isNaN(train.scores[i * k + j])) (s += train.scores[i * k + j]), c++;
    return c ? s / c : 0.5;
  });
  const sorted = [...Array(n).keys()].sort((a, b) => (train.tasks[a] ?? '').localeCompare(train.tasks[b] ?? '') || hardness[a] - hardness[b] || train.texts[a].length - train.texts[b].length);
  // Assignments: every query on one model (a batch plan concentrates on few models, whose costs
  // move together), and a random model per query.
  for (let rep = 0; rep < 2 * k; rep++) {
    const model = Int32Array.from({ length: n }, () => (rep < k ? rep : Math.floor(rng.next() * k)));
    const perm = [...Array(n).keys()];
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    for (let s = 0; s + batchSize <= n; s += batchSize) {
      const z = standardised(perm.slice(s, s + batchSize), (i) => model[i]);
      if (z != null) randomZ.push(z);
    }
    for (let s = 0; s + batchSize <= n; s += Math.max(1, Math.floor(batchSize / 4))) {
      const z = standardised(sorted.slice(s, s + batchSize), (i) => model[i]);
      if (z != null) similarZ.push(z);
    }
  }
  return Math.max(normalZ, quantile(randomZ), quantile(similarZ));
}
