import type { Db } from '../store/database';
import { getCachedFeatures, putCachedFeatures } from '../store/predictors';
import { textHash } from '../store/datasets';
import type { DenseFeatures, Featurizer } from './types';

/**
 * Wraps a dense featuriser (the sentence encoder: the expensive one) with the workspace's feature
 * cache, keyed by featuriser key and text hash; only texts never seen are encoded.
 */
export interface FeatureCacheOptions {
  /** Texts encoded and stored per step, so a cancel or a crash keeps what was done (default: all). */
  chunk?: number;
  /** Chunks encoded at once (e.g. one worker thread each; default 1). */
  concurrency?: number;
  /** Called after each stored chunk; may throw to cancel. */
  onChunk?: (done: number, total: number) => void;
}

export function cachedFeaturizer(inner: Featurizer, db: Db, opts: FeatureCacheOptions = {}): Omit<Featurizer, 'transform'> & { transform(texts: string[]): Promise<DenseFeatures> } {
  return {
    key: inner.key,
    get dim() {
      return inner.dim;
    },
    spec: () => inner.spec(),
    async transform(texts: string[]): Promise<DenseFeatures> {
      const hashes = texts.map(textHash);
      const hit = getCachedFeatures(db, inner.key, [...new Set(hashes)]);
      const missing = [...new Set(texts.filter((_, i) => !hit.has(hashes[i])))];
      const chunk = Math.max(1, opts.chunk ?? missing.length);
      let next = 0;
      let done = 0;
      const lane = async () => {
        while (next < missing.length) {
          const part = missing.slice(next, (next += chunk));
          const fresh = await inner.transform(part);
          if (fresh.kind !== 'dense') throw new Error('the feature cache holds dense rows only');
          const rows: [string, Buffer][] = part.map((t, r) => [textHash(t), Buffer.from(fresh.data.slice(r * fresh.dim, (r + 1) * fresh.dim).buffer)]);
          putCachedFeatures(db, inner.key, rows);
          for (const [h, b] of rows) hit.set(h, b);
          opts.onChunk?.((done += part.length), missing.length);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
      const dim = inner.dim;
      const data = new Float32Array(texts.length * dim);
      hashes.forEach((h, i) => {
        const b = hit.get(h)!;
        data.set(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)), i * dim);
      });
      return { kind: 'dense', rows: texts.length, dim, data };
    },
  };
}
