import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIM = 512;

/**
 * Embeddings shared between processes: with ROUTEPLAN_ENCODER_CACHE naming a folder, each encoded
 * text is kept there as 512 floats, keyed by the encoder weights' hash and the exact text encoded,
 * and any process (the test suite's workers and the CLI and servers they start, a bench) reuses it.
 * The workspace's own feature cache (cache.ts) still applies; this one spans workspaces. Without
 * the variable nothing is read or written.
 */
export function encoderDiskCache(env: NodeJS.ProcessEnv = process.env): { dir: string } | null {
  const dir = env.ROUTEPLAN_ENCODER_CACHE;
  return dir ? { dir } : null;
}

const keyOf = (weightsSha: string, encodedText: string) => createHash('sha256').update(weightsSha).update('\0').update(encodedText).digest('hex');

/** Rows already cached for these texts (null where missing). */
export function readCached(dir: string, weightsSha: string, encodedTexts: string[]): (Float32Array | null)[] {
  return encodedTexts.map((t) => {
    try {
      const b = readFileSync(join(dir, `${keyOf(weightsSha, t)}.f32`));
      return b.byteLength === DIM * 4 ? new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) : null;
    } catch {
      return null;
    }
  });
}

/** Stores rows (each written whole, then renamed: a reader never sees half a row). */
export function writeCached(dir: string, weightsSha: string, encodedTexts: string[], rows: Float32Array): void {
  try {
    mkdirSync(dir, { recursive: true });
    encodedTexts.forEach((t, i) => {
      const file = join(dir, `${keyOf(weightsSha, t)}.f32`);
      const tmp = `${file}.tmp-${process.pid}-${i}`;
      writeFileSync(tmp, rows.subarray(i * DIM, (i + 1) * DIM));
      renameSync(tmp, file);
    });
  } catch {
    /* a cache that cannot be written is only slower */
  }
}
