// One benchmark file -> measured points with their provenance: layout detected from the content,
// the deployment completed from flags, every figure checked. Nothing here touches the workspace.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { EngineError, fileError } from '../../../../shared/errors';
import type { MeasuredPoint, Percentiles } from '../types';
import { csvHeaderLayout, looksLikeGenaiPerfJson, parseGenaiPerfCsv, parseGenaiPerfJson } from './genai-perf';
import { normaliseEngine, normalisePrecision } from './names';
import { isPlainCsvHeader, parsePlainCsv } from './plain-csv';
import { layoutDescriptions, MAX_FILE_BYTES, MAX_RECORDS_PER_FILE, measurementLayouts, positiveFigure, refuseLongName, refuseLongRecord, type MeasurementLayout, type ParsedFile, type ParsedMeasurement, type StatedDeployment } from './records';
import { parseVllmRecord, vllmObjects } from './vllm-bench';

/** What flags say about every record of a file that does not say it itself. */
export interface ImportDefaults extends StatedDeployment {
  /** Load of a summary export that does not record it (GenAI-Perf CSV). */
  concurrency?: number;
  rate?: number;
}

export interface ImportedPoint extends MeasuredPoint {
  record: number;
  ttftMs: Partial<Percentiles>;
  tpotMs: Partial<Percentiles>;
  notes: string[];
}

export interface ReadMeasurements {
  file: string;
  fileName: string;
  sha256: string;
  layout: MeasurementLayout;
  points: ImportedPoint[];
}

function unknownLayout(file: string, why: string): EngineError {
  return new EngineError('FILE_FORMAT', `${file}: not a benchmark layout routeplan reads (${why}). Accepted layouts: ${measurementLayouts.map((l) => `${l} (${layoutDescriptions[l]})`).join('; ')}`, { file, accepted: measurementLayouts });
}

/** Detects the layout from the content (never the file name) and parses every record. */
export function parseMeasurementText(file: string, text: string): ParsedFile {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (!t) throw unknownLayout(file, 'the file is empty');
  if (t[0] === '{' || t[0] === '[') {
    const vllm = vllmObjects(file, t);
    if (vllm) {
      if (vllm.length > MAX_RECORDS_PER_FILE) throw fileError(file, null, null, `more than ${MAX_RECORDS_PER_FILE} records`);
      return { layout: 'vllm-bench-json', records: vllm.map((o, i) => parseVllmRecord(file, i + 1, o)) };
    }
    refuseLongRecord(file, 1, t.length);
    let o: unknown;
    try {
      o = JSON.parse(t);
    } catch (err) {
      throw unknownLayout(file, `JSON that does not parse: ${(err as Error).message}`);
    }
    const layout = o && typeof o === 'object' && !Array.isArray(o) ? looksLikeGenaiPerfJson(o as Record<string, unknown>) : null;
    if (!layout) throw unknownLayout(file, 'a JSON file without vLLM (output_throughput, mean_ttft_ms) or GenAI-Perf/AIPerf (output_token_throughput.avg) metrics');
    return { layout, records: [parseGenaiPerfJson(file, o as Record<string, unknown>)] };
  }
  let header: string[];
  try {
    header = (parseCsv(t, { to_line: 1, relax_column_count: true }) as string[][])[0] ?? [];
  } catch (err) {
    throw unknownLayout(file, `neither JSON nor CSV: ${(err as Error).message}`);
  }
  const gp = csvHeaderLayout(header);
  if (gp) return { layout: gp, records: [parseGenaiPerfCsv(file, t)] };
  if (isPlainCsvHeader(header)) return { layout: 'plain-csv', records: parsePlainCsv(file, t) };
  throw unknownLayout(file, `a CSV whose header (${header.slice(0, 8).join(', ')}) matches none of them`);
}

/** The deployment of one record: the file's own fields first, then the flags; missing ones named. */
function complete(file: string, p: ParsedMeasurement, d: ImportDefaults, layout: MeasurementLayout, fileName: string): ImportedPoint {
  const s = p.stated;
  const model = s.model ?? d.model;
  const gpu = s.gpu ?? d.gpu;
  const gpus = s.gpus ?? d.gpus;
  const precision = s.precision ?? d.precision;
  const engine = s.engine ?? d.engine;
  const missing = [!model && 'model', !gpu && 'gpu', gpus === undefined && 'gpus', !precision && 'precision', !engine && 'engine'].filter(Boolean) as string[];
  if (missing.length) {
    throw new EngineError('INVALID_INPUT', `${file}: record ${p.record} does not say the deployment's ${missing.join(', ')}; give ${missing.map((m) => `--${m}`).join(' ')}`, { file, row: p.record, missing });
  }
  for (const [field, name] of [['model', model], ['gpu', gpu], ['precision', precision], ['engine', engine]] as const) refuseLongName(file, p.record, field, name);
  const where = `${file}, record ${p.record}`;
  const gpuCount = positiveFigure(file, p.record, 'gpus', gpus, true)!;
  const tp = s.tp ?? d.tp ?? gpuCount;
  if (!Number.isInteger(gpuCount) || !Number.isInteger(tp) || tp > gpuCount) throw fileError(file, p.record, 'gpus', `GPUs per instance and tensor-parallel degree must be whole numbers with tp <= gpus (got gpus ${gpuCount}, tp ${tp})`);
  const out: ImportedPoint = {
    model: model!,
    gpu: gpu!,
    gpus: gpuCount,
    tp,
    precision: normalisePrecision(precision!, where),
    engine: normaliseEngine(engine!, where),
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    outputTokensPerS: p.outputTokensPerS,
    ttftMs: p.ttftMs,
    tpotMs: p.tpotMs,
    source: `${fileName}#${p.record} (${layout})`,
    record: p.record,
    notes: p.notes,
  };
  if (p.requestsPerS !== undefined) out.requestsPerS = p.requestsPerS;
  if (p.maxThroughput) out.maxThroughput = true;
  else if (p.rate !== undefined) out.rate = p.rate;
  else if (p.concurrency !== undefined) out.concurrency = p.concurrency;
  else if (d.rate !== undefined) out.rate = d.rate;
  else if (d.concurrency !== undefined) out.concurrency = d.concurrency;
  else throw new EngineError('INVALID_INPUT', `${file}: record ${p.record} does not say the load it was measured at; give --concurrency or --rate`, { file, row: p.record, missing: ['concurrency'] });
  return out;
}

export function readMeasurementFile(file: string, defaults: ImportDefaults = {}): ReadMeasurements {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) throw fileError(file, null, null, `${(size / 1048576).toFixed(1)} MiB is more than a benchmark summary (limit ${MAX_FILE_BYTES / 1048576} MiB)`);
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  const parsed = parseMeasurementText(file, bytes.toString('utf8'));
  const fileName = basename(file);
  return {
    file,
    fileName,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    layout: parsed.layout,
    points: parsed.records.map((r) => complete(file, r, defaults, parsed.layout, fileName)),
  };
}
