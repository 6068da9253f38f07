import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/renderer/src/api/run-job';
import { currentRun } from '../../src/renderer/src/features/predictor/TrainPanel';
import type { Client } from '../../src/renderer/src/api/client';
import type { JobEvent, JobInfo } from '../../src/shared/events';

/** A client double: the test decides when start answers and which events and job lists arrive. */
function clientDouble() {
  const listeners = new Set<(e: JobEvent) => void>();
  const snapshots = new Set<(j: JobInfo[]) => void>();
  let answerStart!: (r: { jobId: string }) => void;
  let jobList: JobInfo[] = [];
  const client = {
    mode: 'http',
    start: () => new Promise((r) => (answerStart = r)),
    jobs: async () => jobList,
    onEvent(l: (e: JobEvent) => void, s?: (j: JobInfo[]) => void) {
      listeners.add(l);
      if (s) snapshots.add(s);
      return () => (listeners.delete(l), s && snapshots.delete(s));
    },
  } as unknown as Client;
  return {
    client,
    listeners,
    emit: (e: JobEvent) => listeners.forEach((l) => l(e)),
    snapshot: (j: JobInfo[]) => snapshots.forEach((s) => s(j)),
    answer: (id: string) => answerStart({ jobId: id }),
    setJobs: (j: JobInfo[]) => (jobList = j),
  };
}

const m = 'data.import' as const;

describe('runJob', () => {
  it('replays events that arrived before the job id, ignores other jobs, and unsubscribes', async () => {
    const d = clientDouble();
    const fractions: number[] = [];
    const job = runJob<number>(d.client, m, {}, (p) => fractions.push(p.fraction), 60_000);
    d.emit({ type: 'progress', jobId: 'other', method: m, stage: 's', fraction: 0.9 });
    d.emit({ type: 'progress', jobId: 'j1', method: m, stage: 's', fraction: 0.5 });
    d.emit({ type: 'done', jobId: 'j1', method: m, result: 42 });
    d.answer('j1');
    expect(await job.jobId).toBe('j1');
    expect(await job.result).toBe(42);
    expect(fractions).toEqual([0.5]);
    expect(d.listeners.size).toBe(0);
  });

  it('rejects with the failure code and details', async () => {
    const d = clientDouble();
    const job = runJob(d.client, m, {}, undefined, 60_000);
    d.answer('j2');
    await job.jobId;
    d.emit({ type: 'failed', jobId: 'j2', method: m, error: { code: 'FILE_FORMAT', message: 'bad', details: { row: 4, column: 'score' } } });
    await expect(job.result).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { row: 4, column: 'score' } });
  });

  it('settles from a reconnect snapshot when the end event was missed', async () => {
    const d = clientDouble();
    const job = runJob(d.client, m, {}, undefined, 60_000);
    d.answer('j3');
    await job.jobId;
    d.snapshot([{ jobId: 'j3', method: m, state: 'cancelled', startedAt: 0 }]);
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects as INTERRUPTED when a (restarted) server does not know the job, and waits while it runs', async () => {
    const d = clientDouble();
    const job = runJob(d.client, m, {}, undefined, 60_000);
    d.answer('j5');
    await job.jobId;
    let settled = false;
    void job.result.catch(() => (settled = true));
    d.snapshot([{ jobId: 'j5', method: m, state: 'running', startedAt: 0 }]);
    await Promise.resolve();
    expect(settled).toBe(false);
    d.snapshot([{ jobId: 'other', method: m, state: 'running', startedAt: 0 }]);
    await expect(job.result).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });

  it('settles by polling the job list when no event ever comes', async () => {
    const d = clientDouble();
    d.setJobs([{ jobId: 'j4', method: m, state: 'done', startedAt: 0, result: { rows: 7 } }]);
    const job = runJob(d.client, m, {}, undefined, 5);
    d.answer('j4');
    expect(await job.result).toEqual({ rows: 7 });
  });
});

describe('live training curve', () => {
  it('follows the member training now: the epochs restart with each ensemble member', () => {
    const h = [1, 2, 3, 1, 2].map((epoch, i) => ({ epoch, loss: 1 / (i + 1) }));
    expect(currentRun([{ stage: 1 }, ...h]).map((p) => p.epoch)).toEqual([1, 2]);
  });
});
