import { gpuCatalogWith } from '../performance/catalog/lookup';
import { workspaceGpuSpecs } from '../performance/workspace-gpus';
import { basename, dirname, extname, resolve } from 'node:path';
import type { ImportFormat, ImportResult } from '../../../shared/contract';
import { EngineError, fileError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { beginDataset, datasetSize, freeDatasetName, findDatasetByHash, findDatasetByName } from '../store/datasets';
import { inAsyncTransaction } from '../store/transaction';
import { faultPointAsync } from '../jobs/fault-point';
import { commitStaged, openStaging, stagedModelNames } from '../store/staging';
import { modelIds, writeCatalog, writeInventory } from '../store/catalog';
import type { JobContext } from '../jobs/context';
import { csvTable, type CsvTable } from './csv-records';
import { DatasetBuilder, type DuplicatePolicy } from './dataset-builder';
import { datasetFormats, detectFormatAsync, isJsonText, isParquetFile, separatorOf, type ConcreteFormat } from './detect';
import { parquetTable, type ParquetDecoder } from './parquet-records';
import { readCatalog, readInventory, type FieldRecord } from './import-catalog';
import { importJsonDataset } from './import-json';
import { importLongCsv } from './import-long';
import { importPairwise } from './import-pairwise';
import { importWideCsv } from './import-wide';
import { jsonRecords } from './json-records';
import { contentHash, fileSize, readText } from './source';
import { sharedNameParts } from '../../../shared/dataset-name';

export interface ImportOptions {
  format?: ImportFormat; // 'auto' (default) detects each file's format
  name?: string; // dataset name; default: from the file names
  task?: string; // task of queries whose rows name none
  /** Dataset content already imported: 'refuse' (CONFLICT, the default) or 'reuse' the existing dataset. */
  ifExists?: 'refuse' | 'reuse';
  /** A query/model pair labelled twice: see DuplicatePolicy. */
  onDuplicate?: DuplicatePolicy;
  /** Decodes Parquet row groups (the engine passes its worker threads); else in-process. */
  parquetDecoder?: ParquetDecoder;
  /** A GPU inventory file: 'merge' (default: its types are added or updated, others kept) or 'replace' the stored inventory. */
  inventory?: 'merge' | 'replace';
  now?: Date;
}

/** Imports one file (a dataset, catalog or inventory) in one transaction. */
export async function importFile(db: Db, file: string, opts: ImportOptions, ctx: JobContext): Promise<ImportResult> {
  return (await importFiles(db, [file], opts, ctx))[0];
}

/**
 * Imports several files in ONE transaction, all or nothing: files stream into a private staging
 * database, and the workspace sees one synchronous copy at the end (store/staging.ts). All
 * dataset files (wide CSV, long CSV, JSON) together form ONE dataset (e.g. RouterBench's three
 * *_train.csv files); catalogs and inventories are applied after it, each file upserting its rows.
 * Re-importing a dataset with the same content is refused (CONFLICT, by SHA-256) or, with
 * ifExists 'reuse', answered with the existing dataset; catalogs and inventories are idempotent.
 */
export async function importFiles(db: Db, files: string[], opts: ImportOptions, ctx: JobContext): Promise<ImportResult[]> {
  if (files.length === 0) throw new EngineError('INVALID_INPUT', 'no files to import');
  const paths = files.map((f) => resolve(f));
  const sizes = paths.map(fileSize);
  const formats: ConcreteFormat[] = [];
  for (const f of paths) formats.push(opts.format && opts.format !== 'auto' ? opts.format : await detectFormatAsync(f));
  const totalBytes = sizes.reduce((a, b) => a + b, 0) || 1;
  const datasetFiles = paths.filter((_, i) => datasetFormats.includes(formats[i]));
  let doneBytes = 0;
  const progress = (stage: string, bytes: number) => ctx.progress({ stage, fraction: Math.min(1, (doneBytes + bytes) / totalBytes), metrics: { bytes: doneBytes + bytes, totalBytes } });
  const text = (file: string) => readText(file, (b) => progress('import', b), ctx.check);
  const source: Source = {
    text,
    table: (file) => (isParquetFile(file) ? parquetTable(file, ctx.check, (done, total) => progress('import', (fileSize(file) * done) / Math.max(1, total)), opts.parquetDecoder) : csvTable(file, text(file), separatorOf(file))),
  };

  ctx.progress({ stage: 'hash', fraction: 0 });
  const hash = datasetFiles.length ? await contentHash(datasetFiles) : null;
  const dup = hash ? findDatasetByHash(db, hash) : undefined;
  if (dup) {
    if (opts.ifExists !== 'reuse') throw new EngineError('CONFLICT', `already imported: dataset "${dup.name}" (id ${dup.id}) has exactly this content; delete it first to import again`, { datasetId: dup.id, name: dup.name, contentHash: hash });
  }

  const staging = openStaging();
  try {
    const results: ImportResult[] = [];
    const writes: (() => void)[] = [];
    let stagedId: number | null = null;
    if (dup) {
      results.push({ kind: 'dataset', file: datasetFiles[0], files: datasetFiles, format: formats[paths.indexOf(datasetFiles[0])], datasetId: dup.id, datasetName: dup.name, rows: 0, ...datasetSize(db, dup.id), reused: true, ms: 0 });
    } else if (datasetFiles.length) {
      const t0 = performance.now();
      const dsFormats = [...new Set(paths.map((_, i) => formats[i]).filter((f) => datasetFormats.includes(f)))];
      // An explicit --name that is taken is refused (CONFLICT); a default name is numbered instead.
      const name = opts.name ?? freeDatasetName(db, defaultDatasetName(datasetFiles));
      if (findDatasetByName(db, name)) throw new EngineError('CONFLICT', `a dataset named "${name}" already exists; choose another name (--name) or delete it first`, { name });
      const stats = await inAsyncTransaction(staging.db, async () => {
        const writer = beginDataset(staging.db, { name, source: datasetFiles.join('; '), format: dsFormats.join('+'), contentHash: hash, createdAt: opts.now ?? new Date() });
        stagedId = writer.datasetId;
        const builder = new DatasetBuilder(writer, ctx, opts.onDuplicate ?? 'refuse');
        for (let i = 0; i < paths.length; i++) {
          if (!datasetFormats.includes(formats[i])) continue;
          const before = builder.stats.rows;
          await importDatasetFile(paths[i], formats[i], builder, opts.task ?? null, source);
          if (builder.stats.rows === before) throw fileError(paths[i], null, null, 'the file has no data rows');
          doneBytes += sizes[i];
        }
        await faultPointAsync('import.staged', ctx.signal);
        ctx.check();
        const { duplicatePairs, ...counts } = builder.stats;
        return { ...counts, models: writer.modelNames.length, ...(opts.onDuplicate && opts.onDuplicate !== 'refuse' ? { duplicates: { policy: opts.onDuplicate, pairs: duplicatePairs } } : {}) };
      });
      results.push({ kind: 'dataset', file: datasetFiles[0], files: datasetFiles, format: dsFormats[0], datasetName: name, ...stats, ms: -t0 }); // completed after the commit
    }
    // Catalogs before inventories, validated in memory; they may name the models of this import.
    const known = new Set([...modelIds(db).keys(), ...stagedModelNames(staging)]);
    for (const kind of ['catalog', 'inventory'] as const) {
      for (let i = 0; i < paths.length; i++) {
        if (formats[i] !== kind) continue;
        const t0 = performance.now();
        const records = await fieldRecords(paths[i], source);
        let rows: number;
        if (kind === 'catalog') {
          const c = await readCatalog(paths[i], records, known, gpuCatalogWith(workspaceGpuSpecs(db)));
          writes.push(() => writeCatalog(db, c.rows, c.deployments, modelIds(db)));
          rows = c.rows.length + c.deployments.length;
        } else {
          const inv = await readInventory(paths[i], records);
          writes.push(() => {
            if (opts.inventory === 'replace') db.prepare('DELETE FROM gpu_inventory').run();
            writeInventory(db, inv);
          });
          rows = inv.length;
        }
        doneBytes += sizes[i];
        results.push({ kind, file: paths[i], format: kind, rows, ms: Math.round(performance.now() - t0) });
      }
    }
    ctx.check();
    ctx.progress({ stage: 'commit', fraction: 1 });
    // The only write to the workspace: one synchronous transaction.
    const datasetId = commitStaged(db, staging, stagedId, () => writes.forEach((w) => w()));
    if (datasetId !== null && !dup) Object.assign(results[0], { datasetId, ms: Math.round(performance.now() + results[0].ms) });
    return results;
  } finally {
    staging.dispose();
  }
}

/** How a file's content is read: as text (CSV, JSON) or as a table (CSV, Parquet). */
interface Source {
  text: (file: string) => AsyncIterable<string>;
  table: (file: string) => Promise<CsvTable>;
}

async function importDatasetFile(file: string, format: ConcreteFormat, into: DatasetBuilder, task: string | null, source: Source): Promise<void> {
  if (format === 'json') {
    if (isParquetFile(file)) throw fileError(file, null, null, 'a Parquet file holds a table: import it as wide-csv, long-csv or pairwise (its columns name the layout), not json');
    return importJsonDataset(file, jsonRecords(file, source.text(file)), into, task);
  }
  if (format === 'pairwise') {
    await importPairwise(file, await fieldRecords(file, source), into, task);
    return;
  }
  const table: CsvTable = await source.table(file);
  try {
    if (format === 'wide-csv') await importWideCsv(file, table, into, task);
    else await importLongCsv(file, table, into, task);
  } finally {
    table.close();
  }
}

/** Catalog and inventory rows as objects, from CSV or JSON alike. */
async function fieldRecords(file: string, source: Source): Promise<AsyncIterable<FieldRecord>> {
  if (!isParquetFile(file) && isJsonText(file)) return jsonRecords(file, source.text(file));
  const table = await source.table(file);
  return (async function* () {
    for await (const r of table.records) yield { row: r.row, line: r.line, value: Object.fromEntries(table.header.map((h, i) => [h, r.fields[i]])) };
  })();
}

/** One file: its name. Several: their common name prefix, else "<folder>-<common suffix>". */
export function defaultDatasetName(files: string[]): string {
  const stems = files.map((f) => basename(f, extname(f)));
  if (stems.length === 1) return stems[0];
  const { prefix, suffix } = sharedNameParts(stems);
  if (prefix) return prefix;
  const folder = basename(dirname(files[0]));
  return [folder, suffix].filter(Boolean).join('-') || stems.join('+');
}
