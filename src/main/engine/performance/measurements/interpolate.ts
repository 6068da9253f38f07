// Interpolation over a deployment's measured operating points: across the load (concurrency or
// rate) and the input and output lengths, all in log space (metric and coordinates), nested one
// axis at a time. Each step is piecewise linear between the two nearest measured knots that
// bracket the target, so it never leaves the range of its knots: monotone data stay monotone in
// concurrency, and a target outside the measured range on any axis is "not covered" (null) rather
// than extrapolated. Lengths within 10% (loads within 2%) are one knot, as the contradiction check
// treats them; at a knot the measured value itself is returned, so measured points reproduce exactly.
import type { MeasuredPoint, Percentiles } from '../types';
import { LOAD_TOLERANCE, SHAPE_TOLERANCE } from './contradictions';

export const metricNames = ['outputTokensPerS', 'requestsPerS', 'ttftMs.mean', 'ttftMs.p50', 'ttftMs.p90', 'ttftMs.p99', 'tpotMs.mean', 'tpotMs.p50', 'tpotMs.p90', 'tpotMs.p99'] as const;
export type MetricName = (typeof metricNames)[number];

export type LoadKind = 'concurrency' | 'rate' | 'max';

export function loadOf(p: Pick<MeasuredPoint, 'concurrency' | 'rate' | 'maxThroughput'>): { kind: LoadKind; value: number } {
  if (p.maxThroughput) return { kind: 'max', value: 1 };
  if (p.concurrency !== undefined) return { kind: 'concurrency', value: p.concurrency };
  return { kind: 'rate', value: p.rate ?? NaN };
}

export function metricOf(p: MeasuredPoint, m: MetricName): number | undefined {
  const v = m === 'outputTokensPerS' ? p.outputTokensPerS : m === 'requestsPerS' ? p.requestsPerS : m.startsWith('ttft') ? p.ttftMs?.[m.slice(7) as keyof Percentiles] : p.tpotMs?.[m.slice(7) as keyof Percentiles];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** A target operating point: lengths and, for concurrency/rate kinds, the load value. */
export interface Target {
  inputTokens: number;
  outputTokens: number;
  kind: LoadKind;
  load: number;
}

interface Sample {
  coords: number[]; // log coordinates, one per axis
  value: number;
}

interface Found {
  value: number;
  /** Sum of the log widths of the brackets used: 0 = the measured point itself. */
  width: number;
}

const tolerances = (axes: number) => (axes === 3 ? [Math.log(SHAPE_TOLERANCE), Math.log(SHAPE_TOLERANCE), Math.log(LOAD_TOLERANCE)] : [Math.log(SHAPE_TOLERANCE), Math.log(SHAPE_TOLERANCE)]);

/** Groups samples into knots along one axis: values closer than `tol` (log) than the knot's first are one knot. */
function knotsAlong(samples: Sample[], axis: number, tol: number): { x: number; members: Sample[] }[] {
  const sorted = [...samples].sort((a, b) => a.coords[axis] - b.coords[axis]);
  const knots: { x: number; lo: number; members: Sample[] }[] = [];
  for (const s of sorted) {
    const last = knots[knots.length - 1];
    if (last && s.coords[axis] - last.lo <= tol) last.members.push(s);
    else knots.push({ x: s.coords[axis], lo: s.coords[axis], members: [s] });
  }
  for (const k of knots) k.x = k.members.reduce((a, s) => a + s.coords[axis], 0) / k.members.length;
  return knots;
}

function nested(samples: Sample[], target: number[], order: number[], tols: number[]): Found | null {
  if (order.length === 0) {
    // Repeats (or contradicting measurements) of one operating point: their geometric mean.
    const logMean = samples.reduce((a, s) => a + Math.log(s.value), 0) / samples.length;
    return { value: samples.length === 1 ? samples[0].value : Math.exp(logMean), width: 0 };
  }
  const [axis, ...rest] = order;
  const t = target[axis];
  const knots = knotsAlong(samples, axis, tols[axis])
    .map((k) => ({ x: k.x, lo: Math.min(...k.members.map((m) => m.coords[axis])), hi: Math.max(...k.members.map((m) => m.coords[axis])), found: nested(k.members, target, rest, tols) }))
    .filter((k) => k.found !== null);
  // At a knot (within its tolerance): that knot's own value.
  const at = knots.find((k) => t >= k.lo - tols[axis] && t <= k.hi + tols[axis]);
  if (at) return at.found;
  let below: (typeof knots)[number] | undefined;
  let above: (typeof knots)[number] | undefined;
  for (const k of knots) {
    if (k.x < t && (!below || k.x > below.x)) below = k;
    if (k.x > t && (!above || k.x < above.x)) above = k;
  }
  if (!below || !above) return null;
  const f = (t - below.x) / (above.x - below.x);
  const logV = Math.log(below.found!.value) * (1 - f) + Math.log(above.found!.value) * f;
  return { value: Math.exp(logV), width: above.x - below.x + Math.max(below.found!.width, above.found!.width) };
}

const orders3 = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];
const orders2 = [
  [0, 1],
  [1, 0],
];

/**
 * One metric at the target from the points of one deployment (all of the target's load kind):
 * every nesting order of the axes is tried and the one with the narrowest brackets wins (it rests
 * on the closest measurements); null when no order covers the target.
 */
export function interpolateMetric(points: MeasuredPoint[], metric: MetricName, target: Target): number | null {
  const withLoad = target.kind !== 'max';
  const samples: Sample[] = [];
  for (const p of points) {
    const l = loadOf(p);
    const v = metricOf(p, metric);
    if (l.kind !== target.kind || v === undefined) continue;
    samples.push({ coords: withLoad ? [Math.log(p.inputTokens), Math.log(p.outputTokens), Math.log(l.value)] : [Math.log(p.inputTokens), Math.log(p.outputTokens)], value: v });
  }
  if (!samples.length) return null;
  const t = withLoad ? [Math.log(target.inputTokens), Math.log(target.outputTokens), Math.log(target.load)] : [Math.log(target.inputTokens), Math.log(target.outputTokens)];
  // A measured point at exactly the target: its own value (the mean of repeats), never a blend.
  const exact = samples.filter((s) => s.coords.every((c, i) => c === t[i]));
  if (exact.length === 1) return exact[0].value;
  if (exact.length > 1) return Math.exp(exact.reduce((a, s) => a + Math.log(s.value), 0) / exact.length);
  const tols = tolerances(t.length);
  let best: Found | null = null;
  for (const order of withLoad ? orders3 : orders2) {
    const f = nested(samples, t, order, tols);
    if (f && (!best || f.width < best.width)) best = f;
    if (best?.width === 0) break;
  }
  return best ? best.value : null;
}

/** Every metric the points carry at the target (absent = not covered or never measured). */
export function interpolateAll(points: MeasuredPoint[], target: Target): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const m of metricNames) {
    const v = interpolateMetric(points, m, target);
    if (v !== null) out[m] = v;
  }
  return out;
}
