import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../src/shared/events';
import { memoryEngine, repoRoot, scratchDir } from '../../../helpers/engine';
import { dump } from '../../../helpers/dump';

const conv = resolve(repoRoot, '../shared/data/traces/azure2023_AzureLLMInferenceTrace_conv.csv');
const scratch = scratchDir('routeplan-demand-jobs-');
afterAll(() => scratch.cleanup());

function finished(engine: ReturnType<typeof memoryEngine>, jobId: string): Promise<{ events: JobEvent[]; end: JobEvent }> {
  const events: JobEvent[] = [];
  return new Promise((done) => {
    const off = engine.subscribe((e) => {
      if (e.jobId !== jobId) return;
      events.push(e);
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
        off();
        done({ events, end: e });
      }
    });
  });
}

describe('demand methods through the engine', () => {
  it('demand.import is a job with byte progress; show, list, profile and delete read back', async () => {
    const engine = memoryEngine();
    try {
      const { jobId } = engine.start('demand.import', { files: [conv] });
      const { events, end } = await finished(engine, jobId);
      expect(end).toMatchObject({ type: 'done', result: { rows: 19366, format: 'azure' } });
      expect(events.some((e) => e.type === 'progress' && e.stage === 'import' && e.fraction > 0)).toBe(true);
      const shown = await engine.call('demand.show', { intervalS: 900, scale: 2 });
      expect(shown.summary.requests).toBe(19366);
      expect(shown.intervals.rate.length).toBe(4);
      expect(Math.round(shown.intervals.rate.reduce((a, b) => a + b, 0) * 900)).toBe(2 * 19366);
      // each interval's bucket shares sum to 1
      for (const row of shown.intervals.bucketShare) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const window = await engine.call('demand.show', { intervalS: 300, fromS: 600, toS: 1200 });
      expect(window.intervals.startS).toEqual([600, 900]);
      const all5 = await engine.call('demand.show', { intervalS: 300 });
      expect(window.intervals.rate).toEqual(all5.intervals.rate.slice(2, 4));
      const p = await engine.call('demand.profile', { dailyRequests: 1000, days: 1, lengthsFrom: 1, name: 'borrowed' });
      expect(p.inputTokens.mean).toBeCloseTo(shown.summary.inputTokens.mean, 9);
      expect((await engine.call('demand.list', {})).map((d) => d.name)).toEqual(['azure2023_AzureLLMInferenceTrace_conv', 'borrowed']);
      await expect(engine.call('demand.show', { intervalS: 90 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(engine.call('demand.profile', { dailyRequests: 1, lengthsFrom: p.id })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await engine.call('demand.delete', { id: 1 })).toEqual({ deleted: true });
      await expect(engine.call('demand.show', { id: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      engine.close();
    }
  });

  it('a cancelled import job ends cancelled and writes nothing', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => `${i / 50},7,9`).join('\n');
    const f = join(scratch.dir, 'big.csv');
    writeFileSync(f, `timestamp,input_tokens,output_tokens\n${rows}\n`);
    const engine = memoryEngine();
    try {
      const before = dump(engine.services.db());
      const { jobId } = engine.start('demand.import', { files: [f] });
      const off = engine.subscribe((e) => {
        if (e.jobId === jobId && e.type === 'progress' && e.stage === 'import') engine.cancel(jobId);
      });
      const { end } = await finished(engine, jobId);
      off();
      expect(end.type).toBe('cancelled');
      const after = dump(engine.services.db());
      expect({ ...after, jobs: [] }).toEqual({ ...before, jobs: [] });
    } finally {
      engine.close();
    }
  });
});
