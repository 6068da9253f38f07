/**
 * A dataset as the numeric stages see it: N queries x K models in row-major typed arrays.
 * Missing labels and unknown costs are NaN (never zero).
 */
export interface LabelMatrix {
  datasetId: number | null;
  models: string[]; // K names, column order of every matrix below
  queryIds: string[]; // N external ids (sample_id or generated)
  texts: string[]; // N prompt texts
  tasks: (string | null)[]; // N task names (eval_name), null when unknown
  scores: Float32Array; // N*K in [0,1], NaN = missing label
  costs: Float64Array; // N*K realised USD cost, NaN = unknown
  inputTokens: Float64Array; // N*K, NaN = unknown
  outputTokens: Float64Array; // N*K, NaN = unknown
}

export function matrixSize(m: LabelMatrix): { n: number; k: number } {
  return { n: m.texts.length, k: m.models.length };
}

/** Rows of a matrix, in the given order (splits, batches, bootstrap resamples). */
export function selectRows(m: LabelMatrix, rows: ArrayLike<number>): LabelMatrix {
  const k = m.models.length;
  const n = rows.length;
  const take = <T extends Float32Array | Float64Array>(src: T, dst: T): T => {
    for (let r = 0; r < n; r++) dst.set(src.subarray(rows[r] * k, rows[r] * k + k), r * k);
    return dst;
  };
  const pick = <T>(a: T[]) => Array.from({ length: n }, (_, r) => a[rows[r]]);
  return {
    datasetId: m.datasetId,
    models: m.models,
    queryIds: pick(m.queryIds),
    texts: pick(m.texts),
    tasks: pick(m.tasks),
    scores: take(m.scores, new Float32Array(n * k)),
    costs: take(m.costs, new Float64Array(n * k)),
    inputTokens: take(m.inputTokens, new Float64Array(n * k)),
    outputTokens: take(m.outputTokens, new Float64Array(n * k)),
  };
}
