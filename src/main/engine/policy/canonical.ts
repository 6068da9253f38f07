import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members dropped,
 * numbers as ECMAScript prints them (the shortest round-trip form). Two equal policies therefore
 * hash equally whatever produced them, and any edit to a value changes the hash.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON cannot hold a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * sha256Hex(canonicalJson(value)), with the canonical JSON fed to the hash a piece at a time: a
 * 100 MB policy is never one string, and `onBytes` hears how far the hash got (every 8 MB).
 */
export function canonicalHash(value: unknown, onBytes?: (bytes: number) => void): string {
  const hash = createHash('sha256');
  let pieces: string[] = [];
  let pending = 0;
  let hashed = 0;
  let reported = 0;
  const flush = () => {
    hash.update(pieces.join(''));
    hashed += pending;
    pieces = [];
    pending = 0;
    if (onBytes && hashed - reported >= 8 << 20) onBytes((reported = hashed));
  };
  const put = (text: string) => {
    pieces.push(text);
    if ((pending += text.length) >= 1 << 20) flush();
  };
  const write = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return put(`${canonicalJson(v)}`);
    if (Array.isArray(v)) {
      put('[');
      v.forEach((x, i) => {
        if (i) put(',');
        if (x === undefined) put('null');
        else write(x);
      });
      return put(']');
    }
    const o = v as Record<string, unknown>;
    put('{');
    Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .forEach((k, i) => {
        put(`${i ? ',' : ''}${JSON.stringify(k)}:`);
        write(o[k]);
      });
    put('}');
  };
  write(value);
  flush();
  return hash.digest('hex');
}

/** The content hash of a policy object: sha256 of its canonical JSON without `contentHash` and `signature` (which signs this hash). */
export function policyHash(policy: Record<string, unknown>, onBytes?: (bytes: number) => void): string {
  const { contentHash: _omit, signature: _signature, ...rest } = policy;
  return canonicalHash(rest, onBytes);
}
