import { EngineError } from '../../../shared/errors';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';

type DataMethod = 'datasets.list' | 'datasets.delete' | 'catalog.list' | 'inventory.list' | 'data.import' | 'demo.create';

// Filled in by the data importers work (issue 2); until then each method says so.
export function dataHandlers(_s: EngineServices): HandlerGroup<DataMethod> {
  const pending = (m: string) => () => {
    throw new EngineError('INTERNAL', `${m} is not built yet`);
  };
  return {
    'datasets.list': pending('datasets.list'),
    'datasets.delete': pending('datasets.delete'),
    'catalog.list': pending('catalog.list'),
    'inventory.list': pending('inventory.list'),
    'data.import': pending('data.import'),
    'demo.create': pending('demo.create'),
  };
}
