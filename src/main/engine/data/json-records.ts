import { bounds } from '../../../shared/bounds';
import { fileError } from '../../../shared/errors';
import { duplicateKey } from './json-duplicate-keys';

/** One top-level object of a JSON array or a JSON-lines file; `row` counts objects from 1. */
export interface JsonRecord {
  row: number;
  line: number; // line where the object starts
  value: Record<string, unknown>;
}

class UnderflowError extends Error {
  constructor(
    readonly key: string,
    readonly source: string,
  ) {
    super('underflow');
  }
}

// Node >= 21 hands JSON.parse revivers the source text of each primitive.
function underflowReviver(this: unknown, key: string, value: unknown, context?: { source?: string }): unknown {
  if (value === 0 && context?.source && /[1-9]/.test(context.source.split(/[eE]/)[0])) throw new UnderflowError(key, context.source);
  return value;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
// Records are flat (scores one level down); a deeper file is refused before JSON.parse and the
// code that reads values ever recurse through it (a 10,000-deep array overflows the stack).
const MAX_DEPTH = 32;
/** Longest object (UTF-16 code units) held: a longer one is refused with its row, memory proportional to it. */
export const MAX_OBJECT_CHARS = bounds.recordChars;

/**
 * Streams the objects of `[ {...}, {...} ]` or of JSON lines, holding only one object's text at a
 * time: a small scanner cuts the top level at brace depth 0 and JSON.parse reads each object.
 * Syntax errors name the object (row) and line; a file that ends early is reported as truncated.
 */
export async function* jsonRecords(file: string, text: AsyncIterable<string>): AsyncGenerator<JsonRecord> {
  let mode: 'unknown' | 'array' | 'lines' = 'unknown';
  let state: 'value' | 'after' | 'end' = 'value'; // what the top level expects next
  let depth = 0;
  let inString = false;
  let escape = false;
  let parts: string[] = [];
  let held = 0; // characters of the current object in parts
  let line = 1;
  let startLine = 1;
  let row = 0;
  const bad = (problem: string) => fileError(file, row || null, null, `malformed JSON at line ${line}: ${problem}`, { line });
  for await (const chunk of text) {
    let start = depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x0a) line++;
      if (depth > 0) {
        if (inString) {
          if (escape) escape = false;
          else if (c === 0x5c) escape = true;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) {
          if (++depth > MAX_DEPTH) throw fileError(file, row, null, `object ${row} (starting at line ${startLine}) nests deeper than ${MAX_DEPTH} levels; a routing record holds scalars and one level of scores`, { line });
        }
        else if (c === 0x7d || c === 0x5d) {
          if (--depth === 0) {
            parts.push(chunk.slice(start, i + 1));
            const body = parts.join('');
            parts = [];
            held = 0;
            if (body.length > MAX_OBJECT_CHARS) throw fileError(file, row, null, `object ${row} (starting at line ${startLine}) is ${body.length} characters long, over the per-record limit of ${MAX_OBJECT_CHARS}`, { line: startLine });
            start = -1;
            let value: unknown;
            try {
              // A numeral with a long negative exponent may underflow to 0: only then pay for a
              // reviver that sees each number's source text (values.ts's one number grammar).
              value = /\d[eE]-\d{3}/.test(body) ? JSON.parse(body, underflowReviver) : JSON.parse(body);
            } catch (err) {
              if (err instanceof UnderflowError) throw fileError(file, row, err.key, `the number ${err.source} underflows to zero`, { line: startLine, reason: 'underflow' });
              throw fileError(file, row, null, `malformed JSON in object ${row} (starting at line ${startLine}): ${(err as Error).message}`, { line: startLine });
            }
            const twice = duplicateKey(body);
            if (twice !== null) throw fileError(file, row, twice, `object ${row} (starting at line ${startLine}) gives the key "${twice}" twice; JSON would keep only the last value`, { line: startLine, reason: 'duplicate-key' });
            yield { row, line: startLine, value: value as Record<string, unknown> };
            state = mode === 'array' ? 'after' : 'value';
          }
        }
        continue;
      }
      if (WS.has(c)) continue;
      if (mode === 'unknown') {
        if (c === 0x5b) {
          mode = 'array';
          continue;
        }
        if (c !== 0x7b) throw bad(`expected "[" (a list of objects) or "{" (JSON lines), found "${chunk[i]}"`);
        mode = 'lines';
      }
      if (state === 'end') throw bad(`unexpected "${chunk[i]}" after the closing "]"`);
      if (state === 'after') {
        if (c === 0x2c) state = 'value';
        else if (c === 0x5d) state = 'end';
        else throw bad(`expected "," or "]" after object ${row}, found "${chunk[i]}"`);
        continue;
      }
      if (c === 0x5d && mode === 'array' && row === 0) {
        state = 'end'; // an empty list
        continue;
      }
      row++;
      if (c !== 0x7b) throw fileError(file, row, null, `entry ${row} (line ${line}) is not an object: found "${chunk[i]}"`, { line });
      depth = 1;
      start = i;
      startLine = line;
    }
    if (depth > 0) {
      const piece = chunk.slice(start);
      held += piece.length;
      if (held > MAX_OBJECT_CHARS) throw fileError(file, row, null, `object ${row} (starting at line ${startLine}) is longer than the per-record limit of ${MAX_OBJECT_CHARS} characters`, { line: startLine });
      parts.push(piece);
    }
  }
  if (mode === 'unknown') throw fileError(file, null, null, 'the file is empty (no JSON value)');
  if (depth > 0) throw fileError(file, row, null, `truncated JSON: the file ends inside object ${row}, which starts at line ${startLine}`, { line: startLine });
  if (mode === 'array' && state !== 'end') throw fileError(file, row || null, null, `truncated JSON: the list is not closed with "]" (the file ends at line ${line})`, { line });
}
