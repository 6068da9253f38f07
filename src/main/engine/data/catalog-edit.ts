import { gpuCatalogWith } from '../performance/catalog/lookup';
import { workspaceGpuSpecs } from '../performance/workspace-gpus';
import type { CatalogEntry } from '../../../shared/contract';
import type { Db } from '../store/database';
import { listDeployments, modelIds, writeCatalog, type DeploymentRow } from '../store/catalog';
import { readCatalog, type FieldRecord } from './import-catalog';

/** How a refusal names the edited table: "catalog edit, row 3, column decode_tokens_per_s". */
export const CATALOG_EDIT = 'catalog edit';

async function* asRecords(entries: CatalogEntry[]): AsyncIterable<FieldRecord> {
  for (const [i, e] of entries.entries()) {
    yield {
      row: i + 1,
      line: i + 1,
      value: {
        model: e.model,
        price_in_per_m: e.priceInPerM,
        price_out_per_m: e.priceOutPerM,
        gpu_type: e.gpuType,
        gpus_per_instance: e.gpusPerInstance,
        slots_per_instance: e.slotsPerInstance,
        decode_tokens_per_s: e.decodeTokensPerS,
        prefill_tokens_per_s: e.prefillTokensPerS,
        rate_limit_qps: e.rateLimitQps,
      },
    };
  }
}

/**
 * Replaces the catalog rows of the given models, checked by the catalog importer's own reader (the
 * same rules and messages as a file: a self-hosted model needs its instance profile, prices are
 * not negative, the model is known). A model's extra deployment options are kept. One transaction.
 */
export async function updateCatalog(db: Db, entries: CatalogEntry[]): Promise<void> {
  const read = await readCatalog(CATALOG_EDIT, asRecords(entries), new Set(modelIds(db).keys()), gpuCatalogWith(workspaceGpuSpecs(db)));
  const edited = new Set(read.rows.map((r) => r.model));
  const kept: DeploymentRow[] = listDeployments(db)
    .filter((d) => edited.has(d.model))
    .map((d) => ({ model: d.model, gpu_type: d.gpuType, gpus_per_instance: d.gpusPerInstance, slots_per_instance: d.slotsPerInstance, decode_tokens_per_s: d.decodeTokensPerS, prefill_tokens_per_s: d.prefillTokensPerS }));
  db.transaction(() => writeCatalog(db, read.rows, [...read.deployments, ...kept], modelIds(db)))();
}
