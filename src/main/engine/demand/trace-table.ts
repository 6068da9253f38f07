import { csvTable } from '../data/csv-records';
import { isJsonText, isParquetFile, separatorOf } from '../data/detect';
import { jsonRecords } from '../data/json-records';
import { parquetTable, type ParquetDecoder } from '../data/parquet-records';
import { fileSize, readText } from '../data/source';
import type { JobContext } from '../jobs/context';

/** A trace file's rows as cells under a header, whatever its syntax (CSV, TSV, JSON lines, Parquet). */
export interface TraceTable {
  header: string[];
  records: AsyncIterable<{ row: number; fields: readonly unknown[] }>;
  close(): void;
}

/**
 * Opens a trace file with the data importers' readers: CSV through the streaming tokenizer,
 * JSON (lines or a list) through the object scanner, Parquet row group by row group. A JSON
 * file's columns are the keys of its first object.
 */
export async function openTraceTable(file: string, ctx: JobContext, onBytes: (bytes: number) => void, decoder?: ParquetDecoder): Promise<TraceTable> {
  if (isParquetFile(file)) {
    const size = fileSize(file);
    const t = await parquetTable(file, ctx.check, (done, total) => onBytes((size * done) / Math.max(1, total)), decoder);
    return t;
  }
  const text = readText(file, onBytes, ctx.check);
  if (!isJsonText(file)) return csvTable(file, text, separatorOf(file));
  const objects = jsonRecords(file, text);
  const first = await objects.next();
  const header = first.done ? [] : Object.keys(first.value.value);
  async function* records() {
    if (first.done) return;
    const keys = header;
    yield { row: first.value.row, fields: keys.map((k) => first.value.value[k]) };
    for await (const r of objects) yield { row: r.row, fields: keys.map((k) => r.value[k]) };
  }
  return { header, records: records(), close: () => void objects.return(undefined) };
}
