// The plain measurement CSV, one operating point per row: any tool's figures typed or exported by
// hand. Deployment columns are optional (flags fill them for the whole file); so are latencies.
import { parse as parseCsv } from 'csv-parse/sync';
import { fileError } from '../../../../shared/errors';
import { MAX_RECORDS_PER_FILE, positiveFigure, type ParsedMeasurement, type StatedDeployment } from './records';
import type { Percentiles } from '../types';

const required = ['input_tokens', 'output_tokens', 'output_tok_s'] as const;
const latencyColumns: [metric: 'ttftMs' | 'tpotMs', stat: keyof Percentiles, column: string][] = [
  ['ttftMs', 'mean', 'ttft_ms'],
  ['ttftMs', 'p50', 'ttft_p50_ms'],
  ['ttftMs', 'p90', 'ttft_p90_ms'],
  ['ttftMs', 'p99', 'ttft_p99_ms'],
  ['tpotMs', 'mean', 'tpot_ms'],
  ['tpotMs', 'p50', 'tpot_p50_ms'],
  ['tpotMs', 'p90', 'tpot_p90_ms'],
  ['tpotMs', 'p99', 'tpot_p99_ms'],
];

export function isPlainCsvHeader(header: string[]): boolean {
  const h = header.map((c) => c.trim().toLowerCase());
  return required.every((c) => h.includes(c)) && (h.includes('concurrency') || h.includes('rate'));
}

export function parsePlainCsv(file: string, text: string): ParsedMeasurement[] {
  const rows = parseCsv(text, { skip_empty_lines: true, bom: true, relax_column_count: false, trim: true }) as string[][];
  const header = rows[0].map((c) => c.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (rows.length - 1 > MAX_RECORDS_PER_FILE) throw fileError(file, null, null, `more than ${MAX_RECORDS_PER_FILE} rows`);
  const out: ParsedMeasurement[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const line = r + 1; // the header is line 1
    const cell = (name: string) => (col(name) >= 0 ? row[col(name)] : undefined);
    const num = (name: string, need: boolean) => positiveFigure(file, line, name, cell(name), need);
    const stated: StatedDeployment = {};
    for (const k of ['model', 'gpu', 'precision', 'engine'] as const) if (cell(k)) stated[k] = cell(k);
    const gpus = num('gpus', false);
    if (gpus !== undefined) stated.gpus = gpus;
    const tp = num('tp', false);
    if (tp !== undefined) stated.tp = tp;
    const p: ParsedMeasurement = {
      record: line,
      stated,
      inputTokens: num('input_tokens', true)!,
      outputTokens: num('output_tokens', true)!,
      outputTokensPerS: num('output_tok_s', true)!,
      ttftMs: {},
      tpotMs: {},
      notes: [],
    };
    const rps = num('requests_per_s', false);
    if (rps !== undefined) p.requestsPerS = rps;
    for (const [metric, stat, column] of latencyColumns) {
      const v = num(column, false);
      if (v !== undefined) p[metric][stat] = v;
    }
    // Load: concurrency, or a rate where "inf"/"max" means every request queued at once.
    const rate = cell('rate');
    if (rate && /^(inf|infinity|max)$/i.test(rate)) p.maxThroughput = true;
    else if (rate) p.rate = num('rate', true);
    const c = num('concurrency', false);
    if (c !== undefined && p.rate === undefined && !p.maxThroughput) p.concurrency = c;
    if (p.rate === undefined && p.concurrency === undefined && !p.maxThroughput) throw fileError(file, line, 'concurrency', 'give the load: a concurrency, or a rate (requests/s, or "inf")');
    out.push(p);
  }
  return out;
}
