import { fileError } from '../../../shared/errors';
import type { ImportReport } from './types';

// Timestamps as seconds (float64). ISO text "YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM]" is read
// as UTC unless it carries an offset (Azure's traces carry none and are UTC); the fraction keeps
// all its digits (Azure's have seven). Numbers are epoch milliseconds from 1e11 (1973 in ms,
// year 5138 in s), epoch seconds from 1e8 (1973), relative seconds below: the kind is decided on
// the first row, reported, and every later row must be of the same kind.

export type TimestampKind = ImportReport['timestamps'];

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function parseIso(text: string): number | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
  if (Number.isNaN(ms)) return null;
  let s = ms / 1000 + (m[7] ? Number(m[7]) : 0);
  const z = m[8];
  if (z && z !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    s -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return s;
}

function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const x = Number(v);
  return Number.isFinite(x) ? x : null;
}

/** The kind of a first timestamp; `unit` forces seconds or milliseconds for numbers. */
export function timestampKind(v: unknown, unit?: 's' | 'ms'): TimestampKind | null {
  const x = numberOf(v);
  if (x === null) return typeof v === 'string' && parseIso(v) !== null ? 'iso' : null;
  if (unit === 'ms') return x >= 1e11 ? 'epoch-ms' : 'relative-ms';
  if (unit === 's') return x >= 1e8 ? 'epoch-s' : 'relative-s';
  return x >= 1e11 ? 'epoch-ms' : x >= 1e8 ? 'epoch-s' : 'relative-s';
}

// Consecutive rows mostly share their date and time to the second (and their zone suffix, e.g.
// Azure 2024's "+00:00"): the last one's is reused and only the fraction read (a third of a large
// Azure import's time went to the full parse).
let lastPrefix = '';
let lastSuffix = '';
let lastPrefixS = 0;

/** End of "[.digits]" starting at index 19 (just after the seconds). */
function fractionEnd(text: string): number {
  let j = 19;
  if (text.charCodeAt(j) === 0x2e) {
    j++;
    while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
  }
  return j;
}

function parseIsoFast(text: string): number | null {
  if (lastPrefix !== '' && text.length >= 19 && text.startsWith(lastPrefix)) {
    const j = fractionEnd(text);
    if (text.slice(j) === lastSuffix) return j > 20 ? lastPrefixS + Number(text.slice(19, j)) : j === 19 ? lastPrefixS : null;
  }
  const s = parseIso(text);
  if (s !== null && text.length >= 19 && (text[19] === undefined || text[19] === '.' || !/\d/.test(text[19]))) {
    const j = fractionEnd(text);
    const head = text.slice(0, 19);
    const whole = parseIso(head + text.slice(j));
    if (whole !== null && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$/.test(head)) {
      lastPrefix = head;
      lastSuffix = text.slice(j);
      lastPrefixS = whole;
    }
  }
  return s;
}

/** A row's timestamp in seconds, or a refusal naming file, row and column. */
export function readTimestamp(kind: TimestampKind, v: unknown, file: string, row: number, column: string): number {
  if (kind === 'iso') {
    const s = typeof v === 'string' ? parseIsoFast(v) : null;
    if (s === null) throw fileError(file, row, column, v === '' || v == null ? 'missing timestamp' : `"${String(v)}" is not an ISO date-time like the first row's`);
    return s;
  }
  const x = numberOf(v);
  if (x === null) throw fileError(file, row, column, v === '' || v == null ? 'missing timestamp' : `"${String(v)}" is not a number of ${kind.endsWith('ms') ? 'milliseconds' : 'seconds'} like the first row's`);
  return kind.endsWith('ms') ? x / 1000 : x;
}

/** A token count: a whole number >= 0, or a refusal naming file, row and column. */
export function readTokens(v: unknown, file: string, row: number, column: string): number {
  const x = numberOf(v);
  if (x === null) throw fileError(file, row, column, v === '' || v == null ? 'missing token count' : `"${String(v)}" is not a token count`);
  if (x < 0) throw fileError(file, row, column, `negative token count ${x}`);
  if (!Number.isInteger(x) || x > 0xffffffff) throw fileError(file, row, column, `${x} is not a whole number of tokens`);
  return x;
}
