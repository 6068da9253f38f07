// Users' GPU specs (table gpu_specs): datasheet figures a workspace lays over the built-in GPU
// catalog, each with the file it came from.
import type { GpuSpec } from '../performance/types';
import type { Db } from './database';

/** A stored spec: the performance model's GpuSpec plus where and when it was imported. */
export interface StoredGpuSpec extends GpuSpec {
  fileName: string;
  importedAt: string;
}

interface Row {
  name: string;
  memory_gb: number;
  hbm_gbps: number;
  bf16_tflops: number;
  fp8_tflops: number | null;
  int8_tops: number | null;
  interconnect_gbps: number;
  source: string;
  file_name: string;
  imported_at: string;
}

/** The workspace's GPU specs, by name. */
export function listGpuSpecs(db: Db): StoredGpuSpec[] {
  const rows = db.prepare('SELECT * FROM gpu_specs ORDER BY name').all() as Row[];
  return rows.map((r) => ({
    name: r.name,
    memoryGb: r.memory_gb,
    hbmGBps: r.hbm_gbps,
    bf16Tflops: r.bf16_tflops,
    fp8Tflops: r.fp8_tflops,
    int8Tops: r.int8_tops,
    interconnectGBps: r.interconnect_gbps,
    source: r.source,
    fileName: r.file_name,
    importedAt: r.imported_at,
  }));
}

/** Writes specs, replacing rows of the same name (case-insensitive); the caller holds the transaction. */
export function upsertGpuSpecs(db: Db, specs: GpuSpec[], file: { fileName: string; importedAt: string }): void {
  const put = db.prepare(
    `INSERT OR REPLACE INTO gpu_specs (name, memory_gb, hbm_gbps, bf16_tflops, fp8_tflops, int8_tops, interconnect_gbps, source, file_name, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const g of specs) put.run(g.name, g.memoryGb, g.hbmGBps, g.bf16Tflops, g.fp8Tflops, g.int8Tops, g.interconnectGBps, g.source, file.fileName, file.importedAt);
}

/** Deletes the named specs (exact names, case-insensitive); returns how many rows went. */
export function deleteGpuSpecs(db: Db, names: string[]): number {
  const del = db.prepare('DELETE FROM gpu_specs WHERE name = ?');
  let n = 0;
  for (const name of names) n += del.run(name).changes;
  return n;
}
