/**
 * Feature matrices as the estimators see them. The built-in featuriser yields sparse CSR rows;
 * a sentence encoder yields dense rows. Both are row-major typed arrays.
 */
export interface SparseFeatures {
  kind: 'sparse';
  rows: number;
  dim: number;
  rowPtr: Int32Array; // rows + 1 offsets into index/value
  index: Int32Array;
  value: Float32Array;
}

export interface DenseFeatures {
  kind: 'dense';
  rows: number;
  dim: number;
  data: Float32Array; // rows * dim
}

export type FeatureMatrix = SparseFeatures | DenseFeatures;

/** A fitted featuriser: deterministic text -> vector, described fully by its JSON spec. */
export interface Featurizer {
  /** Stable key of this featuriser's exact settings (feature cache, predictor records). */
  readonly key: string;
  readonly dim: number;
  transform(texts: string[]): Promise<FeatureMatrix> | FeatureMatrix;
  spec(): FeaturizerSpecJson;
}

export type FeaturizerSpecJson = { kind: string; version: number } & Record<string, unknown>;

/** Rows of a feature matrix, in the given order (splits, bootstrap resamples). */
export function selectFeatureRows(x: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const n = rows.length;
  if (x.kind === 'dense') {
    const data = new Float32Array(n * x.dim);
    for (let r = 0; r < n; r++) data.set(x.data.subarray(rows[r] * x.dim, (rows[r] + 1) * x.dim), r * x.dim);
    return { kind: 'dense', rows: n, dim: x.dim, data };
  }
  const rowPtr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) rowPtr[r + 1] = rowPtr[r] + x.rowPtr[rows[r] + 1] - x.rowPtr[rows[r]];
  const index = new Int32Array(rowPtr[n]);
  const value = new Float32Array(rowPtr[n]);
  for (let r = 0; r < n; r++) {
    const a = x.rowPtr[rows[r]];
    const b = x.rowPtr[rows[r] + 1];
    index.set(x.index.subarray(a, b), rowPtr[r]);
    value.set(x.value.subarray(a, b), rowPtr[r]);
  }
  return { kind: 'sparse', rows: n, dim: x.dim, rowPtr, index, value };
}

/** Dense copy of rows [start, end) (ONNX inputs, kNN on small sets). */
export function densify(x: FeatureMatrix, start = 0, end = x.rows): Float32Array {
  const out = new Float32Array((end - start) * x.dim);
  if (x.kind === 'dense') {
    out.set(x.data.subarray(start * x.dim, end * x.dim));
    return out;
  }
  for (let r = start; r < end; r++) {
    const base = (r - start) * x.dim;
    for (let p = x.rowPtr[r]; p < x.rowPtr[r + 1]; p++) out[base + x.index[p]] += x.value[p];
  }
  return out;
}

/**
 * The same rows with the columns not in `keep` set to zero (an ensemble member's feature view).
 * Sparse rows drop those entries; dense rows zero them.
 */
export function maskColumns(x: FeatureMatrix, keep: Uint8Array): FeatureMatrix {
  if (x.kind === 'dense') {
    const data = Float32Array.from(x.data);
    for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.dim; c++) if (!keep[c]) data[r * x.dim + c] = 0;
    return { kind: 'dense', rows: x.rows, dim: x.dim, data };
  }
  const rowPtr = new Int32Array(x.rows + 1);
  const index = new Int32Array(x.index.length);
  const value = new Float32Array(x.value.length);
  let n = 0;
  for (let r = 0; r < x.rows; r++) {
    for (let p = x.rowPtr[r]; p < x.rowPtr[r + 1]; p++) if (keep[x.index[p]]) (index[n] = x.index[p]), (value[n++] = x.value[p]);
    rowPtr[r + 1] = n;
  }
  return { kind: 'sparse', rows: x.rows, dim: x.dim, rowPtr, index: index.slice(0, n), value: value.slice(0, n) };
}
