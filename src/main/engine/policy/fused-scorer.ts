import { applyBuckets, type ModelBuckets } from '../calibration/buckets';
import { sigmoid } from '../calibration/temperature';
import { logitOf } from '../calibration/ensemble';
import { BuiltinFeaturizerSpec } from '../features/builtin-spec';
import { b64ToF32 } from '../data/base64';
import { murmur3String, murmur3Words } from '../features/murmur3';
import { MlpHead } from '../predictor/mlp';
import type { Policy } from './format';
import type { Scorer } from './scorer';
import { SpanMemo, TokenScanner, isAscii } from './token-scan';
import { hiddenKernel, type HiddenKernel } from './wasm-hidden';

const DIGIT = /\p{N}/u;
const DIGIT_RUN = /\p{N}+/gu;
const LETTER_RUN = /\p{L}+/gu;

interface Member {
  H: number;
  w1: Float32Array;
  nonZeroRow: Uint8Array; // features never seen in training keep a zero W1 row: skip them
  wOff: number; // byte offset of this W1 in the kernel's memory
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  temps: Float64Array;
  buckets: ModelBuckets[];
  mode: 'interpolate' | 'step';
}

interface Kernel {
  fn: HiddenKernel;
  rowsOff: number;
  valsOff: number;
  hOff: number;
  rows: Int32Array; // byte addresses of the query's seen W1 rows
  vals: Float64Array; // their normalised weights (float32 values)
  hv: Float32Array;
  w: Float32Array; // all members' W1 as the kernel sees them
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
  private readonly tf: Int32Array; // integer counts (exact, as the featuriser's float32 counts are)
  private readonly touched: Int32Array;
  private readonly weight: Float32Array;
  private readonly logTf = Float64Array.from({ length: 256 }, (_, t) => 1 + Math.log(t));
  private readonly memo = new SpanMemo<Int32Array>(); // token -> [hash, unigram index, char-gram indices...], bounded
  private readonly scanner = new TokenScanner();
  private readonly members: Member[];
  private readonly ensemble: Calibration | null; // calibration of the members' raw mean (calibration/ensemble.ts)
  private readonly acc: Float32Array; // the raw mean, float32 as the predictor accumulates it
  private readonly k: number;
  private readonly h: Float32Array;
  private readonly rows: Int32Array; // W1 row offsets of the query's seen features
  private readonly vals: Float32Array; // their normalised weights
  private readonly kernel: Kernel | null;

