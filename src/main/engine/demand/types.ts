// The demand domain's shapes: what a stored trace or typed profile looks like to the planner and
// the replay. Statistics come from per-minute summaries (store/demand.ts), so reading a week of
// 100 q/s costs ~10k rows, not 60M requests.

export type { TokenStats, Burstiness, ImportReport, DemandSummary, DemandImportResult, LengthSpec, ProfileSpec } from '../../../shared/contract/demand';

/**
 * Per-interval demand. Interval i covers [startS[i], startS[i] + intervalS) seconds from the
 * demand's start; rate is requests / intervalS (times `scale`), so sum(rate) * intervalS = count.
 */
export interface DemandIntervals {
  intervalS: number;
  startS: Float64Array;
  rate: Float64Array; // req/s
  meanInput: Float64Array; // tokens; NaN in an interval without requests
  meanOutput: Float64Array;
  p90Input: Float64Array;
  p90Output: Float64Array;
  /** Lower edges of the joint length buckets (the last one open-ended). */
  bucketEdges: { input: number[]; output: number[] };
  /** Share of an interval's requests per (input bucket, output bucket): intervals x (nIn * nOut), input-major. */
  bucketShare: Float64Array;
}

export interface DemandRequest {
  t: number; // seconds from the demand's start
  inputTokens: number;
  outputTokens: number;
  model?: string;
  task?: string;
  tenant?: string;
}

/** One minute of requests, time-ordered, as typed arrays (the replay's fast path). */
export interface RequestBatch {
  t: Float64Array;
  inputTokens: Int32Array;
  outputTokens: Int32Array;
  /** Index into the demand's models / tasks / tenants, -1 for none; null when the demand has none. */
  model: Int32Array | null;
  task: Int32Array | null;
  tenant: Int32Array | null;
}

export interface StreamOptions {
  fromS?: number;
  toS?: number;
  /** Multiplies the arrival rate (see stream.ts for how a trace is thinned or replicated). */
  scale?: number;
  seed?: number;
  /** Half-width of the jitter of a trace's replicated copies, seconds (default 5). */
  jitterS?: number;
}

/** Whole minutes: every stored statistic is kept per minute. */
export const MINUTE_S = 60;
/** Interval lengths summarised in peakToMean. */
export const SUMMARY_INTERVALS_S = [60, 300, 900, 3600] as const;
/** A month for growth: 1/12 of a 365-day year. */
export const MONTH_HOURS = 730;
