// Users' serving measurements (tables perf_measurement_files, perf_measurements): the imported
// files with their provenance and one row per measured operating point.
import type { MeasurementView } from '../../../shared/contract/performance-measurements';
import type { MeasuredPoint, Percentiles } from '../performance/types';
import type { Db } from './database';

/** A stored point: the performance model's MeasuredPoint plus id, provenance and flags. */
export type StoredMeasurement = MeasurementView & MeasuredPoint;

export type NewMeasurement = Omit<StoredMeasurement, 'id' | 'flags' | 'provenance'> & { flags?: string[] };

interface Row {
  id: number;
  file_id: number;
  record: number;
  model: string;
  gpu: string;
  gpus: number;
  tp: number;
  precision: string;
  engine: string;
  input_tokens: number;
  output_tokens: number;
  concurrency: number | null;
  rate: number | null;
  max_throughput: number;
  output_tokens_per_s: number;
  requests_per_s: number | null;
  ttft_ms: string;
  tpot_ms: string;
  notes: string;
  flags: string;
  file_name: string;
  sha256: string;
  layout: string;
  imported_at: string;
}

function toMeasurement(r: Row): StoredMeasurement {
  const m: StoredMeasurement = {
    id: r.id,
    record: r.record,
    model: r.model,
    gpu: r.gpu,
    gpus: r.gpus,
    tp: r.tp,
    precision: r.precision as MeasuredPoint['precision'],
    engine: r.engine as MeasuredPoint['engine'],
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    outputTokensPerS: r.output_tokens_per_s,
    ttftMs: JSON.parse(r.ttft_ms) as Partial<Percentiles>,
    tpotMs: JSON.parse(r.tpot_ms) as Partial<Percentiles>,
    source: `${r.file_name}#${r.record} (${r.layout})`,
    notes: JSON.parse(r.notes),
    flags: JSON.parse(r.flags),
    provenance: { fileId: r.file_id, fileName: r.file_name, sha256: r.sha256, layout: r.layout, importedAt: r.imported_at },
  };
  if (r.concurrency != null) m.concurrency = r.concurrency;
  if (r.rate != null) m.rate = r.rate;
  if (r.max_throughput) m.maxThroughput = true;
  if (r.requests_per_s != null) m.requestsPerS = r.requests_per_s;
  return m;
}

export function findMeasurementFile(db: Db, sha256: string): { id: number; fileName: string; importedAt: string } | undefined {
  const r = db.prepare('SELECT id, file_name, imported_at FROM perf_measurement_files WHERE sha256 = ?').get(sha256) as { id: number; file_name: string; imported_at: string } | undefined;
  return r && { id: r.id, fileName: r.file_name, importedAt: r.imported_at };
}

/** Inserts one file and its points; the caller holds the transaction. Returns the new row ids. */
export function insertMeasurementFile(db: Db, file: { fileName: string; sha256: string; layout: string; importedAt: string }, points: NewMeasurement[]): { fileId: number; ids: number[] } {
  const fileId = Number(db.prepare('INSERT INTO perf_measurement_files (file_name, sha256, layout, records, imported_at) VALUES (?, ?, ?, ?, ?)').run(file.fileName, file.sha256, file.layout, points.length, file.importedAt).lastInsertRowid);
  const insert = db.prepare(
    `INSERT INTO perf_measurements (file_id, record, model, gpu, gpus, tp, precision, engine, input_tokens, output_tokens, concurrency, rate, max_throughput,
       output_tokens_per_s, requests_per_s, ttft_ms, tpot_ms, notes, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids = points.map((p) =>
    Number(
      insert.run(fileId, p.record, p.model, p.gpu, p.gpus, p.tp, p.precision, p.engine, p.inputTokens, p.outputTokens, p.concurrency ?? null, p.rate ?? null, p.maxThroughput ? 1 : 0, p.outputTokensPerS, p.requestsPerS ?? null, JSON.stringify(p.ttftMs), JSON.stringify(p.tpotMs), JSON.stringify(p.notes), JSON.stringify(p.flags ?? [])).lastInsertRowid,
    ),
  );
  return { fileId, ids };
}

export function setMeasurementFlags(db: Db, id: number, flags: string[]): void {
  db.prepare('UPDATE perf_measurements SET flags = ? WHERE id = ?').run(JSON.stringify(flags), id);
}

export function listMeasurements(db: Db): StoredMeasurement[] {
  const rows = db
    .prepare(
      `SELECT m.*, f.file_name, f.sha256, f.layout, f.imported_at FROM perf_measurements m JOIN perf_measurement_files f ON f.id = m.file_id
       ORDER BY m.model, m.gpu, m.gpus, m.precision, m.engine, m.input_tokens, m.output_tokens, m.id`,
    )
    .all() as Row[];
  return rows.map(toMeasurement);
}
