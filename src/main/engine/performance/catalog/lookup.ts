import { existsSync, readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { DECIMAL } from '../../data/values';
import { EngineError } from '../../../../shared/errors';
import type { GpuSpec, ModelArch } from '../types';
import { modelCatalog } from './model-catalog';
import { gpuCatalog } from './gpu-catalog';
import { loadHfConfig } from './hf-config';

const norm = (s: string) => s.trim().toLowerCase().replace(/^.*\//, '').replace(/[\s_]+/g, '-');

/** Whether two catalog names are the same once case, org prefix, spaces and underscores are set aside. */
export const sameName = (a: string, b: string): boolean => norm(a) === norm(b);

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest names (by edit distance, substring matches first), at most `k`. */
export function nearMatches(query: string, names: string[], k = 5): string[] {
  const q = norm(query);
  return names
    .map((n) => ({ n, d: editDistance(q, norm(n)) - (norm(n).includes(q) || q.includes(norm(n)) ? 100 : 0) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map((x) => x.n);
}

/** A catalog model by name or alias (case-insensitive, org prefix ignored), or a config.json path. */
export function modelArch(nameOrConfigPath: string): ModelArch {
  if (/\.json$/i.test(nameOrConfigPath) || (nameOrConfigPath.includes('/') && existsSync(nameOrConfigPath))) return loadHfConfig(nameOrConfigPath);
  const q = norm(nameOrConfigPath);
  const hit = modelCatalog.find((m) => norm(m.name) === q || m.aliases.some((a) => norm(a) === q));
  if (hit) {
    const { aliases: _aliases, ...arch } = hit;
    return arch;
  }
  const near = nearMatches(nameOrConfigPath, modelCatalog.map((m) => m.name));
  throw new EngineError('NOT_FOUND', `unknown model "${nameOrConfigPath}"; near matches: ${near.join(', ')} (or give a path to its config.json)`, { model: nameOrConfigPath, nearMatches: near });
}

/** Whether a GPU entry answers to `name` (its own name or an alias, normalised). */
export const gpuAnswersTo = (g: GpuSpec, name: string): boolean => norm(g.name) === norm(name) || (g.aliases ?? []).some((a) => norm(a) === norm(name));

/**
 * The built-in catalog with users' entries laid over it, each layer over the one before (the
 * workspace's specs, then a --gpu-file): an entry whose name is a catalog name or alias replaces
 * that entry and answers to all its names, so an inventory's `H100-80GB` still finds it.
 */
export function gpuCatalogWith(...layers: GpuSpec[][]): GpuSpec[] {
  let out = gpuCatalog;
  for (const extra of layers) {
    for (const e of extra) {
      const replaced = out.filter((g) => gpuAnswersTo(g, e.name));
      const names = [...new Set([...(e.aliases ?? []), ...replaced.flatMap((g) => [g.name, ...(g.aliases ?? [])])])].filter((n) => norm(n) !== norm(e.name));
      out = [...out.filter((g) => !replaced.includes(g)), names.length ? { ...e, aliases: names } : e];
    }
  }
  return out;
}

export function gpuSpec(name: string, catalog: GpuSpec[] = gpuCatalog): GpuSpec {
  const q = norm(name);
  const hit = catalog.find((g) => norm(g.name) === q || (g.aliases ?? []).some((a) => norm(a) === q));
  if (hit) return hit;
  const near = nearMatches(name, catalog.flatMap((g) => [g.name, ...(g.aliases ?? [])]));
  throw new EngineError('NOT_FOUND', `unknown GPU "${name}"; near matches: ${near.join(', ')} (add it with a GPU file: see docs/capacity.md)`, { gpu: name, nearMatches: near });
}

const gpuFields = ['name', 'memoryGb', 'hbmGBps', 'bf16Tflops', 'fp8Tflops', 'int8Tops', 'interconnectGBps', 'source'] as const;

/**
 * A user's GPU file: a JSON array of GpuSpec objects, or a CSV with the header
 * name,memoryGb,hbmGBps,bf16Tflops,fp8Tflops,int8Tops,interconnectGBps,source (empty fp8/int8 =
 * the part has none). A bad value names its row and column.
 */
export function loadGpuFile(file: string): GpuSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  let rows: Record<string, unknown>[];
  if (/\.json$/i.test(file)) {
    try {
      const parsed = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new Error('expected an array of GPU objects');
      rows = parsed;
    } catch (err) {
      throw new EngineError('FILE_FORMAT', `${file}: ${(err as Error).message}`, { file });
    }
  } else {
    let table: string[][];
    try {
      table = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true });
    } catch (err) {
      throw new EngineError('FILE_FORMAT', `${file}: not a CSV file: ${(err as Error).message}`, { file });
    }
    const header = table[0] ?? [];
    const missing = gpuFields.filter((f) => f !== 'fp8Tflops' && f !== 'int8Tops' && !header.includes(f));
    if (missing.length) throw new EngineError('FILE_FORMAT', `${file}: the header lacks ${missing.join(', ')} (expected ${gpuFields.join(',')})`, { file, row: 1, column: missing[0] });
    rows = table.slice(1).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  }
  return rows.map((r, i) => {
    const row = i + (/\.json$/i.test(file) ? 1 : 2);
    const val = (f: (typeof gpuFields)[number], nullable = false): number | null => {
      const v = r[f];
      if (nullable && (v === null || v === undefined || v === '')) return null;
      // The importers' decimal grammar: "0x10" or "Infinity" is no figure.
      const x = typeof v === 'number' ? v : typeof v === 'string' && DECIMAL.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isFinite(x) || x <= 0) throw new EngineError('FILE_FORMAT', `${file}: row ${row}, column ${f}: "${String(v ?? '')}" is not a positive number`, { file, row, column: f });
      return x;
    };
    const name = String(r.name ?? '').trim();
    if (!name) throw new EngineError('FILE_FORMAT', `${file}: row ${row}, column name: empty`, { file, row, column: 'name' });
    return {
      name,
      memoryGb: val('memoryGb') as number,
      hbmGBps: val('hbmGBps') as number,
      bf16Tflops: val('bf16Tflops') as number,
      fp8Tflops: val('fp8Tflops', true),
      int8Tops: val('int8Tops', true),
      interconnectGBps: val('interconnectGBps') as number,
      source: String(r.source ?? '').trim() || file,
    };
  });
}
