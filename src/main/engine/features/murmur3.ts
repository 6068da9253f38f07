/**
 * MurmurHash3_x86_32 (Austin Appleby, public domain) over bytes. The built-in featuriser's
 * indices are defined by it, so exported policies can reproduce them in any language.
 */
export function murmur3Bytes(bytes: Uint8Array, len: number, seed: number): number {
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) h = mixBlock(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  let k = 0;
  switch (len & 3) {
    case 3:
      k ^= bytes[blocks + 2] << 16;
    // falls through
    case 2:
      k ^= bytes[blocks + 1] << 8;
    // falls through
    case 1:
      k ^= bytes[blocks];
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  return finish(h, len);
}

/** One 4-byte block k (little-endian) into the state h. */
function mixBlock(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Length and final avalanche (fmix32), unsigned. */
function finish(h: number, len: number): number {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/** Murmur3 of the UTF-8 encoding of a string. */
export function murmur3String(s: string, seed: number): number {
  if (s.length * 3 > scratch.length) scratch = new Uint8Array(s.length * 3 + 16);
  const { written } = encoder.encodeInto(s, scratch);
  return murmur3Bytes(scratch, written, seed);
}

/**
 * Murmur3 of two 32-bit values written little-endian (8 bytes): the bigram combiner. The two
 * little-endian words are exactly the two 4-byte blocks, so no byte buffer is needed.
 */
export function murmur3Words(a: number, b: number, seed: number): number {
  return finish(mixBlock(mixBlock(seed | 0, a | 0), b | 0), 8);
}

/** Murmur3 of two 32-bit values written little-endian (8 bytes): the bigram combiner. */
export const murmur3Pair = murmur3Words;
