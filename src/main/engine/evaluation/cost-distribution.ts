// A predicted distribution of each query's realised cost per model, from the training data: per
// (task, model) a least-squares line in the prompt's length (input tokens where the data has them,
// else characters / 4), with its residual variance. Output length, which drives most of the spread,
// is unknown before a query runs; its variation is what the variance carries.
import type { LabelMatrix } from '../data/matrix';

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

function fitLine(xs: number[], ys: number[], fallback: Line | null): Line {
  const n = xs.length;
  if (n < MIN_ROWS) return fallback ?? { a: n ? ys.reduce((s, y) => s + y, 0) / n : 0, b: 0, variance: 0 };
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let r = 0; r < n; r++) (sxx += (xs[r] - mx) ** 2), (sxy += (xs[r] - mx) * (ys[r] - my));
  // A negative slope is noise (longer prompts do not cost less): keep the mean then.
  const b = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  const a = my - b * mx;
  let ss = 0;
  for (let r = 0; r < n; r++) ss += (ys[r] - a - b * xs[r]) ** 2;
  return { a, b, variance: ss / Math.max(1, n - 2) };
}

export function fitCostDistribution(train: LabelMatrix): CostDistribution {
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
    return fitLine(xs, ys, fallback);
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
