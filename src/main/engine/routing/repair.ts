// Repair of a feasible assignment: spend the budget the Lagrangian solution left unused on the
// upgrades with the best quality gained per dollar, never breaking a capacity. Greedy, like the
// classic rounding of the multiple-choice knapsack's one or two split queries, but applied to all.
import type { BatchInstance } from './instance';

/** Improves `assign` in place; returns the spend after repair. `cap` has Infinity = unlimited. */
const TOP = 4096;

export function repairUpgrade(inst: BatchInstance, cap: Float64Array, assign: Int32Array, passes = 4): number {
  const { n, k, quality: p, cost: c } = inst;
  const loads = new Float64Array(k);
  let spend = 0;
  for (let i = 0; i < n; i++) (loads[assign[i]] += 1), (spend += c[i * k + assign[i]]);
  const budget = Number.isFinite(inst.budget) ? inst.budget : Infinity;
  const score = new Float64Array(n);
  const target = new Int32Array(n);
  const order = new Int32Array(n);
  for (let pass = 0; pass < passes; pass++) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      const best = bestUpgrade(p, c, k, i, assign[i], budget - spend, loads, cap);
      if (best.to < 0) continue;
      score[i] = best.score;
      target[i] = best.to;
      order[m++] = i;
    }
    if (m === 0) break;
    // Only the best-ranked upgrades can be paid for: sort the top slice (the next pass sees the rest).
    const slice = Math.min(m, TOP);
    let cut = -Infinity;
    if (m > slice) {
      const scores = new Float64Array(m);
      for (let t = 0; t < m; t++) scores[t] = score[order[t]];
      scores.sort();
      cut = scores[m - slice];
    }
    const top = order.subarray(0, m).filter((i) => score[i] >= cut);
    const idx = top.sort((a, b) => (score[b] > score[a] ? 1 : score[b] < score[a] ? -1 : a - b));
    let changed = 0;
    for (const i of idx) {
      let to = target[i];
      const from = assign[i];
      let dc = c[i * k + to] - c[i * k + from];
      if (loads[to] + 1 > cap[to] || spend + dc > budget) {
        // Its first choice no longer fits: take the best one that still does.
        const alt = bestUpgrade(p, c, k, i, from, budget - spend, loads, cap);
        if (alt.to < 0) continue;
        to = alt.to;
        dc = c[i * k + to] - c[i * k + from];
      }
      assign[i] = to;
      loads[from]--;
      loads[to]++;
      spend += dc;
      changed++;
    }
    if (changed === 0) break;
  }
  return spend;
}

function bestUpgrade(p: Float64Array, c: Float64Array, k: number, i: number, from: number, room: number, loads: Float64Array, cap: Float64Array): { to: number; score: number } {
  const row = i * k;
  let to = -1;
  let score = -Infinity;
  for (let j = 0; j < k; j++) {
    if (j === from) continue;
    const dp = p[row + j] - p[row + from];
    if (dp <= 0 || loads[j] + 1 > cap[j]) continue;
    const dc = c[row + j] - c[row + from];
    if (dc > room) continue;
    // A free or cost-saving improvement ranks above any paid one.
    const s = dc <= 0 ? Infinity : dp / dc;
    if (s > score) (score = s), (to = j);
  }
  return { to, score };
}
