import { describe, expect, it } from 'vitest';
import { memoryEngine, scratchDir, fileEngine } from '../../helpers/engine';
import type { JobEvent } from '../../../src/shared/events';
import { join } from 'node:path';

describe('createEngine', () => {
  it('describes a fresh workspace at the latest schema', async () => {
    const engine = memoryEngine();
    const info = await engine.call('workspace.info', {});
    expect(info.schemaVersion).toBeGreaterThanOrEqual(1);
    expect(info.datasets).toBe(0);
    engine.close();
  });

  it('rejects an unknown method and invalid input with stable codes', async () => {
    const engine = memoryEngine();
    await expect(engine.invoke('no.such', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine.call('workspace.open', { path: 3 })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { method: 'workspace.open' } });
    engine.close();
  });

  it('applies WAL and foreign keys to a file workspace, and reopens it', async () => {
    const { dir, cleanup } = scratchDir();
    const path = join(dir, 'w.sqlite');
    const engine = fileEngine(path);
    const db = engine.services.db();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    engine.close();
    const again = fileEngine(path);
    expect((await again.call('workspace.info', {})).path).toBe(path);
    again.close();
    cleanup();
  });

  it('marks jobs left running by a dead process as interrupted on open', async () => {
    const { dir, cleanup } = scratchDir();
    const path = join(dir, 'w.sqlite');
    const engine = fileEngine(path);
    engine.services.db().prepare("INSERT INTO jobs (id, method, state, input, pid, started_at) VALUES ('x', 'data.import', 'running', '{}', 999999999, 'now')").run();
    engine.close();
    const again = fileEngine(path);
    expect(again.services.db().prepare("SELECT state FROM jobs WHERE id = 'x'").get()).toEqual({ state: 'interrupted' });
    again.close();
    cleanup();
  });

  it('emits started and failed events for a job and journals it', async () => {
    const engine = memoryEngine();
    const events: JobEvent[] = [];
    engine.subscribe((e) => events.push(e));
    const { jobId } = engine.start('data.import', { file: '/no/such/file.csv' });
    await new Promise<void>((r) => {
      const off = engine.subscribe((e) => {
        if (e.type !== 'progress' && e.type !== 'started') {
          off();
          r();
        }
      });
    });
    expect(events[0]).toMatchObject({ type: 'started', jobId });
    expect(events.at(-1)?.type).toBe('failed');
    const row = engine.services.db().prepare('SELECT state FROM jobs WHERE id = ?').get(jobId) as { state: string };
    expect(row.state).toBe('failed');
    engine.close();
  });
});
