// Length buckets of a workspace sample: quantiles of the sampled queries' prompt tokens (up to
// four buckets) crossed with each model's output tokens below or above its median (two), so every
// (query, model) pair falls in one of at most eight buckets. Each bucket of each model is
// represented by the mean lengths of the sampled queries in it; the planner computes every
// deployment option's goodput there (deployment-performance.ts) and length-mix.ts weighs each
// query by its bucket.

export interface SampleLengthBuckets {
  /** Prompt-token edges between input buckets (ascending; a query above edge e is past it). */
  inputEdges: number[];
  /** Per model: output-token edge between its two output buckets (null: one output length only). */
  outputEdges: (number | null)[];
  /** S x K: bucket of sampled query r when routed to model q (input bucket x outputBuckets + output bucket). */
  bucketOf: number[][];
  /** K x B: mean lengths of the sampled queries in each bucket (the model's means where a bucket is empty). */
  tokens: { inputTokens: number; outputTokens: number }[][];
}

export const INPUT_BUCKETS = 4;
export const OUTPUT_BUCKETS = 2;

/** Edges at the inner quantiles of the values; repeated values collapse into fewer edges. */
export function quantileEdges(values: Float64Array, buckets: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let b = 1; b < buckets; b++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / buckets))];
    if (!edges.length || v > edges[edges.length - 1]) edges.push(v);
  }
  // A value equal to the largest value gives an edge no query passes: drop it.
  while (edges.length && edges[edges.length - 1] >= sorted[sorted.length - 1]) edges.pop();
  return edges;
}

/** Index of the bucket of v: the number of edges it reaches (edges are lower bounds of the next bucket). */
const bucketIndex = (edges: number[], v: number) => {
  let b = 0;
  while (b < edges.length && v >= edges[b]) b++;
  return b;
};

/**
 * inputTokens: S prompt lengths (NaN = unknown: the sample's mean); outputTokens: S x K output
 * lengths per model (NaN = the model's mean, meanOutput[q]).
 */
export function sampleLengthBuckets(inputTokens: Float64Array, outputTokens: Float64Array, meanOutput: number[]): SampleLengthBuckets {
  const S = inputTokens.length;
  const K = meanOutput.length;
  let known = 0;
  let sumIn = 0;
  for (const v of inputTokens) if (Number.isFinite(v)) (known++, (sumIn += v));
  const meanIn = known ? sumIn / known : 0;
  const inTok = inputTokens.map((v) => (Number.isFinite(v) ? v : meanIn));
  const inputEdges = quantileEdges(inTok, INPUT_BUCKETS);
  const B = INPUT_BUCKETS * OUTPUT_BUCKETS;
  const outputEdges: (number | null)[] = [];
  const bucketOf = Array.from({ length: S }, () => new Array<number>(K).fill(0));
  const tokens: SampleLengthBuckets['tokens'] = [];
  for (let q = 0; q < K; q++) {
    const out = new Float64Array(S);
    for (let r = 0; r < S; r++) {
      const v = outputTokens[r * K + q];
      out[r] = Number.isFinite(v) && v > 0 ? v : meanOutput[q];
    }
    const oe = quantileEdges(out, OUTPUT_BUCKETS);
    outputEdges.push(oe[0] ?? null);
    const n = new Float64Array(B);
    const si = new Float64Array(B);
    const so = new Float64Array(B);
    for (let r = 0; r < S; r++) {
      const b = bucketIndex(inputEdges, inTok[r]) * OUTPUT_BUCKETS + bucketIndex(oe, out[r]);
      bucketOf[r][q] = b;
      n[b]++;
      si[b] += inTok[r];
      so[b] += out[r];
    }
    tokens.push(Array.from({ length: B }, (_, b) => (n[b] ? { inputTokens: si[b] / n[b], outputTokens: so[b] / n[b] } : { inputTokens: meanIn, outputTokens: meanOutput[q] })));
  }
  return { inputEdges, outputEdges, bucketOf, tokens };
}
