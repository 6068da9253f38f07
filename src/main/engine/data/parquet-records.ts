import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { EngineError, fileError } from '../../../shared/errors';
import { refuseDuplicateColumns, type CsvRecord, type CsvTable } from './csv-records';
import { MAX_RECORD_CHARS } from './csv-tokenizer';
import { validatePageHeaders } from './parquet-pages';

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
  let header: string[];
  try {
    header = parquetSchema(metadata).children.map((c, i) => {
      const name = c.element.name;
      if (typeof name !== 'string') throw fileError(path, null, null, `not a readable Parquet file: column ${i + 1} of its schema has no name (a corrupt footer)`);
      return name;
    });
    refuseDuplicateColumns(path, header);
  } catch (err) {
    close();
    if (err instanceof EngineError) throw err;
    throw fileError(path, null, null, `not a readable Parquet file: its schema cannot be read (${(err as Error).message})`);
  }
  return { header, metadata, file, close };
}

/** The file's top-level column names, as a CSV header (for format detection). */
export async function parquetHeader(path: string): Promise<string[]> {
  const o = await open(path);
  o.close();
  return o.header;
}

/** A cell that is not a plain number or string: missing empty, anything else as text. */
function cellOf(v: unknown): string | number | boolean {
  if (v == null) return '';
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? '' : v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/**
 * One decoded column of a row group. Numbers travel as a Float64Array (NaN missing) and text as a
 * dictionary and Int32Array of indices (-1 missing): both cross from a worker thread at a small
 * fraction of the cost of structured-cloning a million row arrays, and the dictionary folds the
 * repeats of a long layout (each prompt and model name written once per group).
 */
export type ParquetColumn =
  | { kind: 'number'; values: Float64Array }
  | { kind: 'text'; dict: string[]; index: Int32Array }
  | { kind: 'cells'; values: (string | number | boolean)[] };

/** Rows [start, end) of a file, column by column. */
export interface ParquetBlock {
  rows: number;
  columns: ParquetColumn[];
}

function columnOf(values: ArrayLike<unknown>): ParquetColumn {
  const n = values.length;
  let numbers = true;
  let texts = true;
  for (let i = 0; i < n && (numbers || texts); i++) {
    const v = values[i];
    if (v == null) continue;
    const t = typeof v;
    if (t !== 'number' && !(t === 'bigint' && Number.isSafeInteger(Number(v)))) numbers = false;
    if (t !== 'string') texts = false;
  }
  if (numbers) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i] = v == null ? NaN : Number(v);
    }
    return { kind: 'number', values: out };
  }
  if (texts) {
    const dict: string[] = [];
    const seen = new Map<string, number>();
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i] as string | null | undefined;
      if (v == null) {
        index[i] = -1;
        continue;
      }
      let k = seen.get(v);
      if (k === undefined) {
        seen.set(v, (k = dict.length));
        dict.push(v);
      }
      index[i] = k;
    }
    return { kind: 'text', dict, index };
  }
  return { kind: 'cells', values: Array.from(values, cellOf) };
}

/** A text cell longer than the importers' per-record limit (CSV and JSON refuse such a record too). */
function refuseLongCells(path: string, header: string[], columns: ParquetColumn[], start: number, rowGroup: number): void {
  columns.forEach((col, c) => {
    if (col.kind === 'number') return;
    const texts = col.kind === 'text' ? col.dict : col.values;
    const long = texts.findIndex((v) => typeof v === 'string' && v.length > MAX_RECORD_CHARS);
    if (long < 0) return;
    const i = col.kind === 'text' ? col.index.indexOf(long) : long;
    const row = start + i + 2;
    throw fileError(path, row, header[c], `row group ${rowGroup}: a cell of ${(texts[long] as string).length} characters, over the per-record limit of ${MAX_RECORD_CHARS}`, { reason: 'record-limit', rowGroup });
  });
}

/** Row i of a block as the CSV path's cells: missing values empty, numbers as they are. */
function rowOf(block: ParquetBlock, i: number): (string | number | boolean)[] {
  const cols = block.columns;
  const fields = new Array<string | number | boolean>(cols.length);
  for (let c = 0; c < cols.length; c++) {
    const col = cols[c];
    if (col.kind === 'number') {
      const v = col.values[i];
      fields[c] = v === v ? v : '';
    } else if (col.kind === 'text') {
      const k = col.index[i];
      fields[c] = k < 0 ? '' : col.dict[k];
    } else fields[c] = col.values[i];
  }
  return fields;
}

/** Decodes rows [start, end) of a Parquet file; in a worker thread when the engine runs it. */
export type ParquetDecoder = (path: string, start: number, end: number) => Promise<ParquetBlock>;

/**
 * Rows [start, end) column by column (the worker task 'data.parquetRows', and the in-process
 * decoder). Columns come through hyparquet's onChunk, which skips its transpose into row objects.
 */
export async function decodeParquetRows(path: string, start: number, end: number, opened?: Opened): Promise<ParquetBlock> {
  const o = opened ?? (await open(path));
  try {
    const n = end - start;
    const at = new Map(o.header.map((h, c) => [h, c]));
    const cells: unknown[][] = o.header.map(() => new Array(n).fill(null));
    try {
      await parquetRead({
        file: o.file,
        metadata: o.metadata,
        compressors,
        rowStart: start,
        rowEnd: end,
        onChunk: ({ columnName, columnData, rowStart }) => {
          const out = cells[at.get(columnName) ?? -1];
          if (!out) return;
          // A chunk may reach outside the rows asked for.
          const from = Math.max(start, rowStart);
          const to = Math.min(end, rowStart + columnData.length);
          for (let r = from; r < to; r++) out[r - start] = columnData[r - rowStart];
        },
      });
    } catch (err) {
      throw fileError(path, start + 2, null, `cannot decode the row group of rows ${start + 2}–${end + 1}: ${(err as Error).message}`);
    }
    const columns = cells.map(columnOf);
    let first = 0;
    const rowGroup = 1 + o.metadata.row_groups.findIndex((g) => start < (first += Number(g.num_rows)));
    refuseLongCells(path, o.header, columns, start, rowGroup);
    return { rows: n, columns };
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
  try {
    // Every page header, before any decoding (parquet-pages.ts): a corrupt file is refused at once.
    await validatePageHeaders(path, metadata, opened.file.byteLength, async (offset, length) => opened.file.slice(offset, offset + length));
  } catch (err) {
    opened.close();
    throw err;
  }
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
        const block = await next!;
        next = g + 1 < groups.length ? rowsOf(groups[g + 1]) : null;
        next?.catch(() => {}); // its failure surfaces when its turn comes
        const start = groups[g][0];
        for (let i = 0; i < block.rows; i++) yield { row: start + i + 2, line: start + i + 2, fields: rowOf(block, i) };
        onRows?.(groups[g][1], total);
      }
    } finally {
      close();
    }
  }
  return { header, records: records(), close };
}
