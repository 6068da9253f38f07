/**
 * Per-model temperature scaling: T[k] minimises the negative log-likelihood of sigmoid(z / T) on
 * the calibration split (golden-section search on log T; the NLL is unimodal in 1/T).
 * `priorSd` > 0 adds a Gaussian prior log T ~ N(0, priorSd²) (a MAP estimate): for inputs that are
 * already nearly calibrated, such as a bootstrap ensemble's mean, a free T per model fitted on a
 * couple of hundred rows mostly fits noise.
 */
export function fitTemperatures(logits: Float32Array, y: ArrayLike<number>, n: number, k: number, priorSd = 0): Float32Array {
  const temps = new Float32Array(k).fill(1);
  for (let c = 0; c < k; c++) {
    const z: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = y[i * k + c];
      if (Number.isNaN(v)) continue;
      z.push(logits[i * k + c]);
      t.push(v);
    }
    if (z.length < 2) continue;
    const nll = (logT: number): number => {
      const inv = Math.exp(-logT);
      let s = 0;
      for (let i = 0; i < z.length; i++) {
        const a = z[i] * inv;
        // log(1 + e^a) - t*a, stable
        s += (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))) - t[i] * a;
      }
      return priorSd > 0 ? s + (logT * logT) / (2 * priorSd * priorSd) : s;
    };
    let lo = Math.log(0.05);
    let hi = Math.log(20);
    const g = (Math.sqrt(5) - 1) / 2;
    let x1 = hi - g * (hi - lo);
    let x2 = lo + g * (hi - lo);
    let f1 = nll(x1);
    let f2 = nll(x2);
    for (let it = 0; it < 60; it++) {
      if (f1 < f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - g * (hi - lo);
        f1 = nll(x1);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + g * (hi - lo);
        f2 = nll(x2);
      }
    }
    temps[c] = Math.exp((lo + hi) / 2);
  }
  return temps;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function applyTemperatures(logits: Float32Array, temps: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = sigmoid(logits[i * k + c] / temps[c]);
  return out;
}
