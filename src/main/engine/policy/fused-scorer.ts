import { applyBuckets, type ModelBuckets } from '../calibration/buckets';
import { sigmoid } from '../calibration/temperature';
import { logitOf } from '../calibration/ensemble';
import { BuiltinFeaturizerSpec, decodeF32 } from '../features/builtin-spec';
import { murmur3Pair, murmur3String } from '../features/murmur3';
import { MlpHead } from '../predictor/mlp';
import type { Policy } from './format';
import type { Scorer } from './scorer';

const TOKEN = /[\p{L}\p{N}]+/gu;
const DIGIT = /\p{N}/u;
const DIGIT_RUN = /\p{N}+/gu;
const LETTER_RUN = /\p{L}+/gu;

interface Member {
  H: number;
  w1: Float32Array;
  nonZeroRow: Uint8Array; // features never seen in training keep a zero W1 row: skip them
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  temps: Float64Array;
  buckets: ModelBuckets[];
  mode: 'interpolate' | 'step';
}

type Calibration = Pick<Member, 'temps' | 'buckets' | 'mode'>;

/**
 * The router's hot path: the built-in featuriser (features/builtin-spec.ts, version 1) fused with
 * the MLP heads and their calibration (per member, or once on the members' raw mean), one query at a time without building a sparse matrix.
 * Every float operation happens in the predictor's order and precision (float32 stores where it
 * stores float32), so the probabilities are bit-identical to the planner's (tested).
 */
export class FusedScorer implements Scorer {
  private readonly dim: number;
  private readonly seed: number;
  private readonly maxTokens: number;
  private readonly charNgrams: number[];
  private readonly idf: Float32Array;
  private readonly tf: Float32Array;
  private readonly touched: Int32Array;
  private readonly weight: Float32Array;
  private readonly logTf = Float64Array.from({ length: 256 }, (_, t) => 1 + Math.log(t));
  private readonly memo = new Map<string, Int32Array>(); // token -> [hash, unigram index, char-gram indices...]
  private readonly members: Member[];
  private readonly ensemble: Calibration | null; // calibration of the members' raw mean (calibration/ensemble.ts)
  private readonly acc: Float32Array; // the raw mean, float32 as the predictor accumulates it
  private readonly k: number;
  private readonly h: Float32Array;
  private readonly rows: Int32Array; // W1 row offsets of the query's seen features
  private readonly vals: Float32Array; // their normalised weights

  constructor(policy: Policy) {
    const f = BuiltinFeaturizerSpec.parse(policy.featurizer.spec);
    this.dim = f.dim;
    this.seed = f.seed;
    this.maxTokens = f.maxTokens;
    this.charNgrams = f.charNgrams;
    this.idf = decodeF32(f.idf.data);
    this.tf = new Float32Array(f.dim);
    this.touched = new Int32Array(f.dim);
    this.weight = new Float32Array(f.dim);
    this.k = policy.models.length;
    this.members = policy.predictor.heads.map((json, b) => {
      const head = MlpHead.load(json as never);
      const H = head.settings.hidden;
      const nonZeroRow = new Uint8Array(head.dim);
      for (let j = 0; j < head.dim; j++) for (let u = 0; u < H && !nonZeroRow[j]; u++) if (head.w1[j * H + u] !== 0) nonZeroRow[j] = 1;
      const cal = policy.calibration.members[b];
      return { H, w1: head.w1, nonZeroRow, b1: head.b1, w2: head.w2, b2: head.b2, temps: Float64Array.from(cal.temperatures), buckets: cal.buckets, mode: cal.settings.mode };
    });
    const e = policy.calibration.ensemble;
    this.ensemble = e ? { temps: Float64Array.from(e.temperatures), buckets: e.buckets, mode: e.settings.mode } : null;
    this.acc = new Float32Array(this.k);
    this.h = new Float32Array(Math.max(...this.members.map((m) => m.H)));
    this.rows = new Int32Array(f.dim);
    this.vals = new Float32Array(f.dim);
  }

  static supports(policy: Policy): boolean {
    return policy.featurizer.kind === 'builtin-hash-tfidf' && policy.featurizer.version === 1 && policy.predictor.heads.every((h) => h.kind === 'mlp-head');
  }

  score(texts: string[]): Float32Array {
    const k = this.k;
    const out = new Float32Array(texts.length * k);
    for (let i = 0; i < texts.length; i++) this.scoreOne(texts[i], out, i * k);
    return out;
  }