  /** `simd: false` keeps the hidden layer in TypeScript (the kernel's fallback; tested equal). */
  constructor(policy: Policy, opts: { simd?: boolean } = {}) {
    const f = BuiltinFeaturizerSpec.parse(policy.featurizer.spec);
    this.dim = f.dim;
    this.seed = f.seed;
    this.maxTokens = f.maxTokens;
    this.charNgrams = f.charNgrams;
    this.idf = b64ToF32(f.idf.data);
    this.tf = new Int32Array(f.dim);
    this.touched = new Int32Array(f.dim);
    this.weight = new Float32Array(f.dim);
    this.k = policy.models.length;
    this.members = policy.predictor.heads.map((json, b) => {
      const head = MlpHead.load(json as never);
      const H = head.settings.hidden;
      const nonZeroRow = new Uint8Array(head.dim);
      for (let j = 0; j < head.dim; j++) for (let u = 0; u < H && !nonZeroRow[j]; u++) if (head.w1[j * H + u] !== 0) nonZeroRow[j] = 1;
      const cal = policy.calibration.members[b];
      return { H, w1: head.w1, nonZeroRow, wOff: 0, b1: head.b1, w2: head.w2, b2: head.b2, temps: Float64Array.from(cal.temperatures), buckets: cal.buckets, mode: cal.settings.mode };
    });
    this.kernel = opts.simd === false ? null : this.loadKernel(f.dim);
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

  /**
   * score() and, from the same features (one featurisation instead of two), each text's cosine
   * with every task centroid of a dense D x T table (task-classifier.ts), for texts sent without a task.
   */
  scoreWithTaskSims(texts: string[], table: Float32Array, T: number): { p: Float32Array; sims: Float64Array } {
    const k = this.k;
    const out = new Float32Array(texts.length * k);
    const sims = new Float64Array(texts.length * T);
    for (let i = 0; i < texts.length; i++) this.scoreOne(texts[i], out, i * k, { table, T, sims, at: i * T });
    return { p: out, sims };
  }

  private scoreOne(text: string, out: Float32Array, offset: number, task: { table: Float32Array; T: number; sims: Float64Array; at: number } | null = null): void {
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
    // Normalised (float32, as the featuriser stores it) only where a head reads it: in the gathers.
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    if (task) {
      // The featuriser's stored value: float32(float32(w) · inv), as BuiltinFeaturizer.transform keeps it.
      const { table, T, sims, at } = task;
      for (let t = 0; t < nnz; t++) {
        const v = Math.fround(Math.fround(weight[t]) * inv);
        const row = touched[t] * T;
        for (let c = 0; c < T; c++) sims[at + c] += v * table[row + c];
      }
    }
    const B = this.members.length;
    const { ensemble, acc } = this;
    acc.fill(0);
    for (const m of this.members) {
      const { H, w2, b2 } = m;
      const h = this.h;
      if (this.kernel) this.hiddenKernel(m, nnz, inv);
      else this.hiddenJs(m, nnz, inv);
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

  /** h = b1 + W1ᵀx in the predictor's float32 order (see wasm-hidden.ts), SIMD kernel. */
  private hiddenKernel(m: Member, nnz: number, inv: number): void {
    const { H, nonZeroRow, b1, wOff } = m;
    const { touched, weight, h } = this;
    const kern = this.kernel!;
    const { rows, vals, hv, w } = kern;
    const rowBytes = H * 4;
    let seen = 0;
    for (let t = 0; t < nnz; t++) {
      const j = touched[t];
      if (nonZeroRow[j] === 0) continue;
      rows[seen] = wOff + j * rowBytes;
      vals[seen++] = Math.fround(weight[t] * inv);
    }
    for (let u = 0; u < H; u++) hv[u] = b1[u];
    const groups = H >> 3;
    kern.fn.accumulate(kern.rowsOff, kern.valsOff, seen, kern.hOff, groups);
    for (let u = 0; u < groups * 8; u++) h[u] = hv[u];
    for (let u = groups * 8; u < H; u++) {
      let a = b1[u];
      for (let t = 0; t < seen; t++) a = Math.fround(a + vals[t] * w[(rows[t] >> 2) + u]);
      h[u] = a;
    }
  }

  /** The same in plain TypeScript, where WebAssembly SIMD is unavailable. */
  private hiddenJs(m: Member, nnz: number, inv: number): void {
    const { H, w1, nonZeroRow, b1 } = m;
    const { touched, weight, h, rows, vals } = this;
    let seen = 0;
    for (let t = 0; t < nnz; t++) {
      const j = touched[t];
      if (nonZeroRow[j] === 0) continue;
      rows[seen] = j * H;
      vals[seen++] = weight[t] * inv; // float32 store: the featuriser's normalised weight
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
  }

  /** W1 of every member copied once into the kernel's memory, then the scratch: rows, vals, h. */
  private loadKernel(dim: number): Kernel | null {
    let bytes = 0;
    for (const m of this.members) {
      m.wOff = bytes;
      bytes += m.w1.length * 4;
    }
    const rowsOff = bytes;
    const valsOff = Math.ceil((rowsOff + dim * 4) / 8) * 8; // float64 views need 8-byte alignment
    const hOff = valsOff + dim * 8;
    const Hmax = Math.max(...this.members.map((m) => m.H));
    const fn = hiddenKernel(hOff + Hmax * 4 + 64);
    if (!fn) return null;
    const buf = fn.memory.buffer;
    for (const m of this.members) new Float32Array(buf, m.wOff, m.w1.length).set(m.w1);
    return { fn, rowsOff, valsOff, hOff, rows: new Int32Array(buf, rowsOff, dim), vals: new Float64Array(buf, valsOff, dim), hv: new Float32Array(buf, hOff, Hmax), w: new Float32Array(buf, 0, rowsOff / 4) };
  }

  /** Raw counts into tf, touched indices in first-occurrence order (the featuriser's order). */
  private count(text: string): number {
    // ASCII text (most traffic): lower-casing is per character, so the scan and the memo read the
    // text as it is and only a token seen for the first time is lower-cased.
    const ascii = isAscii(text);
    const src = ascii ? text : text.toLowerCase();
    const scanner = this.scanner;
    const T = scanner.scan(src);
    const { starts, ends } = scanner;
    const start = Math.max(0, T - this.maxTokens);
    const { dim, seed, tf, touched, memo } = this;
    // The length bucket over all tokens comes first, as in the featuriser.
    touched[0] = murmur3String(`$len${31 - Math.clz32(1 + T)}`, seed) % dim;
    tf[touched[0]] = 1;
    let n = 1;
    let prev = 0;
    for (let t = start; t < T; t++) {
      const s = starts[t];
      const e = ends[t];
      const key = SpanMemo.hash(src, s, e);
      let f = memo.get(src, s, e, key);
      if (f === undefined) {
        const token = ascii ? src.slice(s, e).toLowerCase() : src.slice(s, e);
        f = this.features(token);
        memo.set(token, key, f);
      }
      const u = f[0] >>> 0;
      for (let g = 1; g < f.length; g++) {
        const j = f[g];
        if (tf[j] === 0) touched[n++] = j;
        tf[j] += 1;
      }
      if (t > start) {
        const j = murmur3Words(prev, u, seed) % dim;
        if (tf[j] === 0) touched[n++] = j;
        tf[j] += 1;
      }
      prev = u;
    }
    return n;
  }

  /** [hash, unigram index, char-gram indices..., shape index] of a token (memoised by count). */
  private features(token: string): Int32Array {
    const { dim, seed } = this;
    const u = murmur3String(token, seed);
    const cps = Array.from(`<${token}>`);
    const grams: number[] = [u | 0, u % dim];
    for (const n of this.charNgrams) for (let i = 0; i + n <= cps.length; i++) grams.push(murmur3String('#' + cps.slice(i, i + n).join(''), seed) % dim);
    if (DIGIT.test(token)) grams.push(murmur3String('^' + token.replace(DIGIT_RUN, '0').replace(LETTER_RUN, 'a'), seed) % dim);
    return Int32Array.from(grams);
  }
}
