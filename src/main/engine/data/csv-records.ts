import { EngineError, fileError } from '../../../shared/errors';
import { CsvSyntaxError, CsvTokenizer, type TokenizedRecord } from './csv-tokenizer';

/**
 * Two columns of one name (compared trimmed, NFC, without case) would be read differently by each
 * importer: refused, naming both. CSV headers and Parquet schemas alike.
 */
export function refuseDuplicateColumns(file: string, header: string[]): void {
  const seen = new Map<string, number>();
  header.forEach((raw, i) => {
    const h = raw.trim().normalize('NFC');
    if (h === '') return;
    const key = h.toLowerCase();
    const j = seen.get(key);
    if (j !== undefined) throw fileError(file, 1, h, `duplicate column: columns ${j + 1} ("${header[j].trim()}") and ${i + 1} ("${h}") have the same name`, { columns: [header[j].trim(), h], positions: [j + 1, i + 1] });
    seen.set(key, i);
  });
}

/** One CSV record. `row` counts records as a spreadsheet shows them: the header is row 1. */
export interface CsvRecord {
  row: number;
  line: number; // last physical line of the record (quoted fields may span lines)
  /** Text from CSV; from Parquet, numbers and booleans stay typed (the cell parsers take both). */
  fields: (string | number | boolean)[];
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
export async function csvTable(file: string, text: AsyncIterable<string>, separator: ',' | '\t' = ','): Promise<CsvTable> {
  const tokenizer = new CsvTokenizer(separator);
  const source = text[Symbol.asyncIterator]();
  const close = () => void source.return?.();
  let batch: TokenizedRecord[] = [];
  let at = 0;
  let ended = false;
  let records = 0;
  // The next record, reading more text when the current batch is used up.
  const next = async (): Promise<TokenizedRecord | undefined> => {
    while (at >= batch.length) {
      if (ended) return undefined;
      const chunk = await source.next();
      try {
        batch = chunk.done ? tokenizer.end() : tokenizer.push(chunk.value);
      } catch (err) {
        throw translate(file, err);
      }
      ended = chunk.done === true;
      at = 0;
    }
    return batch[at++];
  };
  const first = await next();
  if (!first) throw fileError(file, null, null, 'the file is empty (no header row)');
  records = 1;
  const header = first.fields.map((h) => h.trim().normalize('NFC'));
  try {
    refuseDuplicateColumns(file, header);
  } catch (err) {
    close();
    throw err;
  }
  if (header.length < 2) {
    close();
    throw fileError(file, 1, null, `the header has ${header.length} column; is this a CSV file? (expected comma- or tab-separated columns)`);
  }
  async function* rows(): AsyncGenerator<CsvRecord> {
    try {
      for (let r = await next(); r; r = await next()) {
        records++;
        const fields = r.fields;
        if (fields.length < header.length) {
          throw fileError(file, records, header[fields.length] || `#${fields.length + 1}`, `the row has ${fields.length} fields but the header has ${header.length}; the file may be truncated`, { line: r.line });
        }
        if (fields.length > header.length) {
          throw fileError(file, records, `#${header.length + 1}`, `the row has ${fields.length} fields but the header has ${header.length} (an unquoted comma?)`, { line: r.line });
        }
        yield { row: records, line: r.line, fields };
      }
    } finally {
      close();
    }
  }
  return { header, records: rows(), close };
}

function translate(file: string, err: unknown): unknown {
  if (!(err instanceof CsvSyntaxError) || err instanceof EngineError) return err;
  const row = err.recordsBefore + 1; // the bad record, counting the header as row 1
  if (err.message.startsWith('the file ends inside')) {
    return fileError(file, row, null, `truncated CSV: the file ends inside a quoted field that opened in this row (line ${err.line})`, { line: err.line });
  }
  return fileError(file, row, null, `malformed CSV at line ${err.line}: ${err.message}`, { line: err.line, field: err.field + 1 });
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
