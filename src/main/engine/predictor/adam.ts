/**
 * Adam over a flat parameter array. `stepRows` updates only the given rows of a row-major matrix
 * (lazy Adam for the sparse first layer: a row untouched by a batch keeps its moments), which
 * keeps one step proportional to the batch's features rather than to the hashed dimension.
 */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  constructor(
    readonly params: Float32Array,
    readonly lr: number,
    readonly l2 = 0,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(params.length);
    this.v = new Float32Array(params.length);
  }

  step(grad: Float32Array, t: number): void {
    this.update(grad, 0, this.params.length, t);
    grad.fill(0);
  }

  stepRows(grad: Float32Array, rows: Int32Array, count: number, width: number, t: number): void {
    const { params: p, m, v, beta1, beta2, eps, l2 } = this;
    const step = this.lr / (1 - beta1 ** t);
    const c2 = 1 / (1 - beta2 ** t);
    const b1c = 1 - beta1;
    const b2c = 1 - beta2;
    for (let r = 0; r < count; r++) {
      const a = rows[r] * width;
      for (let i = a; i < a + width; i++) {
        const gi = grad[i] + l2 * p[i];
        grad[i] = 0;
        const mi = beta1 * m[i] + b1c * gi;
        const vi = beta2 * v[i] + b2c * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= (step * mi) / (Math.sqrt(vi * c2) + eps);
      }
    }
  }

  private update(g: Float32Array, a: number, b: number, t: number): void {
    const { params: p, m, v, beta1, beta2, eps, l2 } = this;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const step = this.lr / c1;
    for (let i = a; i < b; i++) {
      const gi = g[i] + l2 * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * gi;
      v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
      p[i] -= (step * m[i]) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
}
