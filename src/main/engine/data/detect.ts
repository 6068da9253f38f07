import { parse } from 'csv-parse/sync';
import type { ImportFormat } from '../../../shared/contract';
import { fileError } from '../../../shared/errors';
import { longColumns } from './import-long';
import { isPairwiseHeader } from './import-pairwise';
import { PARQUET_MAGIC, parquetHeader } from './parquet-records';
import { checkHead, peekBytes } from './source';

export type ConcreteFormat = Exclude<ImportFormat, 'auto'>;
export const datasetFormats: readonly ConcreteFormat[] = ['wide-csv', 'long-csv', 'json', 'pairwise'];

/** Tab for a TSV (a first line with more tabs than commas), else comma. */
export function separatorOf(file: string): ',' | '\t' {
  const first = peekBytes(file, 64 * 1024).toString('utf8').split('\n', 1)[0];
  const count = (c: string) => first.split(c).length - 1;
  return count('\t') > count(',') ? '\t' : ',';
}

/** Whether a file is JSON (by its first character); formats name the content, not the syntax. */
export function isJsonText(file: string): boolean {
  const head = peekBytes(file, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('[') || head.startsWith('{');
}

/**
 * The format of a file from its first bytes: JSON by its opening bracket and key names, CSV by
 * its header. Also refuses binary, UTF-16 and non-UTF-8 files before anything is parsed.
 */
export function detectFormat(file: string): ConcreteFormat {
  const head = peekBytes(file);
  if (isParquetHead(head)) throw fileError(file, null, null, 'a Parquet file: its format comes from its schema (detectFormatAsync)');
  checkHead(file, head);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start === '') throw fileError(file, null, null, 'the file is empty (only whitespace)');
  if (start[0] === '[' || start[0] === '{') {
    if (/"scores"\s*:/.test(start)) return 'json';
    if (/"model_a"\s*:/.test(start) && /"model_b"\s*:/.test(start)) return 'pairwise';
    if (/"(price_in_per_m|price_out_per_m|gpus_per_instance)"\s*:/i.test(start)) return 'catalog';
    if (/"(hourly_price|memory_gb)"\s*:/i.test(start)) return 'inventory';
    return 'json'; // its validation names what is missing
  }
  const firstLine = start.split(/\r?\n/, 1)[0];
  let header: string[];
  try {
    header = (parse(firstLine, { relax_quotes: true, delimiter: separatorOf(file) }) as string[][])[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  } catch {
    header = firstLine.split(separatorOf(file)).map((h) => h.trim().toLowerCase());
  }
  return formatFromHeader(file, header);
}

/** Whether a file is Parquet, by its magic number. */
export function isParquetFile(file: string): boolean {
  return isParquetHead(peekBytes(file, 4));
}

const isParquetHead = (head: Buffer) => head.length >= 4 && head.subarray(0, 4).equals(PARQUET_MAGIC);

/** detectFormat for any file, Parquet included (whose columns are read from its footer). */
export async function detectFormatAsync(file: string): Promise<ConcreteFormat> {
  if (!isParquetFile(file)) return detectFormat(file);
  return formatFromHeader(file, (await parquetHeader(file)).map((h) => h.trim().toLowerCase()));
}

/** A tabular layout by its (lower-cased) column names. */
function formatFromHeader(file: string, header: string[]): ConcreteFormat {
  const has = (names: readonly string[]) => names.some((n) => header.includes(n));
  if (header.some((h) => h.endsWith('|total_cost'))) return 'wide-csv';
  if (isPairwiseHeader(header)) return 'pairwise';
  if (has(['price_in_per_m', 'price_out_per_m'])) return 'catalog';
  if (has(['hourly_price', 'memory_gb'])) return 'inventory';
  if (has(longColumns.model) && (has(longColumns.question) || has(longColumns.score))) return 'long-csv';
  throw fileError(file, 1, null, `cannot tell the format from the header (${header.slice(0, 6).join(', ')}${header.length > 6 ? ', ...' : ''}); expected a RouterBench wide CSV (<model>|total_cost columns), a long CSV (question, model, score), pairwise preferences (prompt, model_a, model_b, winner), a catalog (model, price_in_per_m, ...) or an inventory (gpu_type, count, hourly_price, memory_gb); pass --format to choose`, { header });
}
