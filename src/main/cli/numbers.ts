import { InvalidArgumentError } from 'commander';
import { EngineError } from '../../shared/errors';
import { DECIMAL } from '../engine/data/values';

// Numbers on the command line follow the importers' one grammar (data/values.ts): decimal digits
// with an optional sign, fraction and exponent; no hex (0x10), binary, separators or Infinity.

function decimal(v: string): number | null {
  const t = v.trim();
  const x = Number(t);
  return DECIMAL.test(t) && Number.isFinite(x) ? x : null;
}

/** An option's value, parsed by commander before the command runs: a usage error (exit 2) otherwise. */
export function numberOption(v: string): number {
  const x = decimal(v);
  if (x == null) throw new InvalidArgumentError(`not a decimal number: ${v}`);
  return x;
}

/** A positive (optionally whole) number option, in the same grammar: a usage error naming the flag otherwise. */
export const positiveOption = (flag: string, integer = false) => (v: string): number => {
  const x = decimal(v);
  if (x == null || x <= 0 || (integer && !Number.isInteger(x))) throw new InvalidArgumentError(`${flag} must be a positive ${integer ? 'whole ' : ''}number, got ${v}`);
  return x;
};

/** A whole number ≥ 0 (ports, byte counts, milliseconds), in the same grammar. */
export const countOption = (flag: string) => (v: string): number => {
  const x = decimal(v);
  if (x == null || x < 0 || !Number.isInteger(x)) throw new InvalidArgumentError(`${flag}: expected a non-negative integer, got "${v}"`);
  return x;
};

/** A number read by a command itself (an argument, an option it parses): INVALID_INPUT (exit 1) otherwise. */
export function numberValue(v: string): number {
  const x = decimal(v);
  if (x == null) throw new EngineError('INVALID_INPUT', `not a decimal number: ${v}`);
  return x;
}

/** An option value a command reads itself (its text, or its default): the decimal grammar, else INVALID_INPUT naming the flag. */
export function flagNumber(flag: string, v: unknown): number {
  const x = decimal(String(v));
  if (x == null) throw new EngineError('INVALID_INPUT', `${flag}: not a decimal number: ${v}`, { field: flag });
  return x;
}

/** A decimal number inside a larger option value (model=slots, a comma list), NaN when it is not one. */
export const decimalOrNaN = (v: string): number => decimal(v) ?? NaN;
