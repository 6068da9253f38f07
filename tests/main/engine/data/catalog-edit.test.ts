import { describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';
import { listDeployments } from '../../../../src/main/engine/store/catalog';

describe('catalog.update', () => {
  it('replaces the rows of the edited models, keeps the others and their extra deployment options', async () => {
    const engine = memoryEngine();
    await engine.call('demo.create', { queries: 200 });
    const before = await engine.call('catalog.list', {});
    const deploymentsBefore = listDeployments(engine.services.db());
    const hosted = before.find((c) => c.gpuType != null)!;
    const after = await engine.call('catalog.update', { entries: [{ ...hosted, priceInPerM: 0.42, decodeTokensPerS: 3 }] });
    expect(after.find((c) => c.model === hosted.model)).toEqual({ ...hosted, priceInPerM: 0.42, decodeTokensPerS: 3 });
    expect(after.filter((c) => c.model !== hosted.model)).toEqual(before.filter((c) => c.model !== hosted.model));
    expect(listDeployments(engine.services.db())).toEqual(deploymentsBefore);
    // Undo is the same call with the old row.
    await engine.call('catalog.update', { entries: [hosted] });
    expect(await engine.call('catalog.list', {})).toEqual(before);
    engine.close();
  });

  it('refuses what a catalog file would refuse, naming row and column, and changes nothing', async () => {
    const engine = memoryEngine();
    await engine.call('demo.create', { queries: 200 });
    const before = await engine.call('catalog.list', {});
    const [a, b] = before;
    const hosted = before.find((c) => c.gpuType != null)!;
    // Row 1 is valid: the refusal of row 2 must leave it unwritten too.
    await expect(engine.call('catalog.update', { entries: [{ ...a, priceInPerM: 9 }, { ...b, priceOutPerM: -1 }] })).rejects.toMatchObject({ details: { row: 2, column: 'price_out_per_m' } });
    // A decode speed that would read the weights faster than the GPU's memory bandwidth allows.
    await expect(engine.call('catalog.update', { entries: [{ ...hosted, decodeTokensPerS: 1234 }] })).rejects.toMatchObject({ details: { row: 1, column: 'decode_tokens_per_s' }, message: expect.stringMatching(/physically impossible/) });
    await expect(engine.call('catalog.update', { entries: [{ ...a, model: 'no/such-model' }] })).rejects.toMatchObject({ details: { row: 1, column: 'model' } });
    expect(await engine.call('catalog.list', {})).toEqual(before);
    engine.close();
  });
});
