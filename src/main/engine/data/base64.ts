// Typed arrays inside JSON state (featuriser IDF, estimator weights, policies): base64 of their
// little-endian bytes.

export function typedToB64(a: Float32Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromB64<T extends Float32Array | Int32Array>(s: string, Ctor: { new (n: number): T; BYTES_PER_ELEMENT: number }): T {
  const b = Buffer.from(s, 'base64');
  const out = new Ctor(b.byteLength / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export const f32ToB64 = typedToB64;
export const i32ToB64 = typedToB64;
export const b64ToF32 = (s: string): Float32Array => fromB64(s, Float32Array);
export const b64ToI32 = (s: string): Int32Array => fromB64(s, Int32Array);
