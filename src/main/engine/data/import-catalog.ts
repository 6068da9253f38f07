import { z } from 'zod';
import { bounds, RESERVED_NAMES } from '../../../shared/bounds';
import { fileError } from '../../../shared/errors';
import { DECIMAL } from './values';
import type { CatalogRow, DeploymentRow, InventoryRow } from '../store/catalog';
import { dirname, isAbsolute, resolve } from 'node:path';
import { gpuSpec, modelArch } from '../performance/catalog/lookup';
import type { GpuSpec } from '../performance/types';
import { checkTypedProfile } from '../performance/physics';

/** A row of a catalog or inventory file, from CSV (strings) or JSON (values) alike. */
export interface FieldRecord {
  row: number;
  line: number;
  value: Record<string, unknown>;
}

// CSV gives strings: an empty cell is "not given", a numeric string a number.
const blank = (v: unknown) => (v === '' || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);
// Text numbers follow the importers' one decimal grammar (values.ts): no hex, binary, octal or
// Infinity; overflow and underflow are refused; a non-numeral stays text and fails the type check.
const numeric = (v: unknown) => {
  const b = blank(v);
  if (typeof b !== 'string') return b;
  const t = b.trim();
  if (!DECIMAL.test(t)) return b;
  const n = Number(t);
  return Number.isFinite(n) && !(n === 0 && /[1-9]/.test(t.split(/[eE]/)[0])) ? n : b;
};
const upTo = (max: number) => `must be at most ${max}`;
const price = (max: number) => z.preprocess(numeric, z.number({ error: 'expected a price (a decimal number)' }).min(0, 'a price cannot be negative').max(max, upTo(max)));
const positive = (max: number) => z.preprocess(numeric, z.number({ error: 'expected a decimal number' }).positive('must be greater than zero').max(max, upTo(max)).optional());
const positiveInt = (max: number) => z.preprocess(numeric, z.number({ error: 'expected a whole number' }).int('expected a whole number').positive('must be at least 1').max(max, upTo(max)).optional());
// Names: trimmed, Unicode NFC, case kept (values.ts normalName); `__proto__` is reserved.
const normal = (v: unknown) => (typeof v === 'string' ? v.trim().normalize('NFC') : v);
const notReserved = (s: string) => !RESERVED_NAMES.has(s);
const name = (what: string) => z.preprocess(normal, z.string({ error: `expected the ${what}` }).min(1, `the ${what} is empty`).refine(notReserved, `the ${what} "__proto__" is reserved; rename it`));
const optionalName = z.preprocess((v) => normal(blank(v)), z.string().refine(notReserved, 'the name "__proto__" is reserved; rename it').optional());

export const CatalogRecord = z
  .object({
    model: name('model name'),
    price_in_per_m: price(bounds.pricePerM),
    price_out_per_m: price(bounds.pricePerM),
    gpu_type: optionalName,
    gpus_per_instance: positiveInt(bounds.perInstance),
    slots_per_instance: positiveInt(bounds.perInstance),
    decode_tokens_per_s: positive(bounds.rate),
    prefill_tokens_per_s: positive(bounds.rate),
    rate_limit_qps: positive(bounds.rate),
    /** A performance-catalog model name or a Hugging Face config.json path (default: the model's own name). */
    architecture: optionalName,
  })
  .superRefine((r, ctx) => {
    // A self-hosted model (one with a GPU type) needs its GPUs per instance, and either an
    // architecture the performance model knows (by the model's own name or the architecture
    // column) or the three typed figures.
    if (r.gpu_type === undefined) return;
    if (r.gpus_per_instance === undefined) ctx.addIssue({ code: 'custom', path: ['gpus_per_instance'], message: `required for a self-hosted model (gpu_type "${r.gpu_type}")` });
    if (r.architecture !== undefined || knownArchitecture(r.model)) return;
    for (const k of ['slots_per_instance', 'decode_tokens_per_s'] as const) {
      if (r[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `required for a self-hosted model whose architecture the performance catalog does not know (gpu_type "${r.gpu_type}"; or give an architecture column: a catalog name or a config.json path)` });
    }
  });