  private scoreOne(text: string, out: Float32Array, offset: number): void {
    const nnz = this.count(text);
    const { touched, tf, weight, idf, logTf } = this;
    let norm = 0;
    for (let t = 0; t < nnz; t++) {
      const j = touched[t];
      const c = tf[j];
      const w = (c < 256 ? logTf[c] : 1 + Math.log(c)) * idf[j];
      weight[t] = w;
      norm += w * w;
      tf[j] = 0;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let t = 0; t < nnz; t++) weight[t] = weight[t] * inv;
    const B = this.members.length;
    const { ensemble, acc } = this;
    acc.fill(0);
    for (const m of this.members) {
      const { H, w1, nonZeroRow, b1, w2, b2 } = m;
      const h = this.h;
      const rows = this.rows;
      const vals = this.vals;
      let seen = 0;
      for (let t = 0; t < nnz; t++) {
        const j = touched[t];
        if (nonZeroRow[j] === 0) continue;
        rows[seen] = j * H;
        vals[seen++] = weight[t];
      }
      // Eight float32 accumulators in registers per pass; each step rounds to float32 exactly
      // as the predictor's Float32Array `h[u] += v * w1[...]` does, in the same order.
      let u = 0;
      for (; u + 8 <= H; u += 8) {
        let a0 = b1[u], a1 = b1[u + 1], a2 = b1[u + 2], a3 = b1[u + 3], a4 = b1[u + 4], a5 = b1[u + 5], a6 = b1[u + 6], a7 = b1[u + 7];
        for (let t = 0; t < seen; t++) {
          const v = vals[t];
          const b = rows[t] + u;
          a0 = Math.fround(a0 + v * w1[b]);
          a1 = Math.fround(a1 + v * w1[b + 1]);
          a2 = Math.fround(a2 + v * w1[b + 2]);
          a3 = Math.fround(a3 + v * w1[b + 3]);
          a4 = Math.fround(a4 + v * w1[b + 4]);
          a5 = Math.fround(a5 + v * w1[b + 5]);
          a6 = Math.fround(a6 + v * w1[b + 6]);
          a7 = Math.fround(a7 + v * w1[b + 7]);
        }
        h[u] = a0; h[u + 1] = a1; h[u + 2] = a2; h[u + 3] = a3; h[u + 4] = a4; h[u + 5] = a5; h[u + 6] = a6; h[u + 7] = a7;
      }
      for (; u < H; u++) {
        let a = b1[u];
        for (let t = 0; t < seen; t++) a = Math.fround(a + vals[t] * w1[rows[t] + u]);
        h[u] = a;
      }
      for (let q = 0; q < H; q++) if (h[q] < 0) h[q] = 0;
      for (let c = 0; c < this.k; c++) {
        let z = b2[c];
        for (let u = 0; u < H; u++) z += h[u] * w2[u * this.k + c];
        if (ensemble) {
          acc[c] += Math.fround(sigmoid(Math.fround(z))) / B;
          continue;
        }
        let q = Math.fround(sigmoid(Math.fround(z) / m.temps[c]));
        if (m.buckets.length) q = Math.fround(applyBuckets(q, m.buckets[c], m.mode));
        out[offset + c] += q / B;
      }
    }
    if (!ensemble) return;
    for (let c = 0; c < this.k; c++) {
      let q = Math.fround(sigmoid(Math.fround(logitOf(acc[c])) / ensemble.temps[c]));
      if (ensemble.buckets.length) q = Math.fround(applyBuckets(q, ensemble.buckets[c], ensemble.mode));
      out[offset + c] = q;
    }
  }

  /** Raw counts into tf, touched indices in first-occurrence order (the featuriser's order). */
  private count(text: string): number {
    const tokens = text.toLowerCase().match(TOKEN) ?? [];
    const start = Math.max(0, tokens.length - this.maxTokens);
    const { dim, seed, tf, touched } = this;
    // The length bucket over all tokens comes first, as in the featuriser.
    touched[0] = murmur3String(`$len${31 - Math.clz32(1 + tokens.length)}`, seed) % dim;
    tf[touched[0]] = 1;
    let n = 1;
    let prev = 0;
    for (let t = start; t < tokens.length; t++) {
      const f = this.features(tokens[t]);
      const u = f[0] >>> 0;
      for (let g = 1; g < f.length; g++) {
        const j = f[g];
        if (tf[j] === 0) touched[n++] = j;
        tf[j] += 1;
      }
      if (t > start) {
        const j = murmur3Pair(prev, u, seed) % dim;
        if (tf[j] === 0) touched[n++] = j;
        tf[j] += 1;
      }
      prev = u;
    }
    return n;
  }

  private features(token: string): Int32Array {
    let f = this.memo.get(token);
    if (f) return f;
    const { dim, seed } = this;
    const u = murmur3String(token, seed);
    const cps = Array.from(`<${token}>`);
    const grams: number[] = [u | 0, u % dim];
    for (const n of this.charNgrams) for (let i = 0; i + n <= cps.length; i++) grams.push(murmur3String('#' + cps.slice(i, i + n).join(''), seed) % dim);
    if (DIGIT.test(token)) grams.push(murmur3String('^' + token.replace(DIGIT_RUN, '0').replace(LETTER_RUN, 'a'), seed) % dim);
    f = Int32Array.from(grams);
    if (this.memo.size > 500_000) this.memo.clear();
    this.memo.set(token, f);
    return f;
  }
}
