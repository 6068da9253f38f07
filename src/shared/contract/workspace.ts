import { bounds } from '../bounds';
import { z } from 'zod';
import { call, job } from './define';
import { importFormatNames } from '../import-formats';

export const ImportFormat = z.enum(importFormatNames);
export type ImportFormat = z.infer<typeof ImportFormat>;

export interface WorkspaceInfo {
  path: string;
  schemaVersion: number;
  datasets: number;
  models: number;
  gpuTypes: number;
  isDemo: boolean;
}

export interface ModelAccuracy {
  model: string;
  accuracy: number | null; // mean score over non-missing labels
  labelled: number; // non-missing labels
  meanCost: number | null; // mean realised cost per query, USD
}

export interface DatasetSummary {
  id: number;
  name: string;
  source: string;
  format: string;
  createdAt: string;
  queries: number;
  models: ModelAccuracy[];
}

export interface ImportResult {
  kind: 'dataset' | 'catalog' | 'inventory';
  file: string;
  files?: string[]; // a dataset imported from several files
  format: Exclude<ImportFormat, 'auto'>;
  datasetId?: number;
  datasetName?: string;
  rows: number;
  queries?: number;
  models?: number;
  labels?: number;
  missingLabels?: number;
  reused?: boolean; // the same content was already imported and ifExists was 'reuse'
  /** Repeated query/model pairs and what --on-duplicate made of them (absent under 'refuse'). */
  duplicates?: { policy: 'first' | 'mean' | 'separate'; pairs: number };
  ms: number;
  /** Further results of the same call (catalogs, inventories), imported in the same transaction. */
  others?: ImportResult[];
}

/** A journal row of a job whose process stopped before it ended. */
export interface InterruptedJob {
  jobId: string;
  method: string;
  startedAt: number;
  endedAt: number | null;
}

export interface CatalogEntry {
  model: string;
  priceInPerM: number; // USD per 1M input tokens
  priceOutPerM: number; // USD per 1M output tokens
  gpuType: string | null; // null = API model
  gpusPerInstance: number | null;
  slotsPerInstance: number | null;
  decodeTokensPerS: number | null;
  prefillTokensPerS: number | null;
  rateLimitQps: number | null;
  /** Performance-catalog name or config.json path of the architecture (null: the model's own name). */
  architecture?: string | null;
}

export interface GpuInventoryEntry {
  gpuType: string;
  count: number;
  hourlyPrice: number; // USD per GPU-hour
  memoryGb: number;
}

export const workspaceMethods = {
  'workspace.info': call<WorkspaceInfo>()(z.object({}), 'Describe the open workspace'),
  'settings.get': call<Record<string, unknown>>()(z.object({}), "The faces' remembered choices for this workspace (form values, last selections)"),
  'settings.set': call<{ saved: boolean }>()(
    // JSON values of modest size; null forgets the key.
    z.object({ key: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'letters, digits, dot, dash, underscore'), value: z.unknown().refine((v) => v === null || JSON.stringify(v ?? null).length <= 20_000, 'at most 20,000 characters of JSON') }),
    'Remember one choice of a face in this workspace (null forgets it)',
  ),
  'jobs.interrupted': call<InterruptedJob[]>()(z.object({ limit: z.number().int().min(1).max(200).default(20) }), 'Jobs that a stopped or crashed process left unfinished, from the journal, newest first'),
  'workspace.open': call<WorkspaceInfo>()(
    z.object({ path: z.string().min(1), create: z.boolean().optional() }),
    'Open (or create) a workspace file',
  ),
};

export const dataMethods = {
  'datasets.list': call<DatasetSummary[]>()(z.object({}), 'Datasets with query counts, per-model accuracy and mean cost'),
  'datasets.delete': call<{ deleted: boolean }>()(z.object({ id: z.number().int().positive() }), 'Delete a dataset and everything derived from it'),
  'catalog.list': call<CatalogEntry[]>()(z.object({}), 'The model catalog'),
  'inventory.list': call<GpuInventoryEntry[]>()(z.object({}), 'The GPU inventory'),
  'catalog.update': call<CatalogEntry[]>()(
    z.object({
      // Checked like a catalog file (data/import-catalog.ts): a refusal names the row and column.
      entries: z
        .array(
          z.object({
            model: z.string().trim().min(1).max(300),
            priceInPerM: z.number().nullable(),
            priceOutPerM: z.number().nullable(),
            gpuType: z.string().trim().max(100).nullable(),
            gpusPerInstance: z.number().nullable(),
            slotsPerInstance: z.number().nullable(),
            decodeTokensPerS: z.number().nullable(),
            prefillTokensPerS: z.number().nullable(),
            rateLimitQps: z.number().nullable(),
          }),
        )
        .min(1)
        .max(1000),
    }),
    "Replace the catalog rows of the given models in one transaction, with the catalog import's checks (their extra deployment options are kept)",
  ),
  'inventory.update': call<GpuInventoryEntry[]>()(
    z.object({
      entries: z
        .array(
          z.object({
            gpuType: z.string().trim().min(1).max(100),
            count: z.number().int().min(0).max(bounds.gpuCount).optional(),
            hourlyPrice: z.number().min(0).max(bounds.hourlyPrice).optional(),
            memoryGb: z.number().positive().max(bounds.memoryGb).optional(),
          }),
        )
        .min(1)
        .max(200)
        .refine((e) => new Set(e.map((x) => x.gpuType)).size === e.length, 'each GPU type may appear once'),
    }),
    'Edit the GPU inventory in one transaction: change any field of an existing GPU type, or add a type with count, hourlyPrice and memoryGb',
  ),
  'data.import': job<ImportResult>()(
    z
      .object({
        file: z.string().min(1).optional(),
        // Several files in one transaction: all dataset files form ONE dataset.
        files: z.array(z.string().min(1)).min(1).optional(),
        format: ImportFormat.default('auto'),
        name: z.string().min(1).optional(),
        task: z.string().optional(),
        // The same dataset content imported before: refuse with CONFLICT (default) or reuse it.
        ifExists: z.enum(['refuse', 'reuse']).default('refuse'),
        // A query/model pair labelled twice: refuse (default), keep the first, the mean, or separate queries.
        onDuplicate: z.enum(['refuse', 'first', 'mean', 'separate']).default('refuse'),
        // A GPU inventory file: add/update its types and keep the others (default), or replace the stored inventory.
        inventory: z.enum(['merge', 'replace']).default('merge'),
      })
      .refine((i) => i.file !== undefined || i.files !== undefined, { message: 'give file or files', path: ['file'] }),
    'Import a routing dataset, model catalog or GPU inventory (one transaction)',
  ),
  'data.detect': call<{ file: string; format: Exclude<ImportFormat, 'auto'> }[]>()(
    z.object({ files: z.array(z.string().min(1)).min(1).max(100) }),
    'The format of each file as an import would detect it (so a face can ask before an inventory import replaces or merges)',
  ),
  'demo.create': job<{ datasetId: number; queries: number; models: number; ms: number }>()(
    z.object({ seed: z.number().int().default(7), queries: z.number().int().min(100).max(1_000_000).default(5000) }),
    'Generate the deterministic demo dataset, catalog and inventory',
  ),
};
