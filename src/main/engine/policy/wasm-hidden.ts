/**
 * The fused scorer's hidden-layer accumulation as a tiny WebAssembly SIMD function, assembled
 * here from named opcodes (no toolchain, no binary blob). It does exactly what the predictor's
 * `h[u] = Math.fround(h[u] + v * w1[j * H + u])` does, feature by feature in the same order: each
 * lane is a float64 (`v * w` of two float32 values is exact in float64, the add rounds once in
 * float64), then rounded to float32 (`f32x4.demote_f64x2_zero`, round-to-nearest-even like
 * Math.fround) and widened back. Two lanes per instruction, no per-element bounds checks.
 *
 * accumulate(rows, vals, seen, h, groups): for g < groups (8 hidden units each), with h[8g..8g+8)
 * holding the starting values (b1), adds vals[t] * W1-row(rows[t])[8g..8g+8) for t < seen.
 * rows: i32 byte addresses of W1 rows; vals: f64 (float32 values); h: f32.
 */

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b,
  get: 0x20, set: 0x21,
  i32Load: 0x28, f64Load: 0x2b, f32Store: 0x38,
  i32Const: 0x41, i32GeS: 0x4e, i32Add: 0x6a, i32Mul: 0x6c, i32Shl: 0x74, f32DemoteF64: 0xb6,
};
const simd = (code: number): number[] => [0xfd, ...uleb(code)];
const v128Load64Zero = 0x5d;
const f32x4DemoteF64x2Zero = 0x5e;
const f64x2PromoteLowF32x4 = 0x5f;
const f64x2Splat = 0x14;
const f64x2ExtractLane = 0x21;
const f64x2Add = 0xf0;
const f64x2Mul = 0xf2;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const vec = (bytes: number[]): number[] => [...uleb(bytes.length), ...bytes];
const section = (id: number, bytes: number[]): number[] => [id, ...vec(bytes)];
const str = (s: string): number[] => vec([...Buffer.from(s, 'utf8')]);

// Parameters 0..4: rows, vals, seen, h, groups. Locals: 5 g, 6 t, 7 rb, 8 hp, 9 uoff (i32); 10 v, 11..14 a0..a3 (v128).
const [ROWS, VALS, SEEN, H, GROUPS, G, T, RB, HP, UOFF, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Loop over groups of 2·nv hidden units with nv float64x2 accumulators (locals 11..). */
function body(nv: number): number[] {
  const A = Array.from({ length: nv }, (_, k) => 11 + k);
  const b: number[] = [];
  const get = (l: number) => b.push(op.get, l);
  const set = (l: number) => b.push(op.set, l);
  const i32 = (n: number) => b.push(op.i32Const, ...sleb(n));
  b.push(op.i32Const, 0, op.set, G);
  b.push(op.block, 0x40, op.loop, 0x40);
  get(G); get(GROUPS); b.push(op.i32GeS, op.brIf, 1);
  get(G); i32(8 * nv); b.push(op.i32Mul); set(UOFF); // 2·nv units x 4 bytes
  get(H); get(UOFF); b.push(op.i32Add); set(HP);
  for (let k = 0; k < nv; k++) {
    get(HP); b.push(...simd(v128Load64Zero), 3, ...uleb(8 * k), ...simd(f64x2PromoteLowF32x4)); set(A[k]);
  }
  b.push(op.i32Const, 0, op.set, T);
  b.push(op.block, 0x40, op.loop, 0x40);
  get(T); get(SEEN); b.push(op.i32GeS, op.brIf, 1);
  get(ROWS); get(T); i32(2); b.push(op.i32Shl, op.i32Add, op.i32Load, 2, 0); get(UOFF); b.push(op.i32Add); set(RB);
  get(VALS); get(T); i32(3); b.push(op.i32Shl, op.i32Add, op.f64Load, 3, 0, ...simd(f64x2Splat)); set(V);
  for (let k = 0; k < nv; k++) {
    get(A[k]);
    get(V);
    get(RB); b.push(...simd(v128Load64Zero), 3, ...uleb(8 * k), ...simd(f64x2PromoteLowF32x4));
    b.push(...simd(f64x2Mul), ...simd(f64x2Add), ...simd(f32x4DemoteF64x2Zero), ...simd(f64x2PromoteLowF32x4));
    set(A[k]);
  }
  get(T); i32(1); b.push(op.i32Add); set(T);
  b.push(op.br, 0, op.end, op.end);
  for (let k = 0; k < nv; k++) {
    for (let lane = 0; lane < 2; lane++) {
      get(HP); get(A[k]); b.push(...simd(f64x2ExtractLane), lane, op.f32DemoteF64, op.f32Store, 2, ...uleb(8 * k + 4 * lane));
    }
  }
  get(G); i32(1); b.push(op.i32Add); set(G);
  b.push(op.br, 0, op.end, op.end, op.end);
  return b;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = section(1, [1, 0x60, ...vec([I32, I32, I32, I32, I32]), ...vec([])]); // one func type: 5 x i32 -> ()
  const imports = section(2, [1, ...str('m'), ...str('mem'), 0x02, 0x00, 0x01]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...str('accumulate'), 0x00, 0]);
  // 4 accumulators (8 units) per pass: measured as fast as 8 (16 units), and H = 8m needs no tail.
  const code = section(10, [1, ...vec([2, 5, I32, 4 + 1, V128, ...body(4)])]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

export interface HiddenKernel {
  memory: WebAssembly.Memory;
  accumulate(rows: number, vals: number, seen: number, h: number, groups: number): void;
}

/** The kernel over a memory of `bytes` bytes, or null where WebAssembly SIMD is unavailable. */
export function hiddenKernel(bytes: number): HiddenKernel | null {
  try {
    const code = moduleBytes();
    if (!WebAssembly.validate(code)) return null;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(code), { m: { mem: memory } });
    return { memory, accumulate: instance.exports.accumulate as HiddenKernel['accumulate'] };
  } catch {
    return null;
  }
}
