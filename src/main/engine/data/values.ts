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
  const v = Number(t);
  if (!Number.isFinite(v)) throw fileError(at.file, at.row, at.column, `the label "${clip(cell!)}" is not a number (expected a score in [0, 1], true/false, or an empty cell for a missing label)`, { value: cell });
  return checkScore(v, cell!, at);
}

function checkScore(v: number, shown: string, at: CellAt): number {
  if (!(v >= 0 && v <= 1)) throw fileError(at.file, at.row, at.column, `the label ${clip(shown)} is out of range (scores must lie in [0, 1])`, { value: v });
  return v;
}

/** A non-negative amount (cost); empty = unknown. */
export function amountCell(cell: string | number | boolean | null | undefined, at: CellAt, what = 'cost'): number | null {
  if (typeof cell === 'boolean') cell = String(cell); // refused below as not a number
  if (typeof cell !== 'number' && isMissing(cell)) return null;
  const v = typeof cell === 'number' ? cell : Number(cell!.trim());
  if (!Number.isFinite(v)) throw fileError(at.file, at.row, at.column, `the ${what} "${clip(String(cell))}" is not a number`, { value: cell });
  if (v < 0) throw fileError(at.file, at.row, at.column, `the ${what} ${v} is negative`, { value: v });
  return v;
}

/** A non-negative whole count (tokens); empty = unknown. */
export function countCell(cell: string | number | boolean | null | undefined, at: CellAt, what = 'token count'): number | null {
  const v = amountCell(cell, at, what);
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

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
