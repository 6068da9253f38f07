// What a benchmark file says about one operating point, before the deployment is completed from
// flags and the point is stored. Parsers fill what their layout carries; import.ts does the rest.
import type { MeasuredFigures } from '../../../../shared/contract/performance-measurements';
import { parse as parseCsv, type Options as CsvOptions } from 'csv-parse/sync';
import { bounds } from '../../../../shared/bounds';
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

/** A record (a JSON object or line, a CSV row) over the importers' per-record limit, refused by its row before it is read further. */
export function refuseLongRecord(file: string, record: number, chars: number): void {
  if (chars > bounds.recordChars) throw fileError(file, record, null, `the record is ${chars} characters long, over the per-record limit of ${bounds.recordChars}`, { reason: 'record-limit' });
}

/** A deployment name (model, GPU, precision, engine) longer than a name can be. */
export function refuseLongName(file: string, record: number, field: string, name: string | undefined): void {
  if (name !== undefined && name.length > bounds.nameChars) throw fileError(file, record, field, `a ${field} name of ${name.length} characters (at most ${bounds.nameChars}): ${name.slice(0, 40)}…`, { reason: 'name-limit' });
}

/** CSV rows; a malformed file (bad quoting, ragged rows) is a FILE_FORMAT error naming its line. */
export function csvRows(file: string, text: string, opts: CsvOptions): string[][] {
  try {
    return parseCsv(text, { bom: true, max_record_size: bounds.recordChars, ...opts }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') throw fileError(file, typeof line === 'number' ? line : null, null, `a row is longer than the per-record limit of ${bounds.recordChars} characters`, { reason: 'record-limit' });
    throw fileError(file, typeof line === 'number' ? line : null, null, `not a well-formed CSV: ${(err as Error).message}`);
  }
}
