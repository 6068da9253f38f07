import type { Db } from '../store/database';
import { getDemand } from '../store/demand';
import { requestBatches } from './stream';

// Arrivals per second of a trace at a scale: the summary the planner sizes and simulates bursts
// with. A minute's mean hides bursts shorter than a minute (Azure's code trace runs 10 s at 3.5x
// its busiest minute), and those are what queue requests past a TTFT target of seconds.

/** Longest horizon kept per second (35 days: 3M counts, 12 MB); longer traces plan on minutes only. */
export const MAX_PER_SECOND_S = 35 * 86_400;

/** Per-second arrival counts of a trace demand at `scale` (the stream the replay draws), or null for a profile or a horizon beyond MAX_PER_SECOND_S. */
export function perSecondArrivals(db: Db, demandId: number, opts: { scale?: number; seed?: number } = {}): Uint32Array | null {
  const d = getDemand(db, demandId);
  if (d.kind !== 'trace' || d.spanS > MAX_PER_SECOND_S) return null;
  const counts = new Uint32Array(Math.max(1, Math.ceil(d.spanS)));
  const last = counts.length - 1;
  for (const b of requestBatches(db, demandId, { scale: opts.scale, seed: opts.seed })) {
    for (let i = 0; i < b.t.length; i++) counts[Math.min(last, Math.max(0, Math.floor(b.t[i])))]++;
  }
  return counts;
}

/** The rate of the busiest `windowS`-second stretch within [fromS, toS) (a sliding window over whole seconds). */
export function busiestWindowRate(counts: Uint32Array, fromS: number, toS: number, windowS: number): number {
  const a = Math.max(0, Math.floor(fromS));
  const b = Math.min(counts.length, Math.ceil(toS));
  const w = Math.max(1, Math.min(Math.round(windowS), b - a));
  if (b <= a) return 0;
  let sum = 0;
  for (let s = a; s < a + w; s++) sum += counts[s];
  let best = sum;
  for (let s = a + w; s < b; s++) {
    sum += counts[s] - counts[s - w];
    if (sum > best) best = sum;
  }
  return best / w;
}
