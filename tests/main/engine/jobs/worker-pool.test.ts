import { describe, expect, it } from 'vitest';
import { closeIdleWorkers, openWorkerSession, runInWorker } from '../../../../src/main/engine/jobs/worker-pool';
import { testWorkerEntry } from '../../../helpers/engine';

describe('runInWorker', () => {
  it('returns the task result and reports monotone progress', async () => {
    const fractions: number[] = [];
    const result = await runInWorker<number>(testWorkerEntry, 'selftest.sum', { n: 100 }, { onProgress: (_s, f) => fractions.push(f) });
    expect(result).toBe(5050);
    expect(fractions.length).toBe(100);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  });

  it('terminates a task at its hard time limit', async () => {
    // the task would run 1000 steps of 50 ms; stopped at its limit, it never reports its last step
    // (asserted on work done, not on wall time, which a loaded machine stretches)
    let last = 0;
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 1000, stepMs: 50 }, { timeoutMs: 300, onProgress: (_s, f) => (last = f) })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(last).toBeLessThan(1);
  });

  it('cancels a running task through its abort signal', async () => {
    const abort = new AbortController();
    const p = runInWorker(testWorkerEntry, 'selftest.sum', { n: 1000, stepMs: 20 }, { signal: abort.signal, onProgress: (_s, f) => f > 0.005 && abort.abort() });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('carries a task failure back as an error, and an unknown task as well', async () => {
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 3, fail: true })).rejects.toThrow(/selftest failure/);
    await expect(runInWorker(testWorkerEntry, 'no.such.task', {})).rejects.toThrow(/unknown worker task/);
  });
});

describe('kept threads', () => {
  it('runs the next task in the thread the last one answered in, and never keeps a timed-out or cancelled one', async () => {
    closeIdleWorkers();
    const a = await runInWorker<number>(testWorkerEntry, 'selftest.thread', {});
    expect(await runInWorker<number>(testWorkerEntry, 'selftest.thread', {})).toBe(a);
    // A task's own failure answers: its thread is kept.
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 3, fail: true })).rejects.toThrow(/selftest failure/);
    expect(await runInWorker<number>(testWorkerEntry, 'selftest.thread', {})).toBe(a);
    // A thread copies the environment when it starts: after a change the kept one is not used.
    process.env.ROUTEPLAN_WORKER_POOL_TEST = '1';
    try {
      expect(await runInWorker<number>(testWorkerEntry, 'selftest.thread', {})).not.toBe(a);
    } finally {
      delete process.env.ROUTEPLAN_WORKER_POOL_TEST;
    }
    // An unexpected failure (say a WASM abort) retires its thread: the next task gets another.
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 3, crash: true })).rejects.toMatchObject({ code: 'INTERNAL' });
    const a2 = await runInWorker<number>(testWorkerEntry, 'selftest.thread', {});
    expect(a2).not.toBe(a);
    // Two at once: the kept thread serves one, a new thread the other; both are kept after.
    const [x, y] = await Promise.all([runInWorker<number>(testWorkerEntry, 'selftest.thread', {}), runInWorker<number>(testWorkerEntry, 'selftest.thread', {})]);
    expect(new Set([x, y]).size).toBe(2);
    expect([x, y]).toContain(a2);
    // The kept threads are ended by a time limit...
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 1000, stepMs: 50 }, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 1000, stepMs: 50 }, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const fresh = await runInWorker<number>(testWorkerEntry, 'selftest.thread', {});
    expect([x, y]).not.toContain(fresh);
    // ...and by a cancel.
    const abort = new AbortController();
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 1000, stepMs: 20 }, { signal: abort.signal, onProgress: (_s, f) => f > 0.005 && abort.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await runInWorker<number>(testWorkerEntry, 'selftest.thread', {})).not.toBe(fresh);
    closeIdleWorkers();
  });
});

describe('openWorkerSession', () => {
  it('runs its tasks in one kept thread, one at a time, and starts a new one after a time limit', async () => {
    const s = openWorkerSession(testWorkerEntry);
    try {
      const [a, b, sum] = await Promise.all([s.run<number>('selftest.thread', {}), s.run<number>('selftest.thread', {}), s.run<number>('selftest.sum', { n: 10 })]);
      expect(b).toBe(a);
      expect(sum).toBe(55);
      // A task's own failure leaves the thread usable.
      await expect(s.run('selftest.sum', { n: 3, fail: true })).rejects.toThrow(/selftest failure/);
      expect(await s.run<number>('selftest.thread', {})).toBe(a);
      await expect(s.run('selftest.sum', { n: 1000, stepMs: 50 }, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      const c = await s.run<number>('selftest.thread', {});
      expect(c).not.toBe(a);
      const abort = new AbortController();
      abort.abort();
      await expect(s.run('selftest.sum', { n: 3 }, { signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      s.close();
    }
    await expect(s.run('selftest.sum', { n: 3 })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
