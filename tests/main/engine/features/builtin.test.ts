import { describe, expect, it } from 'vitest';
import { murmur3String } from '../../../../src/main/engine/features/murmur3';
import { BuiltinFeaturizer } from '../../../../src/main/engine/features/builtin';
import { b64ToF32 } from '../../../../src/main/engine/data/base64';

// An independent reading of the spec in builtin-spec.ts: strings, Maps and Buffer, no caches.
function referenceMurmur(bytes: Buffer, seed: number): number {
  let h = seed >>> 0;
  const mul = (a: number, b: number) => Math.imul(a, b) >>> 0;
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    let k = bytes.readUInt32LE(i);
    k = mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593);
    h = (mul(rotl(h ^ k, 13), 5) + 0xe6546b64) >>> 0;
  }
  let k = 0;
  for (let j = bytes.length - 1; j >= i; j--) k = ((k << 8) | bytes[j]) >>> 0;
  if (bytes.length > i) h = (h ^ mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593)) >>> 0;
  h = (h ^ bytes.length) >>> 0;
  h = mul(h ^ (h >>> 16), 0x85ebca6b);
  h = mul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function referenceVector(text: string, spec: ReturnType<BuiltinFeaturizer['spec']>): Map<number, number> {
  const idf = b64ToF32(spec.idf.data);
  const h = (s: string) => referenceMurmur(Buffer.from(s, 'utf8'), spec.seed);
  const all = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const tokens = all.slice(-spec.maxTokens);
  const tf = new Map<number, number>();
  const add = (j: number) => tf.set(j, (tf.get(j) ?? 0) + 1);
  add(h('$len' + Math.floor(Math.log2(1 + all.length))) % spec.dim);
  tokens.forEach((t, i) => {
    add(h(t) % spec.dim);
    const cps = Array.from(`<${t}>`);
    for (const n of spec.charNgrams) for (let s = 0; s + n <= cps.length; s++) add(h('#' + cps.slice(s, s + n).join('')) % spec.dim);
    if (/\p{N}/u.test(t)) add(h('^' + t.replace(/\p{N}+/gu, '0').replace(/\p{L}+/gu, 'a')) % spec.dim);
    if (i > 0) {
      const b = Buffer.alloc(8);
      b.writeUInt32LE(h(tokens[i - 1]), 0);
      b.writeUInt32LE(h(t), 4);
      add(referenceMurmur(b, spec.seed) % spec.dim);
    }
  });
  const w = new Map([...tf].map(([j, c]) => [j, (1 + Math.log(c)) * idf[j]]));
  const norm = Math.sqrt([...w.values()].reduce((s, v) => s + v * v, 0));
  return new Map([...w].map(([j, v]) => [j, v / norm]));
}

const corpus = [
  'Which skin surface will produce the most heat? A) dry palms B) wet palms',
  'Write a function to remove all elements from a given list present in another list.',
  'Kyle doesn\'t wear leg warmers to bed, while Logan almost always does. _ is more likely to live in a colder climate.',
  'Ça coûte combien ? Größe — naïve café 日本語のテキスト 123 456',
  'Write a function to find the longest common prefix.',
];

describe('MurmurHash3_x86_32', () => {
  it('matches the published test vectors', () => {
    expect(murmur3String('', 0)).toBe(0);
    expect(murmur3String('', 1)).toBe(0x514e28b7);
    expect(murmur3String('hello', 0)).toBe(0x248bfa47);
    expect(murmur3String('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });
});

describe('built-in featuriser', () => {
  const f = BuiltinFeaturizer.fit(corpus, { dim: 1 << 12 });

  it('equals an independent implementation of its written spec', () => {
    const spec = f.spec();
    const x = f.transform([...corpus, 'an unseen query about palms and lists', '']);
    for (let r = 0; r < x.rows; r++) {
      const ref = referenceVector(r < corpus.length ? corpus[r] : ['an unseen query about palms and lists', ''][r - corpus.length], spec);
      const got = new Map<number, number>();
      for (let p = x.rowPtr[r]; p < x.rowPtr[r + 1]; p++) got.set(x.index[p], x.value[p]);
      expect(got.size).toBe(ref.size);
      for (const [j, v] of ref) expect(got.get(j)).toBeCloseTo(v, 6);
    }
  });

  it('yields unit-norm rows (the empty text stays zero) and survives a JSON round trip', () => {
    const x = f.transform(corpus);
    for (let r = 0; r < x.rows; r++) {
      let s = 0;
      for (let p = x.rowPtr[r]; p < x.rowPtr[r + 1]; p++) s += x.value[p] ** 2;
      expect(s).toBeCloseTo(1, 5);
    }
    const empty = f.transform(['']);
    expect(empty.index.length).toBe(1); // only the length bucket
    expect(empty.value[0]).toBeCloseTo(1, 6);
    const g = BuiltinFeaturizer.fromSpec(JSON.parse(JSON.stringify(f.spec())));
    expect(g.key).toBe(f.key);
    const y = g.transform(corpus);
    expect(Array.from(y.index)).toEqual(Array.from(x.index));
    expect(Array.from(y.value)).toEqual(Array.from(x.value));
  });

  it('keeps only the last maxTokens tokens, and a spec with a wrong kind is refused', () => {
    const short = BuiltinFeaturizer.fit(corpus, { dim: 1 << 12, maxTokens: 3 });
    const a = short.transform(['alpha beta gamma delta epsilon']);
    const b = short.transform(['gamma delta epsilon']);
    expect(Array.from(a.index)).toEqual(Array.from(b.index));
    expect(() => BuiltinFeaturizer.fromSpec({ ...f.spec(), kind: 'other' })).toThrow();
  });
});
