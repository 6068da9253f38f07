import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../src/shared/events';
import { memoryEngine, routerbenchDir } from '../../../helpers/engine';

type Engine = ReturnType<typeof memoryEngine>;
const ended = (engine: Engine, jobId: string, onEvent?: (e: JobEvent) => void) =>
  new Promise<{ events: JobEvent[]; end: JobEvent }>((resolve) => {
    const events: JobEvent[] = [];
    const off = engine.subscribe((e) => {
      if (e.jobId !== jobId) return;
      events.push(e);
      onEvent?.(e);
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') (off(), resolve({ events, end: e }));
    });
  });
const cachedRows = (engine: Engine) => (engine.services.db().prepare("SELECT COUNT(*) AS n FROM feature_cache WHERE featurizer LIKE 'use-lite-v1:%'").get() as { n: number }).n;

describe('training on the bundled sentence encoder through the engine', () => {
  it('encodes every text once in worker threads with progress, caches it, a cancel keeps the finished chunks, and the default (hybrid) reuses them', async () => {
    const engine = memoryEngine();
    try {
      const imported = await engine.call('data.import', { file: join(routerbenchDir, 'mbpp_train.csv') });
      // cancel as soon as the first chunk is stored: what was encoded stays, no predictor is written
      const first = engine.start('predictor.train', { datasetId: imported.datasetId, featurizer: 'use', ensemble: 2, seed: 2 });
      const cancelled = await ended(engine, first.jobId, (e) => {
        if (e.type === 'progress' && e.stage === 'featurise' && (e.metrics?.encoded ?? 0) > 0) engine.cancel(first.jobId);
      });
      expect(cancelled.end.type).toBe('cancelled');
      const kept = cachedRows(engine);
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(299);
      expect((engine.services.db().prepare('SELECT COUNT(*) AS n FROM predictors').get() as { n: number }).n).toBe(0);

      // the default featuriser (hybrid) reuses the same encoder cache
      const second = engine.start('predictor.train', { datasetId: imported.datasetId, ensemble: 2, seed: 2 });
      const { events, end } = await ended(engine, second.jobId);
      expect(end.type).toBe('done');
      const encoded = events.filter((e): e is Extract<JobEvent, { type: 'progress' }> => e.type === 'progress' && e.stage === 'featurise' && e.metrics?.of !== undefined);
      expect(encoded.at(-1)!.metrics).toMatchObject({ encoded: 299 - kept, of: 299 - kept });
      expect(cachedRows(engine)).toBe(299);
      const r = (end as Extract<JobEvent, { type: 'done' }>).result as Awaited<ReturnType<typeof engine.call<'predictor.train'>>>;
      expect(r.featurizer).toBe('hybrid');
      expect(r.metrics.timings.encodeMs).toBeGreaterThan(0); // the encoder's pass counts in the training time
      expect(r.metrics.after.auc).toBeGreaterThan(0.5);
      const pred = await engine.call('predictor.predict', { predictorId: r.id, texts: ['Write a function to reverse a string.'] });
      expect(pred.rows[0].p).toHaveLength(11);
      // a policy needs the built-in featuriser: the export says so instead of writing a file the router cannot use
      await expect(engine.call('policy.export', { predictorId: r.id, datasetId: imported.datasetId, name: 'x', budgetFraction: 0.3 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/--featurizer builtin/) });
    } finally {
      engine.close();
    }
  });
});
