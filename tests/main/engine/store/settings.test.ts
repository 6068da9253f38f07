import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileEngine, memoryEngine, scratchDir } from '../../../helpers/engine';

describe('remembered choices and the jobs journal', () => {
  it('keeps settings in the workspace across a restart, forgets on null, refuses bad keys', async () => {
    const { dir, cleanup } = scratchDir();
    const path = join(dir, 'w.sqlite');
    const engine = fileEngine(path);
    await engine.call('settings.set', { key: 'routing.form', value: { predictorId: 3, testDatasetId: 2 } });
    await engine.call('settings.set', { key: 'capacity.plan', value: { trafficQps: 20 } });
    engine.close();
    const again = fileEngine(path);
    expect(await again.call('settings.get', {})).toEqual({ 'routing.form': { predictorId: 3, testDatasetId: 2 }, 'capacity.plan': { trafficQps: 20 } });
    await again.call('settings.set', { key: 'capacity.plan', value: null });
    expect(Object.keys(await again.call('settings.get', {}))).toEqual(['routing.form']);
    await expect(again.call('settings.set', { key: 'no spaces', value: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(again.call('settings.set', { key: 'big', value: 'x'.repeat(30_000) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // Other meta rows (the demo flag) are not settings.
    again.services.db().prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('demo', '1')").run();
    expect(Object.keys(await again.call('settings.get', {}))).toEqual(['routing.form']);
    again.close();
    cleanup();
  });

  it('lists the jobs a dead process left running as interrupted, newest first, and nothing else', async () => {
    const { dir, cleanup } = scratchDir();
    const path = join(dir, 'w.sqlite');
    const engine = fileEngine(path);
    const insert = engine.services.db().prepare("INSERT INTO jobs (id, method, state, input, pid, started_at) VALUES (?, ?, ?, '{}', 999999999, ?)");
    insert.run('old', 'predictor.train', 'running', '2026-01-01T00:00:00.000Z');
    insert.run('new', 'evaluation.run', 'running', '2026-01-02T00:00:00.000Z');
    insert.run('fine', 'data.import', 'done', '2026-01-03T00:00:00.000Z');
    engine.close();
    const again = fileEngine(path);
    const rows = await again.call('jobs.interrupted', {});
    expect(rows.map((r) => [r.jobId, r.method])).toEqual([
      ['new', 'evaluation.run'],
      ['old', 'predictor.train'],
    ]);
    expect(rows[0].startedAt).toBe(Date.parse('2026-01-02T00:00:00.000Z'));
    again.close();
    const mem = memoryEngine();
    expect(await mem.call('jobs.interrupted', {})).toEqual([]);
    mem.close();
    cleanup();
  });
});
