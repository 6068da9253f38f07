import { z } from 'zod';

/**
 * The built-in featuriser, specified exactly so that an exported policy can reproduce it outside
 * the app (version 1):
 *
 * 1. `lower = text.toLowerCase()` (Unicode default case mapping, locale-independent).
 * 2. Tokens: the maximal matches of `/[\p{L}\p{N}]+/gu` in `lower`, in order. Only the LAST
 *    `maxTokens` tokens are kept (few-shot prompts put the query itself at the end).
 * 3. `h(s) = MurmurHash3_x86_32(UTF-8 bytes of s, seed)`, unsigned 32-bit.
 *    For each kept token t with `u = h(t)`:
 *    - word unigram: index `u mod dim`;
 *    - character n-grams: for each n in `charNgrams` and each run of n consecutive code points g
 *      of `"<" + t + ">"` (none if that string is shorter than n): index `h("#" + g) mod dim`.
 *    - word shape, only for tokens containing a \p{N}: `s` = t with each maximal run of \p{N}
 *      replaced by "0", then each maximal run of \p{L} by "a" (e.g. "h2o" -> "a0a");
 *      index `h("^" + s) mod dim`.
 *    Once per text, a length bucket over ALL its tokens (before truncation), T of them:
 *    index `h("$len" + floor(log2(1 + T))) mod dim` (decimal integer).
 *    For each pair of consecutive kept tokens (t1, t2): word bigram index
 *    `MurmurHash3_x86_32(le32(h(t1)) ++ le32(h(t2)), seed) mod dim` (8 bytes, little-endian).
 * 4. `tf[j]` = number of occurrences of index j (collisions add up). Weight
 *    `w[j] = (1 + ln tf[j]) * idf[j]` (sublinear TF), where `idf` (length `dim`) was fitted on the
 *    training texts as `ln((1 + N) / (1 + df[j])) + 1` and is stored in the spec
 *    (`idf.data`: base64 of little-endian float32).
 * 5. The vector is divided by its L2 norm (left at zero when empty).
 */
export const BuiltinFeaturizerSpec = z.object({
  kind: z.literal('builtin-hash-tfidf'),
  version: z.literal(1),
  seed: z.number().int().nonnegative(),
  dim: z.number().int().positive(),
  maxTokens: z.number().int().positive(),
  charNgrams: z.array(z.number().int().positive()),
  lowercase: z.literal(true),
  tokenPattern: z.literal('[\\p{L}\\p{N}]+'),
  sublinearTf: z.literal(true),
  norm: z.literal('l2'),
  documents: z.number().int().nonnegative(),
  idf: z.object({ encoding: z.literal('f32-le-base64'), data: z.string() }),
});
export type BuiltinFeaturizerSpec = z.infer<typeof BuiltinFeaturizerSpec>;

export interface BuiltinSettings {
  seed: number;
  dim: number;
  maxTokens: number;
  charNgrams: number[];
}

export const builtinDefaults: Readonly<BuiltinSettings> = {
  seed: 104729,
  dim: 1 << 16,
  maxTokens: 128,
  charNgrams: [4],
};
