import { availableParallelism } from 'node:os';
import type { EngineServices } from '../services';
import type { JobContext } from '../jobs/context';
import { cachedFeaturizer } from './cache';
import { SentenceEncoderFeaturizer, type EncodeTexts } from './sentence-encoder';
import type { DenseFeatures, Featurizer } from './types';

type CachedEncoder = Omit<Featurizer, 'transform'> & { transform(texts: string[]): Promise<DenseFeatures> };

/**
 * The bundled sentence encoder as the engine runs it: texts the workspace has not cached yet are
 * encoded in worker threads (one per core, at most 4), 256 at a time, each chunk stored as it
 * finishes, so progress shows, a cancel takes effect between chunks and nothing done is lost.
 * Returns the cached encoder with every given text already encoded.
 */
/** The bundled encoder's work as a worker-thread task of the job (or call) `ctx`. */
export function encodeInWorker(s: EngineServices, ctx: JobContext): EncodeTexts {
  return (batch, settings) => s.inWorker<Float32Array>('features.encode', { texts: batch, ...settings }, ctx);
}

export async function warmSentenceEncoder(s: EngineServices, texts: string[], ctx: JobContext): Promise<CachedEncoder> {
  const encoder = SentenceEncoderFeaturizer.open({ encode: encodeInWorker(s, ctx) });
  return warmCache(encoder, s, texts, ctx, Math.max(1, Math.min(4, availableParallelism())));
}

export async function warmCache(encoder: Featurizer, s: EngineServices, texts: string[], ctx: JobContext, concurrency: number): Promise<CachedEncoder> {
  const cached = cachedFeaturizer(encoder, s.db(), {
    chunk: 256,
    concurrency,
    onChunk: (done, total) => {
      ctx.progress({ stage: 'featurise', fraction: done / total, message: `encoding texts: ${done} of ${total}`, metrics: { encoded: done, of: total } });
      ctx.check();
    },
  });
  // Said at once: loading the encoder and its first chunk can take a while on a busy machine.
  ctx.progress({ stage: 'featurise', fraction: 0, message: `encoding texts: 0 of ${texts.length}`, metrics: { encoded: 0, of: texts.length } });
  await cached.transform(texts);
  return cached;
}
