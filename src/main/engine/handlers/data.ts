import { EngineError, fileError } from '../../../shared/errors';
import type { JobContext } from '../jobs/context';
import type { ParquetDecoder } from '../data/parquet-records';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { datasetSummaries, deleteDataset } from '../store/datasets';
import { listCatalog, listInventory, updateInventory } from '../store/catalog';
import { importFiles } from '../data/import';
import { createDemo } from '../data/demo';

type DataMethod = 'datasets.list' | 'datasets.delete' | 'catalog.list' | 'inventory.list' | 'inventory.update' | 'data.import' | 'demo.create';

/**
 * Parquet row groups decoded in worker threads: in parallel with the inserts, and under a time
 * limit, since a corrupt data page can keep hyparquet's RLE decoder looping (docs/data.md).
 */
function workerParquetDecoder(s: EngineServices, ctx: JobContext): ParquetDecoder {
  return async (path, start, end) => {
    const timeoutMs = 60_000 + 0.5 * (end - start);
    try {
      return await s.inWorker<(string | number | boolean)[][]>('data.parquetRows', { path, start, end }, ctx, { timeoutMs });
    } catch (err) {
      if ((err as EngineError).code === 'TIMEOUT') throw fileError(path, start + 2, null, `the row group of rows ${start + 2}–${end + 1} was not decoded within ${Math.round(timeoutMs / 1000)} s: a corrupt data page?`);
      throw err;
    }
  };
}

export function dataHandlers(s: EngineServices): HandlerGroup<DataMethod> {
  return {
    'datasets.list': () => datasetSummaries(s.db()),
    'datasets.delete': ({ id }) => {
      if (!deleteDataset(s.db(), id)) throw new EngineError('NOT_FOUND', `no dataset with id ${id}`, { id });
      return { deleted: true };
    },
    'catalog.list': () => listCatalog(s.db()),
    'inventory.list': () => listInventory(s.db()),
    'inventory.update': ({ entries }) => {
      updateInventory(s.db(), entries);
      return listInventory(s.db());
    },
    'data.import': async (input, ctx) => {
      const files = input.files ?? [input.file!];
      const [first, ...others] = await importFiles(s.db(), files, { format: input.format, name: input.name, task: input.task, ifExists: input.ifExists, onDuplicate: input.onDuplicate, parquetDecoder: workerParquetDecoder(s, ctx), now: s.now() }, ctx);
      return others.length ? { ...first, others } : first;
    },
    'demo.create': ({ seed, queries }, ctx) => createDemo(s.db(), { seed, queries, now: s.now() }, ctx),
  };
}
