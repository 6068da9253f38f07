import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/main/engine/engine';
import type { PlanFile } from '../../../../src/shared/contract/planning';
import type { ReplayReportOut } from '../../../../src/shared/contract/planning-report';
import type { JobEvent } from '../../../../src/shared/events';
import { fileEngine, memoryEngine, repoRoot, scratchDir } from '../../../helpers/engine';

// plan.replay on a workspace file runs in a worker thread on its own read-only connection; on an
// in-memory workspace it runs on the engine thread. Both must give the same report for the same
// seed, and cancelling the worker's replay must end the job without touching the workspace.

const conv = resolve(repoRoot, '../shared/data/traces/azure2023_AzureLLMInferenceTrace_conv.csv');
const scratch = scratchDir('routeplan-replay-worker-');
const wsPath = join(scratch.dir, 'ws.routeplan');

const withoutTiming = ({ ms: _ms, requestsPerS: _r, ...report }: ReplayReportOut) => report;

function ended(engine: Engine, jobId: string, onProgress?: (e: JobEvent) => void): Promise<JobEvent> {
  return new Promise((done) => {
    const off = engine.subscribe((e) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'progress') onProgress?.(e);
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
        off();
        done(e);
      }
    });
  });
}

describe('plan.replay in a worker thread', () => {
  let engine: Engine;
  let demandId: number;
  let plan: PlanFile;
  const shortReplay = () => ({ plan, demandId, hours: 0.25, scale: 0.5, seed: 3 });

  beforeAll(async () => {
    engine = fileEngine(wsPath);
    await engine.call('demo.create', { queries: 300 });
    demandId = (await engine.call('demand.import', { files: [conv] })).demandId;
    plan = JSON.parse(JSON.stringify((await engine.call('plan.create', { demandId, intervalS: 600, sampleSize: 300 })).plan));
  });
  afterAll(() => {
    engine?.close();
    scratch.cleanup();
  });

  it('same seed: the worker (file workspace) and the engine thread (in-memory workspace) give identical reports', async () => {
    const memory = memoryEngine();
    try {
      const memoryDemand = (await memory.call('demand.import', { files: [conv] })).demandId;
      const inWorker = await engine.call('plan.replay', shortReplay());
      const onThread = await memory.call('plan.replay', { ...shortReplay(), demandId: memoryDemand });
      expect(inWorker.requests).toBeGreaterThan(1000);
      expect(inWorker.intervals.length).toBe(plan.intervals.length);
      expect(withoutTiming(inWorker)).toEqual(withoutTiming(onThread));
      expect(inWorker.requestsPerS).toBeGreaterThan(0);
      // Another seed draws other routes: the equality above is not vacuous.
      const otherSeed = await engine.call('plan.replay', { ...shortReplay(), seed: 4 });
      expect(withoutTiming(otherSeed)).not.toEqual(withoutTiming(inWorker));
    } finally {
      memory.close();
    }
  });

  it('a long replay leaves the engine thread free; cancelling it ends the job CANCELLED and the workspace intact', async () => {
    const before = await engine.call('plan.replay', shortReplay());
    // The plan's hour at 1000x the trace's rate: minutes of work, were it not cancelled.
    const { jobId } = engine.start('plan.replay', { plan, demandId, scale: 1000, seed: 3 });
    let firstProgress!: () => void;
    const progressed = new Promise<void>((r) => (firstProgress = r));
    const end = ended(engine, jobId, (e) => e.type === 'progress' && e.fraction > 0 && firstProgress());
    await progressed;
    // Replaying on the engine thread would run to its end before this call got a turn.
    expect((await engine.call('demand.list', {})).map((d) => d.id)).toContain(demandId);
    expect(engine.jobs().find((j) => j.jobId === jobId)?.state).toBe('running');
    expect(engine.cancel(jobId)).toBe(true);
    expect(await end).toMatchObject({ type: 'cancelled', jobId });
    expect(engine.jobs().find((j) => j.jobId === jobId)?.state).toBe('cancelled');

    const reader = new Database(wsPath, { readonly: true });
    try {
      expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(reader.prepare('SELECT state FROM jobs WHERE id = ?').pluck().get(jobId)).toBe('cancelled');
    } finally {
      reader.close();
    }
    expect(withoutTiming(await engine.call('plan.replay', shortReplay()))).toEqual(withoutTiming(before));
  });
});
