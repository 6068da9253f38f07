import { describe, expect, it } from 'vitest';
import { coversModels, inCatalog, pickCompatible, sameModels } from '../../src/renderer/src/app/compatible';
import { followNewest } from '../../src/renderer/src/components/RecordSelect';
import type { CatalogEntry, DatasetSummary } from '../../src/shared/contract';

const ds = (id: number, models: string[]): DatasetSummary => ({ id, name: `d${id}`, source: '', format: 'wide-csv', createdAt: '', queries: 10, models: models.map((model) => ({ model, accuracy: 0.5, labelled: 10, meanCost: 0.001 })) });
const entry = (model: string): CatalogEntry => ({ model, priceInPerM: 1, priceOutPerM: 1, gpuType: null, gpusPerInstance: null, slotsPerInstance: null, decodeTokensPerS: null, prefillTokensPerS: null, rateLimitQps: null });

// The demo (models a, b) and RouterBench (x, y, z) side by side, as in the walk-through.
const demo = ds(1, ['a', 'b']);
const rbTrain = ds(2, ['x', 'y', 'z']);
const rbTest = ds(3, ['x', 'y', 'z']);
const reordered = ds(4, ['y', 'x', 'z']);
const wider = ds(5, ['x', 'y', 'z', 'w']);
const all = [demo, rbTrain, rbTest, reordered, wider];

describe('compatible choices', () => {
  it('offers as test data only datasets with the predictor’s models in its order, and says why not', () => {
    const fits = sameModels(['x', 'y', 'z']);
    expect(all.filter((d) => fits(d) == null).map((d) => d.id)).toEqual([2, 3]);
    expect(fits(demo)).toMatch(/lacks the predictor's x, y and 1 more/);
    expect(fits(reordered)).toMatch(/order/);
    expect(fits(wider)).toMatch(/does not know \(w\)/);
  });

  it('lets a policy use any traffic that has every model of the predictor', () => {
    const fits = coversModels(['x', 'y', 'z']);
    expect(all.filter((d) => fits(d) == null).map((d) => d.id)).toEqual([2, 3, 4, 5]);
  });

  it('plans capacity only for datasets with a model in the catalog', () => {
    const fits = inCatalog([entry('a'), entry('b')]);
    expect(all.filter((d) => fits(d) == null).map((d) => d.id)).toEqual([1]);
    expect(inCatalog([])(demo)).toMatch(/catalog is empty/);
  });

  it('keeps a remembered choice while it fits, else picks the most recent that fits, else none', () => {
    const fits = sameModels(['x', 'y', 'z']);
    expect(pickCompatible(all, 2, fits)).toBe(2);
    expect(pickCompatible(all, 1, fits)).toBe(3); // the demo no longer fits: the newest that does
    expect(pickCompatible(all, 99, fits)).toBe(3); // deleted
    expect(pickCompatible([demo], null, fits)).toBeNull();
    expect(pickCompatible(undefined, 7, fits)).toBe(7); // not loaded yet: keep what was remembered
  });
});

describe('following the newest record', () => {
  it('keeps the chosen record until a newer one appears, then moves to it', () => {
    expect(followNewest([1, 2, 3], 2, null)).toEqual({ id: 2, seen: 3 });
    expect(followNewest([1, 2, 3], 2, 3)).toEqual({ id: 2, seen: 3 });
    expect(followNewest([1, 2, 3, 4], 2, 3)).toEqual({ id: 4, seen: 4 }); // a training just ended
    expect(followNewest([1, 3], 2, 3)).toEqual({ id: 3, seen: 3 }); // the chosen one was deleted
    expect(followNewest([], 2, 3)).toEqual({ id: null, seen: 3 });
  });
});
