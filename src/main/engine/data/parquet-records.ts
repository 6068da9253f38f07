import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { fileError } from '../../../shared/errors';
import type { CsvRecord, CsvTable } from './csv-records';

// Parquet through hyparquet (pure JavaScript, 0.9 MB installed with hyparquet-compressors for
// zstd/gzip/brotli/lz4, against 27 MB for parquet-wasm + apache-arrow and 70 MB for DuckDB's
// Node bindings; speed in `npm run bench import`). A file is read one row group at a time, so
// memory is bounded by the largest row group, not the file.

/** "PAR1" at both ends: the format's magic number. */
export const PARQUET_MAGIC = Buffer.from('PAR1');

interface Opened {
  header: string[];
  metadata: FileMetaData;
  file: AsyncBuffer;
  close: () => void;
}

/**
 * The file as hyparquet's AsyncBuffer: each slice a positioned read into a buffer of exactly its
 * size, clamped to the file. (The fuzz corpus hung hyparquet's own stream-based reader on a
 * corrupt footer after many imports; plain positioned reads do not.)
 */
function fileBuffer(path: string): { file: AsyncBuffer; close: () => void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const file: AsyncBuffer = {
    byteLength: size,
    slice(start: number, end = size) {
      const from = Math.max(0, Math.min(size, start));
      const to = Math.max(from, Math.min(size, end));
      const out = new Uint8Array(to - from);
      let done = 0;
      while (done < out.length) {
        const n = readSync(fd, out, done, out.length - done, from + done);
        if (n === 0) break;
        done += n;
      }
      return Promise.resolve(out.buffer);
    },
  };
  return { file, close: () => closeSync(fd) };
}

async function open(path: string): Promise<Opened> {
  const { file, close } = fileBuffer(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    close();
    throw fileError(path, null, null, `not a readable Parquet file: ${(err as Error).message}`);
  }
  const header = parquetSchema(metadata).children.map((c) => c.element.name);
  return { header, metadata, file, close };
}

/** The file's top-level column names, as a CSV header (for format detection). */
export async function parquetHeader(path: string): Promise<string[]> {
  const o = await open(path);
  o.close();
  return o.header;
}

/**
 * A cell for the CSV path's parsers: missing values (null, NaN) empty, numbers and booleans as
 * they are (no round trip through text), anything else as text.
 */
function cellText(v: unknown): string | number | boolean {
  if (v == null) return '';
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? '' : v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Decodes rows [start, end) of a Parquet file into cells; in a worker thread when the engine runs it. */
export type ParquetDecoder = (path: string, start: number, end: number) => Promise<(string | number | boolean)[][]>;

/** Rows [start, end) as cells (the worker task 'data.parquetRows', and the in-process decoder). */
export async function decodeParquetRows(path: string, start: number, end: number, opened?: Opened): Promise<(string | number | boolean)[][]> {
  const o = opened ?? (await open(path));
  try {
    let rows: unknown[][] = [];
    try {
      await parquetRead({ file: o.file, metadata: o.metadata, compressors, rowStart: start, rowEnd: end, onComplete: (r: unknown[][]) => (rows = r) });
    } catch (err) {
      throw fileError(path, start + 2, null, `cannot decode the row group of rows ${start + 2}–${end + 1}: ${(err as Error).message}`);
    }
    const width = o.header.length;
    return rows.map((r) => {
      const fields = new Array<string | number | boolean>(width);
      for (let c = 0; c < width; c++) fields[c] = cellText(r[c]);
      return fields;
    });
  } finally {
    if (!opened) o.close();
  }
}

export const parquetRowsTask = ({ path, start, end }: { path: string; start: number; end: number }) => decodeParquetRows(path, start, end);

/**
 * The rows of a Parquet file as a CsvTable, so that every tabular layout (wide, long, pairwise)
 * reads Parquet with the code, checks and errors it uses for CSV. `row` counts data rows from 2,
 * as the CSV path does with its header as row 1, so a refusal names the same row either way.
 * With a `decode` (the engine's worker), the next row group is decoded while this one is
 * imported, and a decoder stuck on a corrupt page is stopped by the worker's time limit.
 */
export async function parquetTable(path: string, check: () => void, onRows?: (done: number, total: number) => void, decode?: ParquetDecoder): Promise<CsvTable> {
  const opened = await open(path);
  const { header, metadata } = opened;
  const total = Number(metadata.num_rows);
  let closed = false;
  const close = () => {
    if (!closed) opened.close();
    closed = true;
  };
  const groups: [number, number][] = [];
  let at = 0;
  for (const g of metadata.row_groups) groups.push([at, (at += Number(g.num_rows))]);
  const rowsOf = ([start, end]: [number, number]) => (decode ? decode(path, start, end) : decodeParquetRows(path, start, end, opened));
  async function* records(): AsyncGenerator<CsvRecord> {
    try {
      let next = groups.length ? rowsOf(groups[0]) : null;
      for (let g = 0; g < groups.length; g++) {
        if (closed) return;
        check();
        const rows = await next!;
        next = g + 1 < groups.length ? rowsOf(groups[g + 1]) : null;
        next?.catch(() => {}); // its failure surfaces when its turn comes
        const start = groups[g][0];
        for (let i = 0; i < rows.length; i++) yield { row: start + i + 2, line: start + i + 2, fields: rows[i] };
        onRows?.(groups[g][1], total);
      }
    } finally {
      close();
    }
  }
  return { header, records: records(), close };
}
