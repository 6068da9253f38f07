import { describe, expect, it } from 'vitest';
import { encoderDiskCache, readCached, writeCached } from '../../../../src/main/engine/features/encoder-disk-cache';
import { scratchDir } from '../../../helpers/engine';

describe('the encoder disk cache', () => {
  it('returns rows written for the same weights and text, and nothing for other weights or texts', () => {
    const s = scratchDir('routeplan-enc-cache-');
    try {
      const rows = new Float32Array(2 * 512).map((_, i) => Math.sin(i));
      writeCached(s.dir, 'w1', ['alpha', 'beta'], rows);
      const [a, b, c] = readCached(s.dir, 'w1', ['alpha', 'beta', 'gamma']);
      expect(Array.from(a!)).toEqual(Array.from(rows.subarray(0, 512)));
      expect(Array.from(b!)).toEqual(Array.from(rows.subarray(512)));
      expect(c).toBeNull();
      expect(readCached(s.dir, 'w2', ['alpha'])).toEqual([null]);
    } finally {
      s.cleanup();
    }
  });

  it('is off unless ROUTEPLAN_ENCODER_CACHE names a folder', () => {
    expect(encoderDiskCache({})).toBeNull();
    expect(encoderDiskCache({ ROUTEPLAN_ENCODER_CACHE: '/x' })).toEqual({ dir: '/x' });
  });
});
