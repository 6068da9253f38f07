/**
 * Quality of probabilities p (N*K) against labels y (N*K, NaN = missing, >= 0.5 = correct):
 * macro ROC-AUC over models, ECE (equal-width bins), Brier, reliability-diagram data.
 * ECE and Brier pool all labelled query x model pairs.
 */
export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface ProbabilityMetrics {
  auc: number; // macro over models with both classes present
  ece: number;
  brier: number;
  pairs: number;
  perModelAuc: (number | null)[];
  reliability: ReliabilityBin[];
}

/** ROC-AUC of one column with ties counted half (Mann-Whitney); null without both classes. */
export function columnAuc(p: ArrayLike<number>, y: ArrayLike<number>, n: number, k: number, col: number): number | null {
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(y[i * k + col])) idx.push(i);
  idx.sort((a, b) => p[a * k + col] - p[b * k + col]);
  let pos = 0;
  let rankSum = 0;
  for (let s = 0; s < idx.length; ) {
    let e = s;
    while (e + 1 < idx.length && p[idx[e + 1] * k + col] === p[idx[s] * k + col]) e++;
    const avgRank = (s + e) / 2 + 1;
    for (let t = s; t <= e; t++) {
      if (y[idx[t] * k + col] >= 0.5) {
        pos++;
        rankSum += avgRank;
      }
    }
    s = e + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function reliability(p: ArrayLike<number>, y: ArrayLike<number>, bins = 15): ReliabilityBin[] {
  const cnt = new Float64Array(bins);
  const sp = new Float64Array(bins);
  const sy = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    if (Number.isNaN(y[i])) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i] * bins)));
    cnt[b]++;
    sp[b] += p[i];
    sy[b] += y[i] >= 0.5 ? 1 : 0;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: cnt[b],
    meanPredicted: cnt[b] ? sp[b] / cnt[b] : null,
    observedRate: cnt[b] ? sy[b] / cnt[b] : null,
  }));
}

export function probabilityMetrics(p: ArrayLike<number>, y: ArrayLike<number>, n: number, k: number, bins = 15): ProbabilityMetrics {
  const rel = reliability(p, y, bins);
  let pairs = 0;
  let brier = 0;
  for (let i = 0; i < n * k; i++) {
    if (Number.isNaN(y[i])) continue;
    pairs++;
    const t = y[i] >= 0.5 ? 1 : 0;
    brier += (p[i] - t) ** 2;
  }
  let ece = 0;
  for (const b of rel) if (b.count) ece += (b.count / pairs) * Math.abs(b.meanPredicted! - b.observedRate!);
  const perModelAuc = Array.from({ length: k }, (_, c) => columnAuc(p, y, n, k, c));
  const valid = perModelAuc.filter((a): a is number => a !== null);
  return {
    auc: valid.length ? valid.reduce((s, a) => s + a, 0) / valid.length : NaN,
    ece,
    brier: pairs ? brier / pairs : NaN,
    pairs,
    perModelAuc,
    reliability: rel,
  };
}
