// The workspace's own GPU specs (routeplan gpus import): read and checked like a --gpu-file, stored
// in one transaction, and laid over the built-in catalog wherever capacity is computed. Order of
// precedence, last wins: built-in catalog < the workspace's specs < a --gpu-file given to one call.
import { basename } from 'node:path';
import type { GpuImportResult, GpuSpecView } from '../../../shared/contract/performance';
import { EngineError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { deleteGpuSpecs, listGpuSpecs, upsertGpuSpecs } from '../store/gpu-specs';
import { gpuCatalog } from './catalog/gpu-catalog';
import { gpuAnswersTo, gpuCatalogWith, loadGpuFile, nearMatches, sameName } from './catalog/lookup';
import type { GpuSpec } from './types';

/** The workspace's GPU specs as the performance model reads them (no import bookkeeping). */
export function workspaceGpuSpecs(db: Db): GpuSpec[] {
  return listGpuSpecs(db).map(({ fileName: _f, importedAt: _t, ...g }) => g);
}

/** Reads a GPU file, refuses a name given twice (row named), and stores every row or none. */
export function importGpuSpecs(db: Db, file: string, now: Date): GpuImportResult {
  const specs = loadGpuFile(file);
  const firstRow = /\.json$/i.test(file) ? 1 : 2;
  if (!specs.length) throw new EngineError('FILE_FORMAT', `${file}: no GPU rows`, { file, row: firstRow });
  specs.forEach((g, i) => {
    const j = specs.findIndex((h) => sameName(h.name, g.name));
    if (j < i) throw new EngineError('FILE_FORMAT', `${file}: row ${i + firstRow}, column name: "${g.name}" is also row ${j + firstRow}`, { file, row: i + firstRow, column: 'name' });
  });
  const fileName = basename(file);
  return db.transaction(() => {
    const stored = listGpuSpecs(db);
    const gpus = specs.map((g) => {
      const before = stored.filter((s) => sameName(s.name, g.name)).map((s) => s.name);
      deleteGpuSpecs(db, before);
      return { name: g.name, replaces: gpuCatalog.find((b) => gpuAnswersTo(b, g.name))?.name ?? null, replacedWorkspaceEntry: before.length > 0 };
    });
    upsertGpuSpecs(db, specs, { fileName, importedAt: now.toISOString() });
    return { fileName, gpus };
  })();
}

/** Removes one workspace spec by name; an unknown name is refused with the stored names nearest it. */
export function removeGpuSpec(db: Db, name: string): { removed: string } {
  const stored = listGpuSpecs(db);
  const hit = stored.find((s) => sameName(s.name, name));
  if (!hit) {
    const near = nearMatches(name, stored.map((s) => s.name));
    throw new EngineError('NOT_FOUND', `the workspace has no GPU spec "${name}"${near.length ? `; it has ${near.join(', ')}` : ' (it has none: see routeplan gpus import)'}`, { gpu: name, nearMatches: near });
  }
  deleteGpuSpecs(db, [hit.name]);
  return { removed: hit.name };
}

/** The catalog a call sees (built-in, the workspace's specs, then a GPU file), each entry with its origin. */
export function gpuCatalogView(db: Db, gpuFile?: string): GpuSpecView[] {
  const stored = listGpuSpecs(db);
  const fromFile = gpuFile ? loadGpuFile(gpuFile) : [];
  const fileNames = new Set(fromFile.map((g) => g.name));
  return gpuCatalogWith(workspaceGpuSpecs(db), fromFile).map((g): GpuSpecView => {
    const builtIn = gpuCatalog.includes(g);
    const mine = builtIn || fileNames.has(g.name) ? undefined : stored.find((s) => s.name === g.name);
    return {
      name: g.name, aliases: g.aliases ?? [], memoryGb: g.memoryGb, hbmGBps: g.hbmGBps, bf16Tflops: g.bf16Tflops, fp8Tflops: g.fp8Tflops, int8Tops: g.int8Tops, interconnectGBps: g.interconnectGBps, source: g.source,
      origin: builtIn ? 'built-in' : fileNames.has(g.name) ? 'file' : 'workspace',
      replaces: builtIn ? null : gpuCatalog.find((b) => gpuAnswersTo(g, b.name))?.name ?? null,
      ...(mine ? { importedFrom: { fileName: mine.fileName, importedAt: mine.importedAt } } : {}),
    };
  });
}
