import { z } from 'zod';
import { call, job } from './define';
import { demandFields, demandImportFormats } from '../demand-formats';

// Demand: request traces and typed profiles (engine/demand). Statistics are described in
// docs/demand.md; the engine's typed-array forms (intervals, request batches) are in
// src/main/engine/demand/types.ts.

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
  /** Lag-1 autocorrelation of the per-minute rate (Poisson noise removed): how long bursts last. */
  minuteRateAutocorr: number;
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
  /**
   * Within-hour burstiness: per-minute rate multipliers of mean 1, lognormal with CV minuteRateCv
   * and lag-1 autocorrelation minuteRateAutocorr (an AR(1) on their log); gamma-renewal arrivals
   * within a minute with gap CV arrivalCv (1 = Poisson).
   */
  burstiness: { minuteRateCv: number; minuteRateAutocorr: number; arrivalCv: number };
  seed: number;
  /** Hour of week (0 = Monday 00:00 UTC) at which the profile starts. */
  startHourOfWeek: number;
}

/** demand.show's intervals as JSON (an interval without requests has null lengths). */
export interface DemandIntervalsJson {
  intervalS: number;
  scale: number;
  startS: number[];
  rate: number[];
  meanInput: (number | null)[];
  meanOutput: (number | null)[];
  p90Input: (number | null)[];
  p90Output: (number | null)[];
  bucketEdges: { input: number[]; output: number[] };
  /** Per interval, the share of requests per (input bucket, output bucket), input-major. */
  bucketShare: number[][];
}

export interface DemandImportResult {
  demandId: number;
  name: string;
  format: string;
  files: string[];
  rows: number;
  report: ImportReport;
  summary: DemandSummary;
  ms: number;
}

const tokenTarget = z.object({ mean: z.number().positive().max(1e7), p90: z.number().positive().max(1e8) });

export const demandMethods = {
  'demand.import': job<DemandImportResult>()(
    z.object({
      files: z.array(z.string().min(1)).min(1),
      format: z.enum(demandImportFormats).default('auto'),
      name: z.string().trim().min(1).max(200).optional(),
      // Generic layout: the file's column for a field, e.g. { timestamp: 'arrived', input: 'prompt' }.
      map: z.partialRecord(z.enum(demandFields), z.string().min(1)).optional(),
      timeUnit: z.enum(['s', 'ms']).optional(),
    }),
    'Import request traces (Azure, BurstGPT, Mooncake or generic CSV/JSONL/Parquet) as one demand, in one transaction',
  ),
  'demand.list': call<DemandSummary[]>()(z.object({}), 'Demands (traces and typed profiles) with their statistics'),
  'demand.show': call<{ summary: DemandSummary; intervals: DemandIntervalsJson }>()(
    z.object({
      id: z.number().int().positive().optional(), // default: the most recent
      intervalS: z.number().int().min(60).max(7 * 86400).multipleOf(60).default(3600),
      scale: z.number().positive().max(1e6).default(1),
      // A window of the intervals, seconds from the demand's start (e.g. one day of a month).
      fromS: z.number().min(0).optional(),
      toS: z.number().positive().optional(),
    }),
    'A demand and its per-interval rates and token lengths',
  ),
  'demand.profile': call<DemandSummary>()(
    z
      .object({
        name: z.string().trim().min(1).max(200).optional(),
        dailyRequests: z.number().positive().max(1e12),
        shape: z.array(z.number().min(0)).refine((s) => s.length === 24 || s.length === 168, 'give 24 or 168 hourly weights').optional(),
        shapePreset: z.enum(['flat', 'diurnal']).optional(),
        growthPerMonth: z.number().gt(-1).max(10).default(0),
        months: z.number().positive().max(36).optional(),
        days: z.number().positive().max(1096).optional(),
        lengths: z.object({ input: tokenTarget, output: tokenTarget }).optional(),
        lengthsFrom: z.number().int().positive().optional(),
        burstiness: z.object({ minuteRateCv: z.number().min(0).max(10), minuteRateAutocorr: z.number().min(0).max(0.999).default(0), arrivalCv: z.number().min(0).max(10) }).optional(),
        seed: z.number().int().default(1),
        startIso: z.string().optional(),
      })
      .refine((p) => !(p.shape && p.shapePreset), { message: 'give shape or shapePreset, not both', path: ['shape'] })
      .refine((p) => !(p.lengths && p.lengthsFrom), { message: 'give lengths or lengthsFrom, not both', path: ['lengths'] })
      .refine((p) => !(p.months && p.days), { message: 'give months or days, not both', path: ['months'] }),
    'Create a typed demand profile: an hourly 24x7 shape scaled to a daily volume, with monthly growth',
  ),
  'demand.delete': call<{ deleted: boolean }>()(z.object({ id: z.number().int().positive() }), 'Delete a demand'),
};
