// How a test set becomes batches (evaluation protocol). Random: shuffle and cut. Adversarial (our
// definition; the paper publishes none): sort by difficulty and cut, so each batch is uniformly hard
// or easy and a batch budget cannot move money from easy queries to hard ones.
import { permutation, type Rng } from '../predictor/rng';

export type Batching = 'random' | 'adversarial';

function cut(order: Int32Array, size: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let s = 0; s < order.length; s += size) out.push(order.slice(s, Math.min(order.length, s + size)));
  return out;
}

export function randomBatches(n: number, size: number, rng: Rng): Int32Array[] {
  return cut(permutation(n, rng), size);
}

/** difficulty[i]: higher = harder (e.g. 1 - the best predicted probability). */
export function adversarialBatches(difficulty: Float64Array, size: number): Int32Array[] {
  const order = Int32Array.from({ length: difficulty.length }, (_, i) => i).sort((a, b) => difficulty[a] - difficulty[b] || a - b);
  return cut(order, size);
}

/** 1 - max_k p[i][k]: the predicted-best probability as difficulty. */
export function predictedDifficulty(p: Float64Array, n: number, k: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < k; j++) m = Math.max(m, p[i * k + j]);
    d[i] = 1 - m;
  }
  return d;
}

/** Rows of an n*k matrix, in order. */
export function takeRows<T extends Float64Array | Float32Array>(src: T, k: number, rows: Int32Array, make: (len: number) => T): T {
  const out = make(rows.length * k);
  for (let r = 0; r < rows.length; r++) out.set(src.subarray(rows[r] * k, rows[r] * k + k), r * k);
  return out;
}
