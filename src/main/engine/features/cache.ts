import type { Db } from '../store/database';
import { getCachedFeatures, putCachedFeatures } from '../store/predictors';
import { textHash } from '../store/datasets';
import type { DenseFeatures, Featurizer } from './types';

/**
 * Wraps a dense featuriser (the sentence encoder: the expensive one) with the workspace's feature
 * cache, keyed by featuriser key and text hash; only texts never seen are encoded.
 */
export function cachedFeaturizer(inner: Featurizer, db: Db): Omit<Featurizer, 'transform'> & { transform(texts: string[]): Promise<DenseFeatures> } {
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
      if (missing.length) {
        const fresh = await inner.transform(missing);
        if (fresh.kind !== 'dense') throw new Error('the feature cache holds dense rows only');
        const rows: [string, Buffer][] = missing.map((t, r) => [textHash(t), Buffer.from(fresh.data.slice(r * fresh.dim, (r + 1) * fresh.dim).buffer)]);
        putCachedFeatures(db, inner.key, rows);
        for (const [h, b] of rows) hit.set(h, b);
      }
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
