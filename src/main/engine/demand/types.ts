// The demand domain's shapes: what a stored trace or typed profile looks like to the planner and
// the replay. Statistics come from per-minute summaries (store/demand.ts), so reading a week of
// 100 q/s costs ~10k rows, not 60M requests.

/** Token-length statistics: mean exact (sums), quantiles from log-spaced histograms (±9%). */
export interface TokenStats {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface Burstiness {
  /** Coefficient of variation of all inter-arrival gaps (1 for a Poisson process). Null for profiles. */
  interArrivalCv: number | null;
  /** CV of gaps each scaled by its minute's mean gap: burstiness within a minute, rate changes removed. */
  withinMinuteCv: number | null;
  /** Index of dispersion of per-minute counts, Var/mean (1 for Poisson at a constant rate). */
  dispersion1m: number;
  /** Excess CV of the per-minute rate beyond Poisson noise, sqrt(max(0, Var - mean)) / mean: scale-free. */
  minuteRateCv: number;
}

/** What an import did to the rows, reported so nothing about the file is silently changed. */
export interface ImportReport {
  /** How timestamps were read: ISO text (UTC unless an offset is given), epoch or relative seconds / milliseconds. */
  timestamps: 'iso' | 'epoch-s' | 'epoch-ms' | 'relative-s' | 'relative-ms';
  /** Rows whose timestamp is earlier than the row before: sorted on import (within the window). */
  unsorted: number;
  /** Requests sharing their timestamp with the one before (kept: real traces have them). */
  duplicates: number;
  /** Out-of-order rows are sorted when they lie within this many seconds of the latest; beyond it the file is refused. */
  sortWindowS: number;
  /** Column of the file read for each field. */
  columns: Record<string, string>;
}

export interface DemandSummary {
  id: number;
  name: string;
  kind: 'trace' | 'profile';
  format: string; // azure | burstgpt | mooncake | generic | profile
  /** Absolute start (UTC, minute-aligned) when the timestamps are absolute; null for relative ones. */
  startIso: string | null;
  spanS: number; // whole minutes from the first request's minute to the last's
  requests: number; // a profile's expected count
  meanRate: number; // requests / spanS, req/s
  /** Peak over mean of the per-interval rate, by interval length in seconds ("60", "300", "900", "3600"). */
  peakToMean: Record<string, number>;
  burstiness: Burstiness;
  inputTokens: TokenStats;
  outputTokens: TokenStats;
  models?: string[];
  tasks?: string[];
  tenants?: string[];
  source: string;
  createdAt: string;
  report?: ImportReport;
  profile?: ProfileSpec;
}

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

export type LengthSpec =
  | { kind: 'lognormal'; input: { mean: number; p90: number }; output: { mean: number; p90: number } }
  | { kind: 'histogram'; from: string; histInput: number[]; histOutput: number[]; joint: number[]; meanInput: number; meanOutput: number };

/** A typed profile's definition, stored with it. */
export interface ProfileSpec {
  dailyRequests: number; // requests on an average day of the first month
  /** 168 hour-of-week weights from Monday 00:00 UTC (24 given are repeated for each day). */
  shape: number[];
  shapeSource: string;
  growthPerMonth: number; // 0.08 = +8% per month, compounding; a month is 730 h
  spanHours: number;
  lengths: LengthSpec;
  /** Within-hour burstiness: i.i.d. gamma per-minute rate multipliers (CV minuteRateCv), gamma-renewal arrivals within a minute (CV arrivalCv; 1 = Poisson). */
  burstiness: { minuteRateCv: number; arrivalCv: number };
  seed: number;
  /** Hour of week (0 = Monday 00:00 UTC) at which the profile starts. */
  startHourOfWeek: number;
}

/** Whole minutes: every stored statistic is kept per minute. */
export const MINUTE_S = 60;
/** Interval lengths summarised in peakToMean. */
export const SUMMARY_INTERVALS_S = [60, 300, 900, 3600] as const;
/** A month for growth: 1/12 of a 365-day year. */
export const MONTH_HOURS = 730;
