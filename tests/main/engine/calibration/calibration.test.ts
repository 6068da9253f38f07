import { describe, expect, it } from 'vitest';
import { fitTemperatures } from '../../../../src/main/engine/calibration/temperature';
import { Calibrator } from '../../../../src/main/engine/calibration/calibrator';
import { applyBuckets, poolAdjacentViolators } from '../../../../src/main/engine/calibration/buckets';
import { columnAuc, probabilityMetrics } from '../../../../src/main/engine/calibration/metrics';
import { createRng } from '../../../../src/main/engine/predictor/rng';

/** n x k logits with labels drawn from sigmoid(logit / trueT[c]). */
function synthetic(n: number, trueT: number[], seed: number) {
  const rng = createRng(seed);
  const k = trueT.length;
  const z = new Float32Array(n * k);
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      z[i * k + c] = 3 * rng.normal();
      y[i * k + c] = rng.next() < 1 / (1 + Math.exp(-z[i * k + c] / trueT[c])) ? 1 : 0;
      if (rng.next() < 0.05) y[i * k + c] = NaN;
    }
  return { z, y, k };
}

describe('temperature scaling', () => {
  it('recovers the temperature that generated the labels, per model', () => {
    const trueT = [0.5, 1, 2.5];
    const { z, y, k } = synthetic(20000, trueT, 1);
    const t = fitTemperatures(z, y, 20000, k);
    trueT.forEach((tt, c) => expect(Math.abs(t[c] - tt) / tt).toBeLessThan(0.1));
  });

  it('with a prior on log T, moves less on few rows than on many, always toward the data', () => {
    const trueT = [0.5, 2.5];
    const few = synthetic(200, trueT, 4);
    const many = synthetic(20000, trueT, 5);
    const free = fitTemperatures(few.z, few.y, 200, 2);
    const mapFew = fitTemperatures(few.z, few.y, 200, 2, 0.1);
    const mapMany = fitTemperatures(many.z, many.y, 20000, 2, 0.1);
    for (let c = 0; c < 2; c++) {
      const l = (x: number) => Math.log(x);
      // Between 1 and the free fit, and closer to 1 with 200 rows than with 20,000.
      expect(Math.sign(l(mapFew[c]))).toBe(Math.sign(l(free[c])));
      expect(Math.abs(l(mapFew[c]))).toBeLessThan(Math.abs(l(free[c])));
      expect(Math.abs(l(mapFew[c]))).toBeLessThan(Math.abs(l(mapMany[c])));
    }
    expect(Array.from(fitTemperatures(few.z, few.y, 200, 2, 0))).toEqual(Array.from(free));
  });
});

describe('calibrator', () => {
  it('lowers the ECE of miscalibrated logits on fresh data and keeps the ranking (AUC)', () => {
    const trueT = [0.5, 2, 3];
    const fit = synthetic(3000, trueT, 2);
    const test = synthetic(5000, trueT, 3);
    const cal = Calibrator.fit(fit.z, fit.y, 3000, 3);
    const raw = probabilityMetrics(test.z.map((v) => 1 / (1 + Math.exp(-v))), test.y, 5000, 3);
    const after = probabilityMetrics(cal.apply(test.z), test.y, 5000, 3);
    expect(raw.ece).toBeGreaterThan(0.05);
    expect(after.ece).toBeLessThan(0.02);
    expect(after.auc).toBeCloseTo(raw.auc, 3);
  });

  it('maps probabilities monotonically in both bucket modes, strictly when interpolating', () => {
    const fit = synthetic(2000, [1.5, 0.7], 4);
    for (const mode of ['interpolate', 'step'] as const) {
      const cal = Calibrator.fit(fit.z, fit.y, 2000, 2, { mode });
      for (let c = 0; c < 2; c++) {
        let prev = -Infinity;
        for (let p = 0.001; p < 1; p += 0.001) {
          const q = applyBuckets(p, cal.state.buckets[c], mode);
          if (mode === 'interpolate' && q > 1e-4 && q < 1 - 1e-4) expect(q).toBeGreaterThan(prev);
          else expect(q).toBeGreaterThanOrEqual(prev - 1e-12);
          prev = q;
        }
      }
    }
  });

  it('pool-adjacent-violators returns the weighted isotonic fit', () => {
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
    close(poolAdjacentViolators([0.1, 0.5, 0.3, 0.7], [1, 1, 1, 1]), [0.1, 0.4, 0.4, 0.7]);
    close(poolAdjacentViolators([0.6, 0.2], [3, 1]), [0.5, 0.5]);
  });
});

describe('metrics', () => {
  it('AUC equals the share of correctly ordered (positive, negative) pairs, ties counting half', () => {
    const rng = createRng(5);
    const n = 300;
    const p = Float32Array.from({ length: n }, () => Math.round(rng.next() * 20) / 20);
    const y = Float32Array.from({ length: n }, (_, i) => (rng.next() < p[i] ? 1 : 0));
    y[7] = NaN;
    let good = 0;
    let pairs = 0;
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++)
        if (y[a] === 1 && y[b] === 0) {
          pairs++;
          good += p[a] > p[b] ? 1 : p[a] === p[b] ? 0.5 : 0;
        }
    expect(columnAuc(p, y, n, 1, 0)).toBeCloseTo(good / pairs, 10);
  });

  it('ECE is zero for bin-wise exact rates and Brier matches its definition', () => {
    const p = new Float32Array([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]);
    const y = new Float32Array([1, 0, 0, 0, 1, 1, 1, 0]);
    const m = probabilityMetrics(p, y, 8, 1);
    expect(m.ece).toBeCloseTo(0, 6);
    expect(m.brier).toBeCloseTo(0.1875, 6);
    expect(m.reliability).toHaveLength(15);
    expect(m.reliability.reduce((s, b) => s + b.count, 0)).toBe(8);
  });
});
