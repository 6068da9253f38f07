import { z } from 'zod';
import { fileError } from '../../../shared/errors';
import type { CatalogRow, DeploymentRow, InventoryRow } from '../store/catalog';

/** A row of a catalog or inventory file, from CSV (strings) or JSON (values) alike. */
export interface FieldRecord {
  row: number;
  line: number;
  value: Record<string, unknown>;
}

// CSV gives strings: an empty cell is "not given", a numeric string a number.
const blank = (v: unknown) => (v === '' || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);
const numeric = (v: unknown) => {
  const b = blank(v);
  return typeof b === 'string' ? Number(b.trim()) : b;
};
const price = z.preprocess(numeric, z.number({ error: 'expected a price (a number)' }).min(0, 'a price cannot be negative'));
const positive = z.preprocess(numeric, z.number({ error: 'expected a number' }).positive('must be greater than zero').optional());
const positiveInt = z.preprocess(numeric, z.number({ error: 'expected a whole number' }).int('expected a whole number').positive('must be at least 1').optional());
const name = (what: string) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ error: `expected the ${what}` }).min(1, `the ${what} is empty`));
const optionalName = z.preprocess((v) => (typeof blank(v) === 'string' ? (v as string).trim() : blank(v)), z.string().optional());

export const CatalogRecord = z
  .object({
    model: name('model name'),
    price_in_per_m: price,
    price_out_per_m: price,
    gpu_type: optionalName,
    gpus_per_instance: positiveInt,
    slots_per_instance: positiveInt,
    decode_tokens_per_s: positive,
    prefill_tokens_per_s: positive,
    rate_limit_qps: positive,
  })
  .superRefine((r, ctx) => {
    // A self-hosted model (one with a GPU type) needs its whole instance profile.
    if (r.gpu_type === undefined) return;
    for (const k of ['gpus_per_instance', 'slots_per_instance', 'decode_tokens_per_s'] as const) {
      if (r[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `required for a self-hosted model (gpu_type "${r.gpu_type}")` });
    }
  });

export const InventoryRecord = z.object({
  gpu_type: name('GPU type'),
  count: z.preprocess(numeric, z.number({ error: 'expected a GPU count' }).int('a GPU count must be a whole number').min(0, 'a GPU count cannot be negative')),
  hourly_price: price,
  memory_gb: z.preprocess(numeric, z.number({ error: 'expected the memory in GB' }).positive('memory must be greater than zero')),
});

function validate<S extends z.ZodType>(schema: S, file: string, r: FieldRecord): z.output<S> {
  const lower = Object.fromEntries(Object.entries(r.value).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const parsed = schema.safeParse(lower);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const column = issue.path.length ? String(issue.path[0]) : null;
  const absent = column !== null && blank(lower[column]) === undefined;
  const problem = column !== null && !(column in lower) ? `missing column "${column}"` : absent && issue.code === 'invalid_type' ? `missing value for "${column}"` : `${issue.message}${column && !absent ? ` (found "${String(lower[column])}")` : ''}`;
  throw fileError(file, r.row, column, problem, { line: r.line });
}

export interface CatalogRead {
  rows: CatalogRow[];
  deployments: DeploymentRow[];
}

/** Validates a catalog; every model must be known (in a dataset of the workspace or of this import). */
export async function readCatalog(file: string, records: AsyncIterable<FieldRecord>, knownModels: ReadonlySet<string>): Promise<CatalogRead> {
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
    const row: CatalogRow = {
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
      deployments.push({ model: c.model, gpu_type: row.gpu_type, gpus_per_instance: row.gpus_per_instance!, slots_per_instance: row.slots_per_instance!, decode_tokens_per_s: row.decode_tokens_per_s!, prefill_tokens_per_s: row.prefill_tokens_per_s });
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
