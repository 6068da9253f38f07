// Two measurements of the same deployment, shape and load that disagree by more than a
// benchmark's run-to-run spread: both are kept, both are flagged, and the user decides.
import type { MeasuredPoint, Percentiles } from '../types';
import { deploymentKey } from './names';

/** Lengths within 10% are one shape (a run's realised output length varies around its target). */
export const SHAPE_TOLERANCE = 1.1;
/** Loads within 2% are the same load. */
export const LOAD_TOLERANCE = 1.02;
/** Figures more than 25% apart (max/min > 1.25) contradict each other. */
export const CONTRADICTION_RATIO = 1.25;

const near = (a: number, b: number, tol: number) => Math.max(a, b) / Math.min(a, b) <= tol;

function sameLoad(a: MeasuredPoint, b: MeasuredPoint): boolean {
  if (a.maxThroughput || b.maxThroughput) return !!a.maxThroughput && !!b.maxThroughput;
  if (a.concurrency !== undefined) return b.concurrency !== undefined && near(a.concurrency, b.concurrency, LOAD_TOLERANCE);
  return a.rate !== undefined && b.rate !== undefined && near(a.rate, b.rate, LOAD_TOLERANCE);
}

export function sameOperatingPoint(a: MeasuredPoint, b: MeasuredPoint): boolean {
  return deploymentKey(a) === deploymentKey(b) && near(a.inputTokens, b.inputTokens, SHAPE_TOLERANCE) && near(a.outputTokens, b.outputTokens, SHAPE_TOLERANCE) && sameLoad(a, b);
}

/** The figures two measurements of one operating point disagree on, e.g. "ttft mean 4387 vs 885 ms". */
export function disagreements(a: MeasuredPoint, b: MeasuredPoint): string[] {
  const out: string[] = [];
  const cmp = (label: string, x: number | undefined, y: number | undefined, unit: string) => {
    if (x !== undefined && y !== undefined && !near(x, y, CONTRADICTION_RATIO)) out.push(`${label} ${x.toPrecision(4)} vs ${y.toPrecision(4)} ${unit}`);
  };
  cmp('output tok/s', a.outputTokensPerS, b.outputTokensPerS, 'tok/s');
  for (const k of ['mean', 'p50', 'p90'] as (keyof Percentiles)[]) {
    cmp(`ttft ${k}`, a.ttftMs?.[k], b.ttftMs?.[k], 'ms');
    cmp(`tpot ${k}`, a.tpotMs?.[k], b.tpotMs?.[k], 'ms');
  }
  return out;
}

/**
 * Flags for every point that contradicts another: `points` holds the stored and the new points
 * with their ids; only pairs that include a new point are compared (stored pairs were before).
 */
export function contradictionFlags<T extends MeasuredPoint & { id: number; source: string }>(points: T[], isNew: (p: T) => boolean): Map<number, string[]> {
  const flags = new Map<number, string[]>();
  const add = (p: T, text: string) => flags.set(p.id, [...(flags.get(p.id) ?? []), text]);
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i];
      const b = points[j];
      if (!isNew(a) && !isNew(b)) continue;
      if (!sameOperatingPoint(a, b)) continue;
      const d = disagreements(a, b);
      if (!d.length) continue;
      add(a, `contradicts #${b.id} ${b.source}: ${d.join('; ')}`);
      add(b, `contradicts #${a.id} ${a.source}: ${d.join('; ').replace(/(\S+) vs (\S+)/g, '$2 vs $1')}`);
    }
  }
  return flags;
}
