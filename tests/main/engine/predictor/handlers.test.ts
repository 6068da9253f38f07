// Slow: trains bootstrap ensembles in worker threads on real data (RouterBench), with progress, feature views and a cancel.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../src/shared/events';
import { memoryEngine, routerbenchDir } from '../../../helpers/engine';
import { openPredictor } from '../../../../src/main/engine/predictor/api';
import { getPredictorSpec } from '../../../../src/main/engine/store/predictors';
import { b64ToF32 } from '../../../../src/main/engine/data/base64';

function finished(engine: ReturnType<typeof memoryEngine>, jobId: string, onEvent?: (e: JobEvent) => void): Promise<{ events: JobEvent[]; end: JobEvent }> {
  const events: JobEvent[] = [];
  return new Promise((resolve) => {
    const off = engine.subscribe((e) => {
      if (e.jobId !== jobId) return;
      events.push(e);
      onEvent?.(e);
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
        off();
        resolve({ events, end: e });
      }
    });
  });
}

const countPredictors = (engine: ReturnType<typeof memoryEngine>) => (engine.services.db().prepare('SELECT COUNT(*) AS n FROM predictors').get() as { n: number }).n;

describe('predictor methods through the engine', () => {
  it('trains a bootstrap ensemble in worker threads with epoch progress, stores it, predicts with a lower quantile', async () => {
    const engine = memoryEngine();
    try {
      const imported = await engine.call('data.import', { file: join(routerbenchDir, 'mbpp_train.csv') });
      const { jobId } = engine.start('predictor.train', { datasetId: imported.datasetId, ensemble: 3, seed: 4 });
      const { events, end } = await finished(engine, jobId);
      expect(end.type).toBe('done');
      const r = (end as Extract<JobEvent, { type: 'done' }>).result as Awaited<ReturnType<typeof engine.call<'predictor.train'>>>;
      const epochs = events.filter((e) => e.type === 'progress' && e.metrics?.epoch !== undefined);
      expect(epochs.length).toBeGreaterThan(0);
      expect(r.metrics.split).toEqual({ seed: 4, train: 209, calibration: 30, test: 60 });
      expect(r.metrics.perModel).toHaveLength(11);
      expect(r.metrics.reliability.after).toHaveLength(15);
      expect(r.metrics.after.pairs).toBeGreaterThan(500);
      expect(r.ensemble).toBe(3);

      const list = await engine.call('predictor.list', {});
      expect(list.map((p) => p.id)).toEqual([r.id]);
      const got = await engine.call('predictor.get', { id: r.id });
      expect(got.metrics.after.auc).toBe(r.metrics.after.auc);

      const texts = ['Write a function to reverse a string.', 'Write a python function to find the sum of a list.'];
      const pred = await engine.call('predictor.predict', { predictorId: r.id, texts });
      const direct = await openPredictor(engine.services.db(), r.id).predict(texts);
      const lowest = direct.quantile!(0);
      const median = direct.quantile!(0.5);
      expect(pred.rows).toHaveLength(2);
      pred.rows.forEach((row, i) => {
        expect(row.p).toHaveLength(11);
        row.p.forEach((p, c) => {
          expect(p).toBeGreaterThan(0);
          expect(p).toBeLessThan(1);
          expect(p).toBeCloseTo(direct.p[i * 11 + c], 6);
          expect(row.lower![c]).toBeGreaterThanOrEqual(lowest[i * 11 + c] - 1e-6);
          expect(row.lower![c]).toBeLessThanOrEqual(median[i * 11 + c] + 1e-6);
        });
      });
      await expect(engine.call('predictor.predict', { predictorId: 999, texts: ['x'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(engine.call('predictor.train', { ensemble: 2 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      engine.close();
    }
  });

  it('trains feature-view members in the workers when featureFraction < 1, and refuses a fraction outside (0, 1]', async () => {
    const engine = memoryEngine();
    try {
      const imported = await engine.call('data.import', { file: join(routerbenchDir, 'mbpp_train.csv') });
      const zeros = async (featureFraction: number) => {
        const r = await engine.call('predictor.train', { datasetId: imported.datasetId, featurizer: 'builtin', estimator: 'logreg', ensemble: 2, seed: 4, featureFraction });
        const spec = getPredictorSpec(engine.services.db(), r.id) as { members: { head: { w: string } }[] };
        return spec.members.map((m) => b64ToF32(m.head.w).filter((v) => v === 0).length);
      };
      const all = await zeros(1);
      const half = await zeros(0.5);
      // A member's dropped columns keep zero weights: about half of the columns its rows touch.
      for (let b = 0; b < 2; b++) expect(half[b]).toBeGreaterThan(all[b]);
      for (const bad of [0, 1.5]) await expect(engine.call('predictor.train', { datasetId: imported.datasetId, featureFraction: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/featureFraction/) });
    } finally {
      engine.close();
    }
  });

  it('a cancelled training leaves no predictor behind', async () => {
    const engine = memoryEngine();
    try {
      const imported = await engine.call('data.import', { file: join(routerbenchDir, 'winogrande_train.csv') });
      // built-in features: this is about cancelling the training itself (encoder-train.test.ts cancels an encoding)
      const { jobId } = engine.start('predictor.train', { datasetId: imported.datasetId, featurizer: 'builtin', ensemble: 4, seed: 1 });
      const { end } = await finished(engine, jobId, (e) => {
        if (e.type === 'progress' && e.stage === 'train') engine.cancel(jobId);
      });
      expect(end.type).toBe('cancelled');
      expect(countPredictors(engine)).toBe(0);
      expect((engine.services.db().prepare('SELECT COUNT(*) AS n FROM calibrations').get() as { n: number }).n).toBe(0);
    } finally {
      engine.close();
    }
  });
});
