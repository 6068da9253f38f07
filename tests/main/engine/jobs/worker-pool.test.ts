import { describe, expect, it } from 'vitest';
import { runInWorker } from '../../../../src/main/engine/jobs/worker-pool';
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
    const t0 = Date.now();
    await expect(runInWorker(testWorkerEntry, 'selftest.sum', { n: 1000, stepMs: 50 }, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(20_000);
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
