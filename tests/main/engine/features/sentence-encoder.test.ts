import { describe, expect, it } from 'vitest';
import { SentenceEncoderFeaturizer, encoderTail } from '../../../../src/main/engine/features/sentence-encoder';
import { featurizerFromSpec } from '../../../../src/main/engine/features/registry';

const cos = (a: Float32Array, b: Float32Array) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) (d += a[i] * b[i]), (na += a[i] * a[i]), (nb += b[i] * b[i]);
  return d / Math.sqrt(na * nb);
};
const row = (x: { data: Float32Array }, i: number) => x.data.subarray(i * 512, (i + 1) * 512);

describe('bundled sentence encoder (USE lite)', () => {
  const f = SentenceEncoderFeaturizer.open();

  it('embeds texts to 512-d unit vectors, the same vector for the same text in any batch', async () => {
    const texts = ['How do I bake sourdough bread at home?', 'What is a good recipe for homemade bread?', 'The central bank raised interest rates by half a point.', ''];
    const x = await f.transform(texts);
    expect(x.kind).toBe('dense');
    expect(x.dim).toBe(512);
    for (let i = 0; i < 3; i++) expect(Math.hypot(...row(x, i))).toBeCloseTo(1, 2);
    expect(row(x, 3).every(Number.isFinite)).toBe(true); // an empty text encodes to a finite vector
    const alone = await f.transform([texts[2]]);
    for (let j = 0; j < 512; j++) expect(Math.abs(alone.data[j] - row(x, 2)[j])).toBeLessThan(1e-5);
    // a pretrained encoder: paraphrases are closer than unrelated sentences
    expect(cos(row(x, 0), row(x, 1))).toBeGreaterThan(cos(row(x, 0), row(x, 2)) + 0.2);
  });

  it('reads only the last tailChars characters of a prompt', async () => {
    const question = 'Which gas do plants absorb from the air? (A) oxygen (B) carbon dioxide (C) helium (D) neon';
    const preamble = 'Here are solved examples of unrelated questions about history and literature. '.repeat(20);
    expect(encoderTail(preamble + question, 250).endsWith(question)).toBe(true);
    expect(encoderTail('short', 250)).toBe('short');
    const g = SentenceEncoderFeaturizer.open({ tailChars: question.length });
    const x = await g.transform([preamble + question, question]);
    expect(cos(row(x, 0), row(x, 1))).toBeGreaterThan(0.9999);
  });

  it('round-trips through its spec, and the key names the weights and the tail', async () => {
    const spec = f.spec();
    expect(spec).toMatchObject({ kind: 'use-lite', version: 1, dim: 512, tailChars: 250 });
    expect(spec.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await featurizerFromSpec(JSON.parse(JSON.stringify(spec)));
    expect(again.key).toBe(f.key);
    expect(f.key).toContain('tail250');
    expect(SentenceEncoderFeaturizer.open({ tailChars: 100 }).key).not.toBe(f.key);
    await expect(featurizerFromSpec({ ...spec, weightsSha256: '0'.repeat(64) })).rejects.toThrow(/not the .* this predictor was trained with/);
  });
});
