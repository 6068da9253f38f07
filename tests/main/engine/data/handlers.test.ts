import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../src/shared/events';
import { memoryEngine, repoRoot, scratchDir } from '../../../helpers/engine';
import { writeLongCsv } from '../../../helpers/long-csv';
import { dump } from '../../../helpers/dump';
import { trainFiles } from '../../../helpers/routerbench';

const at = (name: string) => join(repoRoot, 'tests/fixtures/data', name);

function finished(engine: ReturnType<typeof memoryEngine>, jobId: string): Promise<{ events: JobEvent[]; end: JobEvent }> {
  const events: JobEvent[] = [];
  return new Promise((resolve) => {
    const off = engine.subscribe((e) => {
      if (e.jobId !== jobId) return;
      events.push(e);
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
        off();
        resolve({ events, end: e });
      }
    });
  });
}

describe('data methods through the engine', () => {
  it('data.import runs as a job with byte progress; the lists read back what was imported', async () => {
    const engine = memoryEngine();
    try {
      const { jobId } = engine.start('data.import', { files: trainFiles });
      const { events, end } = await finished(engine, jobId);
      expect(end).toMatchObject({ type: 'done', result: { kind: 'dataset', queries: 2225, models: 11 } });
      const progress = events.filter((e) => e.type === 'progress');
      expect(progress.some((p) => p.type === 'progress' && p.stage === 'import' && p.fraction > 0 && p.fraction < 1)).toBe(true);
      const r = await engine.call('data.import', { files: [at('catalog-ok.csv'), at('inventory-ok.json'), at('long-ok.csv')] });
      expect(r.kind).toBe('dataset');
      expect(r.others?.map((o) => o.kind)).toEqual(['catalog', 'inventory']);
      expect((await engine.call('catalog.list', {})).map((c) => c.model)).toEqual(['alpha', 'beta']);
      expect((await engine.call('inventory.list', {})).length).toBe(2);
      const list = await engine.call('datasets.list', {});
      expect(list.map((d) => [d.name, d.queries])).toEqual([['routerbench-train', 2225], ['long-ok', 40]]);
      expect(await engine.call('datasets.delete', { id: list[0].id })).toEqual({ deleted: true });
      await expect(engine.call('datasets.delete', { id: list[0].id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await engine.call('datasets.list', {})).length).toBe(1);
    } finally {
      engine.close();
    }
  });

  it('a failed import job reports the file error as data', async () => {
    const engine = memoryEngine();
    try {
      const { jobId } = engine.start('data.import', { file: at('short-row.csv') });
      const { end } = await finished(engine, jobId);
      expect(end).toMatchObject({ type: 'failed', error: { code: 'FILE_FORMAT', details: { row: 4, column: 'score' } } });
      await expect(engine.call('data.import', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      engine.close();
    }
  });

  it('cancelling an import job mid-file leaves the workspace as it was', async () => {
    const engine = memoryEngine();
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'long.csv');
      writeLongCsv(file, 200_000);
      const before = dump(engine.services.db());
      const { jobId } = engine.start('data.import', { file });
      const off = engine.subscribe((e) => {
        if (e.jobId === jobId && e.type === 'progress' && e.stage === 'import' && e.fraction > 0.2) engine.cancel(jobId);
      });
      const { end } = await finished(engine, jobId);
      off();
      expect(end.type).toBe('cancelled');
      const after = dump(engine.services.db());
      // the job journal records the cancelled job; nothing else changed
      expect({ ...after, jobs: [] }).toEqual({ ...before, jobs: [] });
      expect(after.jobs.some((j) => j.includes('"cancelled"'))).toBe(true);
    } finally {
      engine.close();
      cleanup();
    }
  });
});
