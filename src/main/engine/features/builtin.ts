import { murmur3Pair, murmur3String } from './murmur3';
import { BuiltinFeaturizerSpec, builtinDefaults, type BuiltinSettings } from './builtin-spec';
import { b64ToF32, f32ToB64 } from '../data/base64';
import type { Featurizer, SparseFeatures } from './types';

const TOKEN = /[\p{L}\p{N}]+/gu;
const DIGIT = /\p{N}/u;
const DIGIT_RUN = /\p{N}+/gu;
const LETTER_RUN = /\p{L}+/gu;

/** Hashed word 1-2-grams + char n-grams, sublinear TF-IDF, L2 (exact rules in builtin-spec.ts). */
export class BuiltinFeaturizer implements Featurizer {
  readonly dim: number;
  readonly key: string;
  private readonly idf: Float32Array;
  // token -> [unigram hash, char n-gram indices...]; memoises only, results never depend on it
  private readonly tokenCache = new Map<string, Int32Array>();
  private readonly tf: Float32Array;
  private readonly touched: Int32Array;

  constructor(readonly settings: Omit<BuiltinFeaturizerSpec, 'idf'> & { idf: Float32Array }) {
    this.dim = settings.dim;
    this.idf = settings.idf;
    this.tf = new Float32Array(this.dim);
    this.touched = new Int32Array(this.dim);
    this.key = `builtin-v1:${settings.seed}:${settings.dim}:${settings.maxTokens}:${settings.charNgrams.join(',')}:${hashIdf(settings.idf)}`;
  }

  /** Fits the IDF table on training texts. */
  static fit(texts: string[], opts: Partial<BuiltinSettings> = {}): BuiltinFeaturizer {
    const cfg = { ...builtinDefaults, ...opts };
    const f = new BuiltinFeaturizer({ ...specBase(cfg), documents: texts.length, idf: new Float32Array(cfg.dim).fill(1) });
    const df = new Float64Array(cfg.dim);
    for (const t of texts) {
      const n = f.countInto(t);
      for (let i = 0; i < n; i++) {
        df[f.touched[i]] += 1;
        f.tf[f.touched[i]] = 0;
      }
    }
    const idf = new Float32Array(cfg.dim);
    for (let j = 0; j < cfg.dim; j++) idf[j] = Math.log((1 + texts.length) / (1 + df[j])) + 1;
    return new BuiltinFeaturizer({ ...specBase(cfg), documents: texts.length, idf });
  }

  static fromSpec(json: unknown): BuiltinFeaturizer {
    const s = BuiltinFeaturizerSpec.parse(json);
    return new BuiltinFeaturizer({ ...s, idf: b64ToF32(s.idf.data) });
  }

  spec(): BuiltinFeaturizerSpec {
    const { idf, ...rest } = this.settings;
    return { ...rest, charNgrams: [...rest.charNgrams], idf: { encoding: 'f32-le-base64', data: f32ToB64(idf) } };
  }

  transform(texts: string[]): SparseFeatures {
    const rowPtr = new Int32Array(texts.length + 1);
    let index = new Int32Array(texts.length * 64 + 16);
    let value = new Float32Array(index.length);
    let nnz = 0;
    for (let r = 0; r < texts.length; r++) {
      const n = this.countInto(texts[r]);
      if (nnz + n > index.length) {
        const cap = Math.max(index.length * 2, nnz + n);
        const i2 = new Int32Array(cap);
        i2.set(index.subarray(0, nnz));
        const v2 = new Float32Array(cap);
        v2.set(value.subarray(0, nnz));
        index = i2;
        value = v2;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) {
        const j = this.touched[i];
        const w = (1 + Math.log(this.tf[j])) * this.idf[j];
        this.tf[j] = 0;
        index[nnz + i] = j;
        value[nnz + i] = w;
        norm += w * w;
      }
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let i = 0; i < n; i++) value[nnz + i] *= inv;
      nnz += n;
      rowPtr[r + 1] = nnz;
    }
    return { kind: 'sparse', rows: texts.length, dim: this.dim, rowPtr, index: index.slice(0, nnz), value: value.slice(0, nnz) };
  }

  /** Adds the raw counts of one text into tf; returns how many distinct indices it touched. */
  private countInto(text: string): number {
    const tokens = text.toLowerCase().match(TOKEN) ?? [];
    const start = Math.max(0, tokens.length - this.settings.maxTokens);
    const { dim, seed } = this.settings;
    let touched = 0;
    const add = (j: number): void => {
      if (this.tf[j] === 0) this.touched[touched++] = j;
      this.tf[j] += 1;
    };
    add(murmur3String(`$len${31 - Math.clz32(1 + tokens.length)}`, seed) % dim);
    let prev = -1;
    for (let t = start; t < tokens.length; t++) {
      const grams = this.tokenFeatures(tokens[t]);
      const u = grams[0] >>> 0;
      add(u % dim);
      for (let g = 1; g < grams.length; g++) add(grams[g]);
      if (t > start) add(murmur3Pair(prev, u, seed) % dim);
      prev = u;
    }
    return touched;
  }

  private tokenFeatures(token: string): Int32Array {
    let f = this.tokenCache.get(token);
    if (f) return f;
    const { dim, seed, charNgrams } = this.settings;
    const cps = Array.from(`<${token}>`);
    const out: number[] = [murmur3String(token, seed) | 0];
    for (const n of charNgrams) {
      for (let i = 0; i + n <= cps.length; i++) out.push(murmur3String('#' + cps.slice(i, i + n).join(''), seed) % dim);
    }
    if (DIGIT.test(token)) out.push(murmur3String('^' + token.replace(DIGIT_RUN, '0').replace(LETTER_RUN, 'a'), seed) % dim);
    f = Int32Array.from(out);
    if (this.tokenCache.size > 500_000) this.tokenCache.clear();
    this.tokenCache.set(token, f);
    return f;
  }
}

function specBase(cfg: BuiltinSettings) {
  return {
    kind: 'builtin-hash-tfidf' as const,
    version: 1 as const,
    seed: cfg.seed,
    dim: cfg.dim,
    maxTokens: cfg.maxTokens,
    charNgrams: [...cfg.charNgrams],
    lowercase: true as const,
    tokenPattern: '[\\p{L}\\p{N}]+' as const,
    sublinearTf: true as const,
    norm: 'l2' as const,
  };
}

function hashIdf(idf: Float32Array): string {
  return murmur3String(f32ToB64(idf), 7).toString(16);
}
