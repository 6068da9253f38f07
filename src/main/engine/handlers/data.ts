import { EngineError } from '../../../shared/errors';
import { workerParquetDecoder } from './parquet-decoder';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { datasetSummaries, deleteDataset } from '../store/datasets';
import { listCatalog, listInventory, updateInventory } from '../store/catalog';
import { importFiles } from '../data/import';
import { detectFormatAsync } from '../data/detect';
import { updateCatalog } from '../data/catalog-edit';
import type { CatalogEntry } from '../../../shared/contract';
import { createDemo } from '../data/demo';

type DataMethod = 'datasets.list' | 'datasets.delete' | 'catalog.list' | 'catalog.update' | 'inventory.list' | 'inventory.update' | 'data.import' | 'data.detect' | 'demo.create';

export function dataHandlers(s: EngineServices): HandlerGroup<DataMethod> {
  return {
    'datasets.list': () => datasetSummaries(s.db()),
    'datasets.delete': ({ id }) => {
      if (!deleteDataset(s.db(), id)) throw new EngineError('NOT_FOUND', `no dataset with id ${id}`, { id });
      return { deleted: true };
    },
    'catalog.list': () => listCatalog(s.db()),
    'inventory.list': () => listInventory(s.db()),
    'catalog.update': async ({ entries }) => {
      await updateCatalog(s.db(), entries as CatalogEntry[]);
      return listCatalog(s.db());
    },
    'inventory.update': ({ entries }) => {
      updateInventory(s.db(), entries);
      return listInventory(s.db());
    },
    'data.import': async (input, ctx) => {
      const files = input.files ?? [input.file!];
      const decoder = workerParquetDecoder(s, ctx);
      try {
        const [first, ...others] = await importFiles(s.db(), files, { format: input.format, name: input.name, task: input.task, ifExists: input.ifExists, onDuplicate: input.onDuplicate, inventory: input.inventory, parquetDecoder: decoder.decode, now: s.now() }, ctx);
        return others.length ? { ...first, others } : first;
      } finally {
        decoder.close();
      }
    },
    'data.detect': async ({ files }) => Promise.all(files.map(async (file) => ({ file, format: await detectFormatAsync(file) }))),
    'demo.create': ({ seed, queries }, ctx) => createDemo(s.db(), { seed, queries, now: s.now() }, ctx),
  };
}
