// NDCH (RouterBench, section 5) and NDCH(P) (the article, section 6): mix the two hull models that
// bracket the per-query budget; NDCH picks who goes to the dearer one at random, NDCH(P) sends the
// queries with the largest predicted gain.
import { EngineError } from '../../../../shared/errors';
import { permutation } from '../../predictor/rng';
import type { RoutingContext, Strategy, ValidationStats } from './types';

/** Vertices of the upper convex hull of (mean cost, accuracy) that is non-decreasing in cost. */
export function nonDecreasingHull(stats: ValidationStats): number[] {
  const k = stats.accuracy.length;
  const idx = Array.from({ length: k }, (_, j) => j)
    .filter((j) => Number.isFinite(stats.meanCost[j]) && Number.isFinite(stats.accuracy[j]))
    .sort((a, b) => stats.meanCost[a] - stats.meanCost[b] || stats.accuracy[b] - stats.accuracy[a]);
  const hull: number[] = [];
  const cross = (o: number, a: number, b: number) =>
    (stats.meanCost[a] - stats.meanCost[o]) * (stats.accuracy[b] - stats.accuracy[o]) - (stats.accuracy[a] - stats.accuracy[o]) * (stats.meanCost[b] - stats.meanCost[o]);
  for (const j of idx) {
    // Same cost as the last vertex: keep only the more accurate one (it came first).
    if (hull.length && stats.meanCost[hull[hull.length - 1]] === stats.meanCost[j]) continue;
    while (hull.length >= 2 && cross(hull[hull.length - 2], hull[hull.length - 1], j) >= 0) hull.pop();
    hull.push(j);
  }
  // Keep the rising part only: beyond the most accurate vertex, paying more buys nothing.
  let top = 0;
  for (let t = 1; t < hull.length; t++) if (stats.accuracy[hull[t]] > stats.accuracy[hull[top]]) top = t;
  return hull.slice(0, top + 1);
}

/** The bracketing vertices for a per-query budget and the share of queries for the cheaper one. */
export function hullMix(stats: ValidationStats, perQueryBudget: number): { a: number; z: number; shareA: number } {
  const hull = nonDecreasingHull(stats);
  if (!hull.length) throw new EngineError('INVALID_INPUT', 'NDCH needs validation accuracy and mean cost per model');
  const c = (j: number) => stats.meanCost[j];
  if (perQueryBudget <= c(hull[0])) return { a: hull[0], z: hull[0], shareA: 1 };
  const last = hull[hull.length - 1];
  if (perQueryBudget >= c(last)) return { a: last, z: last, shareA: 1 };
  let t = 0;
  while (c(hull[t + 1]) < perQueryBudget) t++;
  const a = hull[t];
  const z = hull[t + 1];
  return { a, z, shareA: (c(z) - perQueryBudget) / (c(z) - c(a)) };
}

function ndchRoute(ctx: RoutingContext, byGain: boolean): Int32Array {
  if (!ctx.valStats) throw new EngineError('INVALID_INPUT', 'NDCH needs validation statistics');
  const perQuery = Number.isFinite(ctx.budget) ? ctx.budget / Math.max(1, ctx.n) : Infinity;
  const { a, z, shareA } = hullMix(ctx.valStats, perQuery);
  const out = new Int32Array(ctx.n).fill(a);
  const toZ = ctx.n - Math.round(shareA * ctx.n);
  if (toZ <= 0 || a === z) return out;
  let order: Int32Array;
  if (byGain) {
    const gain = new Float64Array(ctx.n);
    for (let i = 0; i < ctx.n; i++) gain[i] = ctx.p[i * ctx.k + z] - ctx.p[i * ctx.k + a];
    order = Int32Array.from({ length: ctx.n }, (_, i) => i).sort((x, y) => gain[y] - gain[x] || x - y);
  } else {
    order = permutation(ctx.n, ctx.rng);
  }
  for (let t = 0; t < toZ; t++) out[order[t]] = z;
  return out;
}

export const ndch: Strategy = { name: 'ndch', budgeted: true, route: (ctx) => ndchRoute(ctx, false) };
export const ndchP: Strategy = { name: 'ndch-p', budgeted: true, route: (ctx) => ndchRoute(ctx, true) };
