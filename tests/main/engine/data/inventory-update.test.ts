import { describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';

describe('inventory.update', () => {
  it('edits fields of existing GPU types and adds complete new ones, in one transaction', async () => {
    const engine = memoryEngine();
    await engine.call('demo.create', { queries: 200 });
    const before = await engine.call('inventory.list', {});
    const h100 = before.find((g) => g.gpuType === 'H100-80GB')!;
    const after = await engine.call('inventory.update', { entries: [{ gpuType: 'H100-80GB', count: h100.count + 8 }, { gpuType: 'B200', count: 4, hourlyPrice: 6.5, memoryGb: 192 }] });
    expect(after.find((g) => g.gpuType === 'H100-80GB')).toEqual({ ...h100, count: h100.count + 8 });
    expect(after.find((g) => g.gpuType === 'B200')).toEqual({ gpuType: 'B200', count: 4, hourlyPrice: 6.5, memoryGb: 192 });
    expect(after).toHaveLength(before.length + 1);
    engine.close();
  });

  it('refuses an incomplete new type, a negative count and a repeated type, and changes nothing', async () => {
    const engine = memoryEngine();
    await engine.call('demo.create', { queries: 200 });
    const before = await engine.call('inventory.list', {});
    // The first entry is valid: the refusal of the second must roll it back too.
    await expect(engine.call('inventory.update', { entries: [{ gpuType: 'L40S', count: 1 }, { gpuType: 'MI300X', count: 2 }] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/entries\.1: "MI300X" is not in the inventory yet, so it needs hourlyPrice, memoryGb/),
    });
    await expect(engine.call('inventory.update', { entries: [{ gpuType: 'L40S', count: -1 }] })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { issues: [expect.objectContaining({ path: 'entries.0.count' })] } });
    await expect(engine.call('inventory.update', { entries: [{ gpuType: 'L40S', count: 1 }, { gpuType: 'L40S', count: 2 }] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await engine.call('inventory.list', {})).toEqual(before);
    engine.close();
  });
});
