// What a benchmark file says about one operating point, before the deployment is completed from
// flags and the point is stored. Parsers fill what their layout carries; import.ts does the rest.
import type { MeasuredFigures } from '../../../../shared/contract/performance-measurements';
import { fileError } from '../../../../shared/errors';
import type { Percentiles } from '../types';

/** The layouts `perf import` reads, in the order detection tries them. */
export const measurementLayouts = ['vllm-bench-json', 'genai-perf-json', 'aiperf-json', 'genai-perf-csv', 'aiperf-csv', 'plain-csv'] as const;
export type MeasurementLayout = (typeof measurementLayouts)[number];

export const layoutDescriptions: Record<MeasurementLayout, string> = {
  'vllm-bench-json': 'vLLM `vllm bench serve` / benchmark_serving.py --save-result JSON (one object, or appended JSON lines)',
  'genai-perf-json': 'GenAI-Perf profile_export_genai_perf.json',
  'aiperf-json': 'AIPerf profile_export_aiperf.json',
  'genai-perf-csv': 'GenAI-Perf profile_export_genai_perf.csv',
  'aiperf-csv': 'AIPerf profile_export_aiperf.csv',
  'plain-csv': 'plain CSV: model, gpu, gpus, precision, engine, input_tokens, output_tokens, concurrency or rate, output_tok_s, ttft_ms, tpot_ms [, ttft_p90_ms, ttft_p99_ms, tpot_p90_ms, tpot_p99_ms, …]',
};

/** Deployment fields as a file states them (free text; import.ts normalises and completes them). */
export interface StatedDeployment {
  model?: string;
  gpu?: string;
  gpus?: number;
  tp?: number;
  precision?: string;
  engine?: string;
}

export interface ParsedMeasurement extends MeasuredFigures {
  stated: StatedDeployment;
}

export interface ParsedFile {
  layout: MeasurementLayout;
  records: ParsedMeasurement[];
}

/** Largest file `perf import` reads: benchmark summaries are kilobytes, per-request detail a few MB. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Largest per-request array (ttfts, itls, …) read from one record. */
export const MAX_REQUESTS_PER_RECORD = 1_000_000;
export const MAX_RECORDS_PER_FILE = 10_000;

/**
 * A figure that must be a positive finite number: a string holding one is accepted (CSV cells,
 * vLLM's "1000"), thousands separators too (GenAI-Perf's CSV writes "1,234.56").
 * Returns undefined for absent values (null, undefined, empty cell) when optional.
 */
export function positiveFigure(file: string, record: number, column: string, raw: unknown, required: boolean): number | undefined {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    if (required) throw fileError(file, record, column, 'a required figure is missing');
    return undefined;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/,/g, '')) : NaN;
  if (!Number.isFinite(n)) throw fileError(file, record, column, `not a number: ${JSON.stringify(raw).slice(0, 60)}`, { value: raw });
  if (n <= 0) throw fileError(file, record, column, `must be positive, got ${n}`, { value: n });
  return n;
}

/** numpy.percentile's default (linear between closest ranks), which vLLM's benchmark uses. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Mean and p50/p90/p99 of per-request values (ms). */
export function summarise(values: Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return { mean: sum / sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
}
