import { Worker } from 'node:worker_threads';
import { EngineError, fromFailure, type EngineFailure } from '../../../shared/errors';

/** Where the worker entry lives: the built worker.js, or worker.ts run through tsx in dev/tests. */
export interface WorkerEntry {
  url: URL;
  execArgv?: string[];
}

export interface RunInWorkerOptions {
  signal?: AbortSignal;
  onProgress?: (stage: string, fraction: number, metrics?: Record<string, number>) => void;
  /** Hard limit: the worker is terminated, whatever it is doing (HiGHS ignores its own limit in presolve). */
  timeoutMs?: number;
  transfer?: ArrayBuffer[];
}

/** Runs one named task in a fresh worker thread; cancellation and time limits terminate it. */
export function runInWorker<T>(entry: WorkerEntry, task: string, payload: unknown, opts: RunInWorkerOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new EngineError('CANCELLED', 'the job was cancelled'));
    const worker = new Worker(entry.url, { execArgv: entry.execArgv ?? [] });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new EngineError('CANCELLED', 'the job was cancelled')));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = opts.timeoutMs
      ? setTimeout(() => finish(() => reject(new EngineError('TIMEOUT', `task ${task} exceeded its time limit of ${opts.timeoutMs} ms`, { task, timeoutMs: opts.timeoutMs }))), opts.timeoutMs)
      : undefined;
    worker.on('message', (msg: { type: string; stage?: string; fraction?: number; metrics?: Record<string, number>; result?: T; error?: EngineFailure }) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.stage!, msg.fraction!, msg.metrics);
      else if (msg.type === 'result') finish(() => resolve(msg.result as T));
      else if (msg.type === 'error') finish(() => reject(fromFailure(msg.error!)));
    });
    worker.on('error', (err) => finish(() => reject(new EngineError('INTERNAL', `worker for ${task} crashed: ${err.message}`, { task }))));
    worker.on('exit', (code) => finish(() => reject(new EngineError('INTERNAL', `worker for ${task} exited with code ${code} before answering`, { task }))));
    worker.postMessage({ task, payload }, opts.transfer ?? []);
  });
}
