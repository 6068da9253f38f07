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

/** The content hash of a policy object: sha256 of its canonical JSON without `contentHash` and `signature` (which signs this hash). */
export function policyHash(policy: Record<string, unknown>): string {
  const { contentHash: _omit, signature: _signature, ...rest } = policy;
  return sha256Hex(canonicalJson(rest));
}
