import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot, scratchDir } from '../../../helpers/engine';
import { WordPieceTokenizer } from '../../../../src/main/engine/features/wordpiece';
import { OnnxEncoderFeaturizer } from '../../../../src/main/engine/features/onnx-encoder';
import { cachedFeaturizer } from '../../../../src/main/engine/features/cache';
import { ElemType, floatTensor, int64Tensor, modelBytes, node, valueInfo } from '../../../../src/main/engine/predictor/onnx-graph';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { createRng } from '../../../../src/main/engine/predictor/rng';

const minilm = resolve(repoRoot, '../shared/data/tokenizers/minilm');

/** A tiny "encoder": token embeddings times the attention mask, [batch, seq, dim]. */
function tinyEncoder(vocab: number, dim: number, seed: number): { bytes: Uint8Array; table: Float32Array } {
  const rng = createRng(seed);
  const table = Float32Array.from({ length: vocab * dim }, () => rng.normal());
  const bytes = modelBytes({
    name: 'tiny-encoder',
    nodes: [
      node('Gather', ['E', 'input_ids'], ['emb'], [{ name: 'axis', i: 0 }]),
      node('Cast', ['attention_mask'], ['maskf'], [{ name: 'to', i: ElemType.FLOAT }]),
      node('Unsqueeze', ['maskf', 'axes'], ['mask3']),
      node('Mul', ['emb', 'mask3'], ['last_hidden_state']),
    ],
    initializers: [floatTensor('E', [vocab, dim], table), int64Tensor('axes', [1], [-1])],
    inputs: [valueInfo('input_ids', ElemType.INT64, ['b', 's']), valueInfo('attention_mask', ElemType.INT64, ['b', 's'])],
    outputs: [valueInfo('last_hidden_state', ElemType.FLOAT, ['b', 's', dim])],
  });
  return { bytes, table };
}

describe('WordPiece tokenizer (MiniLM vocabulary)', () => {
  const tok = WordPieceTokenizer.fromFolder(minilm);
  const fromVocabTxt = (() => {
    const s = scratchDir();
    copyFileSync(join(minilm, 'vocab.txt'), join(s.dir, 'vocab.txt'));
    const t = WordPieceTokenizer.fromFolder(s.dir);
    s.cleanup();
    return t;
  })();
  const word = (id: number) => [...tok.vocab].find(([, v]) => v === id)![0];

  it('splits punctuation, lower-cases, strips accents and uses ## sub-words', () => {
    const ids = tok.encode('Héllo, WORLD! unaffable');
    // greedy longest match, as bert-base-uncased does
    expect(ids.map(word)).toEqual(['[CLS]', 'hello', ',', 'world', '!', 'una', '##ffa', '##ble', '[SEP]']);
    expect(ids[0]).toBe(101);
    expect(ids.at(-1)).toBe(102);
    expect(fromVocabTxt.encode('Héllo, WORLD! unaffable')).toEqual(ids);
  });

  it('truncates to the maximum length and marks unknown words', () => {
    expect(tok.encode('word '.repeat(500))).toHaveLength(128);
    expect(tok.encode('\u{1F600}').map(word)).toEqual(['[CLS]', '[UNK]', '[SEP]']);
  });
});

describe('ONNX sentence encoder featuriser', () => {
  const s = scratchDir();
  afterAll(() => s.cleanup());
  const dim = 8;
  const { bytes, table } = tinyEncoder(30522, dim, 11);
  writeFileSync(join(s.dir, 'model.onnx'), bytes);
  copyFileSync(join(minilm, 'tokenizer.json'), join(s.dir, 'tokenizer.json'));
  const texts = ['A short question?', 'A much longer question about the capital of France, with several words.', 'x'];

  it('mean-pools token states over the attention mask, in padded batches', async () => {
    const f = await OnnxEncoderFeaturizer.open(s.dir, { batchSize: 2 });
    const x = await f.transform(texts);
    expect(x.dim).toBe(dim);
    const tok = WordPieceTokenizer.fromFolder(s.dir);
    texts.forEach((t, r) => {
      const ids = tok.encode(t);
      for (let d = 0; d < dim; d++) {
        const mean = ids.reduce((acc, id) => acc + table[id * dim + d], 0) / ids.length;
        expect(x.data[r * dim + d]).toBeCloseTo(mean, 5);
      }
    });
    const again = await OnnxEncoderFeaturizer.fromSpec(JSON.parse(JSON.stringify(f.spec())));
    expect(Array.from((await again.transform(texts)).data)).toEqual(Array.from(x.data));
  });

  it('caches features in the workspace by featuriser and text hash', async () => {
    const db = openDatabase(':memory:');
    const f = await OnnxEncoderFeaturizer.open(s.dir);
    const cached = cachedFeaturizer(f, db);
    const first = await cached.transform(texts);
    const count = () => (db.prepare('SELECT COUNT(*) AS n FROM feature_cache WHERE featurizer = ?').get(f.key) as { n: number }).n;
    expect(count()).toBe(3);
    const second = await cached.transform([texts[2], 'a new one', texts[0]]);
    expect(count()).toBe(4);
    expect(Array.from(second.data.subarray(0, dim))).toEqual(Array.from(first.data.subarray(2 * dim, 3 * dim)));
    expect(Array.from(second.data.subarray(2 * dim))).toEqual(Array.from(first.data.subarray(0, dim)));
    db.close();
  });
});
