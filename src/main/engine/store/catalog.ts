import { EngineError } from '../../../shared/errors';
import type { CatalogEntry, GpuInventoryEntry } from '../../../shared/contract';
import type { Db } from './database';

// The model catalog (prices, GPU profile), extra deployment options, and the GPU inventory.

export interface CatalogRow {
  model: string;
  price_in_per_m: number;
  price_out_per_m: number;
  gpu_type: string | null;
  gpus_per_instance: number | null;
  slots_per_instance: number | null;
  decode_tokens_per_s: number | null;
  prefill_tokens_per_s: number | null;
  rate_limit_qps: number | null;
  /** Performance-catalog name or config.json path of the model's architecture (null: the model's own name). */
  architecture?: string | null;
}

export interface DeploymentRow {
  model: string;
  gpu_type: string;
  gpus_per_instance: number;
  slots_per_instance: number | null;
  decode_tokens_per_s: number | null;
  prefill_tokens_per_s: number | null;
}

export interface InventoryRow {
  gpu_type: string;
  count: number;
  hourly_price: number;
  memory_gb: number;
}

export function modelIds(db: Db): Map<string, number> {
  return new Map((db.prepare('SELECT name, id FROM models').raw().all() as [string, number][]).map(([n, id]) => [n, id]));
}

/** Upserts catalog rows; a model's deployment options are replaced by those given. Caller owns the transaction. */
export function writeCatalog(db: Db, rows: CatalogRow[], deployments: DeploymentRow[], ids: Map<string, number>): void {
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO catalog (model_id, price_in_per_m, price_out_per_m, gpu_type, gpus_per_instance, slots_per_instance, decode_tokens_per_s, prefill_tokens_per_s, rate_limit_qps, architecture)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const clear = db.prepare('DELETE FROM deployments WHERE model_id = ?');
  const deploy = db.prepare('INSERT INTO deployments (model_id, gpu_type, gpus_per_instance, slots_per_instance, decode_tokens_per_s, prefill_tokens_per_s) VALUES (?, ?, ?, ?, ?, ?)');
  for (const r of rows) {
    const id = ids.get(r.model)!;
    upsert.run(id, r.price_in_per_m, r.price_out_per_m, r.gpu_type, r.gpus_per_instance, r.slots_per_instance, r.decode_tokens_per_s, r.prefill_tokens_per_s, r.rate_limit_qps, r.architecture ?? null);
    clear.run(id);
  }
  for (const d of deployments) deploy.run(ids.get(d.model)!, d.gpu_type, d.gpus_per_instance, d.slots_per_instance, d.decode_tokens_per_s, d.prefill_tokens_per_s);
}

export function writeInventory(db: Db, rows: InventoryRow[]): void {
  const upsert = db.prepare('INSERT OR REPLACE INTO gpu_inventory (gpu_type, count, hourly_price, memory_gb) VALUES (?, ?, ?, ?)');
  for (const r of rows) upsert.run(r.gpu_type, r.count, r.hourly_price, r.memory_gb);
}

export function listCatalog(db: Db): CatalogEntry[] {
  return db
    .prepare(
      `SELECT m.name AS model, c.price_in_per_m AS priceInPerM, c.price_out_per_m AS priceOutPerM, c.gpu_type AS gpuType,
              c.gpus_per_instance AS gpusPerInstance, c.slots_per_instance AS slotsPerInstance, c.decode_tokens_per_s AS decodeTokensPerS,
              c.prefill_tokens_per_s AS prefillTokensPerS, c.rate_limit_qps AS rateLimitQps, c.architecture AS architecture
         FROM catalog c JOIN models m ON m.id = c.model_id ORDER BY m.id`,
    )
    .all() as CatalogEntry[];
}

export interface DeploymentEntry {
  model: string;
  gpuType: string;
  gpusPerInstance: number;
  slotsPerInstance: number | null;
  decodeTokensPerS: number | null;
  prefillTokensPerS: number | null;
}

/** Extra (model, GPU type) options beyond each model's catalog profile. */
export function listDeployments(db: Db): DeploymentEntry[] {
  return db
    .prepare(
      `SELECT m.name AS model, d.gpu_type AS gpuType, d.gpus_per_instance AS gpusPerInstance, d.slots_per_instance AS slotsPerInstance,
              d.decode_tokens_per_s AS decodeTokensPerS, d.prefill_tokens_per_s AS prefillTokensPerS
         FROM deployments d JOIN models m ON m.id = d.model_id ORDER BY m.id, d.gpu_type`,
    )
    .all() as DeploymentEntry[];
}

export function listInventory(db: Db): GpuInventoryEntry[] {
  return db.prepare('SELECT gpu_type AS gpuType, count, hourly_price AS hourlyPrice, memory_gb AS memoryGb FROM gpu_inventory ORDER BY gpu_type').all() as GpuInventoryEntry[];
}

/** Applies partial edits to the inventory in one transaction; a new GPU type needs every field. */
export function updateInventory(db: Db, edits: { gpuType: string; count?: number; hourlyPrice?: number; memoryGb?: number }[]): void {
  const current = new Map(listInventory(db).map((g) => [g.gpuType, g]));
  const rows: InventoryRow[] = edits.map((e, i) => {
    const old = current.get(e.gpuType);
    const count = e.count ?? old?.count;
    const hourlyPrice = e.hourlyPrice ?? old?.hourlyPrice;
    const memoryGb = e.memoryGb ?? old?.memoryGb;
    if (count == null || hourlyPrice == null || memoryGb == null) {
      const missing = [count == null && 'count', hourlyPrice == null && 'hourlyPrice', memoryGb == null && 'memoryGb'].filter(Boolean).join(', ');
      throw new EngineError('INVALID_INPUT', `entries.${i}: "${e.gpuType}" is not in the inventory yet, so it needs ${missing}`, { field: `entries.${i}`, gpuType: e.gpuType, missing });
    }
    return { gpu_type: e.gpuType, count, hourly_price: hourlyPrice, memory_gb: memoryGb };
  });
  db.transaction(() => writeInventory(db, rows))();
}
