import { describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';
import { testFiles, trainFiles } from '../../../helpers/routerbench';

describe('evaluation.run on a stored predictor and test dataset', () => {
  it('sweeps, stores the frontier in the evaluations table, and rejects an unknown predictor', async () => {
    const engine = memoryEngine();
    try {
      const train = await engine.call('data.import', { files: trainFiles, name: 'rb-train' });
      const test = await engine.call('data.import', { files: testFiles, name: 'rb-test' });
      const trained = await engine.call('predictor.train', { datasetId: train.datasetId!, featurizer: 'builtin', estimator: 'knn', ensemble: 2, seed: 1 });
      const predictorId = (trained as { id: number }).id;
      const settings = { strategies: ['mip', 'batch-mip', 'robust-quantile', 'per-query'], budgetFractions: [0.2, 0.5], seeds: [1, 2], batchSize: 100, batching: 'random', capacity: { 'gpt-4-1106-preview': 20 } };
      const r = await engine.call('evaluation.run', { predictorId, testDatasetId: test.datasetId!, settings });
      expect(r.id).toBeGreaterThan(0);
      expect(r.testQueries).toBe(953);
      for (const f of [0.2, 0.5]) {
        for (const s of ['mip', 'batch-mip', 'robust-quantile', 'per-query']) expect(r.rows.find((x) => x.strategy === s && x.budgetFraction === f), `${s} ${f}`).toBeTruthy();
      }
      const stored = await engine.call('evaluation.get', { id: r.id! });
      expect(stored.rows).toEqual(r.rows);
      expect((await engine.call('evaluation.list', {})).map((e) => e.id)).toContain(r.id);
      await expect(engine.call('evaluation.run', { predictorId: 999, testDatasetId: test.datasetId!, settings })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      engine.close();
    }
  });
});
