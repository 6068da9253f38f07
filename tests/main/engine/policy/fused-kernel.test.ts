import { describe, expect, it } from 'vitest';
import { murmur3Bytes, murmur3Words } from '../../../../src/main/engine/features/murmur3';
import { FusedScorer } from '../../../../src/main/engine/policy/fused-scorer';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import { SpanMemo, TokenScanner } from '../../../../src/main/engine/policy/token-scan';
import { hiddenKernel } from '../../../../src/main/engine/policy/wasm-hidden';
import { fitDefaultPredictor } from '../../../../src/main/engine/predictor/api';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import { readRouterbench, testFiles, trainFiles } from '../../../helpers/routerbench';

const odd = ['', '   ', 'ÉCOLE école 123 x', '日本語のテキスト', '😀 emoji only', '𝐀𝐁𝐂 math bold', 'a\u0301b combining', '\ud800 lone \udc00 surrogates \ud83d', 'x²³ ½ ٣٤ numbers', 'İstanbul ǅ ß', 'end\ud83d'];

function randomText(rng: () => number, len: number): string {
  const pool = ['a', 'Z', '7', ' ', '-', 'é', 'ß', '日', '😀', '𝐀', '\u0301', '\ud800', '\udc00', '٣', '\n', '_'];
  let s = '';
  for (let i = 0; i < len; i++) s += pool[Math.floor(rng() * pool.length)];
  return s;
}

describe('fused scorer fast paths', () => {
  it('scans the same tokens as /[\\p{L}\\p{N}]+/gu, and the span memo finds them in place', () => {
    const rng = createRng(5).next;
    const texts = [...readRouterbench([testFiles[0]]).texts.slice(0, 300), ...odd, ...Array.from({ length: 300 }, () => randomText(rng, 60))];
    const scanner = new TokenScanner();
    const memo = new SpanMemo<number>(64); // tiny: it starts over many times
    for (const text of texts) {
      const lower = text.toLowerCase();
      const want = lower.match(/[\p{L}\p{N}]+/gu) ?? [];
      const n = scanner.scan(lower);
      const got = Array.from({ length: n }, (_, t) => lower.slice(scanner.starts[t], scanner.ends[t]));
      expect(got).toEqual(want);
      for (let t = 0; t < n; t++) {
        const [s, e] = [scanner.starts[t], scanner.ends[t]];
        const h = SpanMemo.hash(lower, s, e);
        const v = memo.get(lower, s, e, h);
        if (v === undefined) memo.set(got[t], h, got[t].length);
        else expect(v).toBe(got[t].length);
      }
    }
  });

  it('reads an ASCII text as it is: same spans, and the memo finds lower-cased keys from mixed case', () => {
    const rng = createRng(6).next;
    const pool = ['a', 'Z', 'q', 'M', '7', ' ', '-', '_', '\n', '\\', '"', '~', '\x00', '\x7f'];
    const ascii = [...readRouterbench([testFiles[1]]).texts.slice(0, 200), 'MiXeD CaSe mixed case MIXED', ...Array.from({ length: 300 }, () => Array.from({ length: 50 }, () => pool[Math.floor(rng() * pool.length)]).join(''))];
    const scanner = new TokenScanner();
    const memo = new SpanMemo<string>(256);
    for (const text of ascii) {
      const lower = text.toLowerCase();
      const want = lower.match(/[\p{L}\p{N}]+/gu) ?? [];
      const n = scanner.scan(text);
      expect(n).toBe(want.length);
      for (let t = 0; t < n; t++) {
        const [s, e] = [scanner.starts[t], scanner.ends[t]];
        expect(lower.slice(s, e)).toBe(want[t]);
        const h = SpanMemo.hash(text, s, e);
        expect(h).toBe(SpanMemo.hash(lower, s, e));
        const v = memo.get(text, s, e, h);
        if (v === undefined) memo.set(want[t], h, want[t]);
        else expect(v).toBe(want[t]);
      }
    }
  });

  it('hashes bigram words like MurmurHash3 over their 8 little-endian bytes', () => {
    const rng = createRng(9).next;
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < 20000; i++) {
      const a = Math.floor(rng() * 2 ** 32);
      const b = i % 5 === 0 ? 0xffffffff : Math.floor(rng() * 2 ** 32);
      view.setUint32(0, a, true);
      view.setUint32(4, b, true);
      expect(murmur3Words(a | 0, b, 104729)).toBe(murmur3Bytes(bytes, 8, 104729));
    }
  });

  it('the SIMD kernel rounds every step to float32 exactly like Math.fround in float64', () => {
    const H = 24; // two groups of 8 in the kernel
    const D = 512;
    const kernel = hiddenKernel(D * H * 4 + (1 << 16));
    expect(kernel).not.toBeNull();
    const buf = kernel!.memory.buffer;
    const w1 = new Float32Array(buf, 0, D * H);
    const rng = createRng(3).next;
    for (let i = 0; i < w1.length; i++) w1[i] = (rng() - 0.5) * 2 ** Math.floor(rng() * 60 - 30);
    const seen = 2000;
    const rowsOff = D * H * 4;
    const valsOff = rowsOff + seen * 4;
    const hOff = valsOff + seen * 8;
    const rows = new Int32Array(buf, rowsOff, seen);
    const vals = new Float64Array(buf, valsOff, seen);
    const h = new Float32Array(buf, hOff, H);
    for (let rep = 0; rep < 20; rep++) {
      const ref = new Float32Array(H);
      for (let u = 0; u < H; u++) ref[u] = h[u] = rng() - 0.5;
      for (let t = 0; t < seen; t++) {
        rows[t] = Math.floor(rng() * D) * H * 4;
        vals[t] = Math.fround(rng() * (rep % 2 ? 1 : 1e-4));
      }
      for (let t = 0; t < seen; t++) for (let u = 0; u < 16; u++) ref[u] = Math.fround(ref[u] + vals[t] * w1[rows[t] / 4 + u]);
      kernel!.accumulate(rowsOff, valsOff, seen, hOff, 2);
      expect(Array.from(h)).toEqual(Array.from(ref));
    }
  });

  it('gives the same bits with and without the SIMD kernel', async () => {
    const train = readRouterbench([trainFiles[1]]);
    const test = readRouterbench([testFiles[1]]);
    const predictor = await fitDefaultPredictor(train, { seed: 2 });
    const policy = await policyFromTraining({ name: 'kernel', dataset: 'x', seed: 2, createdAt: '2026-11-24T00:00:00.000Z', train, predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online' });
    const texts = [...test.texts, ...odd, 'word '.repeat(400)];
    const want = (await predictor.predict(texts)).p;
    expect(Array.from(new FusedScorer(policy).score(texts))).toEqual(Array.from(want));
    expect(Array.from(new FusedScorer(policy, { simd: false }).score(texts))).toEqual(Array.from(want));
  });
});