function knownArchitecture(name: string): boolean {
  try {
    modelArch(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * A row's architecture, resolved (config.json paths against the catalog file's folder), and the
 * physics check of its typed figures where the architecture and the GPU are known: a decode speed
 * per sequence that would read the weights faster than the GPU's memory bandwidth, or prefill above
 * its peak compute, is refused with the row named.
 */
function checkPerformanceFacts(file: string, r: FieldRecord, c: z.output<typeof CatalogRecord>, gpus?: GpuSpec[]): string | null {
  let architecture: string | null = null;
  if (c.architecture !== undefined) {
    architecture = /\.json$/i.test(c.architecture) && !isAbsolute(c.architecture) ? resolve(dirname(file), c.architecture) : c.architecture;
    try {
      modelArch(architecture);
    } catch (err) {
      throw fileError(file, r.row, 'architecture', (err as Error).message, { line: r.line });
    }
  }
  if (c.gpu_type === undefined || c.gpus_per_instance === undefined || c.slots_per_instance === undefined || c.decode_tokens_per_s === undefined) return architecture;
  let findings;
  try {
    findings = checkTypedProfile({ model: architecture ?? c.model, gpu: gpus ? gpuSpec(c.gpu_type, gpus) : c.gpu_type, gpusPerInstance: c.gpus_per_instance, slotsPerInstance: c.slots_per_instance, decodeTokensPerS: c.decode_tokens_per_s, prefillTokensPerS: c.prefill_tokens_per_s ?? null });
  } catch {
    return architecture; // a model or GPU the performance catalogs do not know: nothing to check against
  }
  const broken = findings.find((x) => x.share > 1);
  if (broken) throw fileError(file, r.row, broken.kind === 'decode-bandwidth' ? 'decode_tokens_per_s' : 'prefill_tokens_per_s', `physically impossible: ${broken.message}`, { line: r.line, share: broken.share });
  return architecture;
}

export const InventoryRecord = z.object({
  gpu_type: name('GPU type'),
  count: z.preprocess(numeric, z.number({ error: 'expected a GPU count' }).int('a GPU count must be a whole number').min(0, 'a GPU count cannot be negative').max(bounds.gpuCount, upTo(bounds.gpuCount))),
  hourly_price: price(bounds.hourlyPrice),
  memory_gb: z.preprocess(numeric, z.number({ error: 'expected the memory in GB' }).positive('memory must be greater than zero').max(bounds.memoryGb, upTo(bounds.memoryGb))),
});

function validate<S extends z.ZodType>(schema: S, file: string, r: FieldRecord): z.output<S> {
  // Column names compare trimmed and case-blind: two that meet are refused, naming both.
  const lower: Record<string, unknown> = Object.create(null);
  const original = new Map<string, string>();
  for (const [k, v] of Object.entries(r.value)) {
    const key = k.trim().toLowerCase();
    const first = original.get(key);
    if (first !== undefined) throw fileError(file, r.row, k, `duplicate column: "${first}" and "${k}" name the same field "${key}"`, { line: r.line, columns: [first, k] });
    original.set(key, k);
    lower[key] = v;
  }
  const parsed = schema.safeParse(lower);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const column = issue.path.length ? String(issue.path[0]) : null;
  const absent = column !== null && blank(lower[column]) === undefined;
  const problem = column !== null && !Object.hasOwn(lower, column) ? `missing column "${column}"` : absent && issue.code === 'invalid_type' ? `missing value for "${column}"` : `${issue.message}${column && !absent ? ` (found "${String(lower[column])}")` : ''}`;
  throw fileError(file, r.row, column, problem, { line: r.line });
}

export interface CatalogRead {
  rows: CatalogRow[];
  deployments: DeploymentRow[];
}

/** Validates a catalog; every model must be known (in a dataset of the workspace or of this import). */
/** `gpus`: the GPU catalog typed figures are checked against (the workspace's own specs laid over the built-in one). */
export async function readCatalog(file: string, records: AsyncIterable<FieldRecord>, knownModels: ReadonlySet<string>, gpus?: GpuSpec[]): Promise<CatalogRead> {
  const rows: CatalogRow[] = [];
  const deployments: DeploymentRow[] = [];
  const seen = new Map<string, number>(); // "model|gpu" -> row
  const primary = new Set<string>();
  for await (const r of records) {
    const c = validate(CatalogRecord, file, r);
    if (!knownModels.has(c.model)) {
      const known = [...knownModels];
      throw fileError(file, r.row, 'model', `unknown model "${c.model}": no dataset in this workspace has it (import the dataset first)${known.length ? `; known models: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''}` : ''}`, { model: c.model });
    }
    const key = `${c.model}|${c.gpu_type ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) throw fileError(file, r.row, 'gpu_type', `duplicate entry for model "${c.model}" on ${c.gpu_type ?? 'its API'}: already given at row ${first}`);
    seen.set(key, r.row);
    const architecture = checkPerformanceFacts(file, r, c, gpus);
    const row: CatalogRow = {
      architecture,
      model: c.model,
      price_in_per_m: c.price_in_per_m,
      price_out_per_m: c.price_out_per_m,
      gpu_type: c.gpu_type ?? null,
      gpus_per_instance: c.gpus_per_instance ?? null,
      slots_per_instance: c.slots_per_instance ?? null,
      decode_tokens_per_s: c.decode_tokens_per_s ?? null,
      prefill_tokens_per_s: c.prefill_tokens_per_s ?? null,
      rate_limit_qps: c.rate_limit_qps ?? null,
    };
    if (!primary.has(c.model)) {
      primary.add(c.model);
      rows.push(row);
    } else {
      // Further rows of a model are extra deployment options (another GPU type).
      if (row.gpu_type === null) throw fileError(file, r.row, 'gpu_type', `model "${c.model}" appears again without a GPU type; extra rows of a model must name another gpu_type`);
      deployments.push({ model: c.model, gpu_type: row.gpu_type, gpus_per_instance: row.gpus_per_instance!, slots_per_instance: row.slots_per_instance, decode_tokens_per_s: row.decode_tokens_per_s, prefill_tokens_per_s: row.prefill_tokens_per_s });
    }
  }
  if (rows.length === 0) throw fileError(file, null, null, 'the catalog has no rows');
  return { rows, deployments };
}

export async function readInventory(file: string, records: AsyncIterable<FieldRecord>): Promise<InventoryRow[]> {
  const rows: InventoryRow[] = [];
  const seen = new Map<string, number>();
  for await (const r of records) {
    const g = validate(InventoryRecord, file, r);
    const first = seen.get(g.gpu_type);
    if (first !== undefined) throw fileError(file, r.row, 'gpu_type', `duplicate GPU type "${g.gpu_type}": already given at row ${first}`);
    seen.set(g.gpu_type, r.row);
    rows.push(g);
  }
  if (rows.length === 0) throw fileError(file, null, null, 'the inventory has no rows');
  return rows;
}
