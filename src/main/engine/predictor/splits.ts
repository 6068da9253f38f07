import { createRng, permutation } from './rng';

/** A recorded split of N queries: indices into the dataset's rows. */
export interface Split {
  seed: number;
  fractions: { train: number; calibration: number; test: number };
  train: number[];
  calibration: number[];
  test: number[];
}

/** The article's 70/10/20 split by seed (the calibration part also drives early stopping). */
export function splitRows(n: number, seed: number, fractions = { train: 0.7, calibration: 0.1, test: 0.2 }): Split {
  const perm = permutation(n, createRng(seed));
  const nTest = Math.round(n * fractions.test);
  const nCal = Math.round(n * fractions.calibration);
  return {
    seed,
    fractions,
    test: Array.from(perm.subarray(0, nTest)).sort((a, b) => a - b),
    calibration: Array.from(perm.subarray(nTest, nTest + nCal)).sort((a, b) => a - b),
    train: Array.from(perm.subarray(nTest + nCal)).sort((a, b) => a - b),
  };
}

/** Bootstrap resample (with replacement) of the given rows. */
export function bootstrapRows(rows: ArrayLike<number>, seed: number): Int32Array {
  const rng = createRng(seed);
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[rng.int(rows.length)];
  return out;
}

/** Label rows of an N*K matrix, in the given order. */
export function selectLabelRows(y: Float32Array, k: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * k);
  for (let r = 0; r < rows.length; r++) out.set(y.subarray(rows[r] * k, rows[r] * k + k), r * k);
  return out;
}
