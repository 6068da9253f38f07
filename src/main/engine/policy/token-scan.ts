/**
 * The built-in featuriser's tokeniser (`/[\p{L}\p{N}]+/gu` over the lowercased text) as a scan
 * that records token boundaries instead of building strings, and a memo keyed by the token's
 * characters in place: a router that has seen a token before (few-shot prompts repeat most of
 * theirs) allocates nothing for it. Same tokens, same order as the regex (tested against it).
 */

const TOKEN_CHAR = /^[\p{L}\p{N}]$/u;
// BMP code unit -> 0 unknown, 1 token character, 2 not (filled on first sight; ASCII up front).
const bmp = new Uint8Array(65536);
for (let c = 0; c < 128; c++) bmp[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;

// Code unit -> itself, except A-Z -> a-z: toLowerCase for an ASCII text, and no change at all for a
// text already lower-cased. The memo reads spans through it, so one lookup serves both.
const LOWER = Uint16Array.from({ length: 65536 }, (_, c) => (c >= 65 && c <= 90 ? c + 32 : c));
const NON_ASCII = /[^\x00-\x7f]/;

/** True when every code unit of s is ASCII: then lower-casing and token boundaries are per character. */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

/** Code units of the token character starting at i of s (1 or 2), or 0 when it is not one. */
function tokenCharAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) {
    let v = bmp[c];
    if (v === 0) v = bmp[c] = TOKEN_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    return v === 1 ? 1 : 0;
  }
  const d = s.charCodeAt(i + 1);
  if (d < 0xdc00 || d > 0xdfff) return 0; // a lone high surrogate is no letter or number
  return TOKEN_CHAR.test(s.slice(i, i + 2)) ? 2 : 0;
}

/** Token spans of s into starts/ends (grown as needed); returns how many tokens. */
export class TokenScanner {
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);

  scan(s: string): number {
    let n = 0;
    let i = 0;
    const len = s.length;
    // ASCII code units (most text) are one table read; the rest go through tokenCharAt.
    while (i < len) {
      let c = s.charCodeAt(i);
      let w = c < 128 ? bmp[c] & 1 : tokenCharAt(s, i);
      if (w === 0) {
        i++;
        continue;
      }
      const start = i;
      do i += w;
      while (i < len && (w = (c = s.charCodeAt(i)) < 128 ? bmp[c] & 1 : tokenCharAt(s, i)) !== 0);
      if (n === this.starts.length) this.grow();
      this.starts[n] = start;
      this.ends[n++] = i;
    }
    return n;
  }

  private grow(): void {
    const s = new Int32Array(this.starts.length * 2);
    const e = new Int32Array(this.ends.length * 2);
    s.set(this.starts);
    e.set(this.ends);
    this.starts = s;
    this.ends = e;
  }
}

/**
 * Open-addressing map from a substring s[start, end) to a value, compared character by character
 * so a lookup needs no substring. Keys are stored lower-cased and spans are read through LOWER, so
 * s may be an ASCII text as it is or an already lower-cased one. Bounded: when full at `maxSlots`,
 * it starts over empty.
 */
export class SpanMemo<V> {
  private mask: number;
  private hashes: Int32Array;
  private keys: (string | undefined)[];
  private values: (V | undefined)[];
  private size = 0;

  constructor(private readonly maxSlots = 1 << 20) {
    this.mask = (1 << 14) - 1;
    this.hashes = new Int32Array(this.mask + 1);
    this.keys = new Array(this.mask + 1);
    this.values = new Array(this.mask + 1);
  }

  /** FNV-1a of the span read through LOWER (= of the lower-cased span, for ASCII or lower-cased text). */
  static hash(s: string, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ LOWER[s.charCodeAt(i)], 0x01000193);
    return h;
  }

  get(s: string, start: number, end: number, hash: number): V | undefined {
    const { mask, hashes, keys } = this;
    const len = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const key = keys[slot];
      if (key === undefined) return undefined;
      if (hashes[slot] !== hash || key.length !== len) continue;
      let i = 0;
      while (i < len && key.charCodeAt(i) === LOWER[s.charCodeAt(start + i)]) i++;
      if (i === len) return this.values[slot];
    }
  }

  /** Insert a key known to be absent. */
  set(key: string, hash: number, value: V): void {
    if (2 * (this.size + 1) > this.mask + 1) {
      if (this.mask + 1 < this.maxSlots) this.rehash((this.mask + 1) * 2);
      else this.rehash(this.mask + 1, true);
    }
    this.place(key, hash, value);
  }

  private place(key: string, hash: number, value: V): void {
    let slot = hash & this.mask;
    while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
    this.hashes[slot] = hash;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.size++;
  }

  private rehash(slots: number, clear = false): void {
    const { hashes, keys, values } = this;
    this.mask = slots - 1;
    this.hashes = new Int32Array(slots);
    this.keys = new Array(slots);
    this.values = new Array(slots);
    this.size = 0;
    if (clear) return;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.place(keys[i]!, hashes[i], values[i]!);
  }
}
