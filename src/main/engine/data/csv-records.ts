import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { EngineError, fileError } from '../../../shared/errors';

/** One CSV record. `row` counts records as a spreadsheet shows them: the header is row 1. */
export interface CsvRecord {
  row: number;
  line: number; // last physical line of the record (quoted fields may span lines)
  fields: string[];
}

export interface CsvTable {
  header: string[];
  records: AsyncGenerator<CsvRecord>;
  /** Stops reading (also done when iteration of `records` ends or is abandoned). */
  close(): void;
}

/**
 * Streams CSV records from text chunks. Every record is checked to have as many fields as the
 * header: a short row (a truncated file) fails with its row and the first missing column.
 */
export async function csvTable(file: string, text: AsyncIterable<string>): Promise<CsvTable> {
  const parser = parse({ relax_column_count: true, info: true, skip_empty_lines: true, bom: true });
  let sourceError: unknown;
  // pipeline() destroys the parser with the source's error, so iteration below rethrows it.
  pipeline(Readable.from(text, { objectMode: false }), parser, (err) => {
    if (err) sourceError = err;
  });
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  let records = 0;
  const next = async () => {
    try {
      return await iterator.next();
    } catch (err) {
      throw translate(file, sourceError ?? err, records + 1);
    }
  };
  const first = await next();
  if (first.done) throw fileError(file, null, null, 'the file is empty (no header row)');
  if (first.value.record.length < 2) parser.destroy();
  records = 1;
  const header = first.value.record.map((h) => h.trim());
  if (header.length < 2) throw fileError(file, 1, null, `the header has ${header.length} column; is this a CSV file? (expected comma-separated columns)`);
  const close = () => parser.destroy();
  async function* rows(): AsyncGenerator<CsvRecord> {
    try {
    for (;;) {
      const r = await next();
      if (r.done) return;
      records++;
      const fields = r.value.record;
      if (fields.length < header.length) {
        throw fileError(file, records, header[fields.length] || `#${fields.length + 1}`, `the row has ${fields.length} fields but the header has ${header.length}; the file may be truncated`, { line: r.value.info.lines });
      }
      if (fields.length > header.length) {
        throw fileError(file, records, `#${header.length + 1}`, `the row has ${fields.length} fields but the header has ${header.length} (an unquoted comma?)`, { line: r.value.info.lines });
      }
      yield { row: records, line: r.value.info.lines, fields };
    }
    } finally {
      close();
    }
  }
  return { header, records: rows(), close };
}

function translate(file: string, err: unknown, row: number): unknown {
  if (err instanceof EngineError) return err;
  const e = err as { code?: string; message?: string; lines?: number };
  if (e?.code === 'CSV_QUOTE_NOT_CLOSED') {
    return fileError(file, row, null, `truncated CSV: the file ends inside a quoted field that opened in this row (line ${e.lines})`, { line: e.lines });
  }
  if (typeof e?.code === 'string' && e.code.startsWith('CSV_')) {
    return fileError(file, row, null, `malformed CSV: ${e.message}`, { line: e.lines, csvCode: e.code });
  }
  return err;
}

/** Index of the first header column matching one of `names` (case-insensitive), or -1. */
export function columnIndex(header: string[], names: readonly string[]): number {
  const lower = header.map((h) => h.toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n);
    if (i !== -1) return i;
  }
  return -1;
}

/** Like columnIndex, but a missing column fails naming the file, the header row and the column. */
export function requireColumn(file: string, header: string[], names: readonly string[], what: string): number {
  const i = columnIndex(header, names);
  if (i === -1) throw fileError(file, 1, names.join('|'), `missing column: the header has no ${what} column (${names.join(' or ')})`, { header });
  return i;
}
