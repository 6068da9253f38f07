import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryEngine, scratchDir } from '../../../helpers/engine';

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

describe('inventory import: merge or replace', () => {
  it('detects an inventory file, merges by default and replaces when asked', async () => {
    const { dir, cleanup } = scratchDir();
    const file = join(dir, 'gpus.csv');
    writeFileSync(file, 'gpu_type,count,hourly_price,memory_gb\nB200,4,6.5,192\n');
    const engine = memoryEngine();
    await engine.call('demo.create', { queries: 200 });
    const before = await engine.call('inventory.list', {});
    expect(before.length).toBeGreaterThan(1);
    expect(await engine.call('data.detect', { files: [file] })).toEqual([{ file, format: 'inventory' }]);
    await engine.call('data.import', { file });
    expect((await engine.call('inventory.list', {})).map((g) => g.gpuType).sort()).toEqual([...before.map((g) => g.gpuType), 'B200'].sort());
    await engine.call('data.import', { file, inventory: 'replace' });
    expect(await engine.call('inventory.list', {})).toEqual([{ gpuType: 'B200', count: 4, hourlyPrice: 6.5, memoryGb: 192 }]);
    engine.close();
    cleanup();
  });
});
