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

/** A cell as the CSV path would see it: text, with missing values empty. */
function cellText(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/**
 * The rows of a Parquet file as a CsvTable, so that every tabular layout (wide, long, pairwise)
 * reads Parquet with the code, checks and errors it uses for CSV. `row` counts data rows from 2,
 * as the CSV path does with its header as row 1, so a refusal names the same row either way.
 */
export async function parquetTable(path: string, check: () => void, onRows?: (done: number, total: number) => void): Promise<CsvTable> {
  const opened = await open(path);
  const { header, metadata, file } = opened;
  const total = Number(metadata.num_rows);
  let closed = false;
  const close = () => {
    if (!closed) opened.close();
    closed = true;
  };
  async function* records(): AsyncGenerator<CsvRecord> {
    let start = 0;
    try {
      for (const group of metadata.row_groups) {
        if (closed) return;
        const end = start + Number(group.num_rows);
        check();
        let rows: unknown[][] = [];
        try {
          await parquetRead({ file, metadata, compressors, rowStart: start, rowEnd: end, onComplete: (r: unknown[][]) => (rows = r) });
        } catch (err) {
          throw fileError(path, start + 2, null, `cannot decode the row group of rows ${start + 2}–${end + 1}: ${(err as Error).message}`);
        }
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i];
          const fields = new Array<string>(header.length);
          for (let c = 0; c < header.length; c++) fields[c] = cellText(r[c]);
          yield { row: start + i + 2, line: start + i + 2, fields };
        }
        start = end;
        onRows?.(start, total);
      }
    } finally {
      close();
    }
  }
  return { header, records: records(), close };
}
