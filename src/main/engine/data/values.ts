import { bounds, RESERVED_NAMES } from '../../../shared/bounds';
import { fileError } from '../../../shared/errors';

// Cell parsers for the label hot path (hand-written: zod per cell would dominate a 1M-row import).
// Each returns null for a missing value and throws a fileError naming file, row and column.

const missing = new Set(['', 'nan', 'null', 'na', 'none']);

export interface CellAt {
  file: string;
  row: number;
  column: string;
}

function isMissing(cell: string | null | undefined): boolean {
  return cell == null || missing.has(cell.trim().toLowerCase());
}

/** A label: a number in [0, 1] or true/false; empty = missing (never zero). */
export function scoreCell(cell: string | number | boolean | null | undefined, at: CellAt): number | null {
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (typeof cell === 'number') return checkScore(cell, String(cell), at);
  if (isMissing(cell)) return null;
  const t = cell!.trim().toLowerCase();
  if (t === 'true') return 1;
  if (t === 'false') return 0;
  if (!DECIMAL.test(t)) throw fileError(at.file, at.row, at.column, `the label "${clip(cell!)}" is not a number (expected a decimal score in [0, 1], true/false, or an empty cell for a missing label)`, { value: cell });
  return checkScore(decimalValue(t, at, 'label'), cell!, at);
}

function checkScore(v: number, shown: string, at: CellAt): number {
  if (!(v >= 0 && v <= 1)) throw fileError(at.file, at.row, at.column, `the label ${clip(shown)} is out of range (scores must lie in [0, 1])`, { value: v });
  return v;
}

/**
 * The one number grammar of every importer: decimal digits with an optional sign, fraction and
 * exponent. No hex (0x10), binary (0b11), octal (0o7), separators, `Infinity` or `NaN` text.
 */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal numeral's value; overflow (to ±Infinity) and underflow (a non-zero numeral read as 0) refused. */
export function decimalValue(text: string, at: CellAt, what: string): number {
  const v = Number(text);
  if (!Number.isFinite(v)) throw fileError(at.file, at.row, at.column, `the ${what} ${clip(text)} overflows a double-precision number`, { value: text, reason: 'overflow' });
  if (v === 0 && /[1-9]/.test(text.split(/[eE]/)[0])) throw fileError(at.file, at.row, at.column, `the ${what} ${clip(text)} underflows to zero`, { value: text, reason: 'underflow' });
  return v;
}

/** A number from text (the grammar above) or from a typed value (JSON, Parquet): finite, else refused. */
export function numberCell(cell: string | number, at: CellAt, what: string): number {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw fileError(at.file, at.row, at.column, `the ${what} ${cell} is not a finite number`, { value: String(cell) });
    return cell;
  }
  const t = cell.trim();
  if (!DECIMAL.test(t)) throw fileError(at.file, at.row, at.column, `the ${what} "${clip(cell)}" is not a decimal number`, { value: cell });
  return decimalValue(t, at, what);
}

/** A non-negative amount (cost) up to `max`; empty = unknown. */
export function amountCell(cell: string | number | boolean | null | undefined, at: CellAt, what = 'cost', max: number = bounds.queryCost): number | null {
  if (typeof cell === 'boolean') cell = String(cell); // refused below as not a number
  if (typeof cell !== 'number' && isMissing(cell)) return null;
  if (typeof cell !== 'number' && typeof cell !== 'string') throw fileError(at.file, at.row, at.column, `the ${what} is not a number`, { value: String(cell) });
  const v = numberCell(cell!, at, what);
  if (v < 0) throw fileError(at.file, at.row, at.column, `the ${what} ${v} is negative`, { value: v });
  if (v > max) throw fileError(at.file, at.row, at.column, `the ${what} ${v} is over the limit of ${max}`, { value: v, limit: max });
  return v;
}

/** A non-negative whole count (tokens) up to `max`; empty = unknown. */
export function countCell(cell: string | number | boolean | null | undefined, at: CellAt, what = 'token count', max: number = bounds.tokens): number | null {
  const v = amountCell(cell, at, what, max);
  if (v !== null && !Number.isInteger(v)) throw fileError(at.file, at.row, at.column, `the ${what} ${v} is not a whole number`, { value: v });
  return v;
}

/** Required text (prompt, model name). */
export function textCell(cell: string | number | boolean | null | undefined, at: CellAt, what: string): string {
  if (typeof cell !== 'string' && cell != null) return String(cell); // a typed (Parquet) id
  if (cell == null || cell.trim() === '') throw fileError(at.file, at.row, at.column, `the ${what} is empty`);
  return cell;
}

export function optionalText(cell: string | number | boolean | null | undefined): string | null {
  if (typeof cell !== 'string' && cell != null) return String(cell);
  return cell == null || cell.trim() === '' ? null : cell.trim();
}

/**
 * The one normalisation of names (models, tasks, GPU types) in every format: trimmed, Unicode NFC,
 * case kept. `__proto__` is refused: it cannot be a key of the JSON records a policy carries.
 */
export function normalName(name: string, at: CellAt | null, what: string): string {
  const n = name.trim().normalize('NFC');
  if (RESERVED_NAMES.has(n)) {
    throw fileError(at?.file ?? 'input', at?.row ?? null, at?.column ?? null, `the ${what} "${n}" is reserved (it cannot be a key of a policy's JSON records); rename it`, { value: n, reason: 'reserved-name' });
  }
  return n;
}

/** An optional task name, normalised like every name (null when empty). */
export function taskCell(cell: string | number | boolean | null | undefined, at: CellAt): string | null {
  const t = optionalText(cell);
  return t == null ? null : normalName(t, at, 'task');
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
