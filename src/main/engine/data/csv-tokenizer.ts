/**
 * An RFC 4180 CSV tokenizer for text that arrives in chunks: comma- (or tab-) separated, fields optionally
 * in double quotes ("" escapes a quote; quoted fields may hold commas and newlines), records end
 * at LF or CRLF, empty lines are skipped. It finds separators with indexOf rather than walking
 * characters, which makes it several times faster than csv-parse on label files; a record cut by
 * a chunk boundary is carried over to the next chunk.
 */
import { bounds } from '../../../shared/bounds';
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly recordsBefore: number, // complete records before the bad one
    readonly line: number,
    readonly field: number, // 0-based index of the bad field in its record
  ) {
    super(message);
  }
}

export interface TokenizedRecord {
  fields: string[];
  line: number; // line on which the record ends (1-based)
}

/** Longest record (in UTF-16 code units) an importer holds: a longer one is refused with its row, memory stays proportional to it. */
export const MAX_RECORD_CHARS = bounds.recordChars;

export class CsvTokenizer {
  private readonly sepCode: number;
  private pending = '';
  private line = 1; // line at the start of `pending`
  private records = 0;

  /** `separator`: ',' (CSV) or '\t' (TSV). */
  constructor(
    private readonly separator: ',' | '\t' = ',',
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {
    this.sepCode = separator.charCodeAt(0);
  }

  /** Complete records of the text so far; a trailing partial record waits for more text. */
  push(chunk: string): TokenizedRecord[] {
    // A record can only end at a newline: without one, there is nothing new to scan.
    if (chunk.indexOf('\n') === -1) {
      this.pending += chunk;
      this.checkPending();
      return [];
    }
    const out = this.scan(this.pending + chunk, false);
    this.checkPending();
    return out;
  }

  private checkPending(): void {
    if (this.pending.length > this.maxRecordChars) {
      this.pending = '';
      throw new CsvSyntaxError(`a record is longer than ${this.maxRecordChars} characters (the per-record limit)`, this.records, this.line, 0);
    }
  }

  /** The last record (one without a final newline); throws if the text ends inside quotes. */
  end(): TokenizedRecord[] {
    return this.scan(this.pending, true);
  }

  private scan(buf: string, atEnd: boolean): TokenizedRecord[] {
    const out: TokenizedRecord[] = [];
    const n = buf.length;
    let pos = 0;
    let line = this.line;
    let resumeAt = 0; // start of the first record not yet complete
    let resumeLine = line;
    record: while (pos < n) {
      const start = pos;
      const fields: string[] = [];
      let nl = buf.indexOf('\n', pos);
      for (;;) {
        if (buf.charCodeAt(pos) === 0x22) {
          // Quoted field: find the closing quote that is not an escaped pair.
          const open = pos;
          let q = pos + 1;
          let value = '';
          for (;;) {
            const close = buf.indexOf('"', q);
            if (close === -1) {
              if (!atEnd) break record; // wait for more text
              throw new CsvSyntaxError('the file ends inside a quoted field', this.records, resumeLine, fields.length);
            }
            if (close + 1 >= n && !atEnd) break record; // cannot tell "" from " yet
            if (buf.charCodeAt(close + 1) === 0x22) {
              value += buf.slice(q, close + 1);
              q = close + 2;
              continue;
            }
            value += buf.slice(q, close);
            pos = close + 1;
            break;
          }
          for (let i = buf.indexOf('\n', open); i !== -1 && i < pos; i = buf.indexOf('\n', i + 1)) line++;
          fields.push(value);
          const c = buf.charCodeAt(pos);
          if (c === this.sepCode) {
            pos++;
            nl = buf.indexOf('\n', pos);
            continue;
          }
          if (pos >= n) {
            if (!atEnd) break record;
            break;
          }
          if (c === 0x0d && pos + 1 >= n && !atEnd) break record;
          if (c === 0x0a || (c === 0x0d && buf.charCodeAt(pos + 1) === 0x0a)) {
            pos += c === 0x0a ? 1 : 2;
            line++;
            break;
          }
          if (c === 0x0d && pos + 1 >= n) {
            pos = n; // a final CR at the very end of the text
            break;
          }
          throw new CsvSyntaxError(`unexpected "${buf[pos]}" after the closing quote of a field`, this.records, line, fields.length - 1);
        }
        // Unquoted field: up to the next comma or the end of the line.
        const comma = buf.indexOf(this.separator, pos);
        if (comma !== -1 && (nl === -1 || comma < nl)) {
          fields.push(buf.slice(pos, comma));
          pos = comma + 1;
          continue;
        }
        if (nl === -1) {
          if (!atEnd) break record;
          fields.push(buf.slice(pos));
          pos = n;
          break;
        }
        fields.push(buf.slice(pos, nl > pos && buf.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl));
        pos = nl + 1;
        line++;
        break;
      }
      resumeAt = pos;
      resumeLine = line;
      // An empty line is a single empty unquoted field: skip it.
      if (fields.length === 1 && fields[0] === '' && buf.charCodeAt(start) !== 0x22) continue;
      if (pos - start > this.maxRecordChars) throw new CsvSyntaxError(`a record is longer than ${this.maxRecordChars} characters (the per-record limit)`, this.records, resumeLine, 0);
      this.records++;
      out.push({ fields, line: buf.charCodeAt(pos - 1) === 0x0a ? line - 1 : line });
    }
    // Keep the unfinished record for the next chunk; it is rescanned from its start.
    this.pending = buf.slice(resumeAt);
    this.line = resumeLine;
    return out;
  }
}
