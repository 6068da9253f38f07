// Slow: full evaluations in a worker thread on real data, each compared with the same computation run in this thread, and a cancel mid-run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/main/engine/engine';
import type { JobEvent } from '../../../../src/shared/events';
import { runEvaluation } from '../../../../src/main/engine/evaluation/protocol';
import { openPredictor } from '../../../../src/main/engine/predictor/api';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { EvaluationSettings, type EvaluationResult } from '../../../../src/shared/contract/routing';
import { memoryEngine } from '../../../helpers/engine';
import { testFiles, trainFiles } from '../../../helpers/routerbench';

// evaluation.run does its prediction and sweep in a worker: same rows as runEvaluation called
// directly, a main thread that keeps its timers running meanwhile, and a cancel that stores nothing.
const settings = EvaluationSettings.parse({ strategies: ['mip', 'batch-mip', 'robust-quantile', 'robust-gamma', 'ndch', 'per-query'], budgetFractions: [0.1, 0.2, 0.5, 1], seeds: [1, 2, 3], batchSize: 100, batching: 'adversarial', capacity: { 'gpt-4-1106-preview': 20 } });

/**
 * Runs a job to its end. At its first sweep progress report, this thread queues a macrotask
 * (setImmediate): it can run only if this thread's event loop is free while the sweep goes on. The
 * sweep reports it has seen by then say whether it ran before the job ended (a count of work, not
 * of milliseconds: a slow machine slows both sides alike).
 */
async function runWatched(engine: Engine, method: 'evaluation.run', input: unknown, onEvent?: (e: JobEvent, jobId: string) => void) {
  const events: JobEvent[] = [];
  let sweepsSeen = 0;
  let sweepsWhenMainRan: number | null = null;
  const end = await new Promise<JobEvent>((resolve) => {
    let jobId = '';
    const off = engine.subscribe((e) => {
      if (!('jobId' in e) || e.jobId !== jobId) return;
      events.push(e);
      if (e.type === 'progress' && e.stage === 'sweep' && sweepsSeen++ === 0) setImmediate(() => (sweepsWhenMainRan = sweepsSeen));
      onEvent?.(e, jobId);
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') off(), resolve(e);
    });
    jobId = engine.start(method, input).jobId;
  });
  return { end, events, sweepsSeen, sweepsWhenMainRan };
}

describe('evaluation.run in a worker thread', () => {
  let engine: Engine;
  let predictorId = 0;
  let testDatasetId = 0;
  beforeAll(async () => {
    engine = memoryEngine();
    const train = await engine.call('data.import', { files: trainFiles, name: 'rb-train' });
    const test = await engine.call('data.import', { files: testFiles, name: 'rb-test' });
    testDatasetId = test.datasetId!;
    const trained = await engine.call('predictor.train', { datasetId: train.datasetId!, featurizer: 'builtin', estimator: 'knn', ensemble: 2, seed: 1 });
    predictorId = (trained as { id: number }).id;
  });
  afterAll(() => engine?.close());

  it('gives the rows runEvaluation gives directly, with the main thread free while it runs', async () => {
    const { end, events, sweepsSeen, sweepsWhenMainRan } = await runWatched(engine, 'evaluation.run', { predictorId, testDatasetId, settings });
    expect(end.type, JSON.stringify(end)).toBe('done');
    const r = (end as Extract<JobEvent, { type: 'done' }>).result as EvaluationResult;
    // Progress came from the worker: the sweep's stages carry their seed and budget fraction.
    const sweeps = events.filter((e) => e.type === 'progress' && e.stage === 'sweep');
    expect(sweeps.length).toBeGreaterThanOrEqual(settings.seeds.length * settings.budgetFractions.length);
    expect(sweeps.some((e) => e.type === 'progress' && e.message === 'seed 2, f = 0.5')).toBe(true);

    // The same computation in this thread, the way evaluation.run did it before.
    const db = engine.services.db();
    const predictor = openPredictor(db, predictorId);
    const train = loadLabelMatrix(db, (await engine.call('predictor.get', { id: predictorId })).datasetId);
    const test = loadLabelMatrix(db, testDatasetId);
    const m = await predictor.predict(test.texts);
    const pred = { p: Float64Array.from(m.p), lower: m.lower && Float64Array.from(m.lower) };
    const direct = await runEvaluation({ train, test, predict: () => pred }, settings);

    // Timings differ run to run; everything else is the same.
    const untimed = (rows: typeof r.rows) => rows.map(({ msPerBatch: _ms, ...x }) => x);
    expect(untimed(r.rows)).toEqual(untimed(direct.rows));
    expect(r.rows.every((x) => x.kind !== 'strategy' || x.msPerBatch! >= 0)).toBe(true);
    expect(r.rows.some((x) => x.strategy === 'robust-quantile')).toBe(true);
    expect(untimed((await engine.call('evaluation.get', { id: r.id! })).rows)).toEqual(untimed(direct.rows));
    // The main thread was free while the worker swept: the macrotask queued at the first sweep
    // report ran while sweep reports were still to come (a sweep in this thread would hold the
    // event loop until its end, and the macrotask would run after the last report).
    expect(sweepsWhenMainRan).not.toBeNull();
    expect(sweepsWhenMainRan!).toBeLessThan(sweepsSeen);
  });

  it('cancelled mid-sweep, stores nothing', async () => {
    const before = (await engine.call('evaluation.list', {})).length;
    let cancelled = false;
    const { end } = await runWatched(engine, 'evaluation.run', { predictorId, testDatasetId, settings }, (e, jobId) => {
      if (!cancelled && e.type === 'progress' && e.stage === 'sweep') cancelled = engine.cancel(jobId);
    });
    expect(cancelled).toBe(true);
    expect(end.type).toBe('cancelled');
    await new Promise((res) => setTimeout(res, 200));
    expect((await engine.call('evaluation.list', {})).length).toBe(before);
    expect(engine.jobs().find((j) => j.method === 'evaluation.run' && j.state === 'cancelled')).toBeTruthy();
  });
});
