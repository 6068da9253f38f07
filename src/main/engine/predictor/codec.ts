// Typed arrays inside JSON state: base64 of the little-endian bytes.
export { encodeF32 as f32ToB64, decodeF32 as b64ToF32 } from '../features/builtin-spec';

export function i32ToB64(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function b64ToI32(s: string): Int32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Int32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
